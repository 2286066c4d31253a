import { strict as assert } from "node:assert";
import { HybridJobArgumentError } from "../provider/errors";
import { resolveLookup } from "../provider/hybridJob";
import { parseProviderConfig } from "../provider/config";
import { checkAttributeNames, checkEndpoint, checkRegion, MAX_ENDPOINT_LENGTH, parseJobArn, withoutUserInfo } from "../provider/validation";

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

    it("checks the region inside a job ARN with the region argument's rule, before any request", () => {
        for (const region of ["mars-1", "local", "us-east", "useast1", "x-1"]) {
            refused(
                () => parseJobArn(`arn:aws:braket:${region}:123456789012:job/x`),
                "jobArn",
                new RegExp(`has the region "${region}", which is not an AWS region name`),
            );
            refused(() => resolveLookup({ jobArn: `arn:aws:braket:${region}:123456789012:job/x` }), "jobArn", /not an AWS region name/);
        }
        for (const region of ["us-east-1", "us-gov-west-1", "cn-northwest-1", "ap-southeast-5", "eu-isoe-west-1", "mx-central-1"]) {
            assert.equal(parseJobArn(`arn:aws:braket:${region}:123456789012:job/x`).region, region);
        }
        assert.throws(
            () => parseJobArn("arn:aws:braket:mars-1:123456789012:job/top-secret", "jobArn", true),
            (err: Error) => !err.message.includes("top-secret") && !err.message.includes("mars") && /region/.test(err.message),
        );
    });

    it("never echoes an endpoint's user info (a password), whether the rest is a URL or not", () => {
        const password = "hunter2-Pa55";
        for (const endpoint of [
            `ftp://admin:${password}@host/`,
            `http//admin:${password}@host`,
            `admin:${password}@host:4566`,
            `file://admin:${password}@/etc/passwd`,
            `http://admin:${password}@host`,
            `https://admin:${password}@@host`,
        ]) {
            assert.throws(
                () => checkEndpoint(endpoint),
                (err: unknown) => {
                    assert.ok(err instanceof HybridJobArgumentError && err.argument === "endpoint", String(err));
                    assert.ok(!err.message.includes(password), err.message);
                    assert.ok(!err.message.includes("admin"), err.message);
                    return true;
                },
                endpoint,
            );
        }
        assert.equal(withoutUserInfo(`ftp://admin:${password}@host/x`), "ftp://[user info]@host/x");
        assert.equal(withoutUserInfo(`http//admin:${password}@host`), "http//[user info]@host");
        assert.equal(withoutUserInfo("http://127.0.0.1:4566/"), "http://127.0.0.1:4566/");
    });

    it("refuses an over-long endpoint, white space in it, and a host name DNS cannot hold, before any request", () => {
        refused(
            () => checkEndpoint(`http://127.0.0.1:4566/${"a".repeat(MAX_ENDPOINT_LENGTH)}`),
            "endpoint",
            /longer than 2048 characters/,
            /\(\d+ characters\)/,
        );
        refused(() => checkEndpoint(`http://${"a".repeat(64)}.example.com`), "endpoint", /host name longer than DNS allows/);
        refused(() => checkEndpoint(`http://${"abc.".repeat(70)}com`), "endpoint", /host name longer than DNS allows/);
        refused(() => checkEndpoint("http://127.0.0.1:4566\n"), "endpoint", /white space or control characters/);
        refused(() => checkEndpoint("http://127.0.0.1:4566/\tx"), "endpoint", /white space or control characters/);
        assert.equal(checkEndpoint("http://[::1]:4566"), "http://[::1]:4566");
        refused(() => parseProviderConfig({ endpoint: `http://x/${"a".repeat(3000)}` }), "endpoint", /^braket:endpoint: endpoint/);
    });

    it("checks AWS_ENDPOINT_URL_BRAKET (else AWS_ENDPOINT_URL) as an argument when the SDK would use it", () => {
        const password = "hunter2-Pa55";
        const lookup = (env: NodeJS.ProcessEnv, args: Record<string, unknown> = {}, provider = {}) =>
            resolveLookup({ jobArn: ARN, ...args }, { env, provider });
        refused(
            () => lookup({ AWS_ENDPOINT_URL_BRAKET: "not-a-url" }),
            "AWS_ENDPOINT_URL_BRAKET",
            /AWS_ENDPOINT_URL_BRAKET "not-a-url"/,
            /not an http\(s\) URL/,
        );
        refused(() => lookup({ AWS_ENDPOINT_URL_BRAKET: "http://127.0.0.1:4566 " }), "AWS_ENDPOINT_URL_BRAKET", /white space/);
        refused(() => lookup({ AWS_ENDPOINT_URL_BRAKET: `http://x/${"a".repeat(3000)}` }), "AWS_ENDPOINT_URL_BRAKET", /longer than 2048/);
        assert.throws(
            () => lookup({ AWS_ENDPOINT_URL_BRAKET: `ftp://u:${password}@h` }),
            (err: Error) => err instanceof HybridJobArgumentError && !err.message.includes(password),
        );
        refused(() => lookup({ AWS_ENDPOINT_URL: "ftp://x" }), "AWS_ENDPOINT_URL", /not an http\(s\) URL/);
        // What the SDK would not use is not checked: a valid AWS_ENDPOINT_URL_BRAKET beats AWS_ENDPOINT_URL,
        // an endpoint of the call or the provider beats both, and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns them off.
        assert.ok(lookup({ AWS_ENDPOINT_URL_BRAKET: "http://127.0.0.1:4566", AWS_ENDPOINT_URL: "ftp://x" }));
        assert.ok(lookup({ AWS_ENDPOINT_URL_BRAKET: "not a url" }, { endpoint: "http://127.0.0.1:4566" }));
        assert.ok(lookup({ AWS_ENDPOINT_URL_BRAKET: "not a url" }, {}, { endpoint: "http://127.0.0.1:4566" }));
        assert.ok(lookup({ AWS_ENDPOINT_URL_BRAKET: "not a url", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }));
    });

    it("checks AWS_MAX_ATTEMPTS when no braket:maxRetries beats it", () => {
        const lookup = (env: NodeJS.ProcessEnv, provider = {}) => resolveLookup({ jobArn: ARN }, { env, provider });
        for (const bad of ["0", "-3", "three", "5 tries"])
            refused(() => lookup({ AWS_MAX_ATTEMPTS: bad }), "AWS_MAX_ATTEMPTS", /AWS_MAX_ATTEMPTS/);
        assert.ok(lookup({ AWS_MAX_ATTEMPTS: "10" }));
        assert.ok(lookup({ AWS_MAX_ATTEMPTS: "three" }, { maxRetries: 3 }));
    });
});
