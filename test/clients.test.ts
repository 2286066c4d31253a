/**
 * The AWS client as provider/clients.ts builds it: its time bounds (a black-hole endpoint, a
 * TCP server that accepts and never answers), the AWS SDK's retry strategies with a retry quota
 * per request, DNS failures that are not retried, and pacing of every attempt.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetJobCommand } from "@aws-sdk/client-braket";
import { AdaptiveRetryStrategy, StandardRetryStrategy } from "@smithy/core/retry";
import type { RetryErrorInfo, RetryStrategyV2 } from "@smithy/types";
import {
    BraketRetryStrategy,
    braketConnection,
    DEFAULT_TIMEOUTS,
    destroyConnections,
    sdkRetryStrategy,
    timeoutsFromEnv,
} from "../provider/clients";
import { DEFAULT_MAX_RETRIES } from "../provider/config";
import { BraketEndpointNotFoundError, BraketUnavailableError, HybridJobArgumentError } from "../provider/errors";
import { startBraketEmulator, type BraketEmulator } from "../provider/emulator";
import { fetchHybridJob, resolveLookup } from "../provider/hybridJob";
import { AwsTestEnvironment, fixtureJob } from "./support/emulator";
import { lookUp } from "./support/lookup";
import { NO_BOUNDS, startStubEndpoint, type StubEndpoint } from "./support/stubEndpoint";

const ARN = "arn:aws:braket:us-east-1:123456789012:job/3b7c9d1e-2f4a-4b6c-8d0e-1f2a3b4c5d6e";
const REGION = "us-east-1";
const RUNNING = fixtureJob("grover-search-running");

/** The time a promise takes to settle, and how. */
async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
    const t0 = Date.now();
    try {
        const value = await p;
        return { ms: Date.now() - t0, value };
    } catch (error) {
        return { ms: Date.now() - t0, error };
    }
}

const TRANSIENT: RetryErrorInfo = {
    errorType: "TRANSIENT",
    error: Object.assign(new Error("oops"), { $metadata: { httpStatusCode: 500 } }) as RetryErrorInfo["error"],
};

describe("the AWS client: time bounds, retries, pacing (provider/clients.ts)", function () {
    this.timeout(30_000);
    const env = new AwsTestEnvironment();
    let stub: StubEndpoint | undefined;
    /** The suite's environment: each test's own bounds, none left over from the test before. */
    const applyEnv = (extra: Record<string, string> = {}) => env.apply({ ...NO_BOUNDS, ...extra });

    afterEach(async () => {
        destroyConnections();
        await stub?.close();
        stub = undefined;
    });
    after(() => env.restore());

    describe("configuration, read without waiting", () => {
        it("bounds a lookup by at most 5 minutes by default, an attempt by less, and has the SDK's handler throw at the request timeout", async () => {
            applyEnv();
            const defaults = timeoutsFromEnv({});
            assert.deepEqual(defaults, DEFAULT_TIMEOUTS);
            assert.ok(defaults.lookupTimeoutMs <= 5 * 60_000, `${defaults.lookupTimeoutMs} ms`);
            assert.ok(defaults.requestTimeoutMs < defaults.lookupTimeoutMs);
            assert.ok(defaults.connectionTimeoutMs <= defaults.requestTimeoutMs);
            stub = await startStubEndpoint();
            const connection = braketConnection({ region: REGION, endpoint: stub.endpoint });
            assert.deepEqual(connection.timeouts, DEFAULT_TIMEOUTS);
            // The handler resolves its options on first use: what the SDK was really given.
            await connection.client.send(new GetJobCommand({ jobArn: ARN }));
            const handler = connection.client.config.requestHandler as unknown as { httpHandlerConfigs(): Record<string, unknown> };
            const given = handler.httpHandlerConfigs();
            assert.equal(given.throwOnRequestTimeout, true, "without it @smithy/node-http-handler only logs a warning");
            assert.equal(given.requestTimeout, DEFAULT_TIMEOUTS.requestTimeoutMs);
            assert.equal(given.connectionTimeout, DEFAULT_TIMEOUTS.connectionTimeoutMs);
            assert.equal(given.socketTimeout, DEFAULT_TIMEOUTS.requestTimeoutMs);
        });

        it("takes the bounds from PULUMI_BRAKET_*_TIMEOUT_SECONDS, refusing what is not a positive number of seconds", () => {
            assert.deepEqual(
                timeoutsFromEnv({
                    PULUMI_BRAKET_CONNECT_TIMEOUT_SECONDS: "0.5",
                    PULUMI_BRAKET_REQUEST_TIMEOUT_SECONDS: "2",
                    PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS: "60",
                }),
                { connectionTimeoutMs: 500, requestTimeoutMs: 2000, lookupTimeoutMs: 60_000 },
            );
            for (const bad of ["0", "-1", "soon", "1e3", "9999999999"]) {
                assert.throws(
                    () => timeoutsFromEnv({ PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS: bad }),
                    (err: unknown) => err instanceof HybridJobArgumentError && err.argument === "PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS",
                    bad,
                );
            }
        });

        it("retries 25 times by default (Terraform's AWS provider's default); AWS_MAX_ATTEMPTS, shared config, braket:maxRetries otherwise", async () => {
            applyEnv();
            assert.equal(DEFAULT_MAX_RETRIES, 25);
            assert.equal(await braketConnection({ region: REGION }).client.config.maxAttempts(), 26);
            assert.equal(await braketConnection({ region: REGION, maxRetries: 3 }).client.config.maxAttempts(), 4);
            applyEnv({ AWS_MAX_ATTEMPTS: "4" });
            assert.equal(await braketConnection({ region: REGION }).client.config.maxAttempts(), 4);
            assert.equal(
                await braketConnection({ region: REGION, maxRetries: 0 }).client.config.maxAttempts(),
                1,
                "the setting beats the environment",
            );
            // A file of its own: the SDK caches shared config files per path for the life of the process.
            const config = path.join(env.dir, "config-max-attempts");
            fs.writeFileSync(config, "[default]\nmax_attempts = 7\n");
            applyEnv({ AWS_CONFIG_FILE: config });
            assert.equal(await braketConnection({ region: REGION }).client.config.maxAttempts(), 7);
        });

        it("builds the SDK's standard strategy, or its adaptive one (one rate limiter per client)", () => {
            assert.ok(sdkRetryStrategy("standard", 5) instanceof StandardRetryStrategy);
            assert.ok(sdkRetryStrategy("adaptive", 5) instanceof AdaptiveRetryStrategy);
            assert.ok(sdkRetryStrategy("legacy", 5) instanceof StandardRetryStrategy, "an unknown mode is standard, as for the SDK");
        });
    });

    describe("the retry quota counts per request, not per client", () => {
        it("a shared quota (the SDK's default) refuses retries within 20 requests of a brownout; ours never does", async () => {
            // Each request: 3 retries of a 5xx (14 tokens each), then a success (refunds 14): 28 tokens a request.
            const brownout = async (strategy: RetryStrategyV2, requests: number) => {
                for (let r = 0; r < requests; r++) {
                    let token = await strategy.acquireInitialRetryToken("");
                    for (let i = 0; i < 3; i++) token = await strategy.refreshRetryTokenForRetry(token, TRANSIENT);
                    strategy.recordSuccess(token);
                }
            };
            await assert.rejects(brownout(new StandardRetryStrategy(26), 20), /No retry token available/);
            await brownout(
                new BraketRetryStrategy(
                    async () => 26,
                    async () => "standard",
                ),
                25,
            );
        });

        it("through the client: 40 lookups in a row, two 5xx before each answer, all answered", async () => {
            const emu = await startBraketEmulator({
                jobs: [RUNNING],
                faultFor: ({ requestNumber }) => (requestNumber % 3 !== 0 ? "serverError" : undefined),
            });
            try {
                applyEnv({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint });
                for (let i = 0; i < 40; i++) {
                    // A RUNNING job: read afresh every time (only terminal jobs are reused).
                    assert.equal((await lookUp({ jobArn: RUNNING.jobArn })).status, "RUNNING", `lookup ${i}`);
                }
                assert.equal(emu.stats.byStatus["500"], 80);
                assert.equal(emu.stats.byStatus["200"], 40);
            } finally {
                destroyConnections();
                await emu.close();
            }
        });
    });

    describe("the backoff between attempts: the SDK's, slept so that an abort ends it", () => {
        const realRandom = Math.random;
        let emu: BraketEmulator | undefined;
        afterEach(async () => {
            Math.random = realRandom;
            destroyConnections();
            await emu?.close();
            emu = undefined;
        });
        const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

        it("waits the SDK's delays (1 s × 2^n for throttling, jittered) between attempts", async () => {
            emu = await startBraketEmulator({
                jobs: [RUNNING],
                faultFor: ({ requestNumber }) => (requestNumber <= 2 ? "throttle" : undefined),
            });
            applyEnv({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint });
            Math.random = () => 0.5; // the SDK's jitter: half of 1 s, then half of 2 s
            assert.equal((await lookUp({ jobArn: RUNNING.jobArn })).status, "RUNNING");
            const times = emu.stats.log.filter((e) => e.operation === "GetJob").map((e) => Date.parse(e.time));
            assert.equal(times.length, 3);
            assert.ok(times[1] - times[0] >= 480, `retry 1 came ${times[1] - times[0]} ms after the first attempt`);
            assert.ok(times[2] - times[1] >= 980, `retry 2 came ${times[2] - times[1]} ms after retry 1`);
        });

        it("ends the backoff when the send's signal aborts, and leaves no timer (a wait's deadline, a Cancel)", async () => {
            emu = await startBraketEmulator({ jobs: [RUNNING], faultFor: () => "throttle" });
            applyEnv({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint });
            Math.random = () => 0.999; // a backoff of 999 ms after the first throttling
            const before = timers();
            const controller = new AbortController();
            const reason = new Error("the caller gave up");
            setTimeout(() => controller.abort(reason), 300);
            const r = await timed(fetchHybridJob(resolveLookup({ jobArn: RUNNING.jobArn }), controller.signal));
            assert.equal(r.error, reason);
            assert.ok(r.ms < 1000, `${r.ms} ms: before the backoff of 999 ms would have ended`);
            assert.equal(emu.stats.requests, 1, "aborted in the backoff after the first attempt");
            await new Promise((resolve) => setImmediate(resolve));
            assert.equal(timers(), before, `timers left: ${process.getActiveResourcesInfo().join(", ")}`);
        });

        it("honours a Retry-After hint as the SDK does: at least the hint, at most 5 s over its own delay", async () => {
            const strategy = new BraketRetryStrategy(
                async () => 3,
                async () => "standard",
            );
            Math.random = () => 0; // the SDK's own delay: 0
            const token = await strategy.acquireInitialRetryToken("");
            const r = await timed(strategy.refreshRetryTokenForRetry(token, { ...TRANSIENT, retryAfterHint: new Date(Date.now() + 300) }));
            assert.equal((r.value as { getRetryCount(): number }).getRetryCount(), 1);
            assert.ok(r.ms >= 280 && r.ms < 1000, `${r.ms} ms`);
        });
    });

    describe("a black-hole endpoint (accepts, never answers)", () => {
        it("times out an attempt that gets no answer and retries it on a new connection", async () => {
            stub = await startStubEndpoint({ mode: "blackhole" });
            applyEnv({ PULUMI_BRAKET_REQUEST_TIMEOUT_SECONDS: "0.2", PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS: "20" });
            const r = await timed(lookUp({ jobArn: ARN, endpoint: stub.endpoint }, { maxRetries: 2 }));
            assert.ok(r.error instanceof BraketUnavailableError, String(r.error));
            assert.equal(r.error.code, "TimeoutError");
            assert.equal(r.error.attempts, 3);
            assert.equal(stub.connections, 3, "each retry on a new connection");
            assert.ok(r.ms < 5000, `${r.ms} ms: the request timeout works (the SDK only warns unless throwOnRequestTimeout)`);
            assert.match(r.error.message, new RegExp(`in region ${REGION}`));
            assert.ok(r.error.message.includes(stub.endpoint), r.error.message);
        });

        it("times out an answer that trickles in and never ends (only the request timeout sees it: the socket is never idle)", async () => {
            stub = await startStubEndpoint({ mode: "trickle" });
            applyEnv({ PULUMI_BRAKET_REQUEST_TIMEOUT_SECONDS: "0.5", PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS: "20" });
            const r = await timed(lookUp({ jobArn: ARN, endpoint: stub.endpoint }, { maxRetries: 1 }));
            assert.ok(r.error instanceof BraketUnavailableError, String(r.error));
            assert.equal(r.error.code, "TimeoutError");
            assert.equal(r.error.attempts, 2);
            assert.ok(r.ms < 5000, `${r.ms} ms`);
        });

        it("ends a whole lookup at its bound with a clear error, whatever maxRetries says", async () => {
            stub = await startStubEndpoint({ mode: "blackhole" });
            applyEnv({ PULUMI_BRAKET_REQUEST_TIMEOUT_SECONDS: "0.2", PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS: "1.5" });
            const r = await timed(lookUp({ jobArn: ARN, endpoint: stub.endpoint }, { maxRetries: 100 }));
            assert.ok(r.error instanceof BraketUnavailableError, String(r.error));
            assert.equal(r.error.code, "LookupTimeout");
            assert.ok(r.ms >= 1400 && r.ms < 3000, `${r.ms} ms`);
            const m = r.error.message;
            assert.match(m, /got no answer within 1\.5 s, the bound of one lookup/);
            assert.ok(m.includes(ARN) && m.includes(`region ${REGION}`) && m.includes(stub.endpoint), m);
            assert.match(m, /each given 0\.2 s to answer/);
            assert.match(m, /ended by TimeoutError/);
            assert.match(m, /Check that the endpoint answers/);
            assert.ok(stub.connections >= 3, `${stub.connections} attempts`);
        });

        it("ends at its bound an attempt that the request timeout would let run", async () => {
            stub = await startStubEndpoint({ mode: "blackhole" });
            applyEnv({ PULUMI_BRAKET_REQUEST_TIMEOUT_SECONDS: "60", PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS: "0.5" });
            const r = await timed(lookUp({ jobArn: ARN, endpoint: stub.endpoint }));
            assert.ok(r.error instanceof BraketUnavailableError && r.error.code === "LookupTimeout", String(r.error));
            assert.ok(r.ms >= 450 && r.ms < 2000, `${r.ms} ms`);
            assert.equal(r.error.attempts, 1);
        });
    });

    describe("DNS", () => {
        it("does not retry a host that does not exist (ENOTFOUND) and says what to check", async () => {
            applyEnv();
            const r = await timed(lookUp({ jobArn: ARN, endpoint: "http://no-such-braket-endpoint.invalid:4566" }));
            assert.ok(r.error instanceof BraketEndpointNotFoundError, String(r.error));
            assert.equal(r.error.attempts, 1, "not retried");
            assert.equal(r.error.hostname, "no-such-braket-endpoint.invalid");
            assert.ok(r.ms < 5000, `${r.ms} ms`);
            assert.match(r.error.message, /the host no-such-braket-endpoint\.invalid does not exist in DNS \(ENOTFOUND\)/);
            assert.match(r.error.message, /Check the region \(us-east-1/);
            assert.match(r.error.message, /AWS_ENDPOINT_URL_BRAKET/);
        });

        it("retries a failed DNS lookup (EAI_AGAIN), refuses to retry ENOTFOUND, in the strategy itself", async () => {
            const strategy = new BraketRetryStrategy(
                async () => 3,
                async () => "standard",
            );
            const dns = (code: string): RetryErrorInfo => ({
                errorType: "TRANSIENT",
                error: Object.assign(new Error(`getaddrinfo ${code} braket.us-east-99.amazonaws.com`), { code }) as RetryErrorInfo["error"],
            });
            const token = await strategy.acquireInitialRetryToken("");
            const retried = await strategy.refreshRetryTokenForRetry(token, dns("EAI_AGAIN"));
            assert.equal(retried.getRetryCount(), 1);
            await assert.rejects(strategy.refreshRetryTokenForRetry(retried, dns("ENOTFOUND")), /No retry token available/);
        });
    });

    describe("pacing", () => {
        let emu: BraketEmulator;
        afterEach(async () => {
            destroyConnections();
            await emu?.close();
        });

        it("paces every attempt, retries included, under the pacer's rate", async () => {
            emu = await startBraketEmulator({
                jobs: [RUNNING],
                faultFor: ({ requestNumber }) => (requestNumber <= 3 ? "serverError" : undefined),
            });
            applyEnv({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, PULUMI_BRAKET_REQUESTS_PER_SECOND: "4", PULUMI_BRAKET_REQUEST_BURST: "1" });
            assert.equal((await lookUp({ jobArn: RUNNING.jobArn })).status, "RUNNING");
            const times = emu.stats.log.filter((e) => e.operation === "GetJob").map((e) => Date.parse(e.time));
            assert.equal(times.length, 4);
            // The SDK's backoff after a 5xx is at most 50, 100, 200 ms: without pacing the retries would come sooner.
            for (let i = 1; i < times.length; i++)
                assert.ok(times[i] - times[i - 1] >= 200, `attempt ${i + 1} came ${times[i] - times[i - 1]} ms after the one before`);
        });
    });
});
