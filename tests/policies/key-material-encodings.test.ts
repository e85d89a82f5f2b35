/**
 * The encodings a key hides under, each refused wherever it sits: base64 wrapped at any line
 * width (PEM bodies and bare DER), base64url, hex with and without separators, zlib, raw deflate,
 * damaged gzip, UTF-16 with and without a byte order mark, and nestings of them within the depth
 * budget. Formats Node.js cannot decode (bzip2, xz, zstd) are not read, and say so, at the level
 * the inspection rule has: advisory by default, mandatory in org-strict.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { findKeyMaterial, inspectKeyMaterial } from "../../policies/rules/key-material-detector";
import { x509 } from "../../offline/engine/x509-build";
import { assertPasses, assertViolation, resource, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { PLAIN } = RULES.secrets;
const { INSPECTED } = RULES["secrets-inspection"];
const ORG_STRICT = path.resolve(__dirname, "..", "..", "policies", "config", "org-strict.json");

// Generated per run: no key text is committed.
const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const PEM = ec.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
const RSA_DER = rsa.privateKey.export({ type: "pkcs1", format: "der" }) as Buffer;
const EC_DER = ec.privateKey.export({ type: "sec1", format: "der" }) as Buffer;
const PEM_BODY = PEM.split("\n").filter((l) => l && !l.startsWith("-----")).join("");

const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const wrap = (s: string, width: number) => s.replace(new RegExp(`(.{${width}})`, "g"), "$1\n").trim();
const heredoc = (body: string) => `#!/bin/sh\nset -e\ncat > /tmp/key.b64 <<EOF\n${body}\nEOF\nbase64 -d /tmp/key.b64 > /etc/nginx/tls.key\nfi\n`;
const hexColons = (b: Buffer) => wrap(b.toString("hex").replace(/(..)(?!$)/g, "$1:"), 45).split("\n").map((l) => `    ${l}`).join("\n");
const utf16be = (s: string) => Buffer.from(s, "utf16le").swap16();

/** Each encoding: how the value is written, and how the finding names the layers. */
const ENCODINGS: [string, () => string, string][] = [
    ...[16, 20, 40, 64, 76].map((w): [string, () => string, string] => [`base64 of a PEM key wrapped at ${w}`, () => wrap(b64(PEM), w), '"PRIVATE KEY" block (base64 encoded)']),
    ...[20, 44, 64].map((w): [string, () => string, string] => [`a bare DER key in base64 wrapped at ${w} in a heredoc`, () => heredoc(wrap(b64(RSA_DER), w)), "a DER RSA (PKCS#1) or DSA private key (base64 encoded)"]),
    ["a headerless PEM body opened on the line of its variable", () => `KEY="${wrap(PEM_BODY, 48).replace(/\n/g, "\n  ")}"\necho "$KEY" | base64 -d`, "a DER PKCS#8 private key (base64 encoded)"],
    ["base64url of a DER key", () => `token=${b64(EC_DER).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`, "a DER EC (SEC1) private key (base64 encoded)"],
    ["hex", () => `KEY=${EC_DER.toString("hex")}`, "a DER EC (SEC1) private key (hex encoded)"],
    ["hex wrapped as xxd -p writes it", () => `cat <<EOF | xxd -r -p\n${wrap(RSA_DER.toString("hex"), 60)}\nEOF`, "(hex encoded)"],
    ["hex with colons, as OpenSSL prints it", () => `priv:\n${hexColons(EC_DER)}`, "a DER EC (SEC1) private key (hex encoded)"],
    ["hex escapes", () => `printf '${[...EC_DER].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}' > /k.der`, "(hex encoded)"],
    ["a C array", () => `static const unsigned char k[] = { ${[...EC_DER].map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(", ")} };`, "(hex encoded)"],
    ["zlib", () => b64(zlib.deflateSync(PEM)), "(base64, zlib encoded)"],
    ["raw deflate", () => b64(zlib.deflateRawSync(PEM)), "(base64, deflate encoded)"],
    ["gzip with garbage after it", () => b64(Buffer.concat([zlib.gzipSync(PEM), Buffer.from("trailing garbage")])), "(base64, gzip encoded)"],
    ["gzip with a wrong checksum", () => { const g = zlib.gzipSync(PEM); g[g.length - 6] ^= 0xff; return b64(g); }, "(base64, gzip encoded)"],
    ["truncated gzip", () => b64(zlib.gzipSync(PEM).subarray(0, -12)), "(base64, gzip encoded)"],
    ["UTF-16LE with a byte order mark", () => b64(Buffer.from(`\ufeff${PEM}`, "utf16le")), "(base64, UTF-16LE encoded)"],
    ["UTF-16BE without one", () => b64(utf16be(PEM)), "(base64, UTF-16BE encoded)"],
    ["PowerShell's -EncodedCommand (base64 of UTF-16LE)", () => `<powershell>\npowershell -EncodedCommand ${b64(Buffer.from(`Set-Content C:\\k.pem "${PEM}"`, "utf16le"))}\n</powershell>`, "(base64, UTF-16LE encoded)"],
    ["hex inside gzip inside base64", () => b64(zlib.gzipSync(EC_DER.toString("hex"))), "a DER EC (SEC1) private key (base64, gzip, hex encoded)"],
    ["base64 inside zlib inside base64, three layers down", () => b64(zlib.deflateSync(`echo ${b64(zlib.gzipSync(PEM))} | base64 -d | gunzip`)), "(base64, zlib, base64, gzip encoded)"],
];

describe("key material under every encoding", () => {
    const pack = usePackPerTest();
    const widget = (bootstrap: string) => resource("acme:widgets:Widget", "x", { bootstrap });

    for (const [what, value, layers] of ENCODINGS) {
        it(`refuses ${what}`, async () => {
            assertViolation(await pack().analyze(widget(value())), PLAIN, "mandatory", "bootstrap contains", layers);
        });
    }

    it("reads a certificate, a public key and ordinary blobs in the same encodings as no key", async () => {
        const keys = (await crypto.webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as any;
        const cert = Buffer.from((await x509.X509CertificateGenerator.createSelfSigned({
            serialNumber: "01", name: "CN=web.example.com", notBefore: new Date(0), notAfter: new Date(86_400_000), keys,
            signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
        })).rawData);
        const spki = rsa.publicKey.export({ type: "spki", format: "der" }) as Buffer;
        for (const value of [wrap(b64(cert), 20), cert.toString("hex"), wrap(b64(spki), 20), spki.toString("hex"),
            b64(zlib.deflateSync(crypto.randomBytes(512))), b64(crypto.randomBytes(4096)),
            crypto.randomBytes(64).toString("hex"), b64(Buffer.from("#!/bin/sh\necho hello\n", "utf16le"))]) {
            assert.strictEqual(findKeyMaterial(value), undefined, value.slice(0, 80));
        }
    });

    const unreadable: [string, Buffer][] = [
        ["bzip2", Buffer.concat([Buffer.from("BZh9"), Buffer.from([0x31, 0x41, 0x59, 0x26, 0x53, 0x59]), crypto.randomBytes(200)])],
        ["xz", Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), crypto.randomBytes(200)])],
        ["zstd", Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), crypto.randomBytes(200)])],
    ];
    for (const [format, bytes] of unreadable) {
        it(`says a ${format} layer, which Node.js cannot decode, was not read, advisory by default and at the level config gives`, async () => {
            const result = await pack().analyze(widget(b64(bytes)));
            assertViolation(result, INSPECTED, "advisory", "bootstrap could not be fully inspected", `a layer of ${format}, which Node.js cannot decode`);
            assertPasses(result, PLAIN);
            await pack().configure({ [INSPECTED]: "mandatory" });
            assertViolation(await pack().analyze(widget(b64(bytes))), INSPECTED, "mandatory", `a layer of ${format}`);
        });
    }

    it("makes a value it cannot read to the end mandatory under org-strict", async () => {
        assert.strictEqual(JSON.parse(fs.readFileSync(ORG_STRICT, "utf8"))[INSPECTED], "mandatory");
        await pack().configure(JSON.parse(fs.readFileSync(ORG_STRICT, "utf8")));
        assertViolation(await pack().analyze(widget(b64(unreadable[1][1]))), INSPECTED, "mandatory", "a layer of xz");
        let deep = "plain text";
        for (let i = 0; i < 8; i++) deep = b64(deep);
        assertViolation(await pack().analyze(resource("aws:ec2/spotInstanceRequest:SpotInstanceRequest", "spot", { userData: deep })), INSPECTED, "mandatory", "base64 nested deeper than 3 layers");
    });

    it("says a gzip member that does not inflate was not read", () => {
        const broken = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03]), Buffer.alloc(64, 0xff)]);
        assert.match(inspectKeyMaterial(b64(broken)).incomplete ?? "(complete)", /a gzip layer that does not inflate/);
    });
});
