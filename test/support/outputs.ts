import * as pulumi from "@pulumi/pulumi";

/** What an Output holds, read through the Output's own (internal) promises, as Pulumi's tests do. */
export interface OutputDetails<T> {
    value: T | undefined;
    isKnown: boolean;
    isSecret: boolean;
    resources: pulumi.Resource[];
}

interface OutputInternals<T> {
    promise(withUnknowns?: boolean): Promise<T>;
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    allResources?: () => Promise<Set<pulumi.Resource>>;
}

export async function outputDetails<T>(output: pulumi.Output<T>): Promise<OutputDetails<T>> {
    const o = output as unknown as OutputInternals<T>;
    const [value, isKnown, isSecret, resources] = await Promise.all([
        o.promise(true),
        o.isKnown,
        o.isSecret,
        o.allResources ? o.allResources() : Promise.resolve(new Set<pulumi.Resource>()),
    ]);
    return { value: isKnown ? value : undefined, isKnown, isSecret, resources: [...resources] };
}

/**
 * Leaves Pulumi's runtime as a plain Node process has it: no monitor, no mocks, no config. Also drops
 * the promises the runtime still tracks (those of resources that wait on a failed one never settle),
 * which it would otherwise report at exit as leaked.
 */
export function resetPulumiRuntime(): void {
    pulumi.runtime.setAllConfig({});
    pulumi.runtime.resetOptions("", "", -1, "", "", false, "");
}

/**
 * Collects the unhandled rejections of a failing program: Pulumi leaves one for each Output of a
 * failed resource (or lookup) that nothing awaited. Under mocha they would go unnoticed; in a plain
 * Node process the first one would end the process.
 */
export function collectUnhandledRejections(): { reasons: unknown[]; stop(): void } {
    const reasons: unknown[] = [];
    const listener = (reason: unknown) => reasons.push(reason);
    process.on("unhandledRejection", listener);
    return { reasons, stop: () => process.removeListener("unhandledRejection", listener) };
}
