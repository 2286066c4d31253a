/** Progress text of a wait, for the CLI and the gate. Pure; no Pulumi here, so that the CLI starts fast. */
import type { WaitProgress } from "./wait";

/** One line of progress, as the CLI's status column shows it. */
export function progressLine(p: WaitProgress): string {
    const queue = p.queuePosition !== undefined && p.queuePosition !== "None" ? `, queue position ${p.queuePosition}` : "";
    const next = p.nextReadSeconds !== undefined ? `, next check in ${Math.round(p.nextReadSeconds)} s` : "";
    const hiccup = p.transientError ? ` (transient error${p.transientErrorCode ? `: ${p.transientErrorCode}` : ""}; retrying)` : "";
    return `job ${p.status}${queue}, waited ${formatSeconds(p.elapsedSeconds)}${next}${hiccup}`;
}

export function formatSeconds(seconds: number): string {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = Math.floor(seconds % 60);
    return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : m > 0 ? `${m}m${String(s).padStart(2, "0")}s` : `${s}s`;
}
