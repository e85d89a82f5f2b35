import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { validateConfig } from "../../config/index";
import { runProgram } from "../../offline/engine/run-program";
import { tempDir } from "../../offline/loopback/processes";
import { ELBV2, TOKENS } from "../../policies/shared/tokens";
import { caByName } from "./support/ca-generations";
import { requireTools } from "./support/requires";

describe("revocation while two CAs are trusted, and with AWS Private CA", function () {
    this.timeout(60_000);

    it("refuses revokedSerials with aws-private-ca, saying why the stack cannot sign its CRL and what to do instead", () => {
        assert.throws(() => validateConfig({ pki: "aws-private-ca", mtlsClients: ["a"], revokedSerials: ["0A1B"] }), (e: Error) => {
            assert.strictEqual(e.name, "ConfigError");
            assert.match(e.message, /^e2e-tls:revokedSerials is set while e2e-tls:mtlsMode is "verify" and e2e-tls:pki is "aws-private-ca"\./);
            assert.match(e.message, /AWS Private CA keeps its key and writes its own CRLs, DER, to S3, so the stack cannot sign one/);
            assert.match(e.message, /raising e2e-tls:caGeneration without a retiring generation, or revoke by hand \(docs\/operations\.md, Revocation\)\.$/);
            return true;
        });
    });

    it("during a self-managed CA rotation signs one CRL per trusted CA, each by its own CA, both in the trust store", async function () {
        requireTools(this, "CRLs during rotation (tests/tls/prod-revocation.test.ts)", ["openssl"]);
        const run = await runProgram({ stack: "dev", config: {
            "e2e-tls:caGeneration": "2", "e2e-tls:retiringCaGeneration": "1", "e2e-tls:revokedSerials": '["0A1B2C"]',
        } });
        const revocations = run.resources.filter(r => r.type === ELBV2.lb.trustStoreRevocation);
        assert.deepStrictEqual(revocations.map(r => r.name).sort(), ["web-crl", "web-crl-2"]);
        const objects = revocations.map(r => run.resources.find(o => o.type === TOKENS.s3BucketObjectV2 && o.inputs.key === r.inputs.revocationsS3Key)!);
        const dir = tempDir("e2etls-rotation-crl");
        try {
            // Registration order of the two revocations is not fixed: pair each CRL with the CA that signed it.
            const cas = { "web-g2": caByName(run, "web-g2"), web: caByName(run, "web") };
            const signers = objects.map((object, i) => {
                const crlPath = path.join(dir.dir, `${i}.crl`);
                fs.writeFileSync(crlPath, object.inputs.content);
                const verifiedBy = Object.entries(cas).filter(([name, ca]) => {
                    const caPath = path.join(dir.dir, `${i}-${name}.pem`);
                    fs.writeFileSync(caPath, ca.certPem);
                    const v = spawnSync("openssl", ["crl", "-in", crlPath, "-noout", "-text", "-CAfile", caPath], { encoding: "utf8" });
                    if (v.status !== 0 || !/verify OK/.test(v.stderr)) return false;
                    assert.match(v.stdout, /Serial Number: 0A1B2C/, `CRL ${object.name} does not list the revoked serial`);
                    return true;
                }).map(([name]) => name);
                assert.strictEqual(verifiedBy.length, 1, `CRL ${object.name} is verified by ${JSON.stringify(verifiedBy)}, expected exactly one CA`);
                return verifiedBy[0];
            });
            assert.deepStrictEqual([...signers].sort(), ["web", "web-g2"], "each trusted CA signs one of the two CRLs");
        } finally {
            dir.remove();
        }
    });
});
