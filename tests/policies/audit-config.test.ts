/**
 * The audit-first config (policies/config/audit.json): org-strict's settings with every policy
 * advisory, so the first weeks show exactly what enforcement will refuse, and refuse nothing.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PACK_DIR, reconcileConfig } from "../../offline/analyzer/harness";
import { httpsListener, of, usePack } from "./fixtures";
import { RULES } from "./names";

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "config", file), "utf8"));
const withoutLevel = (entry: unknown) => {
    const { enforcementLevel, ...props } = (typeof entry === "string" ? {} : entry) as Record<string, unknown>;
    return props;
};

describe("the audit-first config", () => {
    const pack = usePack({ configure: false });
    const audit = read("audit.json");
    const strict = read("org-strict.json");

    it("carries org-strict's settings for every policy org-strict configures, so audit predicts enforcement", () => {
        assert.deepStrictEqual(Object.keys(audit).filter((k) => k !== "all").sort(), Object.keys(strict).sort());
        for (const name of Object.keys(strict)) {
            assert.deepStrictEqual(withoutLevel(audit[name]), withoutLevel(strict[name]), `${name}: audit and org-strict differ`);
        }
    });

    it("sets every policy of the pack to advisory, remediating and refusing nothing", async () => {
        const levels = reconcileConfig(await pack().getAnalyzerInfo(), audit);
        const notAdvisory = Object.entries(levels).filter(([, c]) => c.enforcementLevel !== "advisory").map(([n, c]) => `${n}: ${c.enforcementLevel}`);
        assert.deepStrictEqual(notAdvisory, []);
    });

    it("reports a plaintext listener org-strict would refuse, as advisory", async () => {
        await pack().configure(audit);
        const result = await pack().analyze(httpsListener({ protocol: "HTTP", port: 80, certificateArn: undefined, sslPolicy: undefined, mutualAuthentication: undefined }, "lb", "web-http"));
        const found = of(result, RULES.listeners.HTTPS_ONLY);
        assert.strictEqual(found.length, 1, JSON.stringify(result.diagnostics));
        assert.deepStrictEqual(result.diagnostics.filter((d) => d.enforcementLevel !== "advisory").map((d) => d.policyName), []);
    });
});
