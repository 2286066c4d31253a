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

/**
 * Characters a terminal or a log viewer may act on: C0 controls but tab and newline (ESC starts
 * escape sequences, CR rewrites a line, BEL, backspace ...), DEL, C1 controls (U+009B is a CSI of
 * its own), the line and paragraph separators, and the bidirectional formatting characters that
 * reorder what is shown ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeCharacter(c: string): string {
    const code = c.charCodeAt(0);
    if (c === "\r") return "\\r";
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Text from the service (a failureReason, a status, an error message) made harmless to print on
 * a terminal or into a CI log. Pure; the result shows the same text, with:
 * - every control character but tab and newline written as an escape (`\x1b`, `\r`, `\x07`,
 *   `\u009b`, `\u202e`, ...), so no terminal escape sequence, carriage return or bidirectional
 *   override takes effect;
 * - a line whose first non-blank characters are `::` written with its first colon as `\u003a`,
 *   so that GitHub Actions does not read it as a workflow command (`::add-mask::`, `::error::`,
 *   `::stop-commands::`, ...), and every `##[` written as `#\u0023[` (the older `##[command]`
 *   form, which the runner finds anywhere in a line).
 * Newlines are kept: a multi-line message stays readable, each line made safe on its own.
 */
export function safeForTerminal(text: string): string {
    return String(text)
        .replace(UNSAFE_CHARACTERS, escapeCharacter)
        .split("\n")
        .map((line) => line.replace(/^(\s*)::/, "$1\\u003a:").replace(/##\[/g, "#\\u0023["))
        .join("\n");
}
