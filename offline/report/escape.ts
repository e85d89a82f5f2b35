/**
 * Escaping of what the reports print, one helper per output format: names, messages and values
 * come from the program's config and the pack's messages, so a newline, a backtick, a `|`, HTML or
 * a terminal control sequence in them must print as text, never as structure.
 */

/** Control characters (C0, DEL, C1): line breaks and terminal escape sequences. */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

/** Text for a terminal line: every control character as a visible escape (`\n`, `\x1b`). */
export function terminalSafe(s: string): string {
    return s.replace(CONTROL, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
}

/**
 * The report with every string made terminal-safe; a `message` keeps its line breaks (the pack's
 * messages are multi-line) with each line made safe.
 */
export function terminalSafeReport<T>(value: T): T {
    const walk = (v: unknown, key?: string): unknown => {
        if (typeof v === "string") return key === "message" ? v.split("\n").map(terminalSafe).join("\n") : terminalSafe(v);
        if (Array.isArray(v)) return v.map((x) => walk(x));
        if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
        return v;
    };
    return walk(value) as T;
}

/**
 * Markdown inline text (a paragraph, a list item, a table cell): on one line, HTML as entities,
 * and every character Markdown would read as structure backslash-escaped, `|` included.
 */
export function md(s: string): string {
    return s
        .replace(/\r?\n|\r/g, " ")
        .replace(CONTROL, " ")
        .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
        .replace(/[\\`*_[\]{}#+!|~]/g, (c) => `\\${c}`);
}

/** A Markdown code span holding `s` literally, however many backticks it contains (and safe in a table). */
export function code(s: string): string {
    const text = s.replace(/\r?\n|\r/g, " ").replace(CONTROL, " ").replace(/\|/g, "\\|");
    const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = "`".repeat(longest + 1);
    const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
    return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in its lines, so no line can close it. */
export function fence(lines: readonly string[], info = ""): string[] {
    const body = lines.map((l) => l.replace(CONTROL, (c) => (c === "\t" ? c : " ")));
    const longest = Math.max(2, ...body.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
    const f = "`".repeat(longest + 1);
    return [`${f}${info}`, ...body, f];
}

/** A quoted Mermaid label: lines joined by <br/>, everything Mermaid or Markdown would read as entity codes. */
export function mermaidLabel(...lines: (string | undefined)[]): string {
    const one = (l: string) => l
        .replace(/\r?\n|\r/g, " ").replace(CONTROL, " ")
        .replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/`/g, "#96;");
    return `"${lines.filter((l): l is string => !!l).map(one).join("<br/>")}"`;
}
