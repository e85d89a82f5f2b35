/**
 * Resource policies that open the key stores: a KMS key policy or a Secrets Manager secret policy
 * whose Allow statement lets a principal of another account (or of any account) decrypt or read,
 * with no condition pinning the caller to the owner's account or organization. Every key and
 * secret is judged; those that hold or protect TLS private keys under the higher-severity rule.
 *
 * Actions that hand out the plaintext (Service Authorization Reference, AWS KMS and AWS Secrets
 * Manager; KMS developer guide, "Allowing users in other accounts to use a KMS key", which lists
 * Decrypt, ReEncryptFrom and CreateGrant among the operations other accounts can call):
 * kms:Decrypt, kms:ReEncryptFrom (re-encrypt under a key the caller holds), kms:CreateGrant (grant
 * oneself Decrypt); secretsmanager:GetSecretValue, secretsmanager:PutResourcePolicy (rewrite the
 * policy, then read). Wildcards (`kms:*`, `kms:De*`, `*`) and NotAction match them.
 *
 * Which policy belongs to which store: the key's or secret's own `policy` (aws-native `keyPolicy`,
 * read through the shape adapter), `aws:kms/keyPolicy` by `keyId`, `aws:secretsmanager/secretPolicy`
 * (aws-native ResourcePolicy) by `secretArn`. A secret holds TLS keys when a secret version of the
 * stack carries key material or is made from a `tls:index/privateKey` (its recorded
 * dependencies), or its own aws-native `secretString` does; a key protects them when such a secret
 * is encrypted under it (`kmsKeyId`), or it is a replica of such a key. The owner's account is
 * read from the store's ARN; while that is unknown (preview of a new store) only statements open
 * to every account are reported.
 */
import { Policies } from "@pulumi/policy";
import { TOKENS } from "../shared/tokens";
import { isToken, isUnknown, knownString, Node, StackCheckContext, StackIndex, stackRule, strings } from "../framework";
import { accountOf, describeAudience, openStatements } from "./iam-policy";
import { findKeyMaterial } from "./key-material-detector";

const KMS_ACTIONS = ["kms:Decrypt", "kms:ReEncryptFrom", "kms:CreateGrant"];
const SECRET_ACTIONS = ["secretsmanager:GetSecretValue", "secretsmanager:PutResourcePolicy"];

const KEYS = [TOKENS.kmsKey, TOKENS.kmsReplicaKey, TOKENS.kmsExternalKey, TOKENS.kmsReplicaExternalKey];
const SECRETS = [TOKENS.secretsManagerSecret];
const isKey = isToken(...KEYS);
const isSecret = isToken(...SECRETS);

/** A policy document and the store it governs. */
interface Governed {
    readonly holder: Node;
    readonly store: Node | undefined;
    readonly actions: readonly string[];
}

/** Every policy-bearing resource of the stack with the key or secret it governs. */
function governed(index: StackIndex): Governed[] {
    const own = (tokens: string[], actions: string[]) => tokens.flatMap((t) => index.ofType(t)).map((n) => ({ holder: n, store: n, actions }));
    const attached = (token: string, property: string, accept: (n: Node) => boolean, actions: string[]) =>
        index.ofType(token).map((n) => ({ holder: n, store: index.resolve(n, property, n.props[property], accept).nodes[0], actions }));
    return [
        ...own(KEYS, KMS_ACTIONS),
        ...attached(TOKENS.kmsKeyPolicy, "keyId", isKey, KMS_ACTIONS),
        ...own(SECRETS, SECRET_ACTIONS),
        ...attached(TOKENS.secretsManagerSecretPolicy, "secretArn", isSecret, SECRET_ACTIONS),
    ];
}

/** The secrets that hold TLS private keys, and the keys that encrypt them (or replicate such a key). */
function tlsStores(index: StackIndex): Set<Node> {
    const stores = new Set<Node>();
    // A private key, not an access key ID: the scan for TLS stores leaves AWS credentials out.
    const carries = (v: unknown) => typeof v === "string" && !isUnknown(v) && findKeyMaterial(v, { awsAccessKeyIds: false }) !== undefined;
    for (const version of index.ofType(TOKENS.secretsManagerSecretVersion)) {
        const fromKey = index.resolve(version, "secretString", undefined, isToken(TOKENS.tlsPrivateKey)).nodes.length > 0;
        if (fromKey || carries(version.props.secretString)) {
            index.resolve(version, "secretId", version.props.secretId, isSecret).nodes.forEach((s) => stores.add(s));
        }
    }
    index.ofType(TOKENS.secretsManagerSecret).filter((s) => carries(s.props.secretString)).forEach((s) => stores.add(s));
    for (const secret of [...stores]) {
        index.resolve(secret, "kmsKeyId", secret.props.kmsKeyId, isKey).nodes.forEach((k) => stores.add(k));
    }
    for (const replica of [...index.ofType(TOKENS.kmsReplicaKey), ...index.ofType(TOKENS.kmsReplicaExternalKey)]) {
        if (index.resolve(replica, "primaryKeyArn", replica.props.primaryKeyArn, isKey).nodes.some((k) => stores.has(k))) {
            stores.add(replica);
        }
    }
    return stores;
}

/** The account of the store's (or the attachment's) ARN, when known. */
function ownerAccount(g: Governed): string | undefined {
    const arn = [g.store?.props.arn, g.holder.props.secretArn, g.holder.props.keyId].map(knownString).find((a) => a?.startsWith("arn:"));
    return arn ? accountOf(arn) : undefined;
}

type PolicyConfig = { trustedAccountIds: string[] };

function check(tls: boolean) {
    return ({ index, config, report }: StackCheckContext<PolicyConfig>): void => {
        const stores = tlsStores(index);
        for (const g of governed(index)) {
            const policy = g.holder.props.policy;
            if ((g.store !== undefined && stores.has(g.store)) !== tls || policy === undefined || policy === null || policy === "" || isUnknown(policy)) {
                continue;
            }
            for (const open of openStatements(policy, g.actions, ownerAccount(g), config.trustedAccountIds) ?? []) {
                const what = g.store && g.store !== g.holder ? ` of ${g.store.type === TOKENS.secretsManagerSecret ? "Secret" : "Key"} "${g.store.name}"` : "";
                report(g.holder, {
                    property: "policy", value: open.statement,
                    problem: `lets ${describeAudience(open.audience)} call ${open.action}${what} (statement ${open.index}), with no condition pinning the caller to the owner's account or organization` +
                        (tls ? ", and the store holds TLS private keys" : ""),
                    fix: "name the principals of the owner's account that read it, or add a condition such as StringEquals aws:PrincipalAccount (or aws:PrincipalOrgID) with the owner's account; list an account that may read in trustedAccountIds",
                });
            }
        }
    };
}

const READS = [...KEYS, TOKENS.kmsKeyPolicy, ...SECRETS, TOKENS.secretsManagerSecretPolicy, TOKENS.secretsManagerSecretVersion, TOKENS.tlsPrivateKey];
const CONFIG = { trustedAccountIds: strings("Accounts besides the owner's that may decrypt or read (12-digit ids).", [], { type: "string", pattern: "^\\d{12}$" }) };
const SOURCE = "IAM JSON policy element reference; Service Authorization Reference for AWS KMS and Secrets Manager; AWS global condition context keys";

export const policies: Policies = [
    stackRule({
        name: "tls-key-store-policy-no-outside-read",
        description: "KMS key policies and Secrets Manager secret policies of the stores that hold TLS private keys (a secret whose version carries key material or is made from a tls PrivateKey, and the keys that encrypt it) let no principal outside the owner's account decrypt or read: no Allow of kms:Decrypt, kms:ReEncryptFrom, kms:CreateGrant, secretsmanager:GetSecretValue or secretsmanager:PutResourcePolicy (wildcards and NotAction included) to \"*\", another account or every principal but some (NotPrincipal), unless a condition pins aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount, kms:CallerAccount or the like. " +
            `Anyone who can read the key can impersonate the tier. Source: ${SOURCE}.`,
        enforcementLevel: "mandatory",
        severity: "high",
        reads: READS,
        config: CONFIG,
        check: check(true),
    }),
    stackRule({
        name: "kms-secret-policy-no-outside-read",
        description: "The same for every other KMS key and Secrets Manager secret: key policies and secret policies (aws:kms Key, KeyPolicy, ReplicaKey, ExternalKey, ReplicaExternalKey; aws:secretsmanager Secret and SecretPolicy; aws-native kms Key, ReplicaKey and secretsmanager ResourcePolicy) let no principal outside the owner's account decrypt or read. " +
            `Source: ${SOURCE}.`,
        enforcementLevel: "mandatory",
        severity: "medium",
        reads: READS,
        config: CONFIG,
        check: check(false),
    }),
];
