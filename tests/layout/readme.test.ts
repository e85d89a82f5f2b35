/**
 * The README's Layout tree and the folders on disk say the same: every folder the tree names
 * exists, and every source folder (two levels deep, three under components/) is in the tree.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const IGNORED = new Set(["node_modules", "bin", ".git", ".github", ".ci"]);
/** Folders whose subfolders the tree sums up in one line instead of listing. */
const SUMMED_UP = new Set(["tests", "docs"]);

/** The entries of the README's Layout tree, as paths (folders end in "/"). */
function treeEntries(): string[] {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n## Layout\n"));
    const block = /```text\n([\s\S]*?)```/.exec(section);
    assert.ok(block, "README has no text block under ## Layout");
    const stack: string[] = [];
    const entries: string[] = [];
    for (const line of block[1].split("\n")) {
        const m = /^( *)(\S+)/.exec(line);
        if (!m || m[1].length > 12) continue; // blank, or a wrapped description
        const depth = m[1].length / 2;
        stack.length = depth;
        stack.push(m[2]);
        entries.push(stack.join(""));
    }
    return entries;
}

function folders(): string[] {
    const out: string[] = [];
    const walk = (rel: string, depth: number): void => {
        for (const e of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
            if (!e.isDirectory() || IGNORED.has(e.name)) continue;
            const child = `${rel}${e.name}/`;
            out.push(child);
            const limit = child.startsWith("components/") ? 3 : 2;
            if (depth + 1 < limit && !SUMMED_UP.has(e.name)) walk(child, depth + 1);
        }
    };
    walk("", 0);
    return out.sort();
}

describe("README layout tree", () => {
    const entries = treeEntries();

    it("names only folders and files that exist", () => {
        const missing = entries.filter((e) => !fs.existsSync(path.join(ROOT, e)));
        assert.deepStrictEqual(missing, []);
    });

    it("lists every source folder", () => {
        const listed = new Set(entries);
        const unlisted = folders().filter((f) => !listed.has(f));
        assert.deepStrictEqual(unlisted, [], "add these folders to the README's Layout tree, with their purpose");
    });

    it("gives each entry its purpose on the same line", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const block = /## Layout\n[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)![1];
        const bare = block.split("\n").filter((l) => /^ {0,12}\S+$/.test(l));
        assert.deepStrictEqual(bare, []);
    });
});
