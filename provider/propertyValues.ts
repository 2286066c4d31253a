/**
 * Pulumi's property values as the provider protocol carries them in a protobuf Struct, to and from
 * plain data: the unknown sentinel (a value not known during a preview) and secret wrappers
 * (`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`), as
 * pulumi/pulumi's `sdk/go/common/resource/plugin/rpc.go` defines them. Pure.
 *
 * The provider answers Configure with acceptSecrets, so secrets arrive wrapped: they are unwrapped
 * here and their top-level names recorded, so that the handlers keep them out of messages and wrap
 * what they derive from them.
 */

/** The protocol's marker for a value not known yet. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** An unknown value, after unwrapping (compare with `===`). */
export const UNKNOWN: unique symbol = Symbol("unknown");

/** Properties without their wrappers, and what was secret or unknown about them. */
export interface Unwrapped {
    values: Record<string, unknown>;
    /** Top-level names whose value held a secret anywhere inside. */
    secret: Set<string>;
    /** Top-level names whose value held an unknown anywhere inside. */
    unknown: Set<string>;
}

function isSecretWrapper(v: unknown): v is { value?: unknown } {
    return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/**
 * Sets `out[k] = v` as an own data property, `__proto__` included. Plain assignment everywhere else:
 * an object literal keeps its fast shape, where `Object.create(null)` and `Object.setPrototypeOf`
 * turn every result into a slow dictionary object (this runs for every member of every answer).
 */
function put(out: Record<string, unknown>, k: string, v: unknown): void {
    if (k === "__proto__") {
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    } else {
        out[k] = v;
    }
}

function unwrapValue(v: unknown, flags: { secret: boolean; unknown: boolean }): unknown {
    if (v === UNKNOWN_SENTINEL) {
        flags.unknown = true;
        return UNKNOWN;
    }
    if (isSecretWrapper(v)) {
        flags.secret = true;
        return unwrapValue(v.value, flags);
    }
    if (Array.isArray(v)) {
        return v.map((e) => unwrapValue(e, flags));
    }
    if (typeof v === "object" && v !== null) {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
            put(out, k, unwrapValue((v as Record<string, unknown>)[k], flags));
        }
        return out;
    }
    return v;
}

/** Unwraps a Struct's JavaScript form (`Struct#toJavaScript()`). */
export function unwrapProperties(props: Record<string, unknown> | undefined): Unwrapped {
    const result: Unwrapped = { values: {}, secret: new Set(), unknown: new Set() };
    for (const [name, raw] of Object.entries(props ?? {})) {
        const flags = { secret: false, unknown: false };
        put(result.values, name, unwrapValue(raw, flags));
        if (flags.secret) {
            result.secret.add(name);
        }
        if (flags.unknown) {
            result.unknown.add(name);
        }
    }
    return result;
}

/** Wraps a value as a secret. */
export function secretValue(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/**
 * Properties for a Struct: `undefined` members dropped (absent, as the result's optional members
 * are), the named ones (or all, with `"*"`) wrapped as secrets, unknowns as the sentinel.
 */
export function wrapProperties(values: Record<string, unknown>, secret: Iterable<string> | "*" = []): Record<string, unknown> {
    const secrets = secret === "*" ? undefined : new Set(secret);
    const wrap = (v: unknown): unknown => {
        if (v === UNKNOWN) {
            return UNKNOWN_SENTINEL;
        }
        if (Array.isArray(v)) {
            return v.map(wrap);
        }
        if (typeof v === "object" && v !== null) {
            const out: Record<string, unknown> = {};
            for (const k of Object.keys(v)) {
                const e = (v as Record<string, unknown>)[k];
                if (e !== undefined) {
                    put(out, k, wrap(e));
                }
            }
            return out;
        }
        return v;
    };
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(values)) {
        const v = values[k];
        if (v !== undefined) {
            put(out, k, secrets === undefined || secrets.has(k) ? secretValue(wrap(v)) : wrap(v));
        }
    }
    return out;
}
