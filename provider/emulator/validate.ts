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
 */
import { compilePattern, shape } from "./model";

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
            const members = s.members ?? {};
            for (const req of s.required ?? []) {
                if (value[req] === undefined || value[req] === null) {
                    out.push({ path: [...path, req], kind: "required", value: null, constraint: "Member must not be null" });
                }
            }
            for (const [name, v] of Object.entries(value)) {
                const ref = members[name];
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
            if (mode === "request" && typeof value === "number" && Number.isFinite(value)) return;
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

/** JavaScript-style path for seed errors: inputDataConfig[0].channelName, hyperParameters["lr"]. */
export function jsPath(path: PathPart[]): string {
    let s = "";
    for (const p of path) {
        if (typeof p === "number") s += `[${p}]`;
        else if (typeof p === "string") s += s ? `.${p}` : p;
        else s += `[${JSON.stringify(p.key)}]`;
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
                const ref = s.members?.[k];
                out[k] = ref ? normalizeTimestamps(ref.shape, v) : v;
            }
            return out;
        }
        case "list":
            return (value as unknown[]).map((x) => normalizeTimestamps(s.member!.shape, x));
        case "map": {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = normalizeTimestamps(s.value!.shape, v);
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
                const v = pickModeled(ref.shape, (value as Record<string, unknown>)[k]);
                if (v !== undefined) out[k] = v;
            }
            return out;
        }
        case "list":
            return (value as unknown[]).map((x) => pickModeled(s.member!.shape, x));
        case "map": {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = pickModeled(s.value!.shape, v);
            return out;
        }
        default:
            return value;
    }
}
