/**
 * A stub Braket endpoint for what the local endpoint (provider/emulator) is too faithful to do: a
 * black hole (a TCP server on 127.0.0.1 that accepts connections and never answers, nor reads), an
 * answer that trickles and never ends, and crafted GetJob answers (another job's ARN, a status of the wrong type, `__proto__` keys).
 * It checks no signature. The mode can change while clients are connected: a held connection stays
 * held, new ones get the new mode.
 */
import * as http from "node:http";
import * as net from "node:net";

/**
 * `blackhole`: accept, never read nor answer. `trickle`: accept, then send the start of an answer
 * and one more byte of its headers every 100 ms, forever (never idle, never answered). `answer`: GetJob.
 */
export type StubMode = "blackhole" | "trickle" | "answer";

/** The provider's time bounds unset (its defaults), for AwsTestEnvironment.apply: none left over from another test. */
export const NO_BOUNDS: Record<string, undefined> = {
    PULUMI_BRAKET_CONNECT_TIMEOUT_SECONDS: undefined,
    PULUMI_BRAKET_REQUEST_TIMEOUT_SECONDS: undefined,
    PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS: undefined,
};

export interface StubEndpoint {
    readonly endpoint: string;
    /** Connections accepted, and how many of them were held without an answer. */
    readonly connections: number;
    readonly held: number;
    /** GetJob requests answered, with the time each arrived (ms since the epoch). */
    readonly answered: number[];
    setMode(mode: StubMode): void;
    close(): Promise<void>;
}

/** A GetJob response body (the wire's JSON) for a job, COMPLETED unless `extra` says otherwise. */
export function getJobBody(jobArn: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        jobArn,
        jobName: "stub-job",
        status: "COMPLETED",
        roleArn: "arn:aws:iam::123456789012:role/BraketJobs",
        createdAt: "2026-11-29T10:00:00.000Z",
        endedAt: "2026-11-29T11:00:00.000Z",
        outputDataConfig: { s3Path: "s3://results/stub-job" },
        algorithmSpecification: { scriptModeConfig: { entryPoint: "m:f", s3Uri: "s3://src/s.tar.gz" } },
        instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: 30 },
        ...extra,
    };
}

/**
 * Starts the stub. `body` gives the answer to a GetJob of `jobArn`, as a JSON text or a value to
 * serialize (default: getJobBody).
 */
export async function startStubEndpoint(options: { mode?: StubMode; body?: (jobArn: string) => unknown } = {}): Promise<StubEndpoint> {
    let mode: StubMode = options.mode ?? "answer";
    let connections = 0;
    const heldSockets = new Set<net.Socket>();
    const answeredAt: number[] = [];
    const body = options.body ?? ((jobArn: string) => getJobBody(jobArn));
    const web = http.createServer((req, res) => {
        const m = /^\/job\/([^?]+)/.exec(req.url ?? "");
        if (!m) {
            res.writeHead(404, { "content-type": "application/json" }).end('{"message":"no such route"}');
            return;
        }
        answeredAt.push(Date.now());
        const answer = body(decodeURIComponent(m[1]));
        res.writeHead(200, { "content-type": "application/json" }).end(typeof answer === "string" ? answer : JSON.stringify(answer));
    });
    const all = new Set<net.Socket>();
    const server = net.createServer((socket) => {
        connections++;
        all.add(socket);
        socket.on("close", () => all.delete(socket));
        socket.on("error", () => undefined);
        if (mode === "blackhole") {
            heldSockets.add(socket);
            return; // accepted; never read, never answered
        }
        if (mode === "trickle") {
            heldSockets.add(socket);
            socket.write("HTTP/1.1 200 OK\r\nx-trickle: ");
            const timer = setInterval(() => socket.write("a"), 100);
            socket.on("close", () => clearInterval(timer));
            return;
        }
        web.emit("connection", socket);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        get connections() {
            return connections;
        },
        get held() {
            return heldSockets.size;
        },
        get answered() {
            return [...answeredAt];
        },
        setMode(next: StubMode) {
            mode = next;
        },
        close: async () => {
            for (const s of all) s.destroy();
            web.close();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
