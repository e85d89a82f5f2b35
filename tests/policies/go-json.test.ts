/** Annotation JSON decoded as Go's encoding/json decodes it into the controller's types (policies/rules/go-json.ts). */
import * as assert from "assert";
import { decodeMap, decodeSlice, decodeStruct, foldName, parseGoJson } from "../../policies/rules/go-json";
import { accountOf, actionMatches } from "../../policies/rules/iam-policy";

const FIELDS = { mode: "string", trustStore: "*string", ignoreClientCertificateExpiry: "*bool", port: "int32" } as const;
const decode = (text: string) => decodeStruct(parseGoJson(text)!, FIELDS);

describe("Go's encoding/json, as the controller decodes annotations", () => {
    it("matches field names in any case and under simple folding only: the Kelvin sign and the long s, not the dotless i", () => {
        assert.strictEqual(foldName("TrustStore"), foldName("trustStore"));
        assert.strictEqual(foldName("tru\u017ftStore"), foldName("truststore"));
        assert.strictEqual(foldName("\u212Aey"), "key");
        assert.notStrictEqual(foldName("\u0131d"), foldName("id"));
    });

    it("lets the last of a field's keys win, whatever their case", () => {
        assert.deepStrictEqual(decode('{"ignoreClientCertificateExpiry": false, "IGNORECLIENTCERTIFICATEEXPIRY": true}'), { ok: { ignoreClientCertificateExpiry: true } });
        assert.deepStrictEqual(decode('{"Mode": "off", "mode": "verify", "other": 1}'), { ok: { mode: "verify" } });
    });

    it("leaves a non-pointer field as it was on null, and clears a pointer field", () => {
        assert.deepStrictEqual(decode('{"mode": "verify", "mode": null, "trustStore": "ts", "trustStore": null}'), { ok: { mode: "verify", trustStore: undefined } });
    });

    it("fails on a wrong JSON type or a number that is not an int32, as Unmarshal does", () => {
        for (const text of ['{"port": "443"}', '{"port": 443.0}', '{"port": 4e2}', '{"port": 2147483648}', '{"ignoreClientCertificateExpiry": "true"}', '{"mode": 1}']) {
            assert.ok("error" in decode(text), text);
        }
        assert.deepStrictEqual(decode('{"port": -0}'), { ok: { port: 0 } });
    });

    it("keeps map keys exact and the last of equal keys, and refuses what is not JSON", () => {
        const ports = decodeSlice(parseGoJson('[{"HTTP": 80, "HTTP": 8080, "https": 443}]'), (e) => decodeMap(e, "int32"));
        assert.ok("ok" in ports);
        assert.deepStrictEqual([...ports.ok[0]], [["HTTP", 8080], ["https", 443]]);
        assert.strictEqual(parseGoJson('[{"HTTP": 80}'), undefined);
        assert.strictEqual(parseGoJson("[1] x"), undefined);
        assert.deepStrictEqual(decodeSlice(parseGoJson("null"), (e) => decodeMap(e, "int32")), { ok: [] });
    });
});

describe("IAM policy reading", () => {
    it("matches actions case-insensitively with * and ? wildcards", () => {
        assert.ok(actionMatches("kms:De*", "kms:Decrypt"));
        assert.ok(actionMatches("KMS:DECRYPT", "kms:Decrypt"));
        assert.ok(actionMatches("kms:ReEncrypt?rom", "kms:ReEncryptFrom"));
        assert.ok(!actionMatches("kms:Encrypt", "kms:Decrypt"));
        assert.ok(actionMatches("*", "secretsmanager:GetSecretValue"));
    });

    it("reads the account of an account id or an IAM ARN, and of nothing else", () => {
        assert.strictEqual(accountOf("111122223333"), "111122223333");
        assert.strictEqual(accountOf("arn:aws:iam::111122223333:role/tier"), "111122223333");
        assert.strictEqual(accountOf("arn:aws:iam::*:root"), undefined);
        assert.strictEqual(accountOf("o-a1b2c3d4e5"), undefined);
    });
});
