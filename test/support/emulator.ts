import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startBraketEmulator, type BraketEmulator, type EmulatorOptions } from "../../provider/emulator";
import { destroyConnections } from "../../provider/clients";
import { forgetFinishedJobs } from "../../provider/hybridJob";

/** The fixture jobs (test/fixtures/jobs.json), read from the source tree. */
export function fixtureJobs(): Record<string, unknown>[] {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "test", "fixtures", "jobs.json"), "utf8"));
}

export function fixtureJob(name: string): Record<string, unknown> {
    const job = fixtureJobs().find((j) => j.jobName === name);
    if (!job) throw new Error(`no fixture job named ${name}`);
    return job;
}

export const TEST_CREDENTIALS = { accessKeyId: "AKIAEMULATORTEST0001", secretAccessKey: "emulator/secret/key/for/tests/only/0001" };

/**
 * An isolated AWS environment for one suite: fake static credentials, no shared config from the
 * machine, no instance metadata, and the emulator's endpoint; restores everything afterwards.
 * Each apply and restore starts afresh: no client, and no finished job remembered from another
 * endpoint (the provider reuses a terminal job's read for identical lookups, and the environment's
 * endpoint is not part of a lookup).
 */
export class AwsTestEnvironment {
    private saved: Record<string, string | undefined> = {};
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-braket-aws-"));

    apply(extra: Record<string, string | undefined> = {}): void {
        const values: Record<string, string | undefined> = {
            AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
            AWS_REGION: "eu-central-1",
            AWS_DEFAULT_REGION: undefined,
            AWS_CONFIG_FILE: path.join(this.dir, "config"),
            AWS_SHARED_CREDENTIALS_FILE: path.join(this.dir, "credentials"),
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_ENDPOINT_URL: undefined,
            AWS_ENDPOINT_URL_BRAKET: undefined,
            AWS_MAX_ATTEMPTS: undefined,
            AWS_RETRY_MODE: undefined,
            PULUMI_BRAKET_REQUESTS_PER_SECOND: "1000",
            PULUMI_BRAKET_REQUEST_BURST: "1000",
            ...extra,
        };
        for (const [k, v] of Object.entries(values)) {
            if (!(k in this.saved)) this.saved[k] = process.env[k];
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
        destroyConnections();
        forgetFinishedJobs();
    }

    restore(): void {
        for (const [k, v] of Object.entries(this.saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
        this.saved = {};
        destroyConnections();
        forgetFinishedJobs();
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** Starts an emulator seeded with the fixtures (unless `jobs` is given). */
export function startFixtureEmulator(options: EmulatorOptions = {}): Promise<BraketEmulator> {
    return startBraketEmulator({ jobs: fixtureJobs(), ...options });
}
