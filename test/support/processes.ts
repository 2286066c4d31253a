/** Linux process inspection for the signal tests: who is still running, read from /proc. */
import * as fs from "node:fs";

/** Whether a process runs (a zombie, exited but not yet reaped by its new parent, does not). */
export function isRunning(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
        return false;
    }
}

/** Running processes whose command line contains `text`, with their command lines. */
export function runningWith(text: string): { pid: number; cmdline: string }[] {
    const out: { pid: number; cmdline: string }[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
        let cmdline: string;
        try {
            cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
        } catch {
            continue;
        }
        if (cmdline.includes(text) && isRunning(Number(entry))) out.push({ pid: Number(entry), cmdline });
    }
    return out;
}

/** Polls `check` every 50 ms until it returns true or `ms` passes; returns whether it did. */
export async function eventually(check: () => boolean, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    for (;;) {
        if (check()) return true;
        if (Date.now() > until) return false;
        await new Promise((r) => setTimeout(r, 50));
    }
}

export const LINUX_PROC = process.platform === "linux" && fs.existsSync("/proc/self/stat");
