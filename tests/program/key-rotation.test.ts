/**
 * Renewal rotates the key: every certificate the stack keeps a key for (backend, clients, and the
 * front certificate imported without a domain) gets a new key each renewal period, so a leaked key
 * dies with its certificate. Two runs of the program, one renewal period apart, are compared the
 * way the engine diffs them: what a run in the next period replaces, and what it leaves alone
 * within a period.
 */
import * as assert from "assert";
import { createPrivateKey, createPublicKey, X509Certificate } from "crypto";
import { renewalPeriod } from "../../components/pki/ca";
import { runProgram } from "../../offline/engine/run-program";
import { ProgramRun, RecordedResource } from "../../offline/engine/recorded";
import { TOKENS } from "../../policies/shared/tokens";
import { atTime, ofType } from "./support";

const VALIDITY = 2160;
const EARLY = 720;
const PERIOD_MS = (VALIDITY - EARLY) * 3600_000;

/**
 * Inputs whose change makes the provider replace the resource (ForceNew / RequiresReplace):
 * terraform-provider-tls cert_request.go (private_key_pem), locally_signed_cert.go
 * (cert_request_pem); terraform-provider-aws secretsmanager/secret_version.go (secret_string),
 * acmpca/certificate.go (certificate_signing_request).
 */
const FORCE_NEW: Record<string, string[]> = {
    [TOKENS.tlsCertRequest]: ["privateKeyPem"],
    [TOKENS.tlsLocallySignedCert]: ["certRequestPem"],
    [TOKENS.acmpcaCertificate]: ["certificateSigningRequest"],
    [TOKENS.secretsManagerSecretVersion]: ["secretString"],
};

/**
 * What the engine replaces when `next` follows `previous`: a resource whose replacementTrigger
 * changed (both set: pulumi/pulumi#20936, "Engine support for replacement_trigger"), then, in
 * dependency order, each resource a ForceNew input of which depends on a replaced one.
 */
function replacedBy(previous: ProgramRun, next: ProgramRun): Set<string> {
    const before = new Map(previous.resources.map(r => [r.urn, r]));
    const replaced = new Set<string>();
    for (const r of next.resources) {
        const old = before.get(r.urn);
        const [a, b] = [old?.options?.replacementTrigger, r.options?.replacementTrigger];
        if (a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b)) replaced.add(r.urn);
        for (const prop of FORCE_NEW[r.type] ?? []) {
            if ((r.propertyDependencies[prop] ?? []).some(u => replaced.has(u))) replaced.add(r.urn);
        }
    }
    return replaced;
}

function leafKeys(r: ProgramRun): RecordedResource[] {
    return ofType(r, TOKENS.tlsPrivateKey).filter(k => !k.name.endsWith("-root"));
}

function publicKeyOf(pem: string): string {
    return createPublicKey(createPrivateKey(pem)).export({ type: "spki", format: "der" }).toString("base64");
}

for (const stack of ["dev", "prod"] as const) {
    describe(`key rotation with renewal (${stack}: ${stack === "dev" ? "@pulumi/tls" : "AWS Private CA"})`, function () {
        this.timeout(180_000);
        // Three runs: early in a renewal period, later in the same period, and in the next one.
        const start = (Math.floor(Date.now() / PERIOD_MS) + 1) * PERIOD_MS;
        const runs = new Map<string, Promise<ProgramRun>>();
        const at = (label: string, when: number) => {
            if (!runs.has(label)) runs.set(label, atTime(new Date(when), () => runProgram({ stack })));
            return runs.get(label)!;
        };
        const first = () => at("first", start + 3600_000);
        const sameP = () => at("same period", start + PERIOD_MS - 3600_000);
        const next = () => at("next period", start + PERIOD_MS + 3600_000);

        it("keys every leaf key by its renewal period, creates the new one before deleting the old, and leaves the CA's key alone", async () => {
            const r = await first();
            const keys = leafKeys(r);
            const expected = ["web-backend-key", ...Object.keys(r.outputs.clientSecretArns).map(c => `web-client-${c}-key`), ...(stack === "dev" ? ["web-key"] : [])];
            assert.deepStrictEqual(keys.map(k => k.name).sort(), expected.sort());
            for (const k of keys) {
                assert.strictEqual(k.options?.replacementTrigger, renewalPeriod(new Date(start + 3600_000), VALIDITY, EARLY), k.name);
                assert.strictEqual(k.options?.deleteBeforeReplace, false, `${k.name}: the old key and its certificate stay until the new ones are in place`);
            }
            for (const root of ofType(r, TOKENS.tlsPrivateKey).filter(k => k.name.endsWith("-root"))) {
                assert.strictEqual(root.options?.replacementTrigger, undefined, "the CA rotates by caGeneration, not by period");
            }
        });

        it("replaces nothing within a renewal period", async () => {
            assert.deepStrictEqual([...replacedBy(await first(), await sameP())], []);
        });

        it("in the next period replaces every leaf key, its request, its certificate and the secret version that holds them", async () => {
            const [a, b] = [await first(), await next()];
            const replaced = replacedBy(a, b);
            for (const key of leafKeys(b)) assert.ok(replaced.has(key.urn), `${key.name} is not replaced`);
            for (const type of [TOKENS.tlsCertRequest, stack === "dev" ? TOKENS.tlsLocallySignedCert : TOKENS.acmpcaCertificate, TOKENS.secretsManagerSecretVersion]) {
                const leaves = ofType(b, type).filter(x => !x.name.endsWith("-root"));
                assert.ok(leaves.length > 0, type);
                for (const x of leaves) assert.ok(replaced.has(x.urn), `${type} ${x.name} is not replaced`);
            }
        });

        it("puts the new key and the certificate for it in one secret version, so no reader sees one without the other", async () => {
            const [a, b] = [await first(), await next()];
            const values = (r: ProgramRun) => new Map(ofType(r, TOKENS.secretsManagerSecretVersion).map(v => [v.name, JSON.parse(v.inputs.secretString)]));
            const [before, after] = [values(a), values(b)];
            assert.ok(after.size > 0);
            for (const [name, value] of after) {
                const cert = new X509Certificate(value.certificate);
                assert.strictEqual(cert.publicKey.export({ type: "spki", format: "der" }).toString("base64"), publicKeyOf(value.privateKey), `${name}: key and certificate match`);
                assert.notStrictEqual(publicKeyOf(value.privateKey), publicKeyOf(before.get(name).privateKey), `${name}: a new key`);
                assert.ok(Date.parse(cert.validFrom) >= start + PERIOD_MS, `${name}: issued in the new period`);
            }
        });
    });
}

describe("renewal periods and the certificate's own renewal window", () => {
    it("never lets @pulumi/tls renew a certificate before its key's period ends, so a renewal always brings a new key", () => {
        // A certificate issued at t is ready for renewal at t + validity - early; the key is replaced
        // from the first run in the next period. Issued anywhere in a period, the first comes no earlier.
        const base = 20_000 * PERIOD_MS;
        for (const offset of [0, 1, 3600_000, PERIOD_MS / 2, PERIOD_MS - 1]) {
            const issued = base + offset;
            const ready = issued + (VALIDITY - EARLY) * 3600_000;
            assert.ok(renewalPeriod(new Date(ready), VALIDITY, EARLY) > renewalPeriod(new Date(issued), VALIDITY, EARLY), `issued at +${offset} ms`);
        }
    });
});
