import { spawn } from "node:child_process";

/** Runs a script in a fresh Node process; kills it (and fails the result) if it outlives `limitMs`. */
export function runNode(
    script: string,
    limitMs: number,
    env: NodeJS.ProcessEnv = process.env,
): Promise<{ stdout: string; stderr: string; code: number | null; killed: boolean }> {
    return runProcess(process.execPath, ["-e", script], limitMs, env);
}

/** Runs a command; kills it if it outlives `limitMs`. `wallMs` is from spawn to exit. */
export function runProcess(
    command: string,
    args: string[],
    limitMs: number,
    env: NodeJS.ProcessEnv = process.env,
    input?: string,
    cwd?: string,
): Promise<{ stdout: string; stderr: string; code: number | null; killed: boolean; wallMs: number }> {
    return new Promise((resolve, reject) => {
        const start = process.hrtime.bigint();
        const child = spawn(command, args, { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        let killed = false;
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => {
            killed = true;
            child.kill("SIGKILL");
        }, limitMs);
        child.on("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ stdout, stderr, code, killed, wallMs: Number(process.hrtime.bigint() - start) / 1e6 });
        });
        child.stdin.end(input ?? "");
    });
}
