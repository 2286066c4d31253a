import { strict as assert } from "node:assert";
import { ResourceNotFoundException, ThrottlingException } from "@aws-sdk/client-braket";
import {
    BraketEndpointNotFoundError,
    BraketJobError,
    BraketServiceError,
    BraketUnavailableError,
    fromSdkError,
    HybridJobFailedError,
    HybridJobNotFoundError,
    HybridJobThrottledError,
    redactCredentials,
} from "../provider/errors";
import { toHybridJobResult } from "../provider/mapping";

const ARN = "arn:aws:braket:us-east-1:123456789012:job/5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f";
const ctx = { operation: "GetJob", shownArn: ARN, region: "us-east-1" };

describe("turning AWS SDK errors into pulumi-braket's", () => {
    it("uses the SDK's modeled exception classes", () => {
        const throttled = new ThrottlingException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429, attempts: 3 } });
        assert.ok(fromSdkError(throttled, ctx) instanceof HybridJobThrottledError);
        const missing = new ResourceNotFoundException({ message: "not found", $metadata: { httpStatusCode: 404 } });
        assert.ok(fromSdkError(missing, ctx) instanceof HybridJobNotFoundError);
    });

    it("counts only network failures and 5xx as transient, not bugs or configuration errors", () => {
        const timeout = Object.assign(new Error("socket timed out"), { name: "TimeoutError" });
        const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET", $metadata: { attempts: 3 } });
        const server = Object.assign(new Error("oops"), {
            name: "InternalServiceException",
            $fault: "server",
            $metadata: { httpStatusCode: 500 },
        });
        for (const transient of [timeout, reset, server]) {
            assert.ok(fromSdkError(transient, ctx) instanceof BraketUnavailableError, transient.message);
        }
        for (const notTransient of [new TypeError("Cannot read properties of undefined"), new Error("Region is missing")]) {
            const mapped = fromSdkError(notTransient, ctx);
            assert.ok(mapped instanceof BraketServiceError && !(mapped instanceof BraketUnavailableError), notTransient.message);
        }
    });

    it("keeps a secret ARN out of the message, even where the service repeats it, and drops the cause", () => {
        const said = new ResourceNotFoundException({ message: `Braket hybrid job ${ARN} not found.`, $metadata: { httpStatusCode: 404 } });
        const mapped = fromSdkError(said, { ...ctx, shownArn: "[secret]", secretArn: ARN });
        assert.ok(!mapped.message.includes(ARN) && !mapped.message.includes("5f0c1d2e-3a4b"), mapped.message);
        assert.match(mapped.message, /\[secret\]/);
        assert.equal(mapped.cause, undefined);
    });

    it("redacts anything shaped like an access key id, a signature or a session token", () => {
        const text = redactCredentials(
            "key AKIAIOSFODNN7EXAMPLE Signature=abcdef0123 X-Amz-Security-Token=FQoGZXIvYXdzE aws_secret_access_key = wJalrXUt",
        );
        assert.ok(!/AKIAIOSFODNN7EXAMPLE|abcdef0123|FQoGZXIvYXdzE|wJalrXUt/.test(text), text);
    });

    it("names a secret job as [secret] when its response is malformed", () => {
        const body = {
            status: "COMPLETED",
            jobArn: ARN,
            roleArn: "arn:aws:iam::123456789012:role/Braket",
            jobName: "j",
            outputDataConfig: { s3Path: "https://accesspoint.example.com/x" },
            algorithmSpecification: {},
            instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: 1 },
            createdAt: "2026-11-29T00:00:00Z",
        };
        assert.throws(
            () => toHybridJobResult(body, { requestedArn: "[secret]" }),
            (err: Error) => /GetJob for \[secret\]/.test(err.message) && !err.message.includes(ARN),
        );
        assert.throws(
            () => toHybridJobResult({ ...body, jobArn: "arn:aws:braket:us-east-1:123456789012:task/x" }),
            /returned a malformed jobArn/,
        );
    });

    it("classifies a host that does not exist (ENOTFOUND) as permanent, a failed DNS lookup (EAI_AGAIN) as transient", () => {
        const enotfound = Object.assign(new Error("getaddrinfo ENOTFOUND braket.us-east-99.amazonaws.com"), {
            code: "ENOTFOUND",
            hostname: "braket.us-east-99.amazonaws.com",
            $metadata: { attempts: 1 },
        });
        const mapped = fromSdkError(enotfound, {
            ...ctx,
            region: "us-east-99",
            resolvedEndpoint: "https://braket.us-east-99.amazonaws.com",
        });
        assert.ok(mapped instanceof BraketEndpointNotFoundError && !(mapped instanceof BraketUnavailableError), String(mapped));
        assert.equal(mapped.hostname, "braket.us-east-99.amazonaws.com");
        assert.match(mapped.message, /the host braket\.us-east-99\.amazonaws\.com does not exist in DNS \(ENOTFOUND\)/);
        assert.match(mapped.message, /not retried/);
        assert.match(mapped.message, /Check the region \(us-east-99/);
        const eaiAgain = Object.assign(new Error("getaddrinfo EAI_AGAIN braket.us-east-1.amazonaws.com"), { code: "EAI_AGAIN" });
        assert.ok(fromSdkError(eaiAgain, ctx) instanceof BraketUnavailableError);
    });

    it("says, when a lookup's bound passed, how long it was, what was tried, where, and what to check", () => {
        const timeout = Object.assign(new Error("no answer"), {
            name: "LookupTimeout",
            timeoutMs: 300_000,
            requestTimeoutMs: 30_000,
            report: {
                attempts: 10,
                endpoint: "https://braket.us-east-1.amazonaws.com",
                lastError: Object.assign(new Error("a request has exceeded the configured 30000 ms requestTimeout"), {
                    name: "TimeoutError",
                }),
            },
        });
        const mapped = fromSdkError(timeout, ctx);
        assert.ok(mapped instanceof BraketUnavailableError);
        assert.equal(mapped.code, "LookupTimeout");
        assert.equal(mapped.attempts, 10);
        assert.match(
            mapped.message,
            new RegExp(`GetJob for hybrid job ${ARN} in region us-east-1 got no answer within 300 s, the bound of one lookup`),
        );
        assert.match(mapped.message, /endpoint https:\/\/braket\.us-east-1\.amazonaws\.com/);
        assert.match(mapped.message, /10 attempts \(each given 30 s to answer\), the last to fail by itself ended by TimeoutError/);
        const queued = fromSdkError({ ...timeout, report: { attempts: 0 } }, ctx);
        assert.match(queued.message, /no request could be sent: it waited for the provider's pacing/);
    });

    it("makes every message safe for a terminal and a CI log: no escape sequence, no workflow command", () => {
        const hostile = "boom\u001b[2J\u001b]0;pwned\u0007\r\n::add-mask::x\n  ::error file=a::b\n##[set-output name=x]y\u202e";
        const said = new ResourceNotFoundException({ message: hostile, $metadata: { httpStatusCode: 404 } });
        const failed = new HybridJobFailedError(`Hybrid job j (${ARN}) ended FAILED: ${hostile}.`, {
            jobArn: ARN,
            region: "us-east-1",
            status: "FAILED",
            failureReason: hostile,
        });
        for (const err of [fromSdkError(said, ctx), failed, new BraketJobError(hostile)]) {
            // eslint-disable-next-line no-control-regex -- what must not be there
            assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/.test(err.message), JSON.stringify(err.message));
            for (const line of err.message.split("\n")) {
                assert.ok(!/^\s*::/.test(line), `a workflow command: ${JSON.stringify(line)}`);
                assert.ok(!line.includes("##["), `a legacy workflow command: ${JSON.stringify(line)}`);
            }
            assert.match(err.message, /boom/);
        }
        assert.equal(failed.failureReason, hostile, "the error's data keeps the service's text as it came");
    });
});
