/**
 * Shared helpers of the benchmark (bench.ts) and the fault soak (soak.ts): seed jobs, statistics,
 * the machine's description, child processes with timing, and markdown tables.
 */
import { randomUUID } from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import { fixtureJobs } from "../support/emulator";
import { runProcess } from "../support/process";

/** The repository root (this file runs from dist/test/bench). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
/** The package's own CLI, as built. */
export const CLI_JS = path.join(REPO_ROOT, "dist", "provider", "cli.js");
/** The provider plugin, as `npm run build` writes it: a single executable application. */
export const PLUGIN_BIN = path.join(REPO_ROOT, "bin", "pulumi-resource-braket");
/** The one-file bundle the plugin is made of (provider/scripts/build-plugin.mjs), runnable by node. */
export const PLUGIN_BUNDLE = path.join(REPO_ROOT, "dist", "plugin", "pulumi-resource-braket.js");

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

export type JobBody = Record<string, unknown> & { jobArn: string; jobName: string };

/** A fixture job as GetJob returns it, without the emulator-only member. */
export function template(name: string): JobBody {
    const job = fixtureJobs().find((j) => j.jobName === name);
    if (!job) throw new Error(`no fixture job named ${name}`);
    const { emulator: _ignored, ...body } = job;
    return body as JobBody;
}

export function newJobArn(id: string = randomUUID(), region = REGION): string {
    return `arn:aws:braket:${region}:${ACCOUNT}:job/${id}`;
}

/** `count` distinct jobs shaped like the fixture `name` (default: the fully populated COMPLETED one). */
export function distinctJobs(count: number, prefix: string, name = "qaoa-maxcut-forte"): JobBody[] {
    const base = template(name);
    const jobs: JobBody[] = [];
    for (let i = 0; i < count; i++) {
        jobs.push({ ...structuredClone(base), jobArn: newJobArn(), jobName: `${prefix}-${i}`.slice(0, 50) });
    }
    return jobs;
}

export function median(values: number[]): number {
    return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: number[], p: number): number {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[Math.min(sorted.length, rank) - 1];
}

export function mean(values: number[]): number {
    return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Median, p95 and mean of a list of times, and how many there are. */
export interface Summary {
    n: number;
    medianMs: number;
    p95Ms: number;
    meanMs: number;
}

export function summarize(values: number[]): Summary {
    return { n: values.length, medianMs: median(values), p95Ms: percentile(values, 95), meanMs: mean(values) };
}

/**
 * The time a whole run may take: measurements stop and items are skipped at its deadline, and the
 * time limit of a command is cut to what is left (plus a little, so a command is not cut mid-way
 * for nothing).
 */
export class Budget {
    readonly startedAt = Date.now();
    readonly deadline: number;

    constructor(readonly limitMs: number) {
        this.deadline = this.startedAt + limitMs;
    }

    remainingMs(): number {
        return this.deadline - Date.now();
    }

    over(): boolean {
        return Date.now() >= this.deadline;
    }

    fits(ms: number): boolean {
        return this.remainingMs() >= ms;
    }

    /** A command's time limit: its own, but not past the deadline by more than `graceMs`. */
    limit(ms: number, graceMs = 15_000): number {
        return Math.max(1_000, Math.min(ms, this.remainingMs() + graceMs));
    }

    elapsedMs(): number {
        return Date.now() - this.startedAt;
    }
}

/** Milliseconds since `start` (from process.hrtime.bigint()). */
export function msSince(start: bigint): number {
    return Number(process.hrtime.bigint() - start) / 1e6;
}

export interface MachineInfo {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    platform: string;
    release: string;
    /** os.loadavg() when this was taken: 1, 5 and 15 min (other work on the machine skews every figure). */
    loadAverage: number[];
}

export function machineInfo(): MachineInfo {
    const cpus = os.cpus();
    return {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? "unknown",
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
        platform: `${os.type()} ${os.arch()}`,
        release: os.release(),
        loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
}

export interface ProcessRun {
    code: number | null;
    stdout: string;
    stderr: string;
    /** From spawn to the child's exit, in ms. */
    wallMs: number;
    killed: boolean;
}

/** Runs a command to completion, timing it from spawn to exit; kills it after `limitMs`. */
export function timedRun(command: string, args: string[], env: NodeJS.ProcessEnv, limitMs = 60_000, cwd = REPO_ROOT): Promise<ProcessRun> {
    return runProcess(command, args, limitMs, env, undefined, cwd);
}

/** Sets environment variables (undefined deletes); returns a function that restores them. */
export function setEnv(values: Record<string, string | undefined>): () => void {
    const saved: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(values)) {
        saved[k] = process.env[k];
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    return () => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    };
}

/** A markdown table with aligned columns. */
export function markdownTable(header: string[], rows: string[][]): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? "").padEnd(widths[i])).join(" | ")} |`;
    return [line(header), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.map(line)].join("\n");
}

export function fmtMs(ms: number): string {
    if (!Number.isFinite(ms)) return "n/a";
    if (ms >= 10_000) return `${(ms / 1000).toFixed(2)} s`;
    if (ms >= 100) return `${ms.toFixed(0)} ms`;
    return `${ms.toFixed(2)} ms`;
}

export function fmtRatio(r: number): string {
    return Number.isFinite(r) ? `${r.toFixed(r < 0.1 ? 3 : 2)}×` : "n/a";
}

export function fmtMiB(bytes: number): string {
    return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
