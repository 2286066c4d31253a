/**
 * Runs the REAL AWS CLI (`aws` on PATH) against an endpoint in a sealed
 * environment: fake keys, an empty config and credentials file, a temporary
 * HOME, IMDS disabled, no retries, JSON output. Nothing from the machine's
 * own AWS setup (profiles, SSO caches, CA bundles, ...) leaks in.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export const INSTALL_HINT =
    "The AWS CLI ('aws') is not on PATH. Install Debian's awscli package (apt-get update && apt-get install -y awscli) or any AWS CLI v1/v2, then re-run the tests.";

/** `aws --version` output, or undefined when the CLI cannot be run. */
export function awsCliVersion(): string | undefined {
    const r = spawnSync("aws", ["--version"], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: tmpdir() }, timeout: 30000 });
    if (r.error || r.status !== 0) return undefined;
    return `${r.stdout}${r.stderr}`.trim();
}

export interface AwsResult {
    code: number | null;
    stdout: string;
    stderr: string;
    json(): Record<string, unknown>;
}

export class AwsCliSandbox {
    readonly home: string;
    private readonly env: NodeJS.ProcessEnv;

    constructor(credentials: { accessKeyId: string; secretAccessKey: string }) {
        this.home = mkdtempSync(path.join(tmpdir(), "braket-awscli-"));
        const config = path.join(this.home, "config");
        const creds = path.join(this.home, "credentials");
        writeFileSync(config, "");
        writeFileSync(creds, "");
        this.env = {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            HOME: this.home,
            LANG: "C.UTF-8",
            AWS_ACCESS_KEY_ID: credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
            AWS_CONFIG_FILE: config,
            AWS_SHARED_CREDENTIALS_FILE: creds,
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_MAX_ATTEMPTS: "1",
            AWS_RETRY_MODE: "standard",
            AWS_PAGER: "",
            AWS_DEFAULT_OUTPUT: "json",
            ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
        };
    }

    /** Runs `aws <args> --endpoint-url <endpoint> --region <region> --output json`. */
    run(args: string[], endpoint: string, region: string): Promise<AwsResult> {
        const full = [...args, "--endpoint-url", endpoint, "--region", region, "--output", "json"];
        return new Promise((resolve) => {
            execFile("aws", full, { env: this.env, cwd: this.home, timeout: 60000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
                const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : null) : 0;
                resolve({
                    code,
                    stdout,
                    stderr,
                    json: () => {
                        try {
                            return JSON.parse(stdout) as Record<string, unknown>;
                        } catch {
                            throw new Error(`aws ${args.join(" ")} did not print JSON (exit ${code}):\n${stdout}\n${stderr}`);
                        }
                    },
                });
            });
        });
    }

    dispose(): void {
        rmSync(this.home, { recursive: true, force: true });
    }
}
