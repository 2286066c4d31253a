/**
 * The plugin's gRPC server: Pulumi's ResourceProvider protocol (pulumi/pulumi `proto/pulumi/provider.proto`)
 * served with @grpc/grpc-js and the generated stubs that ship in @pulumi/pulumi. It speaks the
 * protocol and nothing else: each RPC unwraps its properties, calls the handler of the token
 * (getHybridJob.ts for both functions, hybridJobCompletion.ts, config.ts) and wraps the answer.
 *
 * Not built on @pulumi/pulumi's Node provider framework (`@pulumi/pulumi/provider`): in 3.248 it
 * answers Configure without reading the configuration, leaves CheckConfig unimplemented, ignores
 * Cancel, and loading it costs half a second of start-up. RPCs not served here (Construct, Call,
 * Attach, Parameterize, GetMapping(s), Handshake, List) answer UNIMPLEMENTED, which the engine
 * treats as "not supported".
 */
import { setMaxListeners } from "node:events";
import * as grpc from "@grpc/grpc-js";
import * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import * as structProto from "google-protobuf/google/protobuf/struct_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import * as pluginProto from "@pulumi/pulumi/proto/plugin_pb";
import { parseProviderConfig, PROVIDER_CONFIG_KEYS, providerConfigFailures, type ProviderConfig } from "./config";
import type { EngineLog } from "./engineLog";
import { BraketJobError, HybridJobArgumentError, HybridJobWaitCancelledError } from "./errors";
import { getHybridJob, getHybridJobs, GET_HYBRID_JOB_TOKEN, GET_HYBRID_JOBS_TOKEN } from "./getHybridJob";
import {
    checkCompletion,
    checkCompletionRegion,
    createCompletion,
    diffCompletion,
    HYBRID_JOB_COMPLETION_TYPE,
    inputsAfterRead,
    readCompletion,
    secretOutputs,
    updateCompletion,
} from "./hybridJobCompletion";
import { progressLine } from "./progress";
import { unwrapProperties, wrapProperties, type Unwrapped } from "./propertyValues";

/** What the server needs from its host process. */
export interface ServerOptions {
    version: string;
    /** The schema (without a version: GetSchema adds the plugin's). */
    schema: object;
    /** Where ephemeral status goes (the engine's Log service); undefined outside an engine. */
    engineLog?: EngineLog;
}

type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;

/** The functions served, by token. */
const FUNCTIONS: Record<string, typeof getHybridJob> = { [GET_HYBRID_JOB_TOKEN]: getHybridJob, [GET_HYBRID_JOBS_TOKEN]: getHybridJobs };
type Callback<Res> = grpc.sendUnaryData<Res>;

/** A gRPC error whose message is the error's own (it reaches the user as the reason the step failed). */
function toServiceError(err: unknown): Partial<grpc.StatusObject> {
    const message = err instanceof Error ? err.message : String(err);
    const code =
        err instanceof HybridJobArgumentError
            ? grpc.status.INVALID_ARGUMENT
            : err instanceof HybridJobWaitCancelledError
              ? grpc.status.CANCELLED
              : err instanceof BraketJobError
                ? grpc.status.UNKNOWN
                : grpc.status.INTERNAL;
    return { code, details: message };
}

/** Calls under way, so that the plugin answers them before it exits. */
let callsInFlight = 0;

/** Serves a unary RPC with an async handler; errors become gRPC errors. */
function unary<Req, Res>(handler: (req: Req) => Promise<Res> | Res) {
    return (call: Call<Req>, callback: Callback<Res>) => {
        callsInFlight++;
        const answer = (res: Res) => {
            callback(null, res);
            callsInFlight--;
        };
        const fail = (err: unknown) => {
            callback(toServiceError(err) as grpc.ServiceError, null);
            callsInFlight--;
        };
        // The handler's own promise, without extra hops through the microtask queue.
        let res: Promise<Res> | Res;
        try {
            res = handler(call.request);
        } catch (err) {
            fail(err);
            return;
        }
        if (res instanceof Promise) {
            res.then(answer, fail);
        } else {
            answer(res);
        }
    };
}

function structOf(values: Record<string, unknown>): structProto.Struct {
    return structProto.Struct.fromJavaScript(values as Record<string, structProto.JavaScriptValue>);
}

function unwrap(struct: structProto.Struct | undefined): Unwrapped {
    return unwrapProperties(struct?.toJavaScript() as Record<string, unknown> | undefined);
}

function checkFailures(failures: { property: string; reason: string }[]): providerProto.CheckFailure[] {
    return failures.map((f) => new providerProto.CheckFailure().setProperty(f.property).setReason(f.reason));
}

function refuseType(type: string): never {
    throw new HybridJobArgumentError(`The braket provider has no resource type ${type}; it serves ${HYBRID_JOB_COMPLETION_TYPE}.`, "type");
}

/**
 * The provider: its configuration and the cancellation of everything under way. One process serves
 * one provider instance (the engine starts a plugin per default or explicit provider).
 */
export class BraketProviderServer {
    private config: ProviderConfig = {};
    private readonly cancellation = new AbortController();
    private readonly server = new grpc.Server();

    constructor(private readonly options: ServerOptions) {
        // Every request and wait in flight listens to this one signal, and there may be hundreds
        // (each removes its listener when done): not the leak Node's default limit of 10 warns of.
        setMaxListeners(0, this.cancellation.signal);
        this.server.addService(providerRpc.ResourceProviderService, this.implementation() as unknown as grpc.UntypedServiceImplementation);
    }

    /** Aborted by the engine's Cancel: every wait and request in flight stops, and no new one starts. */
    get signal(): AbortSignal {
        return this.cancellation.signal;
    }

    /** Listens on a free loopback port; resolves with it. */
    listen(host = "127.0.0.1"): Promise<number> {
        return new Promise((resolve, reject) =>
            this.server.bindAsync(`${host}:0`, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
        );
    }

    /** How many RPCs are being answered right now. */
    get callsInFlight(): number {
        return callsInFlight;
    }

    /** Stops at once: the engine is gone or has cancelled, and nothing must keep polling. */
    stop(): void {
        this.cancel("the provider is stopping");
        this.server.forceShutdown();
    }

    cancel(why: string): void {
        if (!this.cancellation.signal.aborted) {
            this.cancellation.abort(new HybridJobWaitCancelledError(`Cancelled: ${why}.`));
        }
    }

    private versionedSchema(): string {
        return JSON.stringify({ ...this.options.schema, version: this.options.version });
    }

    private implementation() {
        const pluginInfo = () => new pluginProto.PluginInfo().setVersion(this.options.version);
        return {
            getPluginInfo: unary(pluginInfo),
            getSchema: unary(() => new providerProto.GetSchemaResponse().setSchema(this.versionedSchema())),
            cancel: unary(() => {
                this.cancel("the deployment was cancelled (Ctrl-C)");
                return new emptyProto.Empty();
            }),

            checkConfig: unary((req: providerProto.CheckRequest) => {
                const news = unwrap(req.getNews());
                const known = Object.fromEntries(Object.entries(news.values).filter(([k]) => !news.unknown.has(k)));
                return new providerProto.CheckResponse()
                    .setInputs(req.getNews())
                    .setFailuresList(checkFailures(providerConfigFailures(known)));
            }),
            diffConfig: unary((req: providerProto.DiffRequest) => {
                // A change of settings applies to later calls: it never replaces the provider, and so never its gates.
                const olds = unwrap(req.getOldInputs() ?? req.getOlds()).values;
                const news = unwrap(req.getNews());
                const diffs = PROVIDER_CONFIG_KEYS.filter(
                    (k) => news.unknown.has(k) || JSON.stringify(olds[k] ?? null) !== JSON.stringify(news.values[k] ?? null),
                );
                return new providerProto.DiffResponse()
                    .setChanges(
                        diffs.length > 0
                            ? providerProto.DiffResponse.DiffChanges.DIFF_SOME
                            : providerProto.DiffResponse.DiffChanges.DIFF_NONE,
                    )
                    .setDiffsList(diffs);
            }),
            configure: unary((req: providerProto.ConfigureRequest) => {
                // Newer engines send the settings as `args`; older ones only as `variables` keyed `braket:config:<name>`.
                let values: Record<string, unknown> = unwrap(req.getArgs()).values;
                if (req.getArgs() === undefined) {
                    const prefix = "braket:config:";
                    values = Object.fromEntries(
                        [...req.getVariablesMap().entries()]
                            .filter(([k]) => k.startsWith(prefix))
                            .map(([k, v]) => [k.slice(prefix.length), v]),
                    );
                }
                this.config = parseProviderConfig(values);
                return new providerProto.ConfigureResponse()
                    .setAcceptsecrets(true)
                    .setSupportspreview(false)
                    .setAcceptresources(false)
                    .setAcceptoutputs(false);
            }),

            invoke: unary(async (req: providerProto.InvokeRequest) => {
                const handler = FUNCTIONS[req.getTok()];
                if (!Object.hasOwn(FUNCTIONS, req.getTok())) {
                    throw new HybridJobArgumentError(
                        `The braket provider has no function ${req.getTok()}; it serves ${Object.keys(FUNCTIONS).join(" and ")}.`,
                        "tok",
                    );
                }
                const result = await handler(unwrap(req.getArgs()), this.config, this.signal);
                return new providerProto.InvokeResponse().setReturn(structOf(wrapProperties(result.values, result.secret)));
            }),

            check: unary(async (req: providerProto.CheckRequest) => {
                if (req.getType() !== HYBRID_JOB_COMPLETION_TYPE) refuseType(req.getType());
                const news = unwrap(req.getNews());
                const checked = checkCompletion(news, this.config);
                const failures = checked.length > 0 ? checked : await checkCompletionRegion(news, this.config);
                return new providerProto.CheckResponse().setInputs(req.getNews()).setFailuresList(checkFailures(failures));
            }),
            diff: unary((req: providerProto.DiffRequest) => {
                const { changed, replaces } = diffCompletion(unwrap(req.getOldInputs()), unwrap(req.getNews()));
                return new providerProto.DiffResponse()
                    .setChanges(
                        changed.length > 0
                            ? providerProto.DiffResponse.DiffChanges.DIFF_SOME
                            : providerProto.DiffResponse.DiffChanges.DIFF_NONE,
                    )
                    .setDiffsList(changed)
                    .setReplacesList(replaces)
                    .setDeletebeforereplace(false);
            }),
            create: unary(async (req: providerProto.CreateRequest) => {
                if (req.getType() !== HYBRID_JOB_COMPLETION_TYPE) refuseType(req.getType());
                const inputs = unwrap(req.getProperties());
                const urn = req.getUrn();
                const { id, outs } = await createCompletion(inputs, this.config, {
                    signal: this.signal,
                    onProgress: (p) => this.options.engineLog?.status(urn, progressLine(p)),
                });
                return new providerProto.CreateResponse().setId(id).setProperties(structOf(wrapProperties(outs, secretOutputs(inputs))));
            }),
            update: unary((req: providerProto.UpdateRequest) => {
                const olds = unwrap(req.getOlds());
                return new providerProto.UpdateResponse().setProperties(
                    structOf(wrapProperties(updateCompletion(olds).outs, [...olds.secret])),
                );
            }),
            read: unary(async (req: providerProto.ReadRequest) => {
                const state = unwrap(req.getProperties());
                const inputs = unwrap(req.getInputs());
                const read = await readCompletion(req.getId(), state, inputs, this.config, this.signal);
                const response = new providerProto.ReadResponse();
                if (read === undefined) {
                    return response.setId(""); // gone: the engine drops it from the state
                }
                const secret = [...new Set([...state.secret, ...inputs.secret])];
                return response
                    .setId(read.id)
                    .setProperties(structOf(wrapProperties(read.outs, secret)))
                    .setInputs(structOf(wrapProperties(inputsAfterRead(inputs, read.outs), [...inputs.secret])));
            }),
            // Nothing to delete: the gate only records that the job finished.
            delete: unary(() => new emptyProto.Empty()),
        };
    }
}
