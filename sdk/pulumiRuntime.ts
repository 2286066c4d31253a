/**
 * What pulumi-braket needs to know about the Pulumi run it is in: whether Pulumi's mocks answer
 * invokes, the per-run cache of lookups, the stack's `aws:profile`, and Pulumi's own handling of an
 * invoke's `dependsOn`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { GetHybridJobResult } from "./types";

/**
 * True when `pulumi.runtime.setMocks` is in force: invokes then go to the mocks' `call`. Told by the
 * monitor's shape, not `instanceof`, so that it holds when the program's `@pulumi/pulumi` is another
 * copy than ours (the runtime's store is shared between copies; their classes are not).
 */
export function mocksActive(): boolean {
    if (!pulumi.runtime.hasMonitor()) {
        return false;
    }
    const monitor = pulumi.runtime.getMonitor() as { constructor?: { name?: string }; mocks?: unknown } | undefined;
    return monitor?.constructor?.name === "MockMonitor" && typeof monitor.mocks === "object";
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

/**
 * Pulumi's own expansion of `dependsOn` (components to the custom resources they contain), as its
 * invokeOutput uses it. It is not part of Pulumi's public API, so it is loaded with care: without
 * it, the resources named in `dependsOn` are used as they are.
 */
function loadDependsOnModule(): DependsOnModule {
    try {
        const loaded = require("@pulumi/pulumi/runtime/dependsOn") as Partial<DependsOnModule>;
        if (typeof loaded.gatherExplicitDependencies === "function" && typeof loaded.getAllTransitivelyReferencedResources === "function") {
            return loaded as DependsOnModule;
        }
    } catch {
        // fall through
    }
    return {
        gatherExplicitDependencies: async (dependsOn) => {
            const resolved: unknown = await dependsOn;
            const list: unknown[] = Array.isArray(resolved) ? await Promise.all(resolved) : [resolved];
            return list.filter((r): r is pulumi.Resource => pulumi.Resource.isInstance(r));
        },
        getAllTransitivelyReferencedResources: async (resources) => resources,
    };
}
const dependsOnModule = loadDependsOnModule();

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
