/**
 * The README's TypeScript Quick start, followed as a new user would, in a fresh directory outside
 * the repository: `npm pack` of this package, `npm install` of the tarball and @pulumi/pulumi, the
 * TypeScript the README pins, the README's own program (read from the README, not copied here),
 * then `pulumi up` and `pulumi destroy` under the real engine with the plugin installed from its
 * tarball. It needs the npm registry.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    ENGINE_BUILD_TIMEOUT_MS,
    REPO_ROOT,
    demoJob,
    describeResult,
    runTracked,
    startWorld,
    type E2eWorld,
    type PulumiStack,
} from "./harness";

/** The code block of a README section: the first ```<lang> block after the heading. */
function readmeBlock(heading: string, lang: string): string {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const at = readme.indexOf(`\n${heading}\n`);
    assert.ok(at >= 0, `README has no section ${heading}`);
    const start = readme.indexOf("```" + lang + "\n", at);
    const end = readme.indexOf("\n```", start + 4);
    return readme.slice(start + lang.length + 4, end);
}

describe("e2e quickstart: the README's TypeScript Quick start in a fresh project", function () {
    this.timeout(300_000);
    const completed = demoJob("COMPLETED");
    let world: E2eWorld;
    let stack: PulumiStack;
    let dir: string;

    before(async function () {
        this.timeout(ENGINE_BUILD_TIMEOUT_MS + 240_000);
        if (process.env.SKIP_E2E) this.skip();
        world = await startWorld("quickstart", [completed]);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-braket-quickstart-"));
        const npm = async (args: string[], cwd: string) => {
            const r = await runTracked("npm", [...args, "--no-audit", "--no-fund", "--loglevel", "error"], {
                cwd,
                env: world.env,
                timeoutMs: 180_000,
            });
            assert.equal(r.code, 0, `npm ${args.join(" ")}:\n${r.stdout}\n${r.stderr}`);
            return r.stdout.trim();
        };
        const tarball = (await npm(["pack", "--pack-destination", dir], REPO_ROOT)).split("\n").pop()!;
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "my-training", private: true }, null, 2));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: my-training\nruntime: nodejs\nmain: index.ts\n");
        // The README's install lines, with the tarball made above.
        const install = readmeBlock("### TypeScript", "bash")
            .split("\n")
            .filter((l) => l.startsWith("npm install"))
            .map((l) => l.replace(/#.*$/, "").trim().split(/\s+/).slice(1));
        assert.equal(install.length, 2, "the Quick start installs the SDK, then TypeScript");
        await npm(
            install[0].map((a) => (a.endsWith(".tgz") ? path.join(dir, tarball) : a)),
            dir,
        );
        await npm(install[1], dir);
        fs.writeFileSync(path.join(dir, "index.ts"), readmeBlock("### TypeScript", "ts"));
        stack = world.stack(dir);
        await stack.init();
        await stack.setConfig("jobArn", completed.jobArn);
    });

    after(async function () {
        this.timeout(60_000);
        await stack?.remove();
        await world?.close();
        if (dir && !process.env.E2E_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("e2e: quickstart the installed TypeScript is the one the README pins, and up and destroy work", async function () {
        const ts = JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "typescript", "package.json"), "utf8")).version as string;
        assert.match(ts, /^5\.9\./, `TypeScript ${ts} was installed`);
        const result = await stack.up();
        assert.equal(result.code, 0, describeResult(result));
        assert.doesNotMatch(result.stdout + result.stderr, /[Ww]arning|error:/, "the update printed warnings or errors");
        const outputs = await stack.outputs();
        assert.equal(outputs.statusWhenRead, "COMPLETED");
        assert.match(String(outputs.modelUri), /\/output\/model\.tar\.gz$/);
        assert.equal(outputs.results, outputs.modelUri);
        const destroyed = await stack.destroy();
        assert.equal(destroyed.code, 0, describeResult(destroyed));
    });
});
