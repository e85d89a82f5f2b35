/**
 * The pack gives the construct path's resources the verdicts it gives the program's: a tier used
 * from another language is held to the same rules, with the same findings.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PACK_DIR, Diagnostic } from "../../offline/analyzer/harness";
import { RecordedResource } from "../../offline/engine/recorded";
import { TOKENS } from "../../policies/shared/tokens";
import { usePack } from "../policies/fixtures";
import { analyzeRun } from "../policies/own-stack-runs";
import { run } from "../program/support";
import { construct, URN_VARIANTS } from "./support";

const verdicts = (ds: Diagnostic[]) => ds.map(d => `${d.enforcementLevel} ${d.policyName} ${d.urn}: ${d.message}`).sort();

describe("the pack on WebTier's construct path", function () {
    this.timeout(300_000);
    const pack = usePack();

    /** The program's run, and the construct path's with the consumer's stack exporting the same outputs. */
    const both = async (stack: string, config: Record<string, string>): Promise<[RecordedResource[], RecordedResource[]]> => {
        const program = await run(stack, config);
        const built = await construct(stack, config);
        return [program.resources, [...program.resources.filter(r => r.type === TOKENS.stack), ...built.resources]];
    };

    for (const v of URN_VARIANTS) {
        it(`${v.label}: the same findings, resource by resource, as on the program`, async () => {
            const [program, built] = await both(v.stack, v.config);
            const expected = verdicts((await analyzeRun(pack(), program)).diagnostics);
            // dev has advisory findings (deletion protection off); prod has none.
            if (v.stack === "dev") assert.ok(expected.length > 0, "the program's run has findings to compare");
            assert.deepStrictEqual(verdicts((await analyzeRun(pack(), built)).diagnostics), expected);
        });
    }

    it("and the same mandatory violations where the tier breaks the org's rules (mtlsMode off under org-strict)", async () => {
        const config = JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "config", "org-strict.json"), "utf8"));
        await pack().configure(config);
        try {
            const [program, built] = await both("dev", { "e2e-tls:mtlsMode": "off", "e2e-tls:mtlsClients": "[]" });
            const mandatory = (ds: Diagnostic[]) => verdicts(ds.filter(d => d.enforcementLevel === "mandatory"));
            const expected = mandatory((await analyzeRun(pack(), program)).diagnostics);
            assert.ok(expected.some(d => d.includes("alb-listener-mtls-required")), expected.join("\n"));
            assert.deepStrictEqual(mandatory((await analyzeRun(pack(), built)).diagnostics), expected);
        } finally {
            await pack().configure({});
        }
    });
});
