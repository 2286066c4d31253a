/**
 * The engine's Log service, for a wait's progress as ephemeral status on the gate's own line of the
 * Pulumi CLI (what `pulumi.log.info(..., ephemeral)` does in a program). The engine passes its
 * address as the plugin's last argument.
 */
import * as grpc from "@grpc/grpc-js";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";

export interface EngineLog {
    /** Shows `message` on the resource's line until the next one replaces it. Never throws. */
    status(urn: string, message: string): void;
    close(): void;
}

export function connectEngineLog(address: string): EngineLog {
    const client = new engineRpc.EngineClient(address, grpc.credentials.createInsecure());
    return {
        status(urn, message) {
            const request = new engineProto.LogRequest()
                .setSeverity(engineProto.LogSeverity.INFO)
                .setMessage(message)
                .setUrn(urn)
                .setEphemeral(true);
            // Progress is best effort: a lost line must not fail the wait.
            client.log(request, () => undefined);
        },
        close: () => client.close(),
    };
}
