/**
 * The provider's settings (provider/config.ts): `maxRetries` (default 25, as Terraform's AWS
 * provider) and `retryMode`, checked before any request, in the schema, and applied to lookups.
 */
import { strict as assert } from "node:assert";
import schema from "../provider/cmd/pulumi-resource-braket/schema.json";
import { destroyConnections } from "../provider/clients";
import {
    DEFAULT_MAX_RETRIES,
    parseProviderConfig,
    PROVIDER_CONFIG_DOCS,
    PROVIDER_CONFIG_KEYS,
    providerConfigFailures,
    RETRY_MODES,
} from "../provider/config";
import { HybridJobArgumentError } from "../provider/errors";
import { resolveLookup } from "../provider/hybridJob";
import { startBraketEmulator } from "../provider/emulator";
import { AwsTestEnvironment, fixtureJob } from "./support/emulator";
import { lookUp } from "./support/lookup";
import { NO_BOUNDS } from "./support/stubEndpoint";

const ARN = "arn:aws:braket:us-east-1:123456789012:job/3b7c9d1e-2f4a-4b6c-8d0e-1f2a3b4c5d6e";

describe("the provider's retry settings", () => {
    it("accepts retryMode standard or adaptive, and refuses anything else naming braket:retryMode", () => {
        assert.deepEqual(RETRY_MODES, ["standard", "adaptive"]);
        assert.deepEqual(parseProviderConfig({ retryMode: "adaptive", maxRetries: "5" }), { retryMode: "adaptive", maxRetries: 5 });
        assert.deepEqual(parseProviderConfig({ retryMode: "" }), {});
        for (const bad of ["legacy", "Adaptive", 3, {}]) {
            assert.throws(
                () => parseProviderConfig({ retryMode: bad }),
                (err: unknown) =>
                    err instanceof HybridJobArgumentError &&
                    err.argument === "retryMode" &&
                    /^braket:retryMode: retryMode .* is not one of "standard", "adaptive"/.test(err.message),
                String(bad),
            );
        }
        assert.deepEqual(
            providerConfigFailures({ retryMode: "fast", maxRetries: 500 }).map((f) => f.property),
            ["maxRetries", "retryMode"],
        );
    });

    it("documents both settings, with the default of 25 retries, in the schema the SDKs are generated from", () => {
        assert.equal(DEFAULT_MAX_RETRIES, 25);
        assert.ok(PROVIDER_CONFIG_KEYS.includes("retryMode"));
        const config = (schema as unknown as { config: { variables: Record<string, { type: string; description: string }> } }).config
            .variables;
        for (const key of ["maxRetries", "retryMode"] as const) {
            assert.equal(config[key].type, PROVIDER_CONFIG_DOCS[key].type);
            assert.equal(config[key].description, PROVIDER_CONFIG_DOCS[key].description, `schema.json is stale for ${key}: regenerate it`);
        }
        assert.match(config.maxRetries.description, /else 25, as Terraform's AWS provider/);
    });

    it("applies the provider's retry settings to every lookup, and keeps different ones apart", () => {
        const lookup = resolveLookup({ jobArn: ARN }, { provider: { retryMode: "adaptive", maxRetries: 7 } });
        assert.equal(lookup.target.retryMode, "adaptive");
        assert.equal(lookup.target.maxRetries, 7);
        assert.equal(resolveLookup({ jobArn: ARN }).target.retryMode, undefined, "unset: AWS_RETRY_MODE, shared config, else standard");
    });

    it("reads through throttling in adaptive mode too", async function () {
        this.timeout(20_000);
        const env = new AwsTestEnvironment();
        const running = fixtureJob("grover-search-running");
        let n = 0;
        const emu = await startBraketEmulator({ jobs: [running], faultFor: () => (n++ < 2 ? "throttle" : undefined) });
        try {
            env.apply({ ...NO_BOUNDS, AWS_ENDPOINT_URL_BRAKET: emu.endpoint });
            assert.equal((await lookUp({ jobArn: running.jobArn }, { retryMode: "adaptive" })).status, "RUNNING");
            assert.equal(emu.stats.byStatus["429"], 2);
        } finally {
            destroyConnections();
            await emu.close();
            env.restore();
        }
    });
});
