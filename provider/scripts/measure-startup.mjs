#!/usr/bin/env node
/**
 * measure-startup.mjs — how long a provider plugin takes from exec to its port line, and its RSS then.
 *
 * Usage: node provider/scripts/measure-startup.mjs [--runs N] [--json] [--max-median-ms MS] -- CMD [ARGS...]
 *   e.g. node provider/scripts/measure-startup.mjs --runs 20 -- bin/pulumi-resource-braket 127.0.0.1:1
 *        node provider/scripts/measure-startup.mjs -- node dist/plugin/pulumi-resource-braket.js 127.0.0.1:1
 * Starts CMD N times (one at a time, after one unmeasured warm-up run), takes the time from spawn to the
 * first stdout line (which must be a port number), and at that moment its VmRSS and the CPU time of
 * all its threads (from /proc; CPU time is steadier than wall time when the machine is busy),
 * then kills it. Prints min/median/max; exits 1 if a run fails or the median exceeds --max-median-ms.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { parseArgs } from "node:util";

const { values: opts, positionals: cmd } = parseArgs({
    allowPositionals: true,
    options: {
        runs: { type: "string", default: "20" },
        json: { type: "boolean", default: false },
        "max-median-ms": { type: "string" },
        timeout: { type: "string", default: "15000" },
    },
});
if (cmd.length === 0) {
    process.stderr.write("usage: measure-startup.mjs [--runs N] [--json] [--max-median-ms MS] -- CMD [ARGS...]\n");
    process.exit(2);
}

function once() {
    return new Promise((resolve, reject) => {
        const t0 = process.hrtime.bigint();
        const child = spawn(cmd[0], cmd.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        let done = false;
        const timer = setTimeout(() => finish(new Error(`no port line within ${opts.timeout} ms`)), Number(opts.timeout));
        function finish(err, value) {
            if (done) return;
            done = true;
            clearTimeout(timer);
            child.kill("SIGKILL");
            child.once("close", () => (err ? reject(new Error(`${err.message}\nstdout: ${stdout}\nstderr: ${stderr}`)) : resolve(value)));
        }
        child.stdout.on("data", (d) => {
            stdout += d;
            const nl = stdout.indexOf("\n");
            if (nl < 0) return;
            const ms = Number(process.hrtime.bigint() - t0) / 1e6;
            let rssKiB = NaN;
            let cpuNs = 0;
            try {
                rssKiB = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]);
                // CPU time of all its threads so far: steadier than wall time on a busy machine.
                for (const task of fs.readdirSync(`/proc/${child.pid}/task`)) {
                    cpuNs += Number(fs.readFileSync(`/proc/${child.pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
                }
            } catch {
                // not Linux, or already gone
            }
            const line = stdout.slice(0, nl);
            if (!/^\d+$/.test(line)) finish(new Error(`first stdout line is not a port: ${JSON.stringify(line)}`));
            else finish(null, { ms, cpuMs: cpuNs / 1e6, rssMiB: rssKiB / 1024, stderr });
        });
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", (err) => finish(err));
        child.on("exit", (code, signal) => finish(new Error(`exited (${code ?? signal}) before printing a port`)));
    });
}

const runs = Number(opts.runs);
const results = [];
try {
    await once(); // warm-up: page cache
    for (let i = 0; i < runs; i++) results.push(await once());
} catch (err) {
    process.stderr.write(`measure-startup: ${err.message}\n`);
    process.exit(1);
}
const stat = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, max: s[s.length - 1] };
};
const ms = stat(results.map((r) => r.ms));
const cpu = stat(results.map((r) => r.cpuMs));
const rss = stat(results.map((r) => r.rssMiB));
const stderrSeen = [...new Set(results.map((r) => r.stderr).filter(Boolean))];
if (opts.json) {
    console.log(JSON.stringify({ command: cmd, runs, timeToPortMs: ms, cpuMs: cpu, rssMiB: rss, stderr: stderrSeen }));
} else {
    const f = (o, d) => `min ${o.min.toFixed(d)}  median ${o.median.toFixed(d)}  max ${o.max.toFixed(d)}`;
    console.log(`${cmd.join(" ")}  (${runs} runs)`);
    console.log(`  time to port (ms): ${f(ms, 1)}`);
    console.log(`  CPU to port (ms):  ${f(cpu, 1)}  (all threads)`);
    console.log(`  RSS at port (MiB): ${f(rss, 1)}`);
    for (const s of stderrSeen) console.log(`  stderr: ${s.trimEnd()}`);
}
if (opts["max-median-ms"] !== undefined && ms.median > Number(opts["max-median-ms"])) {
    process.stderr.write(`measure-startup: median ${ms.median.toFixed(1)} ms exceeds ${opts["max-median-ms"]} ms\n`);
    process.exit(1);
}
