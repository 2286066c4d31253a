import {
    AccessDeniedException,
    InternalServiceException,
    ResourceNotFoundException,
    ThrottlingException,
    ValidationException,
} from "@aws-sdk/client-braket";
import { safeForTerminal } from "./progress";

/**
 * The errors pulumi-braket raises. Every message names what failed (the job's ARN, the region that
 * was asked) and what to do about it, and never carries a credential.
 */

/** The base class of every error pulumi-braket raises. */
export class BraketJobError extends Error {
    /** The job's ARN, or `[secret]` when the ARN is a secret, where one was involved. */
    readonly jobArn?: string;
    /** The region that was asked. */
    readonly region?: string;
    constructor(message: string, details: { jobArn?: string; region?: string; cause?: unknown } = {}) {
        // Messages carry text from the service (failure reasons, its error messages): made safe for a
        // terminal and a CI log, here, where every message is made. The data of results (a job's
        // failureReason, its events' messages) is left as the service sent it, for programs to use.
        super(safeForTerminal(redactCredentials(message)), details.cause === undefined ? undefined : { cause: details.cause });
        this.name = new.target.name;
        this.jobArn = details.jobArn;
        this.region = details.region;
    }
}

/** An argument was refused before any request was made. */
export class HybridJobArgumentError extends BraketJobError {
    /** The argument at fault. */
    readonly argument: string;
    constructor(message: string, argument: string) {
        super(message);
        this.argument = argument;
    }
}

/** Details common to errors answered by (or on the way to) the Braket service. */
export interface ServiceErrorDetails {
    jobArn: string;
    region: string;
    /** The service's error code, e.g. `ResourceNotFoundException`. */
    code: string;
    /** The HTTP status code, when there was an answer. */
    statusCode?: number;
    /** The service's request id, for AWS support. */
    requestId?: string;
    /** How many attempts the AWS SDK made (retries included). */
    attempts?: number;
    cause?: unknown;
}

/** The base class of errors from a GetJob (or CancelJob) request. */
export class BraketServiceError extends BraketJobError {
    readonly code: string;
    readonly statusCode?: number;
    readonly requestId?: string;
    readonly attempts?: number;
    constructor(message: string, details: ServiceErrorDetails) {
        super(message, details);
        this.code = details.code;
        this.statusCode = details.statusCode;
        this.requestId = details.requestId;
        this.attempts = details.attempts;
    }
}

/** 404: no such job in the region that was asked. */
export class HybridJobNotFoundError extends BraketServiceError {}
/** 403: the caller may not read the job. */
export class HybridJobAccessDeniedError extends BraketServiceError {}
/** 400: the service refused the request. */
export class HybridJobValidationError extends BraketServiceError {}
/** 429: still throttled after the AWS SDK's retries. */
export class HybridJobThrottledError extends BraketServiceError {}
/** 5xx, a dropped connection or a timeout: still failing after the AWS SDK's retries. */
export class BraketUnavailableError extends BraketServiceError {}
/** No credentials could be found or used to sign the request. */
export class BraketCredentialsError extends BraketServiceError {}
/**
 * The endpoint's host name does not exist in DNS (ENOTFOUND): a region that does not exist, or a
 * mistyped endpoint. Not transient: not retried, and a wait ends with it at once.
 */
export class BraketEndpointNotFoundError extends BraketServiceError {
    /** The host name that does not resolve. */
    readonly hostname?: string;
    constructor(message: string, details: ServiceErrorDetails & { hostname?: string }) {
        super(message, details);
        this.hostname = details.hostname;
    }
}

/** The job ended FAILED or CANCELLED (or another status the gate does not accept). */
export class HybridJobFailedError extends BraketJobError {
    readonly status: string;
    readonly failureReason?: string;
    readonly jobName?: string;
    constructor(message: string, details: { jobArn: string; region: string; status: string; failureReason?: string; jobName?: string }) {
        super(message, details);
        this.status = details.status;
        this.failureReason = details.failureReason;
        this.jobName = details.jobName;
    }
}

/** The wait's deadline passed before the job reached an accepted status. */
export class HybridJobWaitTimeoutError extends BraketJobError {
    readonly lastStatus?: string;
    readonly timeoutSeconds: number;
    constructor(message: string, details: { jobArn: string; region: string; lastStatus?: string; timeoutSeconds: number }) {
        super(message, details);
        this.lastStatus = details.lastStatus;
        this.timeoutSeconds = details.timeoutSeconds;
    }
}

/** The wait was cancelled (Ctrl-C, an abort signal) before the job reached an accepted status. */
export class HybridJobWaitCancelledError extends BraketJobError {}

const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{12,}\b/g;
const SIGNATURE_OR_SECRET =
    /\b(Signature=|X-Amz-Signature=|X-Amz-Security-Token=|aws_secret_access_key\s*=\s*|aws_session_token\s*=\s*)[^\s,&]+/gi;

/** Removes anything shaped like an AWS access key id, signature or session token from text. */
export function redactCredentials(text: string): string {
    return text.replace(ACCESS_KEY_ID, "[access key id]").replace(SIGNATURE_OR_SECRET, "$1[redacted]");
}

/** Replaces a secret ARN (as is, URL-encoded, or its job id) in text from the service with `[secret]`. */
function scrubSecret(text: string, secretArn: string | undefined): string {
    if (!secretArn) {
        return text;
    }
    const jobId = secretArn.slice(secretArn.indexOf(":job/") + 5);
    const forms = [secretArn, encodeURIComponent(secretArn), ...(jobId.length >= 8 ? [jobId, encodeURIComponent(jobId)] : [])];
    return forms.reduce((t, f) => t.split(f).join("[secret]"), text);
}

/** The parts of an AWS SDK error that we read. */
interface SdkErrorLike {
    name?: string;
    message?: string;
    code?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
    /** Set by the AWS SDK on errors its retry strategy counts as transient. */
    $retryable?: { throttling?: boolean };
    $response?: unknown;
    /** Node's DNS errors: the host name asked for. */
    hostname?: string;
    cause?: unknown;
}

/** What the lookup's bound reports (provider/clients.ts's LookupTimeout), read without importing it. */
interface LookupTimeoutLike {
    name: "LookupTimeout";
    timeoutMs: number;
    requestTimeoutMs: number;
    report: { attempts: number; endpoint?: string; lastError?: unknown };
}

function isLookupTimeout(err: unknown): err is LookupTimeoutLike {
    return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "LookupTimeout";
}

/** The code of an error from the SDK (its name, else Node's code). */
function codeOf(e: SdkErrorLike): string {
    return e.name && e.name !== "Error" ? e.name : (e.code ?? "Error");
}

function hostNotFound(e: SdkErrorLike, depth = 0): SdkErrorLike | undefined {
    if (e.code === "ENOTFOUND") {
        return e;
    }
    return depth < 5 && typeof e.cause === "object" && e.cause !== null ? hostNotFound(e.cause as SdkErrorLike, depth + 1) : undefined;
}

/** The service's codes for credentials it does not accept (an unknown key, a bad or stale signature, a bad token). */
const CREDENTIALS_REFUSED = new Set([
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredTokenException",
]);

const NETWORK_CODES = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "EPIPE",
    "ETIMEDOUT",
    // A failed DNS lookup (no answer from the resolver); ENOTFOUND, an answer that the host does not exist, is not transient.
    "EAI_AGAIN",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ECONNABORTED",
    "EPROTO",
    "TimeoutError",
    "RequestTimeout",
    "RequestTimeoutException",
    "NetworkingError",
]);

/**
 * Turns an error from the AWS SDK's GetJob call into one of our classes, with a message that says
 * what to do. `shownArn` is the ARN as it may appear in messages (`[secret]` for secret ARNs).
 */
export function fromSdkError(
    err: unknown,
    ctx: {
        operation: string;
        shownArn: string;
        /** What was asked for, when not one job (a search): `hybrid jobs named "x"`. */
        subject?: string;
        /** Secret arguments were sent (a search by a secret name): the service's text, which may echo them, is left out. */
        secretRequest?: boolean;
        region: string;
        endpoint?: string;
        secretArn?: string;
        profile?: string;
        /** The endpoint the SDK resolved and sent to (`scheme://host[:port]`), when known. */
        resolvedEndpoint?: string;
    },
): BraketJobError {
    if (err instanceof BraketJobError) {
        return err;
    }
    const what = `${ctx.operation} for ${ctx.subject ?? `hybrid job ${ctx.shownArn}`} in region ${ctx.region}`;
    const search = ctx.operation === "SearchJobs";
    const sentTo = ctx.endpoint ?? ctx.resolvedEndpoint;
    if (isLookupTimeout(err)) {
        const { attempts, lastError } = err.report;
        const seconds = err.timeoutMs / 1000;
        const endpoint = err.report.endpoint ?? sentTo;
        const last = typeof lastError === "object" && lastError !== null ? codeOf(lastError as SdkErrorLike) : undefined;
        const how =
            attempts === 0
                ? "no request could be sent: it waited for the provider's pacing (sized for Braket's GetJob quota, which SearchJobs shares) the whole time." +
                  " Read fewer jobs at once, or raise PULUMI_BRAKET_REQUESTS_PER_SECOND for a raised quota."
                : `${attempts} attempt${attempts === 1 ? "" : "s"} (each given ${err.requestTimeoutMs / 1000} s to answer)` +
                  `${last ? `, the last to fail by itself ended by ${last}` : ""}; the last was cut off by the bound.` +
                  ` Check that the endpoint answers${endpoint ? ` (${endpoint})` : ""}: the endpoint setting (endpoint, braket:endpoint,` +
                  " AWS_ENDPOINT_URL_BRAKET), a proxy or firewall that accepts connections and holds them, and the AWS Health Dashboard.";
        return new BraketUnavailableError(
            `${what} got no answer within ${seconds} s, the bound of one lookup${endpoint ? ` (endpoint ${endpoint})` : ""}: ${how}`,
            { jobArn: ctx.shownArn, region: ctx.region, code: "LookupTimeout", attempts },
        );
    }
    const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as SdkErrorLike;
    const code = codeOf(e);
    const statusCode = e.$metadata?.httpStatusCode;
    const details: ServiceErrorDetails = {
        jobArn: ctx.shownArn,
        region: ctx.region,
        code,
        statusCode,
        requestId: e.$metadata?.requestId,
        attempts: e.$metadata?.attempts,
        // The SDK's error repeats the service's message, which may name the secret ARN.
        cause: ctx.secretArn === undefined && !ctx.secretRequest ? err : undefined,
    };
    const said = ctx.secretRequest ? "" : scrubSecret((e.message ?? "").trim(), ctx.secretArn);
    // Without an HTTP status the text is the AWS SDK's or Node's (a timeout, a reset), not the service's.
    const serviceSaid = said
        ? ` The ${statusCode === undefined ? "AWS SDK" : "service"} said: ${/[.!?]$/.test(said) ? said : `${said}.`}`
        : "";
    const where = ctx.endpoint ? ` (endpoint ${ctx.endpoint})` : "";
    const whereSent = sentTo ? ` (endpoint ${sentTo})` : "";
    const tries = e.$metadata?.attempts && e.$metadata.attempts > 1 ? ` after ${e.$metadata.attempts} attempts` : "";

    if (err instanceof ResourceNotFoundException || code === "ResourceNotFoundException" || statusCode === 404) {
        return new HybridJobNotFoundError(
            `${what} failed: no such job${where}.${serviceSaid} Check the ARN; a job is only visible in its own region and account` +
                ` (wrong region? pass region, or check the ARN's region), with credentials of that account (wrong profile?).`,
            details,
        );
    }
    // A key the service does not know, or a signature it refuses: the credentials, not a missing permission.
    if (CREDENTIALS_REFUSED.has(code)) {
        return new HybridJobAccessDeniedError(
            `${what} was refused: the service did not accept the request's credentials (${code})${where}.${serviceSaid}` +
                " Check the credentials in use (braket:profile or --profile, AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY): a wrong, deleted" +
                " or expired key, a secret that does not belong to the key, or a clock far off.",
            details,
        );
    }
    if (err instanceof AccessDeniedException || code === "AccessDeniedException" || statusCode === 403) {
        return new HybridJobAccessDeniedError(
            `${what} was denied${where}.${serviceSaid} The caller needs the IAM permission braket:${ctx.operation} ${search ? "(on resource *; only lookups by name and getHybridJobs need it)" : "on this job's ARN"};` +
                ` check the profile or role in use (braket:profile or --profile, AWS_PROFILE) and that its credentials are valid and not expired.`,
            details,
        );
    }
    if (err instanceof ThrottlingException || code === "ThrottlingException" || statusCode === 429 || e.$retryable?.throttling) {
        return new HybridJobThrottledError(
            `${what} was throttled${tries}${where}.${serviceSaid} Braket limits ${ctx.operation} requests per account and region;` +
                ` read fewer jobs at once, or raise braket:maxRetries (or AWS_MAX_ATTEMPTS) so the AWS SDK retries longer.`,
            details,
        );
    }
    if (err instanceof ValidationException || code === "ValidationException" || statusCode === 400) {
        return new HybridJobValidationError(
            `${what} was refused as invalid${where}.${serviceSaid} ${search ? "Check the filters (createdAfter, createdBefore, createdAt)." : "Check the ARN and additionalAttributeNames."}`,
            details,
        );
    }
    if (code === "CredentialsProviderError" || /credential/i.test(code) || /Could not load credentials/i.test(e.message ?? "")) {
        return new BraketCredentialsError(
            ctx.profile
                ? `${what} could not be signed: profile ${JSON.stringify(ctx.profile)} gave no usable AWS credentials.${serviceSaid}` +
                      " Check that the profile is in your AWS config or credentials file, or log in with aws sso login."
                : `${what} could not be signed: no usable AWS credentials.${serviceSaid} Set braket:profile (--profile) or AWS_PROFILE,` +
                      ` AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or log in with aws sso login.`,
            details,
        );
    }
    const dns = hostNotFound(e);
    if (dns) {
        const host = dns.hostname ?? (sentTo ? sentTo.replace(/^[a-z]+:\/\//, "").replace(/:\d+$/, "") : "the endpoint's host");
        return new BraketEndpointNotFoundError(
            `${what} failed: the host ${host} does not exist in DNS (ENOTFOUND)${sentTo ? ` (endpoint ${sentTo})` : ""}, so it was not retried.` +
                ` Check the region (${ctx.region}: the job ARN's own, else region or braket:region) and the endpoint` +
                " (endpoint, braket:endpoint, AWS_ENDPOINT_URL_BRAKET, AWS_ENDPOINT_URL); a region's Braket endpoint exists only where Braket does.",
            { ...details, hostname: dns.hostname },
        );
    }
    // Transient: no answer on the network, or a 5xx. Anything else without a status (a bug, a
    // configuration error) is not, so a wait does not retry it until its deadline.
    const network = NETWORK_CODES.has(code) || NETWORK_CODES.has(e.code ?? "") || (statusCode === undefined && e.$retryable !== undefined);
    if (network || (statusCode !== undefined && statusCode >= 500) || e.$fault === "server" || err instanceof InternalServiceException) {
        return new BraketUnavailableError(
            `${what} failed${tries}${whereSent}: ${statusCode ? `the service answered ${statusCode} ${code}` : `no answer (${code})`}.` +
                `${serviceSaid} This is usually transient; try again. If it persists, check the endpoint and network` +
                ` (AWS_ENDPOINT_URL_BRAKET, proxies) and the AWS Health Dashboard.`,
            details,
        );
    }
    return new BraketServiceError(`${what} failed${where}: ${code}.${serviceSaid}`, details);
}
