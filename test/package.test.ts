/**
 * The package as users load it: `require("pulumi-braket")` and `import … from "pulumi-braket"` (ESM),
 * its subpath exports, its bin, and what `npm pack` would publish.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runProcess } from "./support/process";

const REPO = path.resolve(__dirname, "..", "..");
/** The generated SDK's API (functions and classes). */
const API = ["getHybridJob", "getHybridJobOutput", "getHybridJobs", "getHybridJobsOutput", "HybridJobCompletion", "Provider"];

describe("the pulumi-braket package", function () {
    this.timeout(60000);

    it("exposes the API to require() and to ESM import", async () => {
        // Inside the repository, where node_modules/pulumi-braket resolves (as in a user's project).
        fs.mkdirSync(path.join(REPO, ".tools"), { recursive: true });
        const dir = fs.mkdtempSync(path.join(REPO, ".tools", "esm-"));
        try {
            const script = path.join(dir, "probe.mjs");
            fs.writeFileSync(
                script,
                `import * as named from "pulumi-braket";\nimport def from "pulumi-braket";\nimport { createRequire } from "node:module";\n` +
                    `const cjs = createRequire(import.meta.url)("pulumi-braket");\n` +
                    `const names = ${JSON.stringify(API)};\n` +
                    `console.log(JSON.stringify(names.map((n) => [typeof named[n], typeof def[n], typeof cjs[n]])));\n`,
            );
            const { code, stdout, stderr } = await runProcess(process.execPath, [script], 30000, process.env, undefined, REPO);
            assert.equal(code, 0, stderr);
            for (const [i, kinds] of (JSON.parse(stdout) as string[][]).entries()) {
                assert.deepEqual(kinds, ["function", "function", "function"], API[i]);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("resolves its subpath exports and ships typings for each", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
        for (const [subpath, target] of Object.entries(pkg.exports as Record<string, { types: string; default: string } | string>)) {
            if (typeof target === "string") continue;
            assert.ok(fs.existsSync(path.join(REPO, target.default)), `${subpath}: ${target.default}`);
            assert.ok(fs.existsSync(path.join(REPO, target.types)), `${subpath}: ${target.types}`);
        }
        // As a user's CommonJS program resolves them.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        assert.equal(typeof require("pulumi-braket/testing").hybridJobResult, "function");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        assert.equal(typeof require("pulumi-braket/testing").hybridJobsResult, "function");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        assert.equal(typeof require("pulumi-braket/emulator").startBraketEmulator, "function");
    });

    it("publishes the compiled SDK with the package.json it reads its version from, the CLI and the model; no tests, no plugin binary", async () => {
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "npm-cache-"));
        try {
            const { code, stdout, stderr } = await runProcess(
                "npm",
                ["pack", "--dry-run", "--json", "--cache", cache],
                60000,
                process.env,
                undefined,
                REPO,
            );
            assert.equal(code, 0, stderr);
            const files: string[] = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path);
            for (const needed of [
                "dist/sdk/nodejs/index.js",
                "dist/sdk/nodejs/index.d.ts",
                // The SDK's getVersion() reads it: without it, `import "pulumi-braket"` throws.
                "dist/sdk/nodejs/package.json",
                "dist/provider/cli.js",
                "dist/provider/model/braket-2019-09-01.json",
                "README.md",
                // Linked from the README.
                "provider/emulator/README.md",
            ]) {
                assert.ok(files.includes(needed), `missing ${needed}`);
            }
            assert.ok(!files.some((f) => f.startsWith("dist/test/") || f.startsWith("test/")), "tests would be published");
            // The 86 MiB executable ships in the plugin's release tarball, not in the npm package.
            assert.ok(!files.some((f) => f.startsWith("bin/") || f.startsWith("dist/plugin/")), "the plugin binary would be published");
            const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
            assert.ok(files.includes(pkg.bin["pulumi-braket"]), "the CLI named in bin is published");
        } finally {
            fs.rmSync(cache, { recursive: true, force: true });
        }
    });
});
