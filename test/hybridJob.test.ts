/**
 * Reading a job (provider/hybridJob.ts) through the real AWS SDK against a stub endpoint that
 * answers what a faithful one never would: the answer is checked against the model and against the
 * request, kept whole, and the settings the SDK takes from the environment are checked as arguments.
 */
import { strict as assert } from "node:assert";
import { destroyConnections } from "../provider/clients";
import { BraketJobError, HybridJobArgumentError, HybridJobFailedError } from "../provider/errors";
import { resolveLookup } from "../provider/hybridJob";
import { waitForHybridJob } from "../provider/wait";
import { AwsTestEnvironment } from "./support/emulator";
import { lookUp } from "./support/lookup";
import { getJobBody, NO_BOUNDS, startStubEndpoint, type StubEndpoint } from "./support/stubEndpoint";

const ARN = "arn:aws:braket:us-east-1:123456789012:job/7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const OTHER = "arn:aws:braket:us-east-1:123456789012:job/00000000-dead-4bee-8f00-000000000000";

describe("reading a job: the answer checked against the model and the request (real AWS SDK, stub endpoint)", function () {
    this.timeout(20_000);
    const env = new AwsTestEnvironment();
    let stub: StubEndpoint | undefined;
    const serve = async (body: (jobArn: string) => unknown) => {
        stub = await startStubEndpoint({ body });
        env.apply({ ...NO_BOUNDS, AWS_ENDPOINT_URL_BRAKET: stub.endpoint });
        return stub;
    };
    afterEach(async () => {
        destroyConnections();
        await stub?.close();
        stub = undefined;
    });
    after(() => env.restore());

    it("refuses another job's answer; a wait (the gate) never passes on it", async () => {
        await serve(() => getJobBody(OTHER));
        await assert.rejects(lookUp({ jobArn: ARN }), (err: unknown) => {
            assert.ok(err instanceof BraketJobError, String(err));
            assert.match(err.message, new RegExp(`GetJob for ${ARN} returned another job \\(${OTHER}\\): refused`));
            return true;
        });
        await assert.rejects(
            waitForHybridJob(resolveLookup({ jobArn: ARN }), { timeoutSeconds: 5, initialIntervalSeconds: 0.1 }),
            (err: unknown) => err instanceof BraketJobError && /returned another job/.test(err.message),
        );
        // A secret ARN: neither ARN in the message.
        await assert.rejects(lookUp({ jobArn: ARN }, {}, { secret: ["jobArn"] }), (err: unknown) => {
            assert.ok(err instanceof BraketJobError);
            assert.ok(!err.message.includes(ARN) && !err.message.includes(OTHER), err.message);
            return true;
        });
    });

    it("refuses a status that is not a string, or not one the model knows", async () => {
        for (const status of [5, null, "DONE"]) {
            await serve((arn) => getJobBody(arn, { status }));
            await assert.rejects(
                lookUp({ jobArn: ARN }),
                (err: unknown) => err instanceof BraketJobError && /status/.test(err.message) && err.message.includes(ARN),
                String(status),
            );
            destroyConnections();
            await stub?.close();
        }
    });

    it("refuses a member of another type than the model's, naming it", async () => {
        await serve((arn) => getJobBody(arn, { instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: "30" } }));
        await assert.rejects(lookUp({ jobArn: ARN }), /instanceConfig\.volumeSizeInGb is a string \("30"\), not an integer/);
    });

    it("keeps hyperparameters and tags named __proto__ or constructor as data in the result", async () => {
        await serve(
            (arn) =>
                `${JSON.stringify(getJobBody(arn)).slice(0, -1)},"hyperParameters":{"__proto__":"evil","constructor":"c","p":"2"},"tags":{"__proto__":"team"}}`,
        );
        const job = await lookUp({ jobArn: ARN });
        const hp = job.hyperParameters as Record<string, unknown>;
        assert.deepEqual(Object.keys(hp), ["__proto__", "constructor", "p"]);
        assert.equal(Object.getOwnPropertyDescriptor(hp, "__proto__")?.value, "evil");
        assert.equal(Object.getPrototypeOf(hp), Object.prototype);
        assert.equal(JSON.stringify(job.tags), '{"__proto__":"team"}');
    });

    it("returns the service's text as it came, and makes it safe in messages", async () => {
        const failureReason = "AlgorithmError: \u001b[31mboom\u001b[0m\n::add-mask::x";
        await serve((arn) => getJobBody(arn, { status: "FAILED", failureReason }));
        assert.equal((await lookUp({ jobArn: ARN })).failureReason, failureReason);
        await assert.rejects(waitForHybridJob(resolveLookup({ jobArn: ARN }), { timeoutSeconds: 5 }), (err: unknown) => {
            assert.ok(err instanceof HybridJobFailedError);
            assert.equal(err.failureReason, failureReason);
            assert.ok(!err.message.includes("\u001b"), JSON.stringify(err.message));
            assert.ok(
                err.message.split("\n").every((line) => !/^\s*::/.test(line)),
                JSON.stringify(err.message),
            );
            return true;
        });
    });

    it("refuses an invalid or over-long AWS_ENDPOINT_URL_BRAKET, or an over-long endpoint, before any request", async () => {
        const s = await serve((arn) => getJobBody(arn));
        const long = `${s.endpoint}/${"a".repeat(3000)}`;
        const cases: [string, Record<string, unknown>, string][] = [
            ["not-a-url", {}, "AWS_ENDPOINT_URL_BRAKET"],
            [long, {}, "AWS_ENDPOINT_URL_BRAKET"],
            [`${s.endpoint}\n`, {}, "AWS_ENDPOINT_URL_BRAKET"],
            [s.endpoint, { endpoint: long }, "endpoint"],
        ];
        for (const [environmentEndpoint, args, argument] of cases) {
            env.apply({ ...NO_BOUNDS, AWS_ENDPOINT_URL_BRAKET: environmentEndpoint });
            await assert.rejects(
                lookUp({ jobArn: ARN, ...args }),
                (err: unknown) => err instanceof HybridJobArgumentError && err.argument === argument,
                JSON.stringify(environmentEndpoint).slice(0, 80),
            );
        }
        await assert.rejects(
            lookUp({ jobArn: ARN }, { endpoint: long }),
            (err: unknown) => err instanceof HybridJobArgumentError && err.argument === "endpoint",
        );
        assert.equal(s.connections, 0, "no request was made");
    });
});
