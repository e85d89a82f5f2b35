/**
 * Key policies and secret policies that open the stores to other accounts, over every token that
 * carries one, and the split between stores that hold TLS private keys (high) and the rest
 * (medium). Key material is generated per run.
 */
import * as crypto from "crypto";
import { assertPasses, assertViolation, of, resource, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";
import * as assert from "assert";

const { TLS_STORES, STORES } = RULES["resource-policies"];
const OWN = "111122223333";
const OTHER = "999988887777";
const KEY_ARN = `arn:aws:kms:us-east-1:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${OWN}:secret:backend-tls-AbCdEf`;

type Statement = Record<string, unknown>;
const doc = (...statements: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (action: unknown, extra: Statement = {}): Statement => ({ Effect: "Allow", Principal: "*", Action: action, Resource: "*", ...extra });
const pinned = (action: unknown) => allow(action, { Condition: { StringEquals: { "aws:PrincipalAccount": OWN } } });
const rootOf = (account: string) => ({ AWS: `arn:aws:iam::${account}:root` });

/** Every token that carries a key policy: its token, how it names the policy, and the resource. */
const KEY_HOLDERS = [
    { token: "aws:kms/key:Key", make: (policy: unknown) => resource("aws:kms/key:Key", "tls-key", { arn: KEY_ARN, policy }) },
    { token: "aws:kms/replicaKey:ReplicaKey", make: (policy: unknown) => resource("aws:kms/replicaKey:ReplicaKey", "tls-key", { arn: KEY_ARN, primaryKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/mrk-1", policy }) },
    { token: "aws:kms/externalKey:ExternalKey", make: (policy: unknown) => resource("aws:kms/externalKey:ExternalKey", "tls-key", { arn: KEY_ARN, policy }) },
    { token: "aws:kms/replicaExternalKey:ReplicaExternalKey", make: (policy: unknown) => resource("aws:kms/replicaExternalKey:ReplicaExternalKey", "tls-key", { arn: KEY_ARN, policy }) },
    { token: "aws:kms/keyPolicy:KeyPolicy", make: (policy: unknown) => resource("aws:kms/keyPolicy:KeyPolicy", "tls-key", { keyId: KEY_ARN, policy }) },
    { token: "aws-native:kms:Key", make: (policy: unknown) => resource("aws-native:kms:Key", "tls-key", { arn: KEY_ARN, keyPolicy: JSON.parse(String(policy)) }) },
    { token: "aws-native:kms:ReplicaKey", make: (policy: unknown) => resource("aws-native:kms:ReplicaKey", "tls-key", { arn: KEY_ARN, keyPolicy: JSON.parse(String(policy)) }) },
];

/** Every token that carries a secret policy. */
const SECRET_HOLDERS = [
    { token: "aws:secretsmanager/secret:Secret", make: (policy: unknown) => resource("aws:secretsmanager/secret:Secret", "backend-tls", { arn: SECRET_ARN, policy }) },
    { token: "aws:secretsmanager/secretPolicy:SecretPolicy", make: (policy: unknown) => resource("aws:secretsmanager/secretPolicy:SecretPolicy", "backend-tls", { secretArn: SECRET_ARN, policy }) },
    { token: "aws-native:secretsmanager:ResourcePolicy", make: (policy: unknown) => resource("aws-native:secretsmanager:ResourcePolicy", "backend-tls", { secretId: SECRET_ARN, resourcePolicy: JSON.parse(String(policy)) }) },
];

const keyPem = () => crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;

describe("key and secret policies that open the stores", () => {
    const pack = usePackPerTest();
    const analyze = (...r: ReturnType<typeof resource>[]) => pack().analyzeStack(r);

    for (const h of KEY_HOLDERS) {
        it(`refuses kms:Decrypt to "*" and to another account, and accepts it pinned to the owner's account or to its root (${h.token})`, async () => {
            assertViolation(await analyze(h.make(doc(allow("kms:Decrypt")))), STORES, "mandatory", `(${h.token}): ${h.token.startsWith("aws-native") ? "keyPolicy" : "policy"} is`, "lets any principal of any account call kms:Decrypt");
            assertViolation(await analyze(h.make(doc(allow("kms:*", { Principal: rootOf(OTHER) })))), STORES, "mandatory", `lets account ${OTHER} call kms:Decrypt`);
            assertPasses(await analyze(h.make(doc(pinned("kms:Decrypt")))), STORES);
            assertPasses(await analyze(h.make(doc(allow("kms:*", { Principal: rootOf(OWN) }), allow("kms:Encrypt")))), STORES);
        });
    }

    for (const h of SECRET_HOLDERS) {
        it(`refuses secretsmanager:Get* to "*" and NotAction that leaves GetSecretValue, and accepts a condition on the organization (${h.token})`, async () => {
            assertViolation(await analyze(h.make(doc(allow("secretsmanager:Get*")))), STORES, "mandatory", `(${h.token})`, "call secretsmanager:GetSecretValue");
            assertViolation(await analyze(h.make(doc(allow(undefined, { Action: undefined, NotAction: ["secretsmanager:DeleteSecret"] })))), STORES, "mandatory", "secretsmanager:GetSecretValue");
            assertPasses(await analyze(h.make(doc(allow("secretsmanager:*", { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } })))), STORES);
            assertPasses(await analyze(h.make(doc({ ...allow("secretsmanager:GetSecretValue"), Effect: "Deny" }))), STORES);
        });
    }

    it("reads the grammar loosely and fails closed: a Statement object, element names in any case, NotPrincipal, conditions that do not pin", async () => {
        const key = KEY_HOLDERS[0];
        const single = JSON.stringify({ Statement: { effect: "allow", principal: { aws: ["*"] }, action: "KMS:decrypt" } });
        assertViolation(await analyze(key.make(single)), STORES, "mandatory", "any principal of any account");
        assertViolation(await analyze(key.make(doc({ Effect: "Allow", NotPrincipal: rootOf(OWN), Action: "kms:ReEncrypt*" }))), STORES, "mandatory", "kms:ReEncryptFrom");
        for (const condition of [{ StringEqualsIfExists: { "aws:PrincipalAccount": OWN } }, { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }, { StringLike: { "aws:PrincipalAccount": "*" } }, { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } }]) {
            assertViolation(await analyze(key.make(doc(allow("kms:Decrypt", { Condition: condition })))), STORES, "mandatory", "any principal");
        }
        assertPasses(await analyze(key.make(doc(allow("kms:Decrypt", { Condition: { StringEquals: { "kms:CallerAccount": OWN, "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } })))), STORES);
    });

    it("reports an account principal only once the owner's account is known, and accepts a trusted account", async () => {
        const other = doc(allow("kms:Decrypt", { Principal: rootOf(OTHER) }));
        assertPasses(await analyze(resource("aws:kms/key:Key", "k", { arn: UNKNOWN, policy: other })), STORES);
        assertViolation(await analyze(resource("aws:kms/key:Key", "k", { arn: UNKNOWN, policy: doc(allow("kms:Decrypt")) })), STORES, "mandatory", "any principal");
        assertPasses(await analyze(resource("aws:kms/key:Key", "k", { arn: KEY_ARN, policy: UNKNOWN })), STORES);
        await pack().configure({ [STORES]: { trustedAccountIds: [OTHER] } });
        assertPasses(await analyze(KEY_HOLDERS[0].make(other)), STORES);
    });

    describe(`${TLS_STORES}: the stores of TLS private keys`, () => {
        const tlsKey = resource("tls:index/privateKey:PrivateKey", "backend-key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
        const secret = (props: Record<string, unknown> = {}) => resource("aws:secretsmanager/secret:Secret", "backend-tls", { arn: SECRET_ARN, id: SECRET_ARN, kmsKeyId: KEY_ARN, ...props });
        const version = (secretString: unknown, fromKey: boolean) => resource("aws:secretsmanager/secretVersion:SecretVersion", "backend-tls", { secretId: SECRET_ARN, secretString },
            { propertyDependencies: fromKey ? { secretString: [tlsKey.urn!] } : {} });
        const key = (policy: string) => resource("aws:kms/key:Key", "tls-key", { arn: KEY_ARN, id: "1234abcd-12ab-34cd-56ef-1234567890ab", policy });
        const open = doc(allow("*"));

        it("refuses an open policy on a secret made from a tls PrivateKey, and on the key that encrypts it, at high severity and not twice", async () => {
            const result = await analyze(tlsKey, secret({ policy: open }), version(UNKNOWN, true), key(open));
            const found = of(result, TLS_STORES).map((d) => d.message);
            assert.strictEqual(found.length, 2, found.join("\n"));
            assert.ok(found.some((m) => m.includes('Secret "backend-tls"')) && found.some((m) => m.includes('Key "tls-key"')), found.join("\n"));
            assert.ok(found.every((m) => m.includes("the store holds TLS private keys")));
            assert.deepStrictEqual(of(result, STORES), []);
        });

        it("finds key material in a secret version's value and in an aws-native secret's secretString", async () => {
            assertViolation(await analyze(secret(), version(JSON.stringify({ privateKey: keyPem() }), false), resource("aws:secretsmanager/secretPolicy:SecretPolicy", "p", { secretArn: SECRET_ARN, policy: open })),
                TLS_STORES, "mandatory", "SecretPolicy", 'of Secret "backend-tls"');
            const native = resource("aws-native:secretsmanager:Secret", "backend-tls", { arn: SECRET_ARN, id: SECRET_ARN, secretString: keyPem() });
            const policy = resource("aws-native:secretsmanager:ResourcePolicy", "p", { secretId: SECRET_ARN, resourcePolicy: JSON.parse(open) });
            assertViolation(await analyze(native, policy), TLS_STORES, "mandatory", "(aws-native:secretsmanager:ResourcePolicy)");
        });

        it("judges aws-native stores of TLS keys: the Key that encrypts the secret and the ResourcePolicy, open and closed", async () => {
            const native = resource("aws-native:secretsmanager:Secret", "backend-tls", { arn: SECRET_ARN, id: SECRET_ARN, kmsKeyId: KEY_ARN, secretString: keyPem() });
            const nativeKey = (policy: string) => resource("aws-native:kms:Key", "tls-key", { arn: KEY_ARN, keyPolicy: JSON.parse(policy) });
            const resourcePolicy = (policy: string) => resource("aws-native:secretsmanager:ResourcePolicy", "p", { secretId: SECRET_ARN, resourcePolicy: JSON.parse(policy) });
            const closed = doc(allow("kms:*", { Principal: rootOf(OWN) }));
            assertViolation(await analyze(native, nativeKey(open), resourcePolicy(closed)), TLS_STORES, "mandatory", "(aws-native:kms:Key): keyPolicy is");
            assertPasses(await analyze(native, nativeKey(closed), resourcePolicy(doc(pinned("secretsmanager:GetSecretValue")))), TLS_STORES);
        });

        it("accepts a TLS secret whose policy only denies, and leaves stores without TLS keys to the other rule", async () => {
            const deny = doc({ Effect: "Deny", Principal: "*", Action: "secretsmanager:GetSecretValue", Condition: { ArnNotLike: { "aws:PrincipalArn": [`arn:aws:iam::${OWN}:role/tier`] } } });
            assertPasses(await analyze(tlsKey, secret({ policy: deny }), version(UNKNOWN, true), key(doc(allow("kms:*", { Principal: rootOf(OWN) })))), TLS_STORES);
            const plain = await analyze(secret({ policy: open }), version("db-password-is-not-a-key", false));
            assertPasses(plain, TLS_STORES);
            assertViolation(plain, STORES, "mandatory", 'Secret "backend-tls"');
        });
    });
});
