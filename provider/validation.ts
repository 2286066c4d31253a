/**
 * Checks of what users pass in, made before any request: the Braket client validates nothing, so a
 * malformed ARN would otherwise become a confusing service error (or a request to the wrong place).
 * Pure functions only.
 */
import { anchoredPattern, enumOf } from "./model";
import { HybridJobArgumentError } from "./errors";

/** Longest jobArn we accept. The model sets none; IAM caps ARNs at 2048 characters. */
export const MAX_JOB_ARN_LENGTH = 2048;

const JOB_ARN = anchoredPattern("JobArn");
const ATTRIBUTE_NAMES = enumOf("HybridJobAdditionalAttributeName");
/** An AWS region name: `us-east-1`, `eu-north-1`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-5`… */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ARN_PARTS = /^arn:(aws[a-z-]*):braket:([a-z0-9-]+):(\d{12}):job\/(.+)$/su;

/** What a job ARN says about where the job lives. */
export interface ParsedJobArn {
    partition: string;
    region: string;
    accountId: string;
    /** The resource id after `job/`: a UUID for new jobs, a name for old ones. Never the job name. */
    jobId: string;
}

/** Describes a value for an error message without echoing large or odd input verbatim. */
export function describe(value: unknown): string {
    if (typeof value !== "string") {
        return value === null ? "null" : Array.isArray(value) ? "a list" : typeof value;
    }
    const shown = value.length > 80 ? `${value.slice(0, 60)}… (${value.length} characters)` : value;
    return JSON.stringify(shown);
}

/**
 * Checks a job ARN against the service's `JobArn` pattern (whole value) and our own sanity limits,
 * and says what it names. `label` names the argument in messages; `redact` keeps a secret ARN out
 * of them.
 */
export function parseJobArn(value: unknown, label = "jobArn", redact = false): ParsedJobArn {
    const shown = redact ? "[secret]" : describe(value);
    const fail = (problem: string, fix: string): never => {
        throw new HybridJobArgumentError(`${label} ${shown} ${problem}. ${fix}`, label);
    };
    if (typeof value !== "string") {
        return fail("is not a string", "Pass the job's ARN, e.g. arn:aws:braket:us-east-1:123456789012:job/<id>.");
    }
    const arn = value as string;
    if (arn.length === 0) {
        return fail("is empty", "Pass the job's ARN, e.g. arn:aws:braket:us-east-1:123456789012:job/<id>.");
    }
    if (arn.length > MAX_JOB_ARN_LENGTH) {
        return fail(`is longer than ${MAX_JOB_ARN_LENGTH} characters`, "Pass the job's ARN as Braket returned it.");
    }
    if (arn.trim() !== arn) {
        return fail("has leading or trailing white space", "Trim it (a newline from a file or a shell command?).");
    }
    // Control characters and white space never occur in ARNs Braket issues; they are copy errors.
    if (/[\s\p{Cc}]/u.test(arn)) {
        return fail("contains white space or control characters", "Pass the job's ARN exactly as Braket returned it.");
    }
    // A lone UTF-16 surrogate is not Unicode text: it cannot be encoded as UTF-8, so not sent in a URL at all.
    if (/\p{Cs}/u.test(arn)) {
        return fail("contains an unpaired UTF-16 surrogate (not valid Unicode)", "Pass the job's ARN exactly as Braket returned it.");
    }
    if (!JOB_ARN.test(arn)) {
        const hint = /^arn:[^:]*:braket:/.test(arn)
            ? "A hybrid job ARN looks like arn:aws:braket:<region>:<12-digit account>:job/<id>; a quantum-task or device ARN is not a job."
            : "It is not an Amazon Braket hybrid job ARN (arn:aws:braket:<region>:<12-digit account>:job/<id>).";
        return fail("does not match the Braket JobArn pattern", hint);
    }
    const parts = ARN_PARTS.exec(arn);
    if (!parts) {
        return fail("does not match the Braket JobArn pattern", "Pass the job's ARN exactly as Braket returned it.");
    }
    // The region a request goes to unless one is given: the same rule as the region argument, so
    // that a region that cannot exist is refused here rather than asked of DNS.
    if (!REGION.test(parts[2])) {
        return fail(
            redact
                ? "has a region that is not an AWS region name"
                : `has the region ${JSON.stringify(parts[2])}, which is not an AWS region name`,
            'A job ARN names its region like "us-east-1"; pass the job\'s ARN exactly as Braket returned it.',
        );
    }
    return { partition: parts[1], region: parts[2], accountId: parts[3], jobId: parts[4] };
}

/** Checks `additionalAttributeNames` against the API's enum; returns a sorted, de-duplicated copy. */
export function checkAttributeNames(value: unknown): string[] {
    if (value === undefined || value === null) {
        return [];
    }
    if (!Array.isArray(value)) {
        throw new HybridJobArgumentError(
            `additionalAttributeNames must be a list, got ${describe(value)}. Pass e.g. ["QueueInfo"].`,
            "additionalAttributeNames",
        );
    }
    for (const name of value) {
        if (typeof name !== "string" || !ATTRIBUTE_NAMES.includes(name)) {
            throw new HybridJobArgumentError(
                `additionalAttributeNames has ${describe(name)}, which GetJob does not support. ` +
                    `Supported: ${ATTRIBUTE_NAMES.map((n) => JSON.stringify(n)).join(", ")}.`,
                "additionalAttributeNames",
            );
        }
    }
    return [...new Set(value as string[])].sort();
}

/** Checks an optional region name. */
export function checkRegion(value: unknown): string | undefined {
    if (value === undefined || value === null || value === "") {
        return undefined;
    }
    if (typeof value !== "string" || !REGION.test(value)) {
        throw new HybridJobArgumentError(
            `region ${describe(value)} is not an AWS region name. Pass one like "us-east-1", or leave it out for the default (the provider's, then the job ARN's).`,
            "region",
        );
    }
    return value;
}

/** Checks an optional profile name. */
export function checkProfile(value: unknown): string | undefined {
    if (value === undefined || value === null || value === "") {
        return undefined;
    }
    if (typeof value !== "string" || /[\s\p{Cc}]/u.test(value) || value.length > 256) {
        throw new HybridJobArgumentError(
            `profile ${describe(value)} is not a usable profile name. Pass the name of a profile in your AWS config, or leave it out.`,
            "profile",
        );
    }
    return value;
}

/** Longest endpoint URL accepted: more is no endpoint, and would reach the service only to be refused there. */
export const MAX_ENDPOINT_LENGTH = 2048;

/**
 * Text of a would-be URL for a message: user info (`user:password@`) replaced, so that a password
 * is never echoed, whether or not the rest parses as a URL.
 */
export function withoutUserInfo(text: string): string {
    // Every run of characters that ends in "@" without a "/" in it: the user info of a URL, or of
    // a text that only looks like one ("http//user:password@host"); an "@" in a path loses its part too.
    return text.replace(/[^\s/?#@]*@/g, "[user info]@");
}

/**
 * Checks an optional endpoint URL: http or https, no credentials in it, a host name DNS can hold,
 * at most MAX_ENDPOINT_LENGTH characters. `label` names the argument (or environment variable).
 * Messages never echo the URL's user info.
 */
export function checkEndpoint(value: unknown, label = "endpoint"): string | undefined {
    if (value === undefined || value === null || value === "") {
        return undefined;
    }
    const shown = typeof value === "string" ? describe(withoutUserInfo(value)) : describe(value);
    const fix = `Pass e.g. "http://127.0.0.1:4566", or leave it out to use ${label === "endpoint" ? "AWS_ENDPOINT_URL_BRAKET or " : ""}the public endpoint.`;
    if (typeof value === "string" && value.length > MAX_ENDPOINT_LENGTH) {
        throw new HybridJobArgumentError(`${label} ${shown} is longer than ${MAX_ENDPOINT_LENGTH} characters. ${fix}`, label);
    }
    let url: URL | undefined;
    try {
        url = typeof value === "string" ? new URL(value) : undefined;
    } catch {
        url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
        throw new HybridJobArgumentError(`${label} ${shown} is not an http(s) URL. ${fix}`, label);
    }
    // The URL parser drops tabs and newlines, and trims: the SDK would get another text than the one checked.
    if (/[\s\p{Cc}]/u.test(value as string)) {
        throw new HybridJobArgumentError(`${label} ${shown} contains white space or control characters. ${fix}`, label);
    }
    if (url.username || url.password) {
        throw new HybridJobArgumentError(
            `${label} must not carry user credentials in the URL. Use the AWS credential chain (AWS_PROFILE, environment, SSO) instead.`,
            label,
        );
    }
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (host.length > 253 || host.split(".").some((l) => l.length > 63)) {
        throw new HybridJobArgumentError(
            `${label} ${shown} has a host name longer than DNS allows (253 characters, 63 per label). ${fix}`,
            label,
        );
    }
    return value as string;
}

/**
 * The environment variables through which the AWS SDK takes an endpoint or a number of attempts,
 * checked as the arguments are, so that a bad one is an argument error before any request rather
 * than a failed request. Only those the SDK would use: an endpoint given to the call or the
 * provider beats the environment's, and AWS_ENDPOINT_URL_BRAKET beats AWS_ENDPOINT_URL.
 */
export function checkSdkEnvironment(env: NodeJS.ProcessEnv, uses: { endpoint: boolean; maxAttempts: boolean }): void {
    if (uses.endpoint && env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== "true") {
        const name = ["AWS_ENDPOINT_URL_BRAKET", "AWS_ENDPOINT_URL"].find((n) => env[n] !== undefined && env[n] !== "");
        if (name) {
            checkEndpoint(env[name], name);
        }
    }
    const attempts = env.AWS_MAX_ATTEMPTS;
    if (uses.maxAttempts && attempts !== undefined && attempts !== "" && !/^\s*[1-9]\d{0,5}\s*$/.test(attempts)) {
        throw new HybridJobArgumentError(
            `AWS_MAX_ATTEMPTS=${describe(attempts)} is not a whole number of attempts from 1. Unset it, or set braket:maxRetries instead.`,
            "AWS_MAX_ATTEMPTS",
        );
    }
}
