import * as assert from "assert";
import { missingToolsVerdict } from "./support/requires";

describe("suites that need real programs (nginx, openssl)", () => {
    it("run when nothing is missing, in CI or not", () => {
        assert.deepStrictEqual(missingToolsVerdict("handshakes", [], {}), { action: "run" });
        assert.deepStrictEqual(missingToolsVerdict("handshakes", [], { CI: "true" }), { action: "run" });
    });

    it("are skipped on a developer's machine that lacks one, naming the suite and the program", () => {
        assert.deepStrictEqual(missingToolsVerdict("handshakes", ["nginx"], {}),
            { action: "skip", message: "handshakes needs nginx, which is not installed" });
        assert.deepStrictEqual(missingToolsVerdict("agent", ["nginx", "openssl"], { CI: "false" }),
            { action: "skip", message: "agent needs nginx, openssl, which are not installed" });
    });

    it("fail under CI, where every suite must run", () => {
        const verdict = missingToolsVerdict("handshakes", ["nginx"], { CI: "true" });
        assert.strictEqual(verdict.action, "fail");
        assert.match((verdict as { message: string }).message, /^handshakes needs nginx, which is not installed: CI runs every suite/);
    });
});
