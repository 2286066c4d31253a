/**
 * The types the provider produces, as the generated SDK declares them from the schema, so that the
 * compiler checks the provider's mapping against the schema. Type-only: nothing of the SDK runs in
 * the provider.
 */
import type { GetJobResponse } from "@aws-sdk/client-braket";
import type {
    GetHybridJobResult,
    GetHybridJobsResult,
    HybridJobAdditionalAttributeName,
    HybridJobStatus,
    HybridJobTerminalStatus,
    types,
} from "pulumi-braket";

export type { GetHybridJobResult, GetHybridJobsResult, HybridJobAdditionalAttributeName, HybridJobStatus, HybridJobTerminalStatus };

/** A job as SearchJobs lists it (Braket's JobSummary). */
export type HybridJobSummary = types.output.HybridJobSummary;

/** The members of the result that are GetJob's own (the rest are conveniences). */
export type HybridJob = Omit<GetHybridJobResult, Exclude<keyof GetHybridJobResult, keyof GetJobResponse>>;
