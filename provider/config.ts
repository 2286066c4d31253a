/**
 * The provider's configuration: `braket:region`, `braket:profile`, `braket:endpoint`,
 * `braket:maxRetries`, `braket:retryMode` from stack config (the default provider) or from a `braket.Provider`
 * resource's inputs. Pure: checks and precedence only, no I/O.
 */
import { HybridJobArgumentError } from "./errors";
import { checkEndpoint, checkProfile, checkRegion } from "./validation";

/** The settings one provider instance applies to every lookup and gate that uses it. */
export interface ProviderConfig {
    region?: string;
    profile?: string;
    endpoint?: string;
    /** Retries after the first attempt; undefined: AWS_MAX_ATTEMPTS, shared config's max_attempts, else 25 (as Terraform's AWS provider). */
    maxRetries?: number;
    /** How the AWS SDK retries; undefined: AWS_RETRY_MODE, shared config's retry_mode, else standard. */
    retryMode?: RetryMode;
}

/** How the AWS SDK spaces its retries: its standard strategy, or adaptive (client-side rate limiting once throttled). */
export type RetryMode = "standard" | "adaptive";
export const RETRY_MODES: readonly RetryMode[] = ["standard", "adaptive"];

/** Retries after the first attempt when neither braket:maxRetries, AWS_MAX_ATTEMPTS nor shared config says: Terraform's AWS provider's default. */
export const DEFAULT_MAX_RETRIES = 25;

/** Retries after the first attempt that anyone may ask for; past it a stuck endpoint would hold an update for hours. */
export const MAX_RETRIES_LIMIT = 100;

/** The schema's description of each setting (provider/schemagen.ts reads it). */
export const PROVIDER_CONFIG_DOCS = {
    region: {
        type: "string",
        description:
            "The region every call goes to, unless a call gives its own. Default: the region in each job's ARN (GetJob must go to the job's own region).",
    },
    profile: {
        type: "string",
        description:
            "The shared-config profile whose credentials sign every call, unless a call gives its own. Default: the AWS SDK's chain (AWS_PROFILE, environment, SSO, container and instance metadata).",
    },
    endpoint: {
        type: "string",
        description:
            "The Braket endpoint URL for every call, unless a call gives its own. Default: the AWS SDK's resolution (`AWS_ENDPOINT_URL_BRAKET`, `AWS_ENDPOINT_URL`, shared config, the public regional endpoint).",
    },
    maxRetries: {
        type: "integer",
        description: `How many times the AWS SDK retries a failed request (throttling, 5xx, a dropped connection, a timeout) before it gives up, 0 to ${MAX_RETRIES_LIMIT}. Default: \`AWS_MAX_ATTEMPTS\` or the shared config's \`max_attempts\` (attempts, so retries + 1), else ${DEFAULT_MAX_RETRIES}, as Terraform's AWS provider. A lookup ends within 5 minutes whatever it is.`,
    },
    retryMode: {
        type: "string",
        description:
            "How the AWS SDK spaces its retries: `standard` (exponential backoff with jitter) or `adaptive` (standard, plus client-side rate limiting once throttled). Default: `AWS_RETRY_MODE` or the shared config's `retry_mode`, else `standard`.",
    },
} as const satisfies Record<keyof ProviderConfig, { type: string; description: string }>;

export const PROVIDER_CONFIG_KEYS = Object.keys(PROVIDER_CONFIG_DOCS) as (keyof ProviderConfig)[];

/** Reads `maxRetries`, which stack config may give as a string ("5") and a provider resource as a number. */
function checkMaxRetries(value: unknown): number | undefined {
    if (value === undefined || value === null || value === "") {
        return undefined;
    }
    const n = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_RETRIES_LIMIT) {
        throw new HybridJobArgumentError(
            `maxRetries ${String(JSON.stringify(value)).slice(0, 40)} is not a whole number from 0 to ${MAX_RETRIES_LIMIT}. Set braket:maxRetries to e.g. 10, or leave it out for the default (${DEFAULT_MAX_RETRIES}).`,
            "maxRetries",
        );
    }
    return n;
}

/** Reads `retryMode`: `standard` or `adaptive`. */
function checkRetryMode(value: unknown): RetryMode | undefined {
    if (value === undefined || value === null || value === "") {
        return undefined;
    }
    if (typeof value !== "string" || !(RETRY_MODES as readonly string[]).includes(value)) {
        throw new HybridJobArgumentError(
            `retryMode ${typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : typeof value} is not one of ${RETRY_MODES.map((m) => JSON.stringify(m)).join(", ")}. Leave it out for standard.`,
            "retryMode",
        );
    }
    return value as RetryMode;
}

/**
 * Checks the provider's settings; throws a HybridJobArgumentError naming the first bad one. The
 * argument names are those of stack config (`braket:region`), where users set them.
 */
export function parseProviderConfig(values: Record<string, unknown>): ProviderConfig {
    const named = <T>(key: keyof ProviderConfig, check: (v: unknown) => T): T => {
        try {
            return check(values[key]);
        } catch (err) {
            if (err instanceof HybridJobArgumentError) {
                throw new HybridJobArgumentError(`braket:${key}: ${err.message}`, key);
            }
            throw err;
        }
    };
    const config: ProviderConfig = {
        region: named("region", checkRegion),
        profile: named("profile", checkProfile),
        endpoint: named("endpoint", checkEndpoint),
        maxRetries: named("maxRetries", checkMaxRetries),
        retryMode: named("retryMode", checkRetryMode),
    };
    return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as ProviderConfig;
}

/** Every bad setting, as (property, reason) pairs: what CheckConfig answers. */
export function providerConfigFailures(values: Record<string, unknown>): { property: string; reason: string }[] {
    const failures: { property: string; reason: string }[] = [];
    for (const key of PROVIDER_CONFIG_KEYS) {
        try {
            parseProviderConfig({ [key]: values[key] });
        } catch (err) {
            failures.push({ property: key, reason: (err as Error).message });
        }
    }
    return failures;
}

/**
 * The settings of one call: the call's own (already checked) where given, else the provider's.
 * The region then falls back to the job ARN's, done by the caller that knows the ARN.
 */
export function effectiveSettings(call: Omit<ProviderConfig, "maxRetries" | "retryMode">, provider: ProviderConfig): ProviderConfig {
    return {
        region: call.region ?? provider.region,
        profile: call.profile ?? provider.profile,
        endpoint: call.endpoint ?? provider.endpoint,
        maxRetries: provider.maxRetries,
        retryMode: provider.retryMode,
    };
}
