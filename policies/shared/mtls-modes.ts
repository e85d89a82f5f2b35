// The ALB's mutual TLS modes (ALB user guide, "Mutual authentication with TLS":
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html).
// The pack's rules and the program's config (../../config/keys.ts) both read this one list.
//
// An `as const` object whose type shares its name: the shape Pulumi's schema inference turns into
// an enum (@pulumi/pulumi provider/experimental/analyzer.js, extractEnumMembers), with the member
// comments as the enum's descriptions in the WebTier schema (the component refuses "passthrough";
// the pack's alb-listener-mtls-required does when requireVerify is set).
// (A line comment, not a doc comment: the schema inference would read a doc comment here as the enum's description.)

/** Mutual TLS on the HTTPS listener. "passthrough" is refused: nothing would verify the forwarded chain. */
export const MtlsMode = {
    /** The load balancer verifies client certificates against the trust store. */
    verify: "verify",
    /** Refused: the client chain would be forwarded in a header nothing verifies. */
    passthrough: "passthrough",
    /** No client certificates. */
    off: "off",
} as const;
export type MtlsMode = (typeof MtlsMode)[keyof typeof MtlsMode];
export const MTLS_MODES: readonly MtlsMode[] = Object.values(MtlsMode);

/** True when `mode` is one of the ALB's mutual TLS modes (exact, lower case). */
export function isMtlsMode(mode: unknown): mode is MtlsMode {
    return (MTLS_MODES as readonly unknown[]).includes(mode);
}
