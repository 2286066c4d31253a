/**
 * Generic validation of values against shapes of the Braket model:
 * JSON types, required members, enums, patterns, length (min/max of
 * strings, lists and maps) and ranges (min/max of numbers).
 *
 * Two modes:
 *  - "request": incoming request input. Unknown members are ignored (as AWS
 *    does); timestamps may be epoch seconds or strings. Constraint failures
 *    are reported Coral-style ("1 validation error detected: Value 'x' at
 *    'filters.1.member.operator' failed to satisfy constraint: ...").
 *  - "seed": a GetJob response body given to the emulator. Unknown members are
 *    errors (they would never be returned) and timestamps must be ISO-8601
 *    strings.
 *
 * Member names are looked up as own properties only, so names such as
 * `constructor`, `toString` or `__proto__` are unknown members like any other
 * (never Object.prototype's). Numbers must fit the shape's type: an `integer`
 * is 32-bit, a `long` must be a safe integer (JSON numbers are doubles), a
 * numeric timestamp must be a representable date; out of that range they are
 * type violations (SerializationException in a request), beyond the model's
 * min/max they are range violations (ValidationException).
 */
import { compilePattern, shape, type ShapeRef } from "./model";

export type PathPart = string | number | { key: string };

export interface Violation {
    path: PathPart[];
    /** "type" violations are serialization errors; all others are constraint errors. */
    kind: "type" | "required" | "enum" | "pattern" | "length" | "range" | "unknown";
    value: unknown;
    constraint: string;
}

export type ValidationMode = "request" | "seed";

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses an ISO-8601 date-time with an explicit zone; undefined if it is not one. */
export function parseIsoTimestamp(value: string): number | undefined {
    if (!ISO_8601.test(value)) return undefined;
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `record[key]` only when it is an own property (never Object.prototype's `constructor`, `__proto__`, ...). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
    return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Sets `out[key] = value` as an own data property, even for `__proto__` (which `=` would turn into the prototype). */
export function defineOwn(out: Record<string, unknown>, key: string, value: unknown): void {
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Smithy `integer` is a signed 32-bit integer. */
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
/** The largest timestamp a JavaScript Date holds, in seconds since the epoch (±8.64e15 ms). */
const MAX_EPOCH_SECONDS = 8.64e12;

function codePointLength(s: string): number {
    let n = 0;
    for (const _ of s) n++;
    return n;
}

export function validateValue(shapeName: string, value: unknown, path: PathPart[], mode: ValidationMode, out: Violation[]): void {
    const s = shape(shapeName);
    const push = (kind: Violation["kind"], constraint: string): void => {
        out.push({ path, kind, value, constraint });
    };
    switch (s.type) {
        case "structure": {
            if (!isPlainObject(value)) return push("type", "Member must be a structure (JSON object)");
            const members = s.members;
            for (const req of s.required ?? []) {
                const v = own(value, req);
                if (v === undefined || v === null) {
                    out.push({ path: [...path, req], kind: "required", value: null, constraint: "Member must not be null" });
                }
            }
            for (const [name, v] of Object.entries(value)) {
                const ref: ShapeRef | undefined = own(members, name);
                if (!ref) {
                    if (mode === "seed") {
                        out.push({
                            path: [...path, name],
                            kind: "unknown",
                            value: v,
                            constraint: `Member is not part of shape ${shapeName}`,
                        });
                    }
                    continue;
                }
                if (v === null || v === undefined) continue;
                validateValue(ref.shape, v, [...path, name], mode, out);
            }
            return;
        }
        case "list": {
            if (!Array.isArray(value)) return push("type", "Member must be a list (JSON array)");
            checkLength(s.min, s.max, value.length, push);
            value.forEach((item, i) => {
                if (item === null || item === undefined) {
                    out.push({ path: [...path, i], kind: "required", value: null, constraint: "Member must not be null" });
                } else {
                    validateValue(s.member!.shape, item, [...path, i], mode, out);
                }
            });
            return;
        }
        case "map": {
            if (!isPlainObject(value)) return push("type", "Member must be a map (JSON object)");
            const entries = Object.entries(value);
            checkLength(s.min, s.max, entries.length, push);
            for (const [k, v] of entries) {
                validateValue(s.key!.shape, k, [...path, { key: k }], mode, out);
                if (v === null || v === undefined) {
                    out.push({ path: [...path, { key: k }], kind: "required", value: null, constraint: "Member must not be null" });
                } else {
                    validateValue(s.value!.shape, v, [...path, { key: k }], mode, out);
                }
            }
            return;
        }
        case "string": {
            if (typeof value !== "string") return push("type", "Member must be a string");
            if (s.enum && !s.enum.includes(value)) {
                return push("enum", `Member must satisfy enum value set: [${s.enum.join(", ")}]`);
            }
            checkLength(s.min, s.max, codePointLength(value), push);
            if (s.pattern) {
                const re = compilePattern(s.pattern);
                if (re && !re.test(value)) push("pattern", `Member must satisfy regular expression pattern: ${s.pattern}`);
            }
            return;
        }
        case "integer":
        case "long": {
            if (typeof value !== "number" || !Number.isInteger(value)) return push("type", `Member must be an ${s.type}`);
            if (s.type === "integer" && (value < INT32_MIN || value > INT32_MAX)) {
                return push("type", `Member must be an integer from ${INT32_MIN} to ${INT32_MAX} (a 32-bit integer)`);
            }
            if (!Number.isSafeInteger(value)) {
                return push(
                    "type",
                    `Member must be a long from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (larger numbers lose precision in JSON)`,
                );
            }
            if (s.min !== undefined && value < s.min) push("range", `Member must have value greater than or equal to ${s.min}`);
            if (s.max !== undefined && value > s.max) push("range", `Member must have value less than or equal to ${s.max}`);
            return;
        }
        case "float":
        case "double": {
            if (typeof value !== "number" || !Number.isFinite(value)) return push("type", `Member must be a ${s.type}`);
            if (s.min !== undefined && value < s.min) push("range", `Member must have value greater than or equal to ${s.min}`);
            if (s.max !== undefined && value > s.max) push("range", `Member must have value less than or equal to ${s.max}`);
            return;
        }
        case "boolean":
            if (typeof value !== "boolean") push("type", "Member must be a boolean");
            return;
        case "timestamp": {
            if (mode === "request" && typeof value === "number") {
                if (!Number.isFinite(value) || Math.abs(value) > MAX_EPOCH_SECONDS) {
                    push("type", `Member must be a timestamp in epoch seconds from ${-MAX_EPOCH_SECONDS} to ${MAX_EPOCH_SECONDS}`);
                }
                return;
            }
            if (typeof value !== "string" || parseIsoTimestamp(value) === undefined) {
                push("type", "Member must be an ISO-8601 timestamp string with a zone, e.g. 2026-11-29T12:00:00.000Z");
            }
            return;
        }
        default:
            // blob, document: not used by the operations the emulator implements.
            return;
    }
}

function checkLength(
    min: number | undefined,
    max: number | undefined,
    length: number,
    push: (kind: Violation["kind"], constraint: string) => void,
): void {
    if (min !== undefined && length < min) push("length", `Member must have length greater than or equal to ${min}`);
    if (max !== undefined && length > max) push("length", `Member must have length less than or equal to ${max}`);
}

/** Coral-style path: filters.1.member.operator (list indexes are 1-based). */
export function coralPath(path: PathPart[]): string {
    return path.map((p) => (typeof p === "number" ? `${p + 1}.member` : typeof p === "string" ? p : p.key)).join(".");
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A string quoted as a JSON string literal, with every character that a terminal or a CI log could
 * act on escaped (C0/C1 controls, DEL, line and paragraph separators, bidirectional controls), and
 * cut to `max` characters: safe to put in a message about a hostile input.
 */
export function quoteForMessage(text: string, max = 200): string {
    const cut = text.length > max ? `${text.slice(0, max)}...` : text;
    return JSON.stringify(cut).replace(
        /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
}

/** How a message appends a member to a path: `.name` for a plain identifier, else `["quoted"]`. */
export function memberAccessor(name: string): string {
    return IDENTIFIER.test(name) && name.length <= 200 ? `.${name}` : `[${quoteForMessage(name)}]`;
}

/** JavaScript-style path for seed errors: inputDataConfig[0].channelName, hyperParameters["lr"]; odd names are quoted. */
export function jsPath(path: PathPart[]): string {
    let s = "";
    for (const p of path) {
        if (typeof p === "number") s += `[${p}]`;
        else if (typeof p === "string" && IDENTIFIER.test(p) && p.length <= 200) s += s ? `.${p}` : p;
        else s += `[${quoteForMessage(typeof p === "string" ? p : p.key)}]`;
    }
    return s || "(root)";
}

function coralValue(v: unknown): string {
    if (v === null || v === undefined) return "null";
    if (Array.isArray(v)) return `'[${v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ")}]'`;
    if (typeof v === "string") return `'${v.length > 256 ? v.slice(0, 256) + "..." : v}'`;
    if (typeof v === "object") return `'${JSON.stringify(v)}'`;
    return `'${String(v)}'`;
}

/** "2 validation errors detected: Value 'x' at 'a' failed to satisfy constraint: ...; Value ..." */
export function coralValidationMessage(violations: Violation[]): string {
    const n = violations.length;
    const parts = violations.map(
        (v) => `Value ${coralValue(v.value)} at '${coralPath(v.path)}' failed to satisfy constraint: ${v.constraint}`,
    );
    return `${n} validation error${n === 1 ? "" : "s"} detected: ${parts.join("; ")}`;
}

/** Rewrites every timestamp member of a (validated) value to the canonical `.000Z` ISO form. */
export function normalizeTimestamps(shapeName: string, value: unknown): unknown {
    const s = shape(shapeName);
    if (value === null || value === undefined) return value;
    switch (s.type) {
        case "timestamp":
            if (typeof value === "string") return new Date(parseIsoTimestamp(value)!).toISOString();
            if (typeof value === "number") return new Date(value * 1000).toISOString();
            return value;
        case "structure": {
            const obj = value as Record<string, unknown>;
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(obj)) {
                const ref = own(s.members, k);
                defineOwn(out, k, ref ? normalizeTimestamps(ref.shape, v) : v);
            }
            return out;
        }
        case "list":
            return (value as unknown[]).map((x) => normalizeTimestamps(s.member!.shape, x));
        case "map": {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value as Record<string, unknown>))
                defineOwn(out, k, normalizeTimestamps(s.value!.shape, v));
            return out;
        }
        default:
            return value;
    }
}

/** Keeps only the members a structure shape models (recursively). Used to shape responses. */
export function pickModeled(shapeName: string, value: unknown): unknown {
    const s = shape(shapeName);
    if (value === null || value === undefined) return undefined;
    switch (s.type) {
        case "structure": {
            const out: Record<string, unknown> = {};
            for (const [k, ref] of Object.entries(s.members ?? {})) {
                const v = pickModeled(ref.shape, own(value as Record<string, unknown>, k));
                if (v !== undefined) out[k] = v;
            }
            return out;
        }
        case "list":
            return (value as unknown[]).map((x) => pickModeled(s.member!.shape, x));
        case "map": {
            // Map keys are data: `__proto__` or `constructor` are kept as keys like any other.
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value as Record<string, unknown>)) defineOwn(out, k, pickModeled(s.value!.shape, v));
            return out;
        }
        default:
            return value;
    }
}
