/**
 * pulumi-braket's provider layer: what talks to AWS. Programs import `pulumi-braket`; this entry
 * point (`pulumi-braket/provider`) is what the HybridJobCompletion dynamic provider requires at run
 * time inside Pulumi's provider process, and what tools (the CLI, the benchmark) build on.
 */
export { resolveLookup, readHybridJob, fetchHybridJob, requestCounters, type HybridJobLookup, type HybridJobLookupArgs } from "./hybridJob";
export {
    waitForHybridJob,
    backoffDelayMs,
    checkWaitOptions,
    realClock,
    DEFAULT_POLLING,
    type WaitOptions,
    type WaitProgress,
    type WaitClock,
    type PollingOptions,
} from "./wait";
export { checkCompletion, diffCompletion, createCompletion, updateCompletion, readCompletion, type CompletionInputs } from "./completion";
export { progressLine, formatSeconds } from "./progress";
export { braketConnection, destroyConnections, connectionCount } from "./clients";
export { toHybridJobResult } from "./mapping";
