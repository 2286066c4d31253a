/**
 * What pulumi-braket needs to know about the Pulumi run it is in: whether Pulumi's mocks answer
 * invokes, the per-run cache of lookups, the stack's `aws:profile`, and Pulumi's own handling of an
 * invoke's `dependsOn`.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { GetHybridJobResult } from "./types";

/** True when `pulumi.runtime.setMocks` is in force: invokes then go to the mocks' `call`. */
export function mocksActive(): boolean {
    return pulumi.runtime.hasMonitor() && pulumi.runtime.getMonitor() instanceof MockMonitor;
}

const runCaches = new WeakMap<object, Map<string, Promise<GetHybridJobResult>>>();

/**
 * The lookup cache of the current Pulumi run (one per resource monitor, so an Automation API
 * process that runs several updates gets a fresh one each time); undefined outside Pulumi.
 */
export function currentRunCache(): Map<string, Promise<GetHybridJobResult>> | undefined {
    if (!pulumi.runtime.hasMonitor()) {
        return undefined;
    }
    const monitor = pulumi.runtime.getMonitor() as object | undefined;
    if (!monitor) {
        return undefined;
    }
    let cache = runCaches.get(monitor);
    if (!cache) {
        cache = new Map();
        runCaches.set(monitor, cache);
    }
    return cache;
}

/** The stack's `aws:profile` config, as @pulumi/aws reads it; undefined outside Pulumi or unset. */
export function stackAwsProfile(): string | undefined {
    try {
        return new pulumi.Config("aws").get("profile") || undefined;
    } catch {
        return undefined;
    }
}

interface DependsOnModule {
    gatherExplicitDependencies(dependsOn: unknown): Promise<pulumi.Resource[]>;
    getAllTransitivelyReferencedResources(resources: Set<pulumi.Resource>, exclude: Set<pulumi.Resource>): Promise<Set<pulumi.Resource>>;
}

// Pulumi's own expansion of `dependsOn` (components to the custom resources they contain), as its
// invokeOutput uses it. It is not part of the public API, hence the guarded require.
const dependsOnModule = require("@pulumi/pulumi/runtime/dependsOn") as DependsOnModule;

/**
 * An Output that resolves once every resource in `dependsOn` is registered, and is unknown (as
 * Pulumi's invokeOutput makes the result unknown) when any of them is still to be created during a
 * preview. Its value is their URNs and ids (what a lookup after them is shared by); its resource
 * dependencies are those resources.
 */
export function afterDependencies(dependsOn: pulumi.InvokeOutputOptions["dependsOn"]): pulumi.Output<string[]> {
    if (dependsOn === undefined) {
        return pulumi.output([]);
    }
    const gates = (async () => {
        const direct = await dependsOnModule.gatherExplicitDependencies(dependsOn);
        const all = await dependsOnModule.getAllTransitivelyReferencedResources(new Set(direct), new Set());
        const custom = [...all].filter((r): r is pulumi.CustomResource => pulumi.CustomResource.isInstance(r));
        // Each resource's own output carries it as a dependency: the URNs of those named (components
        // too, as Pulumi's invokeOutput records them), the ids of the custom resources they contain.
        return [...direct.map((r) => r.urn), ...custom.map((r) => r.id)];
    })();
    return pulumi.output(gates).apply((outputs) => pulumi.all(outputs));
}
