/**
 * What a release of the pack carries: the version Pulumi Cloud publishes (policies/package.json,
 * not overridden in PulumiPolicy.yaml) is semantic and served by the pack, the CHANGELOG has an
 * entry for it, and LICENSE is the full Apache-2.0 text package.json declares.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PACK_DIR } from "../../offline/analyzer/harness";
import { usePack } from "./fixtures";

const ROOT = path.resolve(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "package.json"), "utf8"));

describe("a release of the pack", () => {
    const pack = usePack({ configure: false });

    it("has a semantic version in policies/package.json that PulumiPolicy.yaml does not override, and serves it", async () => {
        assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
        assert.doesNotMatch(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "PulumiPolicy.yaml"), "utf8"), /^version:/m,
            "a version in PulumiPolicy.yaml would override package.json's");
        assert.strictEqual((await pack().getAnalyzerInfo()).version.replace(/^v/, ""), pkg.version);
    });

    it("records the version in CHANGELOG.md", () => {
        const changelog = fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8");
        assert.match(changelog, new RegExp(`^## ${pkg.version.replace(/\./g, "\\.")}\\b`, "m"), `no "## ${pkg.version}" entry`);
    });

    it("ships the full Apache License 2.0 text, as package.json declares", () => {
        assert.strictEqual(pkg.license, "Apache-2.0");
        const license = fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8");
        for (const part of ["Apache License", "Version 2.0, January 2004", "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
            "9. Accepting Warranty or Additional Liability.", "END OF TERMS AND CONDITIONS", "APPENDIX: How to apply the Apache License to your work."]) {
            assert.ok(license.includes(part), `LICENSE lacks "${part}"`);
        }
        assert.ok(license.split("\n").length >= 200, "the whole text, not a summary");
    });
});
