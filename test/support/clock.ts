import type { WaitClock } from "../../provider/wait";

/** A clock whose sleeps advance simulated time at once: an hour's wait takes no real time. */
export class SimulatedClock implements WaitClock {
    constructor(public time = Date.parse("2026-11-29T00:00:00Z")) {}
    now(): number {
        return this.time;
    }
    async sleep(ms: number, signal: AbortSignal): Promise<void> {
        if (signal.aborted) {
            throw signal.reason;
        }
        this.time += ms;
        await new Promise((resolve) => setImmediate(resolve));
    }
}
