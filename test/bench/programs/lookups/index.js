/**
 * Benchmark program of test/bench/bench.ts (items A and C), run under the real engine by `pulumi
 * preview`. The plan (JSON, path in BRAKET_BENCH_PLAN) says what to do:
 *
 *   { "mode": "interleaved", "arns": [...], "warmup": 20, "handlerModule": "/abs/dist/test/support/lookup.js",
 *     "region": "us-east-1", "deadline": <epoch ms> }
 *     Rounds of three lookups of distinct jobs, one after another: braket.getHybridJob (an invoke: this
 *     program -> the engine -> the braket plugin -> GetJob), the provider's invoke handler loaded into
 *     this process (test/support/lookup.ts), and a bare BraketClient.send(GetJob). The order rotates
 *     from round to round. The first `warmup` rounds are not recorded (the first one starts the plugin).
 *   { "mode": "one", "arns": [arn] }    one braket.getHybridJob, nothing else (a whole preview's cost).
 *   { "mode": "empty" }                 no lookup and no pulumi-braket: the preview's cost without braket.
 *
 * Each call's wall time (process.hrtime) goes, as JSON, to the file named by BRAKET_BENCH_OUT.
 */
"use strict";
const fs = require("node:fs");

const startedMs = process.uptime() * 1000;

function msSince(t) {
    return Number(process.hrtime.bigint() - t) / 1e6;
}

async function timed(fn, arn, kind) {
    const t = process.hrtime.bigint();
    const job = await fn(arn);
    const ms = msSince(t);
    if (job.jobArn !== arn) throw new Error(`${kind} returned ${job.jobArn} for ${arn}`);
    return ms;
}

async function main() {
    const plan = JSON.parse(fs.readFileSync(process.env.BRAKET_BENCH_PLAN, "utf8"));
    const out = { mode: plan.mode, programStartMs: startedMs, engine: [], handler: [], bare: [], order: [], rounds: 0, cutShort: false };
    if (plan.mode === "empty") {
        fs.writeFileSync(process.env.BRAKET_BENCH_OUT, JSON.stringify(out));
        return {};
    }
    const braket = require("pulumi-braket");
    const engine = (jobArn) => braket.getHybridJob({ jobArn });
    if (plan.mode === "one") {
        out.engine.push(await timed(engine, plan.arns[0], "getHybridJob"));
        fs.writeFileSync(process.env.BRAKET_BENCH_OUT, JSON.stringify(out));
        return {};
    }
    const { BraketClient, GetJobCommand } = require("@aws-sdk/client-braket");
    const { lookUp } = require(plan.handlerModule);
    const client = new BraketClient({ region: plan.region });
    const kinds = {
        engine,
        handler: (jobArn) => lookUp({ jobArn }),
        bare: (jobArn) => client.send(new GetJobCommand({ jobArn })),
    };
    const rotations = [
        ["engine", "handler", "bare"],
        ["handler", "bare", "engine"],
        ["bare", "engine", "handler"],
    ];
    let next = 0;
    const rounds = Math.floor(plan.arns.length / 3);
    try {
        for (let r = 0; r < rounds; r++) {
            if (r >= plan.warmup && Date.now() > plan.deadline) {
                out.cutShort = true;
                break;
            }
            const order = rotations[r % rotations.length];
            const times = {};
            for (const kind of order) times[kind] = await timed(kinds[kind], plan.arns[next++], kind);
            if (r >= plan.warmup) {
                for (const kind of order) out[kind].push(times[kind]);
                out.order.push(order[0]);
                out.rounds++;
            }
        }
    } finally {
        client.destroy();
    }
    fs.writeFileSync(process.env.BRAKET_BENCH_OUT, JSON.stringify(out));
    return {};
}

module.exports = main;
