/**
 * Generated blocks of hand-written Markdown pages: a marker pair, each marker alone on its line,
 *
 *     <!-- generated:NAME -->
 *     ...content `npm run docs` writes...
 *     <!-- /generated:NAME -->
 *
 * whose content is replaced and whose prose around is left alone. Markers inside fenced code
 * blocks, or inside a sentence, are text (a page may show the syntax). Also the Markdown the generated content is made of:
 * prose with its code spans kept, tables whose cells cannot break the table.
 */
import { code, md } from "../report/escape";

/** A generated block or page that cannot be filled: the message names the file and the block. */
export class DocsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DocsError";
    }
}

const NAME = "[a-z0-9][a-z0-9-]*";
const OPEN = new RegExp(`^<!-- generated:(${NAME}) -->$`);
const CLOSE = new RegExp(`^<!-- /generated:(${NAME}) -->$`);
/** A line that looks like a marker: what is not exactly one is refused rather than left as text (a mention inside a sentence is text). */
const MARKER_LIKE = /^<!--\s*\/?\s*generated\s*:/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** One block of a file: its name, and the lines of its markers (0-based). */
export interface Block {
    readonly name: string;
    readonly open: number;
    readonly close: number;
}

/** The blocks of a page, in order; throws a DocsError naming the file, the line and the marker for a malformed or unpaired one. */
export function findBlocks(file: string, text: string): Block[] {
    const lines = text.split("\n");
    const blocks: Block[] = [];
    let fence: string | undefined;
    let opened: { name: string; line: number } | undefined;
    const fail = (i: number, why: string) => new DocsError(`${file}:${i + 1}: ${why}`);
    lines.forEach((raw, i) => {
        const line = raw.replace(/\r$/, "");
        const f = FENCE.exec(line)?.[1];
        if (fence) {
            if (f && f[0] === fence[0] && f.length >= fence.length && line.trim() === f) fence = undefined;
            return;
        }
        if (f) {
            fence = f;
            return;
        }
        const open = OPEN.exec(line.trim())?.[1];
        const close = CLOSE.exec(line.trim())?.[1];
        if (open) {
            if (opened) throw fail(i, `generated:${open} opens inside generated:${opened.name} (opened on line ${opened.line + 1})`);
            opened = { name: open, line: i };
        } else if (close) {
            if (!opened) throw fail(i, `/generated:${close} closes a block that was not opened`);
            if (close !== opened.name) throw fail(i, `/generated:${close} closes generated:${opened.name} (opened on line ${opened.line + 1})`);
            blocks.push({ name: close, open: opened.line, close: i });
            opened = undefined;
        } else if (MARKER_LIKE.test(line.trim())) {
            throw fail(i, `malformed marker ${JSON.stringify(line.trim())}: write <!-- generated:NAME --> and <!-- /generated:NAME --> alone on their lines`);
        }
    });
    if (opened) throw new DocsError(`${file}:${opened.line + 1}: generated:${opened.name} is never closed (<!-- /generated:${opened.name} -->)`);
    return blocks;
}

/** The content between a block's markers, as fillBlocks writes it (without the blank lines around). */
export function blockContent(text: string, block: Block): string {
    return text.split("\n").slice(block.open + 1, block.close).join("\n").replace(/^\n+|\n+$/g, "");
}

/** The page with each block's content replaced by `contents[name]` (trailing newlines trimmed); blocks not in `contents` are kept. */
export function fillBlocks(text: string, blocks: readonly Block[], contents: Readonly<Record<string, string>>): string {
    const lines = text.split("\n");
    const out: string[] = [];
    let at = 0;
    for (const b of blocks) {
        out.push(...lines.slice(at, b.open + 1));
        if (b.name in contents) {
            // Blank lines around: Markdown ends the comment's HTML block on its line, and a table or a list needs the line before it empty.
            out.push("", contents[b.name].replace(/\n+$/, ""), "");
        } else {
            out.push(...lines.slice(b.open + 1, b.close));
        }
        at = b.close;
    }
    out.push(...lines.slice(at));
    return out.join("\n");
}

/**
 * Prose for a paragraph, a list item or a table cell: its code spans kept as code, everything else
 * escaped as text (HTML, pipes, emphasis marks), newlines as spaces. An unpaired backtick is text.
 */
export function prose(s: string): string {
    const out: string[] = [];
    let rest = s;
    for (;;) {
        const m = /(`+)([\s\S]*?[^`])\1(?!`)/.exec(rest);
        if (!m) break;
        out.push(md(rest.slice(0, m.index)), code(m[2].replace(/^ (.*) $/, "$1")));
        rest = rest.slice(m.index + m[0].length);
    }
    out.push(md(rest));
    return out.join("");
}

/** A Markdown table; each cell is already Markdown (see {@link prose} and escape.ts `code`). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
    for (const r of rows) {
        if (r.length !== header.length) throw new Error(`a row of ${r.length} cells in a table of ${header.length} columns: ${r.join(" | ")}`);
    }
    const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\r?\n|\r/g, " ")).join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** A config value as the page shows it. */
export function configValue(v: unknown): string {
    return v === undefined ? "unset" : code(typeof v === "string" ? v : JSON.stringify(v));
}
