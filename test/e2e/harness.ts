/**
 * A small harness that drives the real Pulumi CLI (the offline engine of test/engine) against the
 * Braket emulator: one emulator, one file state backend and one stack per suite, fake AWS
 * credentials, and no AWS configuration from the machine.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startBraketEmulator, type BraketEmulator, type EmulatorOptions, type EmulatorRequestLogEntry } from "../../provider/emulator";

/** The repository root (this file runs as dist/test/e2e/harness.js). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** How long a cold engine build may take (test/engine/README.md: about 5 minutes). */
export const ENGINE_BUILD_TIMEOUT_MS = 20 * 60_000;

/** The marker of a secret value in Pulumi's state (`sig` of a secret), and that of an unknown. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

let engineEnvPromise: Promise<NodeJS.ProcessEnv> | undefined;

/** The plugin's version: the package's. */
export const PLUGIN_VERSION: string = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
    .version;

/**
 * The environment test/engine/env.sh sets up (the engine's bin dir first on PATH, no update checks,
 * no plugin downloads, a test passphrase, PULUMI_HOME under .tools), read by sourcing it in bash.
 * Builds the engine on first use (minutes, cold); later calls take well under a second.
 */
export function engineEnv(): Promise<NodeJS.ProcessEnv> {
    engineEnvPromise ??= new Promise<NodeJS.ProcessEnv>((resolve, reject) => {
        const script = 'source "$1" >&2 && env -0';
        const child = spawn("bash", ["-c", script, "bash", path.join(REPO_ROOT, "test", "engine", "env.sh")], {
            cwd: REPO_ROOT,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const out: Buffer[] = [];
        let err = "";
        child.stdout.on("data", (d: Buffer) => out.push(d));
        child.stderr.on("data", (d: Buffer) => {
            err += d.toString();
            // A cold build takes minutes: let its progress show.
            if (/building|built|installed/.test(d.toString())) process.stderr.write(d);
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), ENGINE_BUILD_TIMEOUT_MS);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            if (code !== 0) {
                reject(new Error(`source test/engine/env.sh failed (exit ${code}):\n${err}`));
                return;
            }
            const env: NodeJS.ProcessEnv = {};
            for (const entry of Buffer.concat(out).toString("utf8").split("\0")) {
                const eq = entry.indexOf("=");
                if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
            }
            installPlugin(env).then(() => resolve(env), reject);
        });
    });
    return engineEnvPromise;
}

/**
 * Installs the plugin as a user does: the release tarball (provider/scripts/package-plugin.sh, made
 * from the bin/pulumi-resource-braket that `npm run build` wrote) through `pulumi plugin install
 * --file`, into the tests' PULUMI_HOME. The engine then finds braket v<version> in its plugin
 * cache, not on PATH.
 */
async function installPlugin(env: NodeJS.ProcessEnv): Promise<void> {
    const binary = path.join(REPO_ROOT, "bin", "pulumi-resource-braket");
    const sources = fs
        .readdirSync(path.join(REPO_ROOT, "provider"), { recursive: true, encoding: "utf8" })
        .filter((f) => /\.(ts|json)$/.test(f))
        .map((f) => fs.statSync(path.join(REPO_ROOT, "provider", f)).mtimeMs);
    if (!fs.existsSync(binary) || fs.statSync(binary).mtimeMs < Math.max(...sources)) {
        throw new Error(`${binary} is missing or older than the provider's sources: run \`npm run build\` first.`);
    }
    const tarball = path.join(REPO_ROOT, "dist", `pulumi-resource-braket-v${PLUGIN_VERSION}-linux-amd64.tar.gz`);
    const quiet = { cwd: REPO_ROOT, env, timeoutMs: 120_000 };
    if (!fs.existsSync(tarball) || fs.statSync(tarball).mtimeMs < fs.statSync(binary).mtimeMs) {
        const packed = await runTracked("bash", [path.join(REPO_ROOT, "provider", "scripts", "package-plugin.sh")], quiet);
        if (packed.code !== 0) throw new Error(`package-plugin.sh failed:\n${packed.stderr}`);
    }
    const installed = await runTracked(
        "pulumi",
        ["plugin", "install", "resource", "braket", PLUGIN_VERSION, "--file", tarball, "--reinstall"],
        quiet,
    );
    if (installed.code !== 0) throw new Error(`pulumi plugin install failed:\n${describeResult(installed)}`);
}

/** Fake static credentials; the emulator does not check signatures unless told to. */
export const FAKE_CREDENTIALS = { accessKeyId: "AKIAE2ETESTFAKE00001", secretAccessKey: "e2e/fake/secret/access/key/not/real" };

/** The result of one CLI run. */
export interface CommandResult {
    args: string[];
    code: number | null;
    stdout: string;
    stderr: string;
    /** Wall-clock start and end (ms since the epoch). */
    startedAt: number;
    endedAt: number;
    /** Whether the run hit its time limit (it and every process it started were killed). */
    killed: boolean;
    /** Processes the run started (language host, providers) still alive 2 s after it ended (then killed). */
    leftovers: string[];
}

export function describeResult(r: CommandResult): string {
    const leftovers = r.leftovers.length > 0 ? `\n--- left behind (killed)\n${r.leftovers.join("\n")}` : "";
    return `pulumi ${r.args.join(" ")} -> exit ${r.code}${r.killed ? " (killed at the time limit)" : ""} in ${
        r.endedAt - r.startedAt
    } ms\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}${leftovers}`;
}

/** A process, as /proc shows it (Linux). */
interface ProcInfo {
    pid: number;
    ppid: number;
    cmdline: string;
}

function readProcesses(): ProcInfo[] {
    let entries: string[];
    try {
        entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
    } catch {
        return [];
    }
    const out: ProcInfo[] = [];
    for (const e of entries) {
        try {
            const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
            // pid (comm) state ppid ...: comm may hold spaces and parentheses.
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            if (fields[0] === "Z") continue; // zombies are gone already
            const cmdline = fs.readFileSync(`/proc/${e}/cmdline`, "utf8").replace(/\0/g, " ").trim();
            out.push({ pid: Number(e), ppid: Number(fields[1]), cmdline });
        } catch {
            // exited meanwhile
        }
    }
    return out;
}

/** The descendants of `root` (children, their children, ...). */
function descendantsOf(root: number, all = readProcesses()): ProcInfo[] {
    const found: ProcInfo[] = [];
    let frontier = [root];
    while (frontier.length > 0) {
        const children = all.filter((p) => frontier.includes(p.ppid));
        found.push(...children);
        frontier = children.map((p) => p.pid);
    }
    return found;
}

function alive(p: ProcInfo): boolean {
    try {
        return fs.readFileSync(`/proc/${p.pid}/cmdline`, "utf8").replace(/\0/g, " ").trim() === p.cmdline && !isZombie(p.pid);
    } catch {
        return false;
    }
}

function isZombie(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
    } catch {
        return true;
    }
}

function killAll(processes: ProcInfo[]): void {
    for (const p of processes) {
        try {
            process.kill(p.pid, "SIGKILL");
        } catch {
            // gone
        }
    }
}

/**
 * Runs a command and keeps track of every process it starts. Pulumi runs each plugin (language
 * host, providers) in a process group of its own, so a group kill does not reach them: the run's
 * descendants are sampled while it runs, killed at the time limit, and any still alive shortly
 * after the command ended are reported as leftovers (and killed).
 */
export function runTracked(
    command: string,
    args: string[],
    options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; onSpawn?: (pid: number) => void },
): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
        const startedAt = Date.now();
        const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
        if (child.pid !== undefined) options.onSpawn?.(child.pid);
        let stdout = "";
        let stderr = "";
        let killed = false;
        const seen = new Map<number, ProcInfo>();
        const sample = () => {
            if (child.pid === undefined) return;
            for (const p of descendantsOf(child.pid)) seen.set(p.pid, p);
        };
        const sampler = setInterval(sample, 200);
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => {
            killed = true;
            sample();
            killAll([...seen.values()]);
            try {
                if (child.pid) process.kill(-child.pid, "SIGKILL");
            } catch {
                // already gone
            }
        }, options.timeoutMs);
        child.on("error", (err) => {
            clearInterval(sampler);
            clearTimeout(timer);
            reject(err);
        });
        child.on("close", async (code) => {
            clearInterval(sampler);
            clearTimeout(timer);
            const endedAt = Date.now();
            // Plugins get a moment to exit after the CLI.
            let remaining = [...seen.values()].filter(alive);
            for (let i = 0; i < 20 && remaining.length > 0; i++) {
                await new Promise((r) => setTimeout(r, 100));
                remaining = remaining.filter(alive);
            }
            killAll(remaining);
            resolve({ args, code, stdout, stderr, startedAt, endedAt, killed, leftovers: remaining.map((p) => `${p.pid} ${p.cmdline}`) });
        });
    });
}

/** One stack of one Pulumi project, in a private file backend, against one Braket endpoint. */
export class PulumiStack {
    readonly name: string;
    /** Where the file backend keeps its state (`<backendDir>/.pulumi/...`). */
    readonly backendDir: string;
    /** The stack's config file, outside the project (`--config-file`), so that config stays out of the repository. */
    readonly configFile: string;
    private created = false;
    readonly commands: CommandResult[] = [];
    /** The pid of the CLI while a command runs (to send it a Ctrl-C). */
    running: number | undefined;

    constructor(
        /** The directory with Pulumi.yaml. */
        readonly projectDir: string,
        private readonly env: NodeJS.ProcessEnv,
        options: { name: string; backendDir: string; configFile: string },
    ) {
        this.name = options.name;
        this.backendDir = options.backendDir;
        this.configFile = options.configFile;
    }

    /** Runs `pulumi <args> --stack <name> --non-interactive --color never`. */
    async pulumi(
        args: string[],
        options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; configFile?: boolean } = {},
    ): Promise<CommandResult> {
        const full = [...args, "--stack", this.name, "--non-interactive", "--color", "never"];
        if (options.configFile) full.push("--config-file", this.configFile);
        let result: CommandResult;
        try {
            result = await runTracked("pulumi", full, {
                cwd: this.projectDir,
                env: { ...this.env, ...options.env },
                timeoutMs: options.timeoutMs ?? 120_000,
                onSpawn: (pid) => (this.running = pid),
            });
        } finally {
            this.running = undefined;
        }
        this.commands.push(result);
        return result;
    }

    /** Like pulumi(), but throws (with the whole output) unless the command succeeded. */
    async ok(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; configFile?: boolean } = {}): Promise<CommandResult> {
        const r = await this.pulumi(args, options);
        if (r.code !== 0) throw new Error(describeResult(r));
        return r;
    }

    async init(): Promise<void> {
        await this.ok(["stack", "init", "--no-select"]);
        this.created = true;
    }

    async setConfig(key: string, value: string, options: { secret?: boolean; path?: boolean } = {}): Promise<void> {
        const args = ["config", "set", key, value];
        if (options.secret) args.push("--secret");
        if (options.path) args.push("--path");
        await this.ok(args, { configFile: true });
    }

    /** `pulumi preview` with streaming JSON events; resolves with the events and the run. */
    async previewEvents(): Promise<{ result: CommandResult; events: EngineEvent[] }> {
        const result = await this.pulumi(["preview", "--json"], {
            configFile: true,
            env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" },
        });
        const events = result.stdout
            .split("\n")
            .filter((l) => l.trim().startsWith("{"))
            .map((l) => JSON.parse(l) as EngineEvent);
        return { result, events };
    }

    up(extra: string[] = []): Promise<CommandResult> {
        return this.pulumi(["up", "--yes", "--skip-preview", ...extra], { configFile: true });
    }

    refresh(extra: string[] = []): Promise<CommandResult> {
        return this.pulumi(["refresh", "--yes", "--skip-preview", ...extra], { configFile: true });
    }

    destroy(): Promise<CommandResult> {
        return this.pulumi(["destroy", "--yes", "--skip-preview"], { configFile: true });
    }

    /** `pulumi stack output --json`; secrets show as "[secret]" unless showSecrets. */
    async outputs(showSecrets = false): Promise<Record<string, unknown>> {
        const r = await this.ok(["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])]);
        return JSON.parse(r.stdout) as Record<string, unknown>;
    }

    /** `pulumi stack export` (secrets stay ciphertext). */
    async exportState(): Promise<Deployment> {
        const r = await this.ok(["stack", "export"]);
        return (JSON.parse(r.stdout) as { deployment: Deployment }).deployment;
    }

    /** Every file the backend wrote (current state, backups, history), with its text. */
    stateFiles(): { file: string; text: string }[] {
        const files: { file: string; text: string }[] = [];
        const walk = (dir: string) => {
            for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, e.name);
                if (e.isDirectory()) walk(p);
                else files.push({ file: path.relative(this.backendDir, p), text: fs.readFileSync(p, "utf8") });
            }
        };
        walk(path.join(this.backendDir, ".pulumi"));
        return files;
    }

    /** Removes the stack (and the stack file `pulumi stack init` writes next to Pulumi.yaml). */
    async remove(): Promise<void> {
        if (this.created) {
            await this.pulumi(["stack", "rm", "--yes", "--force"]);
            this.created = false;
        }
        fs.rmSync(path.join(this.projectDir, `Pulumi.${this.name}.yaml`), { force: true });
    }
}

/** The parts of `pulumi stack export`'s deployment that the tests read. */
export interface Deployment {
    resources?: { urn: string; id?: string; type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[];
    pending_operations?: unknown[];
}

/** An engine event of `pulumi preview --json` with PULUMI_ENABLE_STREAMING_JSON_PREVIEW. */
export interface EngineEvent {
    sequence: number;
    timestamp: number;
    resOutputsEvent?: { metadata: { op: string; urn: string; type: string; new?: { outputs?: Record<string, unknown> } } };
    resourcePreEvent?: { metadata: { op: string; urn: string; type: string } };
    diagnosticEvent?: { message: string; severity: string; urn?: string; ephemeral?: boolean };
    summaryEvent?: { resourceChanges: Record<string, number>; result?: string };
}

/** The stack's outputs as the last resOutputsEvent of the Stack resource shows them. */
export function stackOutputsOf(events: EngineEvent[]): Record<string, unknown> | undefined {
    const stack = events.filter((e) => e.resOutputsEvent?.metadata.type === "pulumi:pulumi:Stack");
    return stack.at(-1)?.resOutputsEvent?.metadata.new?.outputs;
}

/** Everything one suite needs: an emulator, a private state backend, and the environment. */
export interface E2eWorld {
    emulator: BraketEmulator;
    tmp: string;
    env: NodeJS.ProcessEnv;
    /** A fresh stack of the project in `projectDir`. */
    stack(projectDir: string, name?: string): PulumiStack;
    close(): Promise<void>;
}

let stackCounter = 0;

/**
 * Starts an emulator with `jobs` and prepares the environment of the CLI: the engine (env.sh), a
 * file backend in a temporary directory, fake credentials, AWS_ENDPOINT_URL_BRAKET, and nothing of
 * the machine's AWS configuration.
 */
export async function startWorld(suite: string, jobs: unknown[], emulatorOptions: EmulatorOptions = {}): Promise<E2eWorld> {
    const base = await engineEnv();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-braket-e2e-${suite}-`));
    const emulator = await startBraketEmulator({ jobs, ...emulatorOptions });
    const env: NodeJS.ProcessEnv = { ...base };
    for (const k of Object.keys(env)) {
        if (k.startsWith("AWS_") || k === "PULUMI_ACCESS_TOKEN" || k === "PULUMI_CONFIG_PASSPHRASE_FILE" || k === "PULUMI_STACK")
            delete env[k];
    }
    Object.assign(env, {
        PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
        AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
        AWS_CONFIG_FILE: path.join(tmp, "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, "aws-credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_REGION: "eu-central-1",
        AWS_ENDPOINT_URL_BRAKET: emulator.endpoint,
        // The SDK's advisory that its 2027 releases need Node 22 would otherwise be a diagnostic of every run.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        PULUMI_BRAKET_REQUESTS_PER_SECOND: "1000",
        PULUMI_BRAKET_REQUEST_BURST: "1000",
        TERM: "dumb",
        NO_COLOR: "1",
    });
    fs.mkdirSync(path.join(tmp, "state"));
    return {
        emulator,
        tmp,
        env,
        stack(projectDir, name) {
            const stackName = name ?? `e2e-${suite}-${process.pid}-${++stackCounter}`;
            return new PulumiStack(projectDir, env, {
                name: stackName,
                backendDir: path.join(tmp, "state"),
                configFile: path.join(tmp, `Pulumi.${stackName}.yaml`),
            });
        },
        async close() {
            await emulator.close();
            if (!process.env.E2E_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
        },
    };
}

/** The gate's type token, as the engine records it in the state. */
export const GATE_TYPE = "braket:index:HybridJobCompletion";

/** Asserts that an update changed nothing and did nothing to a gate (no wait, no replace). */
export function assertNothingChanged(result: CommandResult, resources: number): void {
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, new RegExp(`Resources:\\s+${resources} unchanged`));
    assert.deepEqual(
        result.stdout.split("\n").filter((l) => l.includes("HybridJobCompletion")),
        [],
        "the gate had an operation",
    );
}

/** Copies a project (Pulumi.yaml, package.json, sources, ...) into `<tmp>/<name>`, with `<tmp>/node_modules` -> the repository's. */
export function copyProject(sourceDir: string, tmp: string, name: string): string {
    const dest = path.join(tmp, name);
    fs.cpSync(sourceDir, dest, {
        recursive: true,
        filter: (src) => {
            const base = path.basename(src);
            // No installed modules or build output, and no stack files of someone's own stacks.
            return base !== "node_modules" && base !== "bin" && !/^Pulumi\..+\.yaml$/.test(base);
        },
    });
    const link = path.join(tmp, "node_modules");
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), link, "dir");
    return dest;
}

/** The GetJob requests in an emulator log, optionally for one job. */
export function getJobRequests(log: EmulatorRequestLogEntry[], jobArn?: string): EmulatorRequestLogEntry[] {
    return log.filter((e) => e.operation === "GetJob" && (jobArn === undefined || e.jobArn === jobArn));
}

/** GetJob requests that asked for QueueInfo: in these programs, only the gate's wait does. */
export function isWaitRead(e: EmulatorRequestLogEntry): boolean {
    return (e.query.additionalAttributeNames ?? []).includes("QueueInfo");
}

/**
 * Completes a job `afterMs` after the gate's first poll of it (whenever the program gets there,
 * however loaded the machine): the job is RUNNING when the update starts and COMPLETED during the
 * gate's wait. Resolves with the time it completed the job; rejects after `timeoutMs` without a poll.
 */
export async function completeAfterFirstPoll(
    emulator: BraketEmulator,
    jobArn: string,
    afterMs: number,
    timeoutMs = 90_000,
): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!getJobRequests(emulator.stats.log, jobArn).some(isWaitRead)) {
        if (Date.now() > deadline) throw new Error(`the gate never polled ${jobArn}`);
        await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, afterMs));
    emulator.setStatus(jobArn, "COMPLETED");
    return Date.now();
}

/** The lines of the CLI's progress that carry the gate's status messages. */
export function progressLines(output: string, resourceName: string): string[] {
    return output.split("\n").filter((l) => l.includes(`HybridJobCompletion ${resourceName} `) && /job [A-Z]+, waited/.test(l));
}

/** Reads a JSON file of the repository (seed jobs). */
export function readJson<T>(relative: string): T {
    return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, relative), "utf8")) as T;
}

/** Where a text occurs in a JSON document: the paths of the string values (and ids) that contain it. */
export function pathsContaining(value: unknown, needle: string, at = "$"): string[] {
    if (typeof value === "string") return value.includes(needle) ? [at] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => pathsContaining(v, needle, `${at}[${i}]`));
    if (value && typeof value === "object") {
        return Object.entries(value).flatMap(([k, v]) => [
            ...(k.includes(needle) ? [`${at} (key ${JSON.stringify(k)})`] : []),
            ...pathsContaining(v, needle, `${at}.${k}`),
        ]);
    }
    return [];
}

/** A seed job of an emulator jobs file (a GetJob body, maybe with an `emulator` member). */
export type SeedJob = Record<string, unknown> & {
    jobArn: string;
    jobName: string;
    status: string;
    failureReason?: string;
    emulator?: { queuePosition?: number };
};

/** The demo's seed jobs (examples/demo/jobs.json). */
export const DEMO_JOBS = readJson<SeedJob[]>("examples/demo/jobs.json");

/** The demo job with this status. */
export function demoJob(status: string): SeedJob {
    const job = DEMO_JOBS.find((j) => j.status === status);
    if (!job) throw new Error(`examples/demo/jobs.json has no ${status} job`);
    return job;
}
