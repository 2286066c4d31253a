/**
 * The plugin's gRPC server (provider/server.ts) as the engine talks to it: Pulumi's own generated
 * client stubs over a real loopback connection, against the local endpoint.
 */
import { strict as assert } from "node:assert";
import * as grpc from "@grpc/grpc-js";
import * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import * as structProto from "google-protobuf/google/protobuf/struct_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import type { BraketEmulator } from "../provider/emulator";
import { BraketProviderServer } from "../provider/server";
import { secretValue, UNKNOWN_SENTINEL } from "../provider/propertyValues";
import schema from "../provider/cmd/pulumi-resource-braket/schema.json";
import { AwsTestEnvironment, fixtureJob, startFixtureEmulator } from "./support/emulator";

const DONE = fixtureJob("qaoa-maxcut-forte");
const RUNNING = fixtureJob("grover-search-running");
const GATE = "braket:index:HybridJobCompletion";
const URN = "urn:pulumi:test::proj::braket:index:HybridJobCompletion::gate";

type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, res: unknown) => void) => unknown;

/** Calls a unary RPC of the client as a promise (the stubs' overloads defeat inference: the caller names the answer's type). */
function rpc<Res>(client: providerRpc.ResourceProviderClient, method: unknown, req: unknown): Promise<Res> {
    return new Promise((resolve, reject) => (method as Unary).call(client, req, (err, res) => (err ? reject(err) : resolve(res as Res))));
}

const struct = (values: Record<string, unknown>) =>
    structProto.Struct.fromJavaScript(values as Record<string, structProto.JavaScriptValue>);

describe("the plugin's gRPC server", function () {
    this.timeout(20000);
    const env = new AwsTestEnvironment();
    let emu: BraketEmulator;
    let server: BraketProviderServer;
    let client: providerRpc.ResourceProviderClient;

    beforeEach(async () => {
        emu = await startFixtureEmulator();
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint });
        server = new BraketProviderServer({ version: "1.2.3", schema });
        const port = await server.listen();
        client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });
    afterEach(async () => {
        client.close();
        server.stop();
        await emu.close();
    });
    after(() => env.restore());

    const configure = (args: Record<string, unknown>) =>
        rpc<providerProto.ConfigureResponse>(
            client,
            client.configure,
            new providerProto.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true),
        );
    const invoke = async (args: Record<string, unknown>, tok = "braket:index:getHybridJob") => {
        const res = await rpc<providerProto.InvokeResponse>(
            client,
            client.invoke,
            new providerProto.InvokeRequest().setTok(tok).setArgs(struct(args)),
        );
        return res.getReturn()!.toJavaScript() as Record<string, unknown>;
    };

    it("serves the schema with the plugin's version, and the plugin's info", async () => {
        const res = await rpc<providerProto.GetSchemaResponse>(client, client.getSchema, new providerProto.GetSchemaRequest());
        const served = JSON.parse(res.getSchema());
        assert.equal(served.version, "1.2.3");
        assert.deepEqual(Object.keys(served.functions), ["braket:index:getHybridJob", "braket:index:getHybridJobs"]);
        assert.ok(served.resources[GATE]);
        const info = await rpc<{ getVersion(): string }>(client, client.getPluginInfo, new emptyProto.Empty());
        assert.equal(info.getVersion(), "1.2.3");
    });

    it("configure accepts secrets, leaves preview to the engine, and refuses bad settings by name", async () => {
        const res = await configure({ region: "us-east-1", maxRetries: 4 });
        assert.equal(res.getAcceptsecrets(), true);
        assert.equal(res.getSupportspreview(), false, "create is never called in a preview: it never waits");
        await assert.rejects(configure({ region: "mars" }), (err: grpc.ServiceError) => {
            assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
            assert.match(err.details, /braket:region: region "mars" is not an AWS region name/);
            return true;
        });
        // An older engine sends only `variables`, keyed by the config key.
        const legacy = new providerProto.ConfigureRequest();
        legacy.getVariablesMap().set("braket:config:endpoint", "not a url");
        await assert.rejects(
            rpc<providerProto.ConfigureResponse>(client, client.configure, legacy),
            /braket:endpoint: endpoint "not a url" is not an http\(s\) URL/,
        );
    });

    it("checkConfig lists every bad setting; diffConfig never replaces the provider", async () => {
        const check = await rpc<providerProto.CheckResponse>(
            client,
            client.checkConfig,
            new providerProto.CheckRequest().setNews(struct({ region: "x", maxRetries: -1, profile: "ok", endpoint: UNKNOWN_SENTINEL })),
        );
        assert.deepEqual(
            check.getFailuresList().map((f) => f.getProperty()),
            ["region", "maxRetries"],
        );
        const diff = await rpc<providerProto.DiffResponse>(
            client,
            client.diffConfig,
            new providerProto.DiffRequest().setOldInputs(struct({ region: "us-east-1" })).setNews(struct({ region: "us-west-2" })),
        );
        assert.equal(diff.getChanges(), providerProto.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepEqual(diff.getDiffsList(), ["region"]);
        assert.deepEqual(diff.getReplacesList(), []);
    });

    it("invoke reads the job; the call's region beats the provider's, which beats the ARN's", async () => {
        await configure({});
        const job = await invoke({ jobArn: DONE.jobArn });
        assert.equal(job.jobName, DONE.jobName);
        assert.match(String(job.resultsS3Uri), /\/output\/model\.tar\.gz$/);
        await configure({ region: "us-west-2" });
        // The job lives in us-east-1: asked in us-west-2 (the provider's region) it is not found there.
        await assert.rejects(invoke({ jobArn: DONE.jobArn }), /not found.*us-west-2|us-west-2.*not found/is);
        const asked = await invoke({ jobArn: DONE.jobArn, region: "us-east-1" });
        assert.equal(asked.jobName, DONE.jobName);
    });

    it("a secret jobArn gives a secret result and stays out of error messages", async () => {
        await configure({});
        const job = await invoke({ jobArn: secretValue(DONE.jobArn) });
        assert.deepEqual(job.status, secretValue(DONE.status));
        const missing = "arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-0000000000ff";
        await assert.rejects(invoke({ jobArn: secretValue(missing) }), (err: grpc.ServiceError) => {
            assert.match(err.details, /\[secret\]/);
            assert.ok(!err.details.includes("0000000000ff"), err.details);
            return true;
        });
    });

    it("invoke serves getHybridJobs and getHybridJob by name; no match is not an argument error; other tokens are refused", async () => {
        await configure({ region: "us-east-1" });
        const list = await invoke({ statuses: ["COMPLETED"], maxResults: 2 }, "braket:index:getHybridJobs");
        assert.equal(list.region, "us-east-1");
        assert.equal(list.truncated, true);
        assert.equal((list.jobArns as string[]).length, 2);
        assert.equal((list.jobs as { status: string }[])[0].status, "COMPLETED");
        const byName = await invoke({ jobName: DONE.jobName });
        assert.equal(byName.jobArn, DONE.jobArn);
        const secretList = await invoke({ jobName: secretValue(DONE.jobName) }, "braket:index:getHybridJobs");
        assert.deepEqual(secretList.jobArns, secretValue([DONE.jobArn]), "a secret filter makes the list secret");
        await assert.rejects(invoke({ jobName: "no-such-job" }), (err: grpc.ServiceError) => {
            assert.equal(err.code, grpc.status.UNKNOWN);
            assert.match(err.details, /^No hybrid job named "no-such-job" in region us-east-1/);
            return true;
        });
        await assert.rejects(invoke({}, "braket:index:getHybridJobz"), (err: grpc.ServiceError) => {
            assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
            assert.match(err.details, /serves braket:index:getHybridJob and braket:index:getHybridJobs/);
            return true;
        });
    });

    it("invoke refuses bad arguments before any request", async () => {
        await configure({});
        await assert.rejects(invoke({ jobArn: "arn:aws:braket:us-east-1:123456789012:quantum-task/x" }), (err: grpc.ServiceError) => {
            assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
            assert.match(err.details, /JobArn pattern/);
            return true;
        });
        assert.equal(emu.stats.byOperation.GetJob ?? 0, 0);
    });

    it("create waits for the job and returns it; the engine's Cancel ends a wait at once and stops polling", async () => {
        await configure({});
        const created = await rpc<providerProto.CreateResponse>(
            client,
            client.create,
            new providerProto.CreateRequest()
                .setType(GATE)
                .setUrn(URN)
                .setProperties(struct({ jobArn: DONE.jobArn })),
        );
        assert.equal(created.getId(), DONE.jobArn);
        assert.equal(created.getProperties()!.toJavaScript().status, "COMPLETED");

        const jobArn = "arn:aws:braket:us-east-1:123456789012:job/7d1f6a3e-9f0e-4a61-8c39-7f6c1b1e2d07";
        emu.putJob({ ...RUNNING, jobArn, emulator: { transitions: [{ afterSeconds: 3600, status: "COMPLETED" }] } });
        const waiting = rpc<providerProto.CreateResponse>(
            client,
            client.create,
            new providerProto.CreateRequest()
                .setType(GATE)
                .setUrn(URN)
                .setProperties(struct({ jobArn, initialIntervalSeconds: 0.05, maxIntervalSeconds: 0.1 })),
        );
        const ended = waiting.then(
            () => assert.fail("the wait succeeded"),
            (err: unknown) => err,
        );
        await new Promise((r) => setTimeout(r, 300));
        const cancelledAt = Date.now();
        await rpc<unknown>(client, client.cancel, new emptyProto.Empty());
        await assert.rejects(
            ended.then((err) => Promise.reject(err)),
            (err: grpc.ServiceError) => {
                assert.equal(err.code, grpc.status.CANCELLED);
                return true;
            },
        );
        assert.ok(Date.now() - cancelledAt < 500, "the wait ended within half a second of Cancel");
        const reads = emu.stats.byOperation.GetJob;
        await new Promise((r) => setTimeout(r, 400));
        assert.equal(emu.stats.byOperation.GetJob, reads, "no GetJob after Cancel");
        await assert.rejects(invoke({ jobArn: DONE.jobArn + "x" }), /cancel/i, "no new work after Cancel");
    });

    it("check and diff answer for the gate as the engine asks", async () => {
        await configure({});
        const check = await rpc<providerProto.CheckResponse>(
            client,
            client.check,
            new providerProto.CheckRequest()
                .setType(GATE)
                .setUrn(URN)
                .setNews(struct({ jobArn: "nope", timeoutSeconds: 5 })),
        );
        assert.deepEqual(
            check.getFailuresList().map((f) => f.getProperty()),
            ["jobArn"],
        );
        const diff = await rpc<providerProto.DiffResponse>(
            client,
            client.diff,
            new providerProto.DiffRequest()
                .setType(GATE)
                .setUrn(URN)
                .setOldInputs(struct({ jobArn: DONE.jobArn }))
                .setNews(struct({ jobArn: RUNNING.jobArn })),
        );
        assert.deepEqual(diff.getReplacesList(), ["jobArn"]);
    });
});
