/**
 * restJson1 request routing and input binding, derived from the model's http
 * traits (method + requestUri) and member locations (uri, querystring,
 * header, body). Pure: takes the raw pieces of a request.
 */
import { ApiError } from "./errors";
import { model, shape, type Operation } from "./model";
import { coralValidationMessage, coralPath, INT32_MAX, INT32_MIN, own, validateValue, type Violation } from "./validate";

interface Segment {
    kind: "literal" | "label" | "greedy";
    value: string;
}

interface Route {
    op: Operation;
    method: string;
    segments: Segment[];
}

function compile(op: Operation): Route {
    const [pathPart] = op.http.requestUri.split("?");
    const segments = pathPart
        .split("/")
        .slice(1)
        .map((s): Segment => {
            const m = /^\{([^}]+?)(\+)?\}$/.exec(s);
            if (!m) return { kind: "literal", value: s };
            return { kind: m[2] ? "greedy" : "label", value: m[1] };
        });
    return { op, method: op.http.method.toUpperCase(), segments };
}

const ROUTES: Route[] = Object.entries(model.operations).map(([name, op]) => compile({ ...op, name }));

function decodeSegment(raw: string): string {
    try {
        return decodeURIComponent(raw);
    } catch {
        throw new ApiError("ValidationException", "The request path contains an invalid percent-encoding.");
    }
}

function matchSegments(route: Route, parts: string[]): Record<string, string> | undefined {
    const labels: Record<string, string> = {};
    let i = 0;
    for (let s = 0; s < route.segments.length; s++) {
        const seg = route.segments[s];
        if (seg.kind === "greedy") {
            const rest = parts.slice(i, parts.length - (route.segments.length - s - 1));
            if (rest.length === 0 || rest.join("/") === "") return undefined;
            labels[seg.value] = rest.map(decodeSegment).join("/");
            i += rest.length;
            continue;
        }
        const p = parts[i++];
        if (p === undefined) return undefined;
        if (seg.kind === "literal") {
            if (p !== seg.value) return undefined;
        } else {
            if (p === "") return undefined;
            labels[seg.value] = decodeSegment(p); // exactly one decode: %2F -> "/", %25 -> "%"
        }
    }
    return i === parts.length ? labels : undefined;
}

export interface RouteMatch {
    operation: Operation;
    labels: Record<string, string>;
}

/**
 * Finds the model operation for a method and raw (percent-encoded) path.
 * Returns undefined if no operation has that route. Labels are decoded once.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
    const parts = rawPath.split("/").slice(1);
    for (const r of ROUTES) {
        if (r.method !== method.toUpperCase()) continue;
        const labels = matchSegments(r, parts);
        if (labels) return { operation: r.op, labels };
    }
    return undefined;
}

/**
 * Splits a raw query string into decoded key -> values (keeps repeats, '+' is literal as in SigV4).
 * The result has no prototype: a parameter named `constructor` or `__proto__` is a key like any other.
 */
export function parseQuery(raw: string): Record<string, string[]> {
    const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
    if (!raw) return out;
    for (const pair of raw.split("&")) {
        if (!pair) continue;
        const eq = pair.indexOf("=");
        const k = eq < 0 ? pair : pair.slice(0, eq);
        const v = eq < 0 ? "" : pair.slice(eq + 1);
        let dk: string;
        let dv: string;
        try {
            dk = decodeURIComponent(k);
            dv = decodeURIComponent(v);
        } catch {
            throw new ApiError("ValidationException", "The request query string contains an invalid percent-encoding.");
        }
        (out[dk] ??= []).push(dv);
    }
    return out;
}

function serialization(msg: string): ApiError {
    return new ApiError("SerializationException", msg);
}

function fromString(shapeName: string, v: string, where: string): unknown {
    const t = shape(shapeName).type;
    if (t === "integer" || t === "long") {
        const n = Number(v);
        const fits = t === "integer" ? n >= INT32_MIN && n <= INT32_MAX : Number.isSafeInteger(n);
        if (!/^-?\d+$/.test(v) || !fits) throw serialization(`Cannot convert '${v.slice(0, 64)}' at '${where}' to an ${t}.`);
        return n;
    }
    if (t === "boolean") {
        if (v !== "true" && v !== "false") throw serialization(`Cannot convert '${v}' at '${where}' to a boolean.`);
        return v === "true";
    }
    return v;
}

/**
 * Builds the operation input from the request according to the member
 * locations of the input shape, then validates it against the model.
 * Throws SerializationException (bad JSON / wrong JSON types) or
 * ValidationException (constraints) like AWS does.
 */
export function bindInput(
    op: Operation,
    labels: Record<string, string>,
    query: Record<string, string[]>,
    headers: Record<string, string[]>,
    body: Buffer,
): Record<string, unknown> {
    const input: Record<string, unknown> = {};
    if (!op.input) return input;
    const inputShape = shape(op.input.shape);
    const members = inputShape.members ?? {};
    const hasBodyMembers = Object.values(members).some((m) => !m.location);

    let json: Record<string, unknown> = {};
    if (hasBodyMembers) {
        const text = body.toString("utf8").trim();
        if (text !== "") {
            let parsed: unknown;
            try {
                parsed = JSON.parse(text);
            } catch (e) {
                throw serialization(`Malformed JSON request body: ${(e as Error).message}`);
            }
            if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
                throw serialization("The request body must be a JSON object.");
            }
            json = parsed as Record<string, unknown>;
        }
    }

    for (const [name, ref] of Object.entries(members)) {
        const wire = ref.locationName ?? name;
        switch (ref.location) {
            case "uri": {
                const label = own(labels, wire);
                if (label !== undefined) input[name] = label;
                break;
            }
            case "querystring": {
                const vs = own(query, wire);
                if (vs === undefined) break;
                const s = shape(ref.shape);
                if (s.type === "list") input[name] = vs.map((v) => fromString(s.member!.shape, v, name));
                else input[name] = fromString(ref.shape, vs[0], name);
                break;
            }
            case "header": {
                const vs = own(headers, wire.toLowerCase());
                if (vs !== undefined) input[name] = fromString(ref.shape, vs.join(","), name);
                break;
            }
            case "headers":
            case "statusCode":
                break;
            default: {
                // Only the members the model gives are read; any other (`constructor`, `__proto__`, a
                // member of a newer API version, ...) is ignored, as restJson1 services do.
                const v = own(json, name);
                if (v !== undefined && v !== null) input[name] = v;
            }
        }
    }

    const violations: Violation[] = [];
    validateValue(op.input.shape, input, [], "request", violations);
    const typeErrors = violations.filter((v) => v.kind === "type");
    if (typeErrors.length > 0) {
        const v = typeErrors[0];
        throw serialization(`Unexpected JSON type at '${coralPath(v.path)}': ${v.constraint}.`);
    }
    if (violations.length > 0) throw new ApiError("ValidationException", coralValidationMessage(violations));
    return input;
}
