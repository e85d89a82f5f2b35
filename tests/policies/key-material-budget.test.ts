import * as assert from "assert";
import * as crypto from "crypto";
import * as zlib from "zlib";
import { adversarialInputs } from "../../offline/analyzer/adversarial";
import { DEFAULT_BUDGET, inspectKeyMaterial, ScanBudget } from "../../policies/rules/key-material-detector";
import { assertPasses, assertViolation, resource, usePack } from "./fixtures";
import { RULES } from "./names";

const { PLAIN: USER_DATA } = RULES.secrets;
const { INSPECTED } = RULES["secrets-inspection"];
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const gz = (s: string | Buffer) => zlib.gzipSync(Buffer.from(s));

// Generated per run: no key text is committed.
const keyPem = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;

/** Which inputs the detector must give up on, and which it reads to the end. */
const EXPECTED: Record<string, RegExp | "complete"> = {
    "gzip bomb": /gzip layer inflates past the remaining budget/,
    "base64/gzip fan-out": /budget/,
    "deep base64": /base64 nested deeper than 3 layers/,
    "deep gzip": /more than 8 compression layers/,
    "long whitespace": "complete",
    "long base64 run": "complete",
    "many short runs": /decoding base64 run 257 would exceed the budget of 256/,
    "PEM header words": "complete",
    "hex-like pairs": "complete",
};

function withinBudget(work: ReturnType<typeof inspectKeyMaterial>["work"], budget: ScanBudget = DEFAULT_BUDGET): void {
    assert.ok(work.scannedChars <= budget.maxScannedChars, `scanned ${work.scannedChars} characters`);
    assert.ok(work.decodedBytes <= budget.maxDecodedBytes, `decoded ${work.decodedBytes} bytes`);
    assert.ok(work.candidates <= budget.maxCandidates, `decoded ${work.candidates} base64 runs`);
    assert.ok(work.compressionLayers <= budget.maxCompressionLayers, `inflated ${work.compressionLayers} compressed layers`);
}

describe("the key material detector's budget", () => {
    const inputs = adversarialInputs();

    it("knows what to expect of every adversarial input", () => {
        assert.deepStrictEqual(inputs.map((i) => i.name).sort(), Object.keys(EXPECTED).sort());
    });

    for (const input of inputs) {
        const expected = EXPECTED[input.name];
        it(`stays within its budget on the ${input.name} (${input.attacks}) and ${expected === "complete" ? "reads it to the end" : "says it could not inspect it"}`, () => {
            const inspection = inspectKeyMaterial(input.value);
            withinBudget(inspection.work);
            assert.strictEqual(inspection.found, undefined, "no key in any adversarial input");
            if (expected === "complete") {
                assert.strictEqual(inspection.incomplete, undefined, `read to the end, not: ${inspection.incomplete}`);
            } else {
                assert.match(inspection.incomplete ?? "(complete)", expected);
            }
        });
    }

    it("scans long whitespace once: the work is linear in the input", () => {
        const { work } = inspectKeyMaterial(" ".repeat(1024 * 1024) + "!");
        assert.strictEqual(work.scannedChars, 1024 * 1024 + 1);
        assert.strictEqual(work.candidates, 0);
    });

    it("still finds a key placed before a bomb in the same value", () => {
        const bomb = inputs.find((i) => i.name === "base64/gzip fan-out")!.value;
        const found = inspectKeyMaterial(`${b64(keyPem)}\n${bomb}`).found;
        assert.strictEqual(found?.kind, 'a PEM "PRIVATE KEY" block');
    });

    it("still finds a key three layers down, within the budget", () => {
        const value = b64(gz(`#cloud-config\nruncmd:\n  - echo ${b64(gz(keyPem))} | base64 -d | gunzip\n`));
        const inspection = inspectKeyMaterial(value);
        assert.deepStrictEqual(inspection.found?.wrappedIn, ["base64", "gzip", "base64", "gzip"]);
        withinBudget(inspection.work);
    });

    it("gives up on a small budget and names the limit that ran out", () => {
        const budget: ScanBudget = { ...DEFAULT_BUDGET, maxDecodedBytes: 1000 };
        const inspection = inspectKeyMaterial(b64("x".repeat(5000)), undefined, budget);
        assert.match(inspection.incomplete ?? "", /decoding 6668 base64 characters would exceed the budget of 1000/);
        withinBudget(inspection.work, budget);
    });
});

describe(INSPECTED, () => {
    const pack = usePack();
    const lt = (userData: string) => resource(LT, "tier", { userData });

    for (const input of adversarialInputs().filter((i) => EXPECTED[i.name] !== "complete")) {
        it(`reports the ${input.name} in user data as advisory, and the mandatory rule does not block on it`, async () => {
            const result = await pack().analyze(lt(input.value));
            const d = assertViolation(result, INSPECTED, "advisory",
                'LaunchTemplate "tier" (aws:ec2/launchTemplate:LaunchTemplate): userData could not be fully inspected for key material (value withheld):',
                "may hide a private key", "Fix:");
            assert.ok(!d.message.includes(input.value.slice(0, 40)), `the message does not quote the value: ${d.message}`);
            assertPasses(result, USER_DATA);
        });
    }

    it("accepts ordinary base64(gzip(cloud-config)) user data", async () => {
        const cloudConfig = `#cloud-config\npackages: [nginx]\nruncmd:\n  - [systemctl, enable, --now, nginx]\n${"# padding\n".repeat(50)}`;
        assertPasses(await pack().analyze(lt(b64(gz(cloudConfig)))), INSPECTED);
    });

    it("leaves a key found before the budget ran out to the mandatory rule", async () => {
        const bomb = adversarialInputs().find((i) => i.name === "base64/gzip fan-out")!.value;
        const result = await pack().analyze(resource("aws:ec2/instance:Instance", "box", { userData: `echo ${b64(keyPem)}\n${bomb}` }));
        assertViolation(result, USER_DATA, "mandatory", "contains a PEM");
        assertPasses(result, INSPECTED);
    });
});
