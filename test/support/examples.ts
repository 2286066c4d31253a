/**
 * Runs the compiled examples (dist/examples/<name>/index.js) under Pulumi's mocks and records what
 * they do: each lookup the mocks' `call` answers, and each resource registration, with its inputs,
 * its dependencies and when the mocks' `newResource` started and finished.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { resetPulumiRuntime } from "./outputs";

export const STACK = "dev";

/** One resource registration, as the engine (here the mocks) would see it. */
export interface Registration {
    type: string;
    name: string;
    custom: boolean;
    /** The inputs, plain: secrets are revealed (and listed in `secretInputs`). */
    inputs: Record<string, unknown>;
    /** The paths of the inputs that were secret, e.g. `value`. */
    secretInputs: string[];
    /**
     * The URNs the resource depends on, from the RegisterResource request (MockResourceArgs does not
     * carry them): its explicit dependsOn and the resources behind its inputs.
     */
    dependencies: string[];
    /** Positions on one counter shared by every event of the run: newResource entered, and returned or threw. */
    started: number;
    finished?: number;
    urn?: string;
    error?: unknown;
}

/** One lookup the mocks' `call` answered. */
export interface RecordedCall {
    token: string;
    inputs: Record<string, unknown>;
    /** Position on the run's counter (see {@link Registration.started}). */
    at: number;
}

export interface ExampleMocks {
    /**
     * The answer to a `braket:index:getHybridJob` call, which the SDK returns as it is (no plugin
     * runs under mocks): pulumi-braket/testing's `hybridJobResult` gives the plugin's.
     */
    getJob(inputs: Record<string, unknown>): pulumi.runtime.MockCallResult;
    /**
     * The state a resource is created with (merged over its inputs). Throw to make its creation
     * fail; return a Promise to make it take time.
     */
    state?(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;
}

/** What an example did under the mocks. */
export class ExampleRun {
    readonly registrations: Registration[] = [];
    readonly calls: RecordedCall[] = [];
    private counter = 0;

    tick(): number {
        return ++this.counter;
    }

    /** The registrations of a type token, e.g. `aws:s3/objectCopy:ObjectCopy`. */
    ofType(type: string): Registration[] {
        return this.registrations.filter((r) => r.type === type);
    }

    /** The one registration of a type token; fails unless there is exactly one. */
    one(type: string): Registration {
        const found = this.ofType(type);
        if (found.length !== 1) {
            throw new Error(`expected one ${type}, got ${found.length} (registered: ${this.registrations.map((r) => r.type).join(", ")})`);
        }
        return found[0];
    }
}

interface RegisterResourceRequestLike {
    getType(): string;
    getName(): string;
    getDependenciesList?(): string[];
}

/**
 * Sets Pulumi's mocks (project `project`, stack `dev`) and the stack config, then loads the compiled
 * example afresh. Load errors (e.g. missing config) reject. Call {@link resetExamples} afterwards.
 */
export async function runExample<T>(
    example: string,
    project: string,
    config: Record<string, unknown>,
    mocks: ExampleMocks,
): Promise<{ exports: T; run: ExampleRun }> {
    const run = new ExampleRun();
    const pendingDependencies = new Map<string, string[]>();
    await pulumi.runtime.setMocks(
        {
            call: (args) => {
                run.calls.push({ token: args.token, inputs: args.inputs as Record<string, unknown>, at: run.tick() });
                return mocks.getJob(args.inputs as Record<string, unknown>);
            },
            newResource: async (args) => {
                const secretInputs: string[] = [];
                const registration: Registration = {
                    type: args.type,
                    name: args.name,
                    custom: args.custom !== false,
                    inputs: reveal(args.inputs, "", secretInputs) as Record<string, unknown>,
                    secretInputs,
                    dependencies: pendingDependencies.get(`${args.type}::${args.name}`) ?? [],
                    started: run.tick(),
                };
                run.registrations.push(registration);
                try {
                    const state = (await mocks.state?.(args)) ?? {};
                    return { id: `${args.name}-id`, state: { ...args.inputs, ...state } };
                } catch (err) {
                    registration.error = err;
                    throw err;
                } finally {
                    registration.finished = run.tick();
                }
            },
        },
        project,
        STACK,
    );
    // The dependencies travel in the RegisterResource request, which the mock monitor does not hand
    // to newResource: read them there, and the URN from the response.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: RegisterResourceRequestLike, callback: (err: unknown, res?: { getUrn(): string }) => void): Promise<void>;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        const key = `${req.getType()}::${req.getName()}`;
        pendingDependencies.set(key, req.getDependenciesList?.() ?? []);
        return register(req, (err, res) => {
            const registration = run.registrations.find((r) => `${r.type}::${r.name}` === key);
            if (registration && res) {
                registration.urn = res.getUrn();
            }
            callback(err, res);
        });
    };
    pulumi.runtime.setAllConfig(
        Object.fromEntries(Object.entries(config).map(([k, v]) => [`${project}:${k}`, typeof v === "string" ? v : JSON.stringify(v)])),
    );

    const file = path.join(__dirname, "..", "..", "examples", example, "index.js");
    delete require.cache[require.resolve(file)];
    const loaded = (await import(file)) as T;
    return { exports: loaded, run };
}

// How the mock monitor hands over a secret input: { [SIG_KEY]: SECRET_SIG, value }.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A copy of `value` with secrets replaced by their values; their paths are pushed on `secrets`. */
function reveal(value: unknown, path: string, secrets: string[]): unknown {
    if (Array.isArray(value)) {
        return value.map((v, i) => reveal(v, `${path}[${i}]`, secrets));
    }
    if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
        return value;
    }
    const object = value as Record<string, unknown>;
    if (object[SIG_KEY] === SECRET_SIG) {
        secrets.push(path);
        return reveal(object.value, path, secrets);
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, reveal(v, path === "" ? k : `${path}.${k}`, secrets)]));
}

/** Waits until every resource registration the example started has been answered. */
export async function settle(): Promise<void> {
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** Leaves Pulumi as a plain process has it: no mocks, no config. */
export function resetExamples(): void {
    pulumi.runtime.setAllConfig({});
    resetPulumiRuntime();
}
