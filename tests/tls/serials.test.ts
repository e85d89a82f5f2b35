import * as assert from "assert";
import { buildRevocationList } from "../../components/pki/crl";
import { validateConfig } from "../../config/index";
import { runProgram } from "../../offline/engine/run-program";
import { x509 } from "../../offline/engine/x509-build";
import { caMaterial } from "./support/pki";

/**
 * `revokedSerials` is checked where it enters (config) and written into the CRL during `pulumi up`
 * (components/pki/crl.ts): every spelling config accepts must reach the CRL as the same serial,
 * and every spelling the CRL builder refuses must already be refused by config, naming the key.
 */
const ACCEPTED = [
    "0a:1b:2c", "0A1B2C", "a1b2c", "0x0a1b2c", "0X0A1B2C", "0x0a:1b:2c", "5ec0de0000000000000000000000d00d", "ff", "80",
    "0", "00", `${"0".repeat(10)}${"f".repeat(40)}`, "F".repeat(40), ":0a:", "7F:FF",
];
const REFUSED: unknown[] = [
    "", ":", "::", "0x", "0x:", "xyz", "0x0x1", "0a 1b", "0a-1b", "-1", "1".repeat(41), "1".repeat(50), `0x${"a".repeat(41)}`, 12, null,
];

/** A deterministic stream of spellings, hex-like and not, for the "never refused later" property. */
function spellings(count: number): string[] {
    let seed = 0x9e3779b9;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    const alphabet = "0123456789abcdefABCDEF:x0";
    return Array.from({ length: count }, () => {
        const length = next() % 62;
        const body = Array.from({ length }, () => alphabet[next() % alphabet.length]).join("");
        return next() % 3 === 0 ? `0x${body}` : body;
    });
}

const configOf = (serial: unknown) => validateConfig({ mtlsClients: ["a"], revokedSerials: [serial] as string[] });

describe("revoked serial numbers, from config to the revocation list", function () {
    this.timeout(60_000);
    let ca: { certPem: string; keyPem: string };
    const crlSerials = async (serials: string[]) => {
        const pem = await buildRevocationList({ caCertificatePem: ca.certPem, caPrivateKeyPem: ca.keyPem, revokedSerials: serials });
        return new x509.X509Crl(pem).entries.map(e => BigInt(`0x${e.serialNumber}`));
    };

    before(async () => {
        ca = caMaterial(await runProgram({ stack: "dev" }));
    });

    it("gives every accepted spelling one normal form: upper-case hex, no 0x, separators or leading zeros", () => {
        for (const written of ACCEPTED) {
            const [serial] = configOf(written).revokedSerials;
            assert.match(serial, /^(0|[1-9A-F][0-9A-F]{0,39})$/, `${written} became ${serial}`);
            assert.strictEqual(BigInt(`0x${serial}`), BigInt(`0x${written.replace(/^0x/i, "").replace(/:/g, "")}`), written);
        }
        assert.deepStrictEqual(["0a:1b:2c", "0x0A1B2C", "a1b2c"].map(w => configOf(w).revokedSerials[0]), ["A1B2C", "A1B2C", "A1B2C"]);
    });

    it("writes every serial config accepts into a CRL, as the same number", async () => {
        for (const written of ACCEPTED) {
            const normal = configOf(written).revokedSerials;
            assert.deepStrictEqual(await crlSerials(normal), [BigInt(`0x${normal[0]}`)], `${written}: the CRL lists another serial`);
        }
    });

    it("refuses at config, naming the key and the value, every spelling the CRL builder refuses", async () => {
        for (const written of REFUSED) {
            await assert.rejects(crlSerials([written as string]), `the CRL builder took ${JSON.stringify(written)}`);
            assert.throws(() => configOf(written), (e: Error) => e.name === "ConfigError"
                && e.message.startsWith(`e2e-tls:revokedSerials has ${JSON.stringify(written)}`)
                && /serial numbers in hexadecimal/.test(e.message), `config took ${JSON.stringify(written)}`);
        }
        assert.throws(() => configOf("1".repeat(50)), /over 40 hexadecimal digits: RFC 5280 caps a serial number at 20 octets/);
    });

    it("never has the CRL builder refuse a spelling config accepted (2,000 seeded spellings)", async () => {
        const accepted: string[] = [];
        for (const written of spellings(2000)) {
            let serials: string[];
            try {
                serials = configOf(written).revokedSerials;
            } catch (e) {
                assert.strictEqual((e as Error).name, "ConfigError", `${written}: ${(e as Error).stack}`);
                continue;
            }
            accepted.push(...serials);
        }
        assert.ok(accepted.length > 200, `only ${accepted.length} spellings accepted: the stream tests little`);
        const listed = await crlSerials(accepted);
        assert.deepStrictEqual(listed.sort(), [...new Set(accepted)].map(s => BigInt(`0x${s}`)).sort());
    });

    it("publishes the CRL during the program run for a 0x-prefixed serial of more than 32 digits", async () => {
        const written = `0x${"0".repeat(8)}${"ab".repeat(20)}`;
        const r = await runProgram({ stack: "dev", config: { "e2e-tls:revokedSerials": JSON.stringify([written]) } });
        const revocation = r.resources.find(x => x.type === "aws:lb/trustStoreRevocation:TrustStoreRevocation")!;
        const crl = r.resources.find(x => x.type === "aws:s3/bucketObjectv2:BucketObjectv2" && x.inputs.key === revocation.inputs.revocationsS3Key)!;
        assert.deepStrictEqual(new x509.X509Crl(crl.inputs.content).entries.map(e => BigInt(`0x${e.serialNumber}`)), [BigInt(`0x${"ab".repeat(20)}`)]);
    });
});
