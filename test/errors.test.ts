import { strict as assert } from "node:assert";
import { ResourceNotFoundException, ThrottlingException } from "@aws-sdk/client-braket";
import {
    BraketServiceError,
    BraketUnavailableError,
    fromSdkError,
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
});
