/**
 * The fields whose job is to hold a key or credential: the only places a private key may sit in a
 * resource's properties, and only while the value is marked secret (a secret reaches an analyzer
 * marked, ../framework/wire-props.ts). Each is a top-level input the provider's SDK itself wraps in
 * `pulumi.secret()` (@pulumi/aws 7.48 and @pulumi/tls 5.6 `<module>/<resource>.js`:
 * `resourceInputs["privateKey"] = args?.privateKey ? pulumi.secret(args.privateKey) : undefined`),
 * or that the provider marks secret (Kubernetes Secrets, pulumi/pulumi-kubernetes#1577), or an
 * output the SDK lists in `additionalSecretOutputs` (`tls:index/privateKey:PrivateKey`). The
 * aws-native SDK does not mark a Secret's `secretString` (pulumi/pulumi-aws-native
 * sdk/nodejs/secretsmanager/secret.ts): there the program must wrap it in `pulumi.secret()`.
 */
import { HOP_TOKENS, NATIVE, TOKENS } from "./tokens";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN_SENTINELS } from "./wire";

/** The secret-holding fields of one resource type. */
export interface SecretFields {
    readonly fields: readonly string[];
    /**
     * When the fields hold a secret only in some configurations: true or false from the
     * resource's own properties (as the engine sent them), undefined while that is unknown.
     */
    readonly when?: (props: Record<string, unknown>) => boolean | undefined;
    /** What the fields are, for a message about one that is not marked secret. */
    readonly what: string;
}

/** A wire value without its secret marking. */
export function unwrapSecret(value: unknown): unknown {
    let v = value;
    while (v !== null && typeof v === "object" && (v as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG) {
        v = (v as Record<string, unknown>).value;
    }
    return v;
}

// A String or StringList parameter is plain text however its value travels (SSM API reference,
// PutParameter `Type`); only a SecureString is encrypted under a KMS key.
const secureString = (props: Record<string, unknown>) => {
    const type = unwrapSecret(props.type);
    return typeof type === "string" && UNKNOWN_SENTINELS.includes(type) ? undefined : type === "SecureString";
};

const apns = { fields: ["privateKey", "tokenKey"], what: "the APNs signing key" };
const tlsKeyInput = { fields: ["privateKeyPem", "privateKeyPemWo"], what: "the private key the certificate is made with" };

/** By type token: the resources that hold a key or credential by design, and where. */
export const SECRET_FIELDS: { readonly [token: string]: SecretFields } = {
    [TOKENS.secretsManagerSecretVersion]: { fields: ["secretString", "secretBinary", "secretStringWo"], what: "the secret's value" },
    [NATIVE.secretsManagerSecret]: { fields: ["secretString"], what: "the secret's value" },
    [TOKENS.ssmParameter]: { fields: ["value", "valueWo"], when: secureString, what: "a SecureString parameter's value" },
    [TOKENS.acmCertificate]: { fields: ["privateKey", "privateKeyWo"], what: "the private key of an imported certificate" },
    [TOKENS.iamServerCertificate]: { fields: ["privateKey"], what: "the server certificate's private key" },
    [HOP_TOKENS.apiGatewayDomainName[0]]: { fields: ["certificatePrivateKey"], what: "the custom domain certificate's private key" },
    [TOKENS.transferCertificate]: { fields: ["privateKey"], what: "the certificate's private key" },
    [TOKENS.transferServer]: { fields: ["hostKey"], what: "the server's SSH host key" },
    [TOKENS.transferHostKey]: { fields: ["hostKeyBody", "hostKeyBodyWo"], what: "the server's SSH host key" },
    [TOKENS.pinpointApnsChannel]: apns,
    [TOKENS.pinpointApnsSandboxChannel]: apns,
    [TOKENS.pinpointApnsVoipChannel]: apns,
    [TOKENS.pinpointApnsVoipSandboxChannel]: apns,
    [TOKENS.snsPlatformApplication]: { fields: ["platformCredential"], what: "the push platform's credential" },
    [TOKENS.kmsCiphertext]: { fields: ["plaintext", "plaintextWo"], what: "the plaintext KMS encrypts" },
    [TOKENS.tlsPrivateKey]: { fields: ["privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"], what: "the generated private key" },
    [TOKENS.tlsSelfSignedCert]: tlsKeyInput,
    [TOKENS.tlsCertRequest]: tlsKeyInput,
    [TOKENS.tlsLocallySignedCert]: { fields: ["caPrivateKeyPem", "caPrivateKeyPemWo"], what: "the issuing CA's private key" },
    [TOKENS.awsProvider]: { fields: ["accessKey", "secretKey", "token"], what: "the provider's credentials" },
    [TOKENS.kubernetesSecret]: { fields: ["data", "stringData"], what: "the Secret's data" },
};

/**
 * Whether `field` of a resource of `token` is a secret-holding field in this configuration: true,
 * false, or undefined while the configuration is unknown.
 */
export function holdsSecret(token: string, field: string, props: Record<string, unknown>): boolean | undefined {
    const entry = SECRET_FIELDS[token];
    if (!entry || !entry.fields.includes(field)) {
        return false;
    }
    return entry.when ? entry.when(props) : true;
}
