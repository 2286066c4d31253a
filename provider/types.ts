/**
 * The result and input types the provider produces, as the generated SDK declares them from the
 * schema: the provider's mapping is checked against them by the compiler (type-only: nothing of
 * the SDK runs in the provider).
 */
export type {
    GetHybridJobResult,
    HybridJob,
    HybridJobStatus,
    HybridJobTerminalStatus,
    HybridJobAdditionalAttributeName,
} from "../sdk/types";
