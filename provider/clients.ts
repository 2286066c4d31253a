/**
 * The one place where AWS clients are built. Clients are reused per region, profile and endpoint,
 * each with its own request pacer. Credentials, signing, retries, endpoint resolution
 * (`AWS_ENDPOINT_URL_BRAKET`, `AWS_ENDPOINT_URL`, shared config) and the credential chain are the
 * AWS SDK's own.
 */
import { BraketClient } from "@aws-sdk/client-braket";
import { RequestPacer, pacerOptionsFromEnv } from "./pacing";

/** Where requests go and who signs them. */
export interface BraketTarget {
    region: string;
    /** A shared-config profile; undefined lets the SDK's chain decide (AWS_PROFILE, …). */
    profile?: string;
    /** An endpoint URL; undefined lets the SDK resolve it. */
    endpoint?: string;
    /** Retries after the first attempt; undefined keeps the SDK's default. */
    maxRetries?: number;
}

/** A client and the pacer of its requests. */
export interface BraketConnection {
    client: BraketClient;
    pacer: RequestPacer;
}

/** How long to wait for a connection, and for an answer, before the SDK retries. */
export const CONNECTION_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 30_000;

const connections = new Map<string, BraketConnection>();

function keyOf(target: BraketTarget): string {
    return JSON.stringify([target.region, target.profile ?? null, target.endpoint ?? null, target.maxRetries ?? null]);
}

/** The shared client for a target, built on first use. */
export function braketConnection(target: BraketTarget): BraketConnection {
    const key = keyOf(target);
    let connection = connections.get(key);
    if (!connection) {
        connection = {
            client: new BraketClient({
                region: target.region,
                ...(target.profile === undefined ? {} : { profile: target.profile }),
                ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
                // The SDK counts attempts, the provider's setting (as Terraform's max_retries) retries.
                ...(target.maxRetries === undefined ? {} : { maxAttempts: target.maxRetries + 1 }),
                requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
            }),
            pacer: new RequestPacer(pacerOptionsFromEnv()),
        };
        connections.set(key, connection);
    }
    return connection;
}

/** How many clients exist (for tests of reuse). */
export function connectionCount(): number {
    return connections.size;
}

/** Destroys every client and its sockets; later calls build new ones. */
export function destroyConnections(): void {
    for (const { client } of connections.values()) {
        client.destroy();
    }
    connections.clear();
}
