/**
 * Provider configuration under the real engine, from TypeScript (test/e2e/programs/providers): the
 * default provider from stack config, an explicit braket.Provider passed as { provider } to a
 * lookup (both forms) and to a gate, each call going to its own provider's region, endpoint and
 * profile.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startBraketEmulator, type BraketEmulator } from "../../provider/emulator";
import {
    ENGINE_BUILD_TIMEOUT_MS,
    FAKE_CREDENTIALS,
    REPO_ROOT,
    demoJob,
    describeResult,
    getJobRequests,
    startWorld,
    type E2eWorld,
    type PulumiStack,
} from "./harness";

const PROGRAM = path.join(REPO_ROOT, "test", "e2e", "programs", "providers");

describe("e2e providers: stack config and an explicit braket.Provider (real engine)", function () {
    this.timeout(120_000);
    const completed = demoJob("COMPLETED");
    const euJob = {
        ...completed,
        jobArn: completed.jobArn.replace(/:us-east-1:/, ":eu-north-1:").replace(/[0-9a-f]{4}$/, "e1e1"),
        jobName: "vqe-eu-north",
    };
    let world: E2eWorld;
    let eu: BraketEmulator;
    let stack: PulumiStack;

    before(async function () {
        this.timeout(ENGINE_BUILD_TIMEOUT_MS + 60_000);
        if (process.env.SKIP_E2E) this.skip();
        world = await startWorld("providers", [completed]);
        // The eu endpoint only answers requests signed with the eu-reader profile's key.
        eu = await startBraketEmulator({
            jobs: [euJob],
            credentials: [{ accessKeyId: "AKIAEUREADER00000001", secretAccessKey: "eu/reader/secret/key/for/the/e2e/only" }],
        });
        fs.writeFileSync(
            world.env.AWS_SHARED_CREDENTIALS_FILE!,
            [
                "[default]",
                `aws_access_key_id = ${FAKE_CREDENTIALS.accessKeyId}`,
                `aws_secret_access_key = ${FAKE_CREDENTIALS.secretAccessKey}`,
                "[eu-reader]",
                "aws_access_key_id = AKIAEUREADER00000001",
                "aws_secret_access_key = eu/reader/secret/key/for/the/e2e/only",
                "",
            ].join("\n"),
        );
        delete world.env.AWS_ENDPOINT_URL_BRAKET;
        stack = world.stack(PROGRAM);
        await stack.init();
        await stack.setConfig("braket:endpoint", world.emulator.endpoint);
        await stack.setConfig("braket:maxRetries", "4");
        await stack.setConfig("jobArn", completed.jobArn);
        await stack.setConfig("euJobArn", euJob.jobArn);
        await stack.setConfig("euEndpoint", eu.endpoint);
    });

    after(async function () {
        this.timeout(60_000);
        await stack?.remove();
        await eu?.close();
        await world?.close();
    });

    it("e2e: providers each call goes to its own provider's endpoint, region and profile", async function () {
        const result = await stack.up();
        assert.equal(result.code, 0, describeResult(result));
        assert.deepEqual(result.leftovers, []);
        const outputs = await stack.outputs();
        assert.equal(outputs.defaultJobName, completed.jobName);
        assert.equal(outputs.euJobName, euJob.jobName);
        assert.equal(outputs.euJobRegion, "eu-north-1");
        assert.equal(outputs.euStatus, "COMPLETED");
        assert.equal(outputs.euGateStatus, "COMPLETED");
        assert.equal(getJobRequests(world.emulator.stats.log, euJob.jobArn).length, 0, "an eu call went to the default endpoint");
        assert.ok(getJobRequests(eu.stats.log, euJob.jobArn).length >= 2, "the explicit provider's endpoint was not asked");
        assert.equal(getJobRequests(eu.stats.log).filter((e) => e.status !== 200).length, 0, "a request to the eu endpoint was refused");
        const state = await stack.exportState();
        const providers = state.resources?.filter((r) => r.type === "pulumi:providers:braket") ?? [];
        const defaults = providers.find((p) => /::default_0_1_0/.test(p.urn));
        assert.equal(defaults?.inputs?.endpoint, world.emulator.endpoint, "stack config did not reach the default provider");
        assert.equal(defaults?.inputs?.maxRetries, "4");
    });

    it("e2e: providers a bad stack setting fails the update naming the setting, before any request", async function () {
        await stack.setConfig("braket:region", "mars-1");
        world.emulator.resetStats();
        const result = await stack.pulumi(["preview"], { configFile: true });
        await stack.setConfig("braket:region", "");
        assert.notEqual(result.code, 0, describeResult(result));
        assert.match(result.stdout + result.stderr, /braket:region/);
        assert.match(result.stdout + result.stderr, /not an AWS region name/);
        assert.equal(getJobRequests(world.emulator.stats.log).length, 0);
    });

    it("e2e: providers destroy empties the stack", async function () {
        const result = await stack.destroy();
        assert.equal(result.code, 0, describeResult(result));
    });
});
