import * as assert from "assert";
import * as crypto from "crypto";
import { subnetCidrs } from "../../components/network/network";
import { trustStoreBundle } from "../../components/edge/trust-store";
import { renewalPeriod } from "../../components/pki/ca";
import { mutualAuthentication } from "../../components/edge/listeners";
import { decodeUserData, encodeUserData, renderUserData } from "../../components/compute/backend/user-data";
import { applicationOf } from "../../components/compute/application";
import { validateConfig } from "../../config/index";

describe("component helpers", () => {
    it("plans public subnets from the start of the VPC and private ones from its middle", () => {
        assert.deepStrictEqual(subnetCidrs("10.0.0.0/16", 3), {
            public: ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"],
            private: ["10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"],
        });
        assert.deepStrictEqual(subnetCidrs("192.168.4.0/24", 2).private, ["192.168.4.128/28", "192.168.4.144/28"]);
    });

    it("joins CA certificates into a bundle with no blank lines and a final newline", () => {
        const a = "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n\n";
        const b = "\r\n-----BEGIN CERTIFICATE-----\r\nBBB\r\n-----END CERTIFICATE-----";
        assert.strictEqual(trustStoreBundle([a, b]),
            "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n");
    });

    it("starts a new Private CA renewal period every validity-minus-window hours", () => {
        const start = new Date(Date.UTC(2026, 0, 1));
        const p = renewalPeriod(start, 2160, 720);
        assert.strictEqual(renewalPeriod(new Date(start.getTime() + 1439 * 3600e3), 2160, 720) - p <= 1, true);
        const periodMs = 1440 * 3600e3;
        const boundary = new Date(Math.ceil(start.getTime() / periodMs) * periodMs);
        assert.strictEqual(renewalPeriod(new Date(boundary.getTime() - 1), 2160, 720) + 1, renewalPeriod(boundary, 2160, 720));
    });

    it("writes mTLS mode off with no other field, and verify with expiry checks on", () => {
        assert.deepStrictEqual(mutualAuthentication("off"), { mode: "off" });
        assert.deepStrictEqual(mutualAuthentication("passthrough"), { mode: "passthrough" });
        assert.deepStrictEqual(mutualAuthentication("verify", "arn:ts"), { mode: "verify", trustStoreArn: "arn:ts", ignoreClientCertificateExpiry: false });
    });

    it("renders user data that references the secret by ARN and embeds the refresh agent", () => {
        const application = applicationOf(validateConfig({ mtlsClients: ["a"], appPort: 9080 }));
        const ud = renderUserData({ secretArn: "arn:aws:secretsmanager:us-east-1:1:secret:x", region: "us-east-1", backendPort: 9443, application });
        assert.match(ud, /^#!\/bin\/bash\n/);
        assert.match(ud, /SECRET_ID=arn:aws:secretsmanager:us-east-1:1:secret:x\n/);
        assert.match(ud, /aws secretsmanager get-secret-value --secret-id "\$SECRET_ID"/);
        assert.match(ud, /listen 9443 ssl;/);
        assert.match(ud, /ThreadingHTTPServer\(\("127\.0\.0\.1", 9080\)/);
        assert.ok(Buffer.from(encodeUserData(ud), "base64").length < 16384, "EC2 user data is limited to 16 KB");
        assert.strictEqual(decodeUserData(encodeUserData(ud)), ud, "cloud-init gets back the script");
    });

    it("compresses user data to the same bytes on every machine: no timestamp, a pure-JavaScript deflate", () => {
        const script = "#!/bin/bash\necho hello\n".repeat(50) + "printf '%s\\n' done\n";
        const raw = Buffer.from(encodeUserData(script), "base64");
        assert.deepStrictEqual([...raw.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3], "gzip header: no name, mtime 0, Unix");
        // A fixed digest: another deflate (Node's zlib differs between releases and platforms) fails it.
        assert.strictEqual(crypto.createHash("sha256").update(encodeUserData(script)).digest("hex"),
            "f243b204c5176a5e9975efefd392ea88bc13870d155d060dd84633d733164865");
    });
});
