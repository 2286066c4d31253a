/**
 * pulumi-resource-braket: the plugin the Pulumi engine starts for the `braket` package. It serves
 * the provider protocol on a loopback port and prints the port as its first line of stdout, as
 * every Pulumi plugin does; the engine's address is its last argument.
 *
 * It exits on its own when the engine that started it is gone (killed, crashed): a provider must not
 * outlive the deployment, or it would keep polling GetJob until a gate's timeout.
 */
import { connectEngineLog } from "../../engineLog";
import { BraketProviderServer } from "../../server";
import schema from "./schema.json";
// The version the generated SDKs ask the engine for (gen-sdk.sh writes the package's version there).
import { version } from "../../../sdk/nodejs/package.json";

/** The engine's address: the last argument that is not a flag or a flag's value (`--tracing <url>`). */
function engineAddress(args: string[]): string | undefined {
    return args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "--tracing").pop();
}

async function main(): Promise<void> {
    const address = engineAddress(process.argv.slice(2));
    const engineLog = address ? connectEngineLog(address) : undefined;
    const server = new BraketProviderServer({ version, schema, engineLog });
    const port = await server.listen();
    process.stdout.write(`${port}\n`);

    const stop = (code: number) => {
        server.stop();
        engineLog?.close();
        process.exit(code);
    };
    // The engine ends its plugins with SIGINT (then SIGKILL after 5 s): cancel what is under way,
    // let the cancelled calls answer, and exit, so that no command waits those 5 s.
    const interrupted = (signal: string, code: number) => {
        server.cancel(`interrupted (${signal})`);
        const deadline = Date.now() + 1000;
        const exitWhenAnswered = () =>
            server.callsInFlight === 0 || Date.now() > deadline ? stop(code) : void setTimeout(exitWhenAnswered, 10);
        exitWhenAnswered();
    };
    process.on("SIGINT", () => interrupted("SIGINT", 0));
    process.on("SIGTERM", () => interrupted("SIGTERM", 143));
    // The engine is the parent: once it is gone the plugin is re-parented, and must go too.
    const parent = process.ppid;
    setInterval(() => {
        if (process.ppid !== parent) {
            stop(1);
        }
    }, 1000).unref();
}

main().catch((err: unknown) => {
    process.stderr.write(`pulumi-resource-braket: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
