import * as assert from "assert";
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { emitPki } from "../../offline/commands/emit-pki";
import { App, freePort, startApp, tempDir } from "../../offline/loopback/processes";
import { mockTlsResource } from "../../offline/engine/mock-tls";
import { runProgram } from "../../offline/engine/run-program";
import { ProgramRun } from "../../offline/engine/recorded";
import { TOKENS } from "../../policies/shared/tokens";
import { caByName, CaMaterial, caUrns } from "./support/ca-generations";
import { forge, Forged } from "./support/forge";
import { requireTools } from "./support/requires";
import { present, startVerifiers, stopVerifiers, Verifiers } from "./support/verifiers";

const OVERLAP = { "e2e-tls:caGeneration": "2", "e2e-tls:retiringCaGeneration": "1" };
const RETIRED = { "e2e-tls:caGeneration": "2" };

function programClients(v: Verifiers): Forged[] {
    return Object.values(v.pki.clients).map(c => ({ certPem: fs.readFileSync(c.certPath, "utf8"), keyPem: fs.readFileSync(c.keyPath, "utf8") }));
}

/** A resource's inputs with generated values (PEM, ARNs) blanked: what decides whether `pulumi up` changes it. */
function shape(run: ProgramRun, urns: string[]): string {
    return JSON.stringify(urns.map(u => run.resources.find(r => r.urn === u)!.inputs), (_k, v) =>
        typeof v === "string" && /-----BEGIN|^arn:/.test(v) ? "<generated>" : v);
}

const issuedBy = (certPem: string, ca: CaMaterial) => new crypto.X509Certificate(certPem).checkIssued(new crypto.X509Certificate(ca.certPem));

for (const { stack, pki } of [{ stack: "dev", pki: "self-managed" }, { stack: "prod", pki: "aws-private-ca" }] as const) {
    describe(`CA rotation rehearsed on the ${stack} stack (${pki})`, function () {
        this.timeout(90_000);
        let runtime: { dir: string; remove: () => void };
        let app: App;
        let today: ProgramRun;
        let overlap: Verifiers;
        let retired: Verifiers;
        let oldCa: CaMaterial;
        let newCa: CaMaterial;
        let heldFromOldCa: Forged;

        before(async function () {
            requireTools(this, `CA rotation on ${stack} (tests/tls/ca-rotation.test.ts)`, ["nginx", "openssl"]);
            runtime = tempDir(`e2etls-rotation-${stack}`);
            app = await startApp(await freePort());
            today = await runProgram({ stack });
            const overlapRun = await runProgram({ stack, config: OVERLAP });
            // The stand-in forgets its CA keys on the next run: take what the tests need now.
            oldCa = caByName(overlapRun, "web");
            newCa = caByName(overlapRun, "web-g2");
            heldFromOldCa = await forge({ commonName: "partner-held-before", issuer: oldCa });
            fs.mkdirSync(path.join(runtime.dir, "overlap"));
            overlap = await startVerifiers(overlapRun, path.join(runtime.dir, "overlap"), app.port);
            fs.mkdirSync(path.join(runtime.dir, "retired"));
            retired = await startVerifiers(await runProgram({ stack, config: RETIRED }), path.join(runtime.dir, "retired"), app.port);
        });

        after(async () => {
            for (const v of [overlap, retired]) await stopVerifiers(v);
            await app?.close();
            runtime?.remove();
        });

        it("introduces the new CA beside the old one, whose resources keep their names and inputs", () => {
            assert.ok(caUrns(today, "web").length >= 2, "found no generation-1 CA resources");
            assert.deepStrictEqual(caUrns(overlap.run, "web"), caUrns(today, "web"));
            assert.strictEqual(shape(overlap.run, caUrns(overlap.run, "web")), shape(today, caUrns(today, "web")));
            assert.deepStrictEqual(caUrns(today, "web-g2"), []);
            assert.ok(caUrns(overlap.run, "web-g2").length >= 2, "no generation-2 CA during the overlap");
        });

        it("trusts both roots during the overlap, the new one first, and re-issues every certificate from the new CA", () => {
            const bundle = overlap.pki.caBundle.replace(/\s+/g, "");
            const at = (ca: CaMaterial) => bundle.indexOf(ca.certPem.replace(/\s+/g, ""));
            assert.ok(at(newCa) === 0 && at(oldCa) > 0, "the trust-store bundle is not [new root, old root]");
            assert.ok(issuedBy(overlap.pki.backend.certificate, newCa), "the backend certificate is not from the new CA");
            for (const c of programClients(overlap)) assert.ok(issuedBy(c.certPem, newCa), "a client certificate is not from the new CA");
        });

        it("admits during the overlap both a client still holding an old-CA certificate and the re-issued new-CA clients", async () => {
            for (const cert of [heldFromOldCa, ...programClients(overlap)]) {
                const r = await present(overlap, cert);
                assert.strictEqual(r.verdict, "verified");
                assert.strictEqual(r.viaEndpoint.status, 200);
                assert.strictEqual(r.viaNginx.status, 200);
            }
        });

        it("after retirement trusts only the new root, admits its clients and refuses the old CA's", async () => {
            assert.strictEqual((retired.pki.caBundle.match(/BEGIN CERTIFICATE/g) ?? []).length, 1);
            for (const cert of programClients(retired)) {
                const r = await present(retired, cert);
                assert.strictEqual(r.verdict, "verified");
                assert.strictEqual(r.viaNginx.status, 200);
            }
            const r = await present(retired, heldFromOldCa);
            assert.strictEqual(r.verdict, "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
            assert.notStrictEqual(r.viaEndpoint.status, 200);
            assert.strictEqual(r.viaNginx.status, 400);
        });

        it("retires by removing only the old CA: the new CA's resources keep their names and inputs", () => {
            assert.deepStrictEqual(caUrns(retired.run, "web"), []);
            assert.deepStrictEqual(caUrns(retired.run, "web-g2"), caUrns(overlap.run, "web-g2"));
            assert.strictEqual(shape(retired.run, caUrns(retired.run, "web-g2")), shape(overlap.run, caUrns(overlap.run, "web-g2")));
        });
    });
}

describe("the self-managed root's own renewal window (dev stack)", function () {
    this.timeout(60_000);

    it("re-issues the root over the same key, so certificates signed under the old root certificate verify against the new one", async function () {
        requireTools(this, "root renewal (tests/tls/ca-rotation.test.ts)", ["openssl"]);
        const run = await runProgram({ stack: "dev" });
        const root = run.resources.find(r => r.type === TOKENS.tlsSelfSignedCert && r.name === "web-root")!;
        // What `pulumi up` does once readyForRenewal is true: replace the SelfSignedCert, keep the PrivateKey.
        const renewed = (await mockTlsResource(TOKENS.tlsSelfSignedCert, "web-root", root.inputs)).state.certPem as string;
        assert.notStrictEqual(new crypto.X509Certificate(renewed).serialNumber, new crypto.X509Certificate(root.outputs.certPem).serialNumber);
        const dir = tempDir("e2etls-root-renewal");
        try {
            const pki = emitPki(run, dir.dir);
            const renewedPath = path.join(dir.dir, "renewed-root.pem");
            fs.writeFileSync(renewedPath, renewed);
            for (const leaf of [pki.backend.certPath, ...Object.values(pki.clients).map(c => c.certPath)]) {
                const leafOnly = path.join(dir.dir, "leaf.pem");
                fs.writeFileSync(leafOnly, fs.readFileSync(leaf, "utf8").split(/(?<=-----END CERTIFICATE-----)/)[0].trim() + "\n");
                const v = spawnSync("openssl", ["verify", "-CAfile", renewedPath, leafOnly], { encoding: "utf8" });
                assert.strictEqual(v.status, 0, `${leaf}: ${v.stdout}${v.stderr}`);
            }
        } finally {
            dir.remove();
        }
    });
});
