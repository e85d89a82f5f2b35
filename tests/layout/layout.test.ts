/**
 * The tree keeps the shape the README describes: one home for type tokens, source files a reader
 * can hold in their head, and component folders named by the area of the tokens they register.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { areaOf, AREAS, COMPONENTS } from "../../policies/shared/tokens";

const ROOT = path.resolve(__dirname, "..", "..");
const TOKEN_MODULE = "policies/shared/tokens/";
/** A ceiling for a file that holds one idea, not a count to split files by (issue 19: merge shards split only for a count). */
const MAX_LINES = 500;
/** The folders of non-test source, as the README's tree lists them. */
const SOURCE_ROOTS = ["index.ts", "provider.ts", "config", "components", "package", "policies", "offline"];
const SKIP = new Set(["node_modules", "bin"]);

function sourceFiles(roots: readonly string[] = SOURCE_ROOTS): string[] {
    const out: string[] = [];
    const walk = (rel: string): void => {
        const abs = path.join(ROOT, rel);
        if (fs.statSync(abs).isDirectory()) {
            for (const entry of fs.readdirSync(abs)) if (!SKIP.has(entry)) walk(path.posix.join(rel, entry));
        } else if (rel.endsWith(".ts")) {
            out.push(rel);
        }
    };
    for (const r of roots) walk(r);
    return out.sort();
}

/** A package token: `pkg:module:Type` or `pkg:module/member:Type` of a package the project names. */
const TOKEN = /^(aws|aws-native|tls|pulumi|e2etls|kubernetes|random):[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)?:[A-Za-z][A-Za-z0-9]*$/;

/** Every string literal and template text of a file that reads as a type or function token. */
function tokenLiterals(file: string): { line: number; text: string }[] {
    const text = fs.readFileSync(path.resolve(ROOT, file), "utf8");
    const found: { line: number; text: string }[] = [];
    const src = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
        if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
            const value = node.text;
            if (TOKEN.test(value)) found.push({ line: src.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: value });
        }
        ts.forEachChild(node, visit);
    };
    visit(src);
    return found;
}

describe("source layout", () => {
    const files = sourceFiles();

    it("finds the source tree it checks", () => {
        assert.ok(files.includes(`${TOKEN_MODULE}index.ts`), `${TOKEN_MODULE}index.ts is missing`);
        assert.ok(files.length > 50, `only ${files.length} source files found`);
    });

    it(`writes type and function tokens only in ${TOKEN_MODULE}`, () => {
        const offenders = files
            .filter((f) => !f.startsWith(TOKEN_MODULE))
            .flatMap((f) => tokenLiterals(f).map((t) => `${f}:${t.line} ${t.text}`));
        assert.deepStrictEqual(offenders, [], `import these from ${TOKEN_MODULE} instead`);
    });

    it("detects a token literal, and ignores one in a comment", () => {
        const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "layout-")), "probe.ts");
        fs.writeFileSync(probe, `// "aws:lb/listener:Listener"\nconst t = "aws:lb/listener:Listener";\nconst u = \`aws:ec2/vpc:Vpc\`;\n`);
        try {
            assert.deepStrictEqual(tokenLiterals(probe).map((t) => t.line), [2, 3]);
        } finally {
            fs.unlinkSync(probe);
        }
    });

    it(`keeps every source file, tests included, at or under ${MAX_LINES} lines`, () => {
        const sized = sourceFiles([...SOURCE_ROOTS, "tests"]).map((f) => ({ f, lines: fs.readFileSync(path.join(ROOT, f), "utf8").split("\n").length - 1 }));
        const long = sized.filter((x) => x.lines > MAX_LINES).map((x) => `${x.f}: ${x.lines} lines`);
        assert.deepStrictEqual(long, []);
    });

    it("has one components/ folder per area, each component registers a token of its folder's area, and the top-level component sits at the root of components/ in the index module", () => {
        const folders = fs.readdirSync(path.join(ROOT, "components")).filter((e) => fs.statSync(path.join(ROOT, "components", e)).isDirectory());
        assert.deepStrictEqual([...folders].sort(), [...AREAS].sort());
        let components = 0;
        for (const f of files.filter((x) => x.startsWith("components/"))) {
            const text = fs.readFileSync(path.join(ROOT, f), "utf8");
            for (const m of text.matchAll(/super\(\s*(?:COMPONENTS\.(\w+)|"([^"]+)")/g)) {
                const token = m[2] ?? (COMPONENTS as Record<string, string>)[m[1]];
                assert.ok(token, `${f}: COMPONENTS.${m[1]} is not in ${TOKEN_MODULE}`);
                const parts = f.split("/");
                if (parts.length === 2) {
                    // A component package serves its components from the `index` module only.
                    assert.strictEqual(token.split(":")[1], "index", `${f} registers ${token}: a component at the root of components/ is the package's own`);
                } else {
                    assert.strictEqual(areaOf(token), parts[1], `${f} registers ${token}, outside its folder's area`);
                }
                components++;
            }
        }
        assert.ok(components >= 14, `found only ${components} component registrations`);
    });
});
