import { strict as assert } from "node:assert";
import { HybridJobArgumentError } from "../provider/errors";
import { resolveLookup } from "../provider/hybridJob";
import { checkAttributeNames, checkEndpoint, checkRegion, parseJobArn } from "../provider/validation";

const ARN = "arn:aws:braket:us-west-2:123456789012:job/8f2e8a4c-6b1e-4c3a-9d6f-0a1b2c3d4e5f";

function refused(fn: () => unknown, argument: string, ...fragments: RegExp[]): void {
    assert.throws(fn, (err: unknown) => {
        assert.ok(err instanceof HybridJobArgumentError, `expected HybridJobArgumentError, got ${String(err)}`);
        assert.equal(err.argument, argument);
        for (const f of fragments) {
            assert.match(err.message, f);
        }
        return true;
    });
}

describe("argument validation (no request is made)", () => {
    it("parses partition, region, account and the resource id of a job ARN", () => {
        assert.deepEqual(parseJobArn(ARN), {
            partition: "aws",
            region: "us-west-2",
            accountId: "123456789012",
            jobId: "8f2e8a4c-6b1e-4c3a-9d6f-0a1b2c3d4e5f",
        });
        assert.equal(parseJobArn("arn:aws-cn:braket:cn-north-1:123456789012:job/abc").partition, "aws-cn");
    });

    it("refuses values outside the model's JobArn pattern, naming the argument and the fix", () => {
        refused(
            () => parseJobArn("arn:aws:braket:us-east-1:123456789012:quantum-task/abc"),
            "jobArn",
            /JobArn pattern/,
            /quantum-task or device ARN is not a job/,
        );
        refused(() => parseJobArn("arn:aws:s3:::bucket/key"), "jobArn", /not an Amazon Braket hybrid job ARN/);
        refused(() => parseJobArn("arn:azure:braket:us-east-1:123456789012:job/x"), "jobArn", /JobArn pattern/);
        refused(() => parseJobArn("arn:aws:braket:us-east-1:12345:job/x"), "jobArn", /JobArn pattern/);
        refused(() => parseJobArn("xarn:aws:braket:us-east-1:123456789012:job/x"), "jobArn", /JobArn pattern/);
        refused(() => parseJobArn("arn:aws:braket:us-east-1:123456789012:job/"), "jobArn", /JobArn pattern/);
    });

    it("refuses empty, non-string, padded and oversized values", () => {
        refused(() => parseJobArn(""), "jobArn", /is empty/);
        refused(() => parseJobArn(undefined), "jobArn", /not a string/);
        refused(() => parseJobArn(42), "jobArn", /not a string/);
        refused(() => parseJobArn(`${ARN}\n`), "jobArn", /white space/, /Trim it/);
        refused(() => parseJobArn(`arn:aws:braket:us-east-1:123456789012:job/a b`), "jobArn", /white space/);
        refused(
            () => parseJobArn(`arn:aws:braket:us-east-1:123456789012:job/${"x".repeat(10_000)}`),
            "jobArn",
            /longer than 2048/,
            /10042 characters/,
        );
    });

    it("keeps a secret ARN out of the message", () => {
        const secretish = "arn:aws:braket:us-east-1:123456789012:quantum-task/top-secret-id";
        assert.throws(
            () => parseJobArn(secretish, "jobArn", true),
            (err: Error) => !err.message.includes("top-secret-id") && /\[secret\]/.test(err.message),
        );
    });

    it("accepts only the API's attribute names, sorted and de-duplicated", () => {
        assert.deepEqual(checkAttributeNames(undefined), []);
        assert.deepEqual(checkAttributeNames(["QueueInfo", "QueueInfo"]), ["QueueInfo"]);
        refused(() => checkAttributeNames(["queueinfo"]), "additionalAttributeNames", /"queueinfo"/, /Supported: "QueueInfo"/);
        refused(() => checkAttributeNames("QueueInfo"), "additionalAttributeNames", /must be a list/);
    });

    it("checks region and endpoint shapes", () => {
        assert.equal(checkRegion("eu-north-1"), "eu-north-1");
        assert.equal(checkRegion("us-gov-west-1"), "us-gov-west-1");
        refused(() => checkRegion("US-EAST-1"), "region", /not an AWS region name/);
        assert.equal(checkEndpoint("http://127.0.0.1:4566"), "http://127.0.0.1:4566");
        refused(() => checkEndpoint("ftp://x"), "endpoint", /not an http\(s\) URL/);
        refused(() => checkEndpoint("http://AKIAEXAMPLE:secret@host"), "endpoint", /must not carry user credentials/);
    });

    it("sends GetJob to the ARN's region unless a region is given", () => {
        assert.equal(resolveLookup({ jobArn: ARN }).target.region, "us-west-2");
        assert.equal(resolveLookup({ jobArn: ARN, region: "eu-west-2" }).target.region, "eu-west-2");
        const prev = process.env.AWS_REGION;
        process.env.AWS_REGION = "ap-southeast-1";
        try {
            assert.equal(resolveLookup({ jobArn: ARN }).target.region, "us-west-2");
        } finally {
            if (prev === undefined) delete process.env.AWS_REGION;
            else process.env.AWS_REGION = prev;
        }
    });
});
