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

/** Leaves Pulumi's runtime as a plain Node process has it: no monitor, no mocks. */
export function resetPulumiRuntime(): void {
    pulumi.runtime.resetOptions("", "", -1, "", "", false, "");
}
