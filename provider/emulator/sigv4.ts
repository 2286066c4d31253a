/**
 * SigV4 checks for incoming requests (header-based signing only).
 *
 * Always: an Authorization header must be present (else 403
 * MissingAuthenticationTokenException), well formed (403
 * IncompleteSignatureException), scoped to service "braket" with a valid
 * region and the aws4_request terminator, with a scope date matching
 * X-Amz-Date, and X-Amz-Date within 15 minutes of the REAL wall clock (403
 * InvalidSignatureException "Signature expired" / "Signature not yet current").
 *
 * With `credentials` configured: unknown access key ids are refused (403
 * UnrecognizedClientException) and the signature is recomputed with
 * @smithy/signature-v4 over the request as received (403
 * InvalidSignatureException on mismatch). Messages never contain a secret key.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { ApiError } from "./errors";
import { SIGNING_NAME } from "./model";

export interface SignedRequestParts {
    method: string;
    /** Raw (still percent-encoded) path, exactly as received. */
    rawPath: string;
    /** Decoded query parameters (each key may repeat). */
    query: Record<string, string[]>;
    /** Lower-cased header name -> every value received. */
    headers: Record<string, string[]>;
    body: Buffer;
}

export interface AuthResult {
    accessKeyId: string;
    region: string;
    signingDate: Date;
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const SIGNATURE_MISMATCH =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

function incomplete(msg: string): ApiError {
    return new ApiError("IncompleteSignatureException", msg);
}
function invalidSig(msg: string): ApiError {
    return new ApiError("InvalidSignatureException", msg);
}

function header(h: Record<string, string[]>, name: string): string | undefined {
    const v = Object.hasOwn(h, name) ? h[name] : undefined;
    return v === undefined ? undefined : v.join(",");
}

function basicIso(ms: number): string {
    return new Date(ms)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
}

/** SHA-256 / HMAC-SHA-256 from node:crypto in the Checksum shape @smithy/signature-v4 expects. */
class NodeSha256 {
    private h: Hash | Hmac;
    constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
        this.h = this.fresh();
    }
    private fresh(): Hash | Hmac {
        if (this.secret === undefined) return createHash("sha256");
        const key =
            typeof this.secret === "string"
                ? Buffer.from(this.secret, "utf8")
                : ArrayBuffer.isView(this.secret)
                  ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
                  : Buffer.from(this.secret);
        return createHmac("sha256", key);
    }
    update(data: Uint8Array): void {
        this.h.update(data);
    }
    async digest(): Promise<Uint8Array> {
        return new Uint8Array(this.h.digest());
    }
    reset(): void {
        this.h = this.fresh();
    }
}

interface ParsedAuthorization {
    accessKeyId: string;
    shortDate: string;
    region: string;
    service: string;
    terminator: string;
    signedHeaders: string[];
    signature: string;
}

export function parseAuthorization(value: string): ParsedAuthorization {
    const trimmed = value.trim();
    const sp = trimmed.indexOf(" ");
    const algorithm = sp < 0 ? trimmed : trimmed.slice(0, sp);
    if (algorithm !== "AWS4-HMAC-SHA256") {
        throw incomplete("Authorization header must use the AWS4-HMAC-SHA256 algorithm (Signature Version 4).");
    }
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const part of trimmed.slice(sp + 1).split(",")) {
        const p = part.trim();
        if (!p) continue;
        const eq = p.indexOf("=");
        if (eq <= 0) throw incomplete("Invalid key=value pair (missing equal-sign) in Authorization header.");
        params[p.slice(0, eq)] = p.slice(eq + 1);
    }
    const missing = ["Credential", "Signature", "SignedHeaders"].filter((k) => !params[k]);
    if (missing.length > 0) {
        throw incomplete(missing.map((k) => `Authorization header requires '${k}' parameter.`).join(" "));
    }
    const cred = params.Credential.split("/");
    if (cred.length !== 5 || cred.some((c) => c.length === 0)) {
        throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.");
    }
    if (!/^[0-9a-f]{64}$/.test(params.Signature)) {
        throw incomplete("Signature must be 64 lower-case hexadecimal characters.");
    }
    const signedHeaders = params.SignedHeaders.split(";");
    if (signedHeaders.some((h) => h.length === 0 || h !== h.toLowerCase())) {
        throw incomplete("SignedHeaders must be a semicolon-separated list of lower-case header names.");
    }
    const [accessKeyId, shortDate, region, service, terminator] = cred;
    return { accessKeyId, shortDate, region, service, terminator, signedHeaders, signature: params.Signature };
}

export async function authenticate(
    req: SignedRequestParts,
    options: { credentials?: ReadonlyMap<string, string>; realNow: number },
): Promise<AuthResult> {
    const authorization = header(req.headers, "authorization");
    if (authorization === undefined || authorization.trim() === "") {
        throw new ApiError("MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    const auth = parseAuthorization(authorization);

    if (auth.terminator !== "aws4_request") {
        throw invalidSig("Credential should be scoped with a valid terminator: 'aws4_request'.");
    }
    if (auth.service !== SIGNING_NAME) {
        throw invalidSig(`Credential should be scoped to correct service: '${SIGNING_NAME}'.`);
    }
    if (!REGION.test(auth.region)) {
        throw invalidSig("Credential should be scoped to a valid region.");
    }
    if (!auth.signedHeaders.includes("host")) {
        throw invalidSig("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    const amzDate = header(req.headers, "x-amz-date");
    if (amzDate === undefined) {
        throw incomplete("Authorization header requires existence of an 'X-Amz-Date' header.");
    }
    const m = AMZ_DATE.exec(amzDate);
    const signingMs = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
    if (!m || !Number.isFinite(signingMs)) {
        throw invalidSig("X-Amz-Date must be in ISO-8601 basic format, e.g. 20261129T120000Z.");
    }
    if (!auth.signedHeaders.includes("x-amz-date")) {
        throw invalidSig("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
    }
    if (auth.shortDate !== amzDate.slice(0, 8)) {
        throw invalidSig(
            `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.shortDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
        );
    }
    const now = options.realNow;
    if (signingMs < now - MAX_SKEW_MS) {
        throw invalidSig(`Signature expired: ${amzDate} is now earlier than ${basicIso(now - MAX_SKEW_MS)} (${basicIso(now)} - 15 min.)`);
    }
    if (signingMs > now + MAX_SKEW_MS) {
        throw invalidSig(
            `Signature not yet current: ${amzDate} is still later than ${basicIso(now + MAX_SKEW_MS)} (${basicIso(now)} + 15 min.)`,
        );
    }

    if (options.credentials) {
        const secret = options.credentials.get(auth.accessKeyId);
        if (secret === undefined) {
            throw new ApiError("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        await verifySignature(req, auth, secret, new Date(signingMs));
    }
    return { accessKeyId: auth.accessKeyId, region: auth.region, signingDate: new Date(signingMs) };
}

async function verifySignature(
    req: SignedRequestParts,
    auth: ParsedAuthorization,
    secretAccessKey: string,
    signingDate: Date,
): Promise<void> {
    // No prototype: signed header or query names such as `__proto__` are data like any other.
    const headers: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const name of auth.signedHeaders) {
        const v = header(req.headers, name);
        if (v !== undefined) headers[name] = v;
    }
    const declaredHash = headers["x-amz-content-sha256"];
    if (declaredHash !== undefined && declaredHash !== "UNSIGNED-PAYLOAD" && !declaredHash.startsWith("STREAMING-")) {
        const actual = createHash("sha256").update(req.body).digest("hex");
        if (declaredHash !== actual) {
            throw invalidSig("The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
    }
    const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
    for (const [k, vs] of Object.entries(req.query)) query[k] = vs.length === 1 ? vs[0] : vs;
    const sessionToken = auth.signedHeaders.includes("x-amz-security-token") ? headers["x-amz-security-token"] : undefined;
    const signer = new SignatureV4({
        credentials: { accessKeyId: auth.accessKeyId, secretAccessKey, sessionToken },
        region: auth.region,
        service: auth.service,
        sha256: NodeSha256,
        uriEscapePath: true,
        applyChecksum: false,
    });
    const hostHeader = headers.host ?? "";
    const signed = await signer.sign(
        {
            method: req.method,
            protocol: "http:",
            hostname: hostHeader.replace(/:\d+$/, ""),
            path: req.rawPath,
            query,
            headers,
            body: req.body.length > 0 ? req.body : undefined,
        },
        { signingDate, signableHeaders: new Set(auth.signedHeaders), signingRegion: auth.region, signingService: auth.service },
    );
    const produced = signed.headers.authorization ?? signed.headers.Authorization ?? "";
    const sig = /Signature=([0-9a-f]{64})/.exec(produced)?.[1] ?? "";
    const signedList = /SignedHeaders=([^,]+)/.exec(produced)?.[1] ?? "";
    const a = Buffer.from(sig, "utf8");
    const b = Buffer.from(auth.signature, "utf8");
    const same = a.length === b.length && timingSafeEqual(a, b) && signedList === [...auth.signedHeaders].sort().join(";");
    if (!same) throw invalidSig(SIGNATURE_MISMATCH);
}
