/**
 * The README's Layout tree and the folders on disk say the same: every folder the tree names
 * exists, and every source folder (two levels deep, three under components/) is in the tree.
 * The README is the front door to the pages under docs/: it links every one of them, and every
 * relative link of the README and of those pages reaches a file (and a heading) that exists.
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

/** Pages `npm run docs` writes; their own freshness test fails while one is missing or stale. */
const GENERATED_PAGES = new Set(["docs/rules.md"]);

/** The README and every Markdown page under docs/, as paths from the root. */
function pages(): string[] {
    const docs = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);
    return ["README.md", ...docs].sort();
}

/** GitHub's anchor for a heading: lower case, punctuation but hyphens and underscores dropped, spaces to hyphens. */
function slug(heading: string): string {
    return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

/** The anchors of a Markdown file's headings, outside code blocks, numbered as GitHub numbers repeats. */
function anchors(file: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    let fenced = false;
    for (const line of fs.readFileSync(path.join(ROOT, file), "utf8").split("\n")) {
        if (/^(```|~~~)/.test(line)) fenced = !fenced;
        const m = !fenced && /^#{1,6} (.*)$/.exec(line);
        if (!m) continue;
        const base = slug(m[1]);
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        out.add(n === 0 ? base : `${base}-${n}`);
    }
    return out;
}

/** The relative links of a Markdown file outside code: `[text](target)`, without web addresses. */
function links(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8").replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
}

describe("README and the docs/ pages", () => {
    it("links every page under docs/ from the README", () => {
        const linked = new Set(links("README.md").map((l) => l.split("#")[0]));
        const unlinked = pages().filter((p) => p !== "README.md" && !linked.has(p));
        assert.deepStrictEqual(unlinked, [], "link these pages from the README's Documentation table");
    });

    it("points every relative link at a file that exists, and at a heading of it", () => {
        const broken: string[] = [];
        for (const page of pages()) {
            for (const link of links(page)) {
                const [target, anchor] = link.split("#");
                const file = target === "" ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), target));
                if (GENERATED_PAGES.has(file) && !fs.existsSync(path.join(ROOT, file))) continue;
                if (!fs.existsSync(path.join(ROOT, file))) broken.push(`${page}: ${link} (no ${file})`);
                else if (anchor !== undefined && file.endsWith(".md") && !anchors(file).has(anchor)) broken.push(`${page}: ${link} (no heading #${anchor} in ${file})`);
            }
        }
        assert.deepStrictEqual(broken, []);
    });

    it("reads GitHub's heading anchors as GitHub writes them", () => {
        assert.strictEqual(slug("4. The deploying role"), "4-the-deploying-role");
        assert.strictEqual(slug("Setting it up: environments, roles, secrets"), "setting-it-up-environments-roles-secrets");
        assert.strictEqual(slug("The reusable workflow (`.github/workflows/guard.yml`)"), "the-reusable-workflow-githubworkflowsguardyml");
    });
});
