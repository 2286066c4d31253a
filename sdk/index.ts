/**
 * pulumi-braket: read Amazon Braket hybrid jobs in Pulumi programs, gate deployments on them, and
 * wire their outputs into other resources.
 */
export { getHybridJob, getHybridJobOutput, GET_HYBRID_JOB_TOKEN } from "./getHybridJob";
export type { GetHybridJobOutputArgs } from "./getHybridJob";
export * from "./types";
export {
    BraketJobError,
    HybridJobArgumentError,
    BraketServiceError,
    HybridJobNotFoundError,
    HybridJobAccessDeniedError,
    HybridJobValidationError,
    HybridJobThrottledError,
    BraketUnavailableError,
    BraketCredentialsError,
    HybridJobFailedError,
    HybridJobWaitTimeoutError,
    HybridJobWaitCancelledError,
} from "../provider/errors";
export { TERMINAL_STATUSES, RESULTS_OBJECT, isTerminalStatus, parseS3Location, toHybridJobResult } from "../provider/mapping";
export { HybridJobCompletion, hybridJobCompletionProvider, HYBRID_JOB_COMPLETION_TYPE } from "./hybridJobCompletion";
export type { HybridJobCompletionArgs } from "./hybridJobCompletion";
