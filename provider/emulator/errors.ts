/**
 * Service errors and how they are rendered on the wire (restJson1):
 * status code from the model's error trait, `x-amzn-ErrorType: <Code>` header
 * and a JSON body `{"message": "..."}`. The AWS SDK for JavaScript v3
 * (loadRestJsonErrorCode) and botocore both read the code from the
 * x-amzn-ErrorType header first, which maps it onto the modeled exception
 * classes (ResourceNotFoundException, ...). The body also carries `__type`
 * for clients that only look at the body.
 */
import { errorStatus } from "./model";

/**
 * Errors that are not Braket model shapes but that AWS's front end returns
 * for every REST service (authentication, routing, serialization).
 */
const FRONT_END_ERRORS: Record<string, number> = {
    MissingAuthenticationTokenException: 403,
    IncompleteSignatureException: 403,
    InvalidSignatureException: 403,
    UnrecognizedClientException: 403,
    SerializationException: 400,
    UnknownOperationException: 404,
    RequestEntityTooLargeException: 413,
};

export class ApiError extends Error {
    readonly code: string;
    readonly status: number;
    constructor(code: string, message: string, status?: number) {
        super(message);
        this.name = code;
        this.code = code;
        const resolved = status ?? errorStatus(code) ?? (Object.hasOwn(FRONT_END_ERRORS, code) ? FRONT_END_ERRORS[code] : undefined);
        if (resolved === undefined) throw new Error(`emulator bug: no HTTP status known for error code ${code}`);
        this.status = resolved;
    }
}

export interface RenderedResponse {
    status: number;
    headers: Record<string, string>;
    body: string;
}

export function renderError(err: ApiError): RenderedResponse {
    return {
        status: err.status,
        headers: { "x-amzn-ErrorType": err.code },
        body: JSON.stringify({ __type: err.code, message: err.message }),
    };
}

export function renderJson(status: number, body: unknown): RenderedResponse {
    return { status, headers: {}, body: JSON.stringify(body) };
}

/** 500 InternalServiceException for unexpected emulator failures (never leaks internals). */
export function internalError(): ApiError {
    return new ApiError("InternalServiceException", "An internal error occurred. Please try again.");
}
