import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { validateConfig } from "../../config/index";
import { inspectCsr } from "../../components/pki/csr";
import { tempDir } from "../../offline/loopback/processes";
import { partnerCsr } from "./support/partner-key";
import { requireTools } from "./support/requires";

const PROJECT = path.join(__dirname, "../..");

/** Validates a config with the given CSR entries (and one central client, as the dev stack has). */
const withCsrs = (mtlsClientCsrs: string[], extra: Record<string, unknown> = {}) =>
    () => validateConfig({ mtlsClients: ["ci-smoke"], mtlsClientCsrs, ...extra });

describe("bring-your-own-key requests at config validation (e2e-tls:mtlsClientCsrs)", function () {
    this.timeout(30_000);
    let dir: { dir: string; remove: () => void };

    before(function () {
        requireTools(this, "CSR validation (tests/tls/partner-csr-config.test.ts)", ["openssl"]);
        dir = tempDir("e2etls-csr-config");
    });
    after(() => dir?.remove());

    it("accepts ECDSA P-256 and P-384 and RSA 2048 requests, inline, and returns each as PEM with its key", () => {
        const ec = partnerCsr(dir.dir, "partner-ec");
        const p384 = partnerCsr(dir.dir, "partner-p384", "ec", ["-pkeyopt", "ec_paramgen_curve:P-384"]);
        const rsa = partnerCsr(dir.dir, "partner-rsa", "rsa:2048");
        const c = validateConfig({ mtlsClients: [], mtlsClientCsrs: [ec.csrPem, p384.csrPem, rsa.csrPem] });
        assert.deepStrictEqual(c.mtlsClientCsrs, [ec.csrPem, p384.csrPem, rsa.csrPem]);
        assert.deepStrictEqual(c.mtlsClientCsrs.map(p => "csr" in inspectCsr(p) && (inspectCsr(p) as any).csr.key), ["ECDSA P-256", "ECDSA P-384", "RSA 2048"]);
    });

    it("reads a request from a file relative to the project and refuses a path outside it", () => {
        const rel = path.relative(PROJECT, path.join(dir.dir, "x.csr"));
        const { csrPem } = partnerCsr(dir.dir, "partner-file");
        const inside = fs.mkdtempSync(path.join(PROJECT, ".csr-test-"));
        try {
            fs.writeFileSync(path.join(inside, "partner-file.csr"), csrPem);
            const c = validateConfig({ mtlsClients: [], mtlsClientCsrs: [path.join(path.basename(inside), "partner-file.csr")] }, {});
            assert.deepStrictEqual(c.mtlsClientCsrs, [csrPem]);
        } finally {
            fs.rmSync(inside, { recursive: true, force: true });
        }
        assert.throws(withCsrs([rel]), new RegExp(`^ConfigError: e2e-tls:mtlsClientCsrs has ${JSON.stringify(rel).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}, outside the project`));
        assert.throws(withCsrs(["/etc/hostname"]), /outside the project\. Use a path relative to the project folder/);
        assert.throws(withCsrs(["partners/missing.csr"]), /"partners\/missing\.csr", which is neither a PEM CSR nor a readable file in the project/);
    });

    for (const [what, newkey, refused] of [
        ["an Ed25519 key", "ed25519", /has a key ALB mTLS refuses \(ed25519\): use RSA 2048 to 8192 bits or ECDSA P-256, P-384 or P-521/],
        ["an RSA 1024 key", "rsa:1024", /has a key ALB mTLS refuses \(rsa 1024\)/],
    ] as const) {
        it(`refuses a request for ${what}, which ALB refuses on a client certificate`, () => {
            const { csrPem } = partnerCsr(dir.dir, "partner-weak", newkey);
            assert.throws(withCsrs([csrPem]), refused);
        });
    }

    it("refuses a request whose signed subject was altered after signing", () => {
        const der = Buffer.from(partnerCsr(dir.dir, "partner-a").csrPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
        const at = der.indexOf("partner-a");
        assert.ok(at > 0);
        der.write("partner-x", at);
        const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE REQUEST-----\n`;
        assert.throws(withCsrs([pem]), /^ConfigError: e2e-tls:mtlsClientCsrs has a request that has a bad signature: it was not signed by the key it carries\./);
    });

    it("refuses a common name that is not a client name, and a name mtlsClients already has", () => {
        assert.throws(withCsrs([partnerCsr(dir.dir, "Partner_A").csrPem]), /has a request for "Partner_A"\. Its common name is the client's name: use unique names/);
        assert.throws(withCsrs([partnerCsr(dir.dir, "ci-smoke").csrPem]), /has a request for "ci-smoke"\. .*unique names \(across mtlsClients and mtlsClientCsrs\)/);
        const twice = partnerCsr(dir.dir, "partner-twice").csrPem;
        assert.throws(withCsrs([twice, twice]), /has a request for "partner-twice"/);
    });

    it("refuses a request asking for an IP subject alternative name", () => {
        const { csrPem } = partnerCsr(dir.dir, "partner-ip", "ec", ["-addext", "subjectAltName=IP:10.0.0.1"]);
        assert.throws(withCsrs([csrPem]), /asks for subject alternative name\(s\) \["ip:10\.0\.0\.1"\]: a client certificate takes DNS names only/);
    });

    it("refuses text that is not a PEM request, naming the command that makes one", () => {
        assert.throws(withCsrs(["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"]), /is not a PEM certificate request .*openssl req -new -newkey ec/);
    });

    it("lets a stack in mtlsMode verify have CSR clients only", () => {
        const { csrPem } = partnerCsr(dir.dir, "partner-only");
        assert.doesNotThrow(() => validateConfig({ mtlsClients: [], mtlsClientCsrs: [csrPem] }));
        assert.throws(() => validateConfig({ mtlsClients: [], mtlsClientCsrs: [] }), /no client could connect/);
    });
});
