/**
 * Constants of the Pulumi wire format, as the engine marshals property values between the CLI, a
 * program and an analyzer (pulumi/sdk/nodejs/runtime/rpc.ts; pulumi/pkg/resource/properties.go).
 * The pack reads them, and the offline engine and analyzer client write them.
 */

/** The key that marks an object as a special value (secret, resource reference, asset, archive). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** {@link SPECIAL_SIG_KEY}'s value for a secret: `{ [SPECIAL_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** {@link SPECIAL_SIG_KEY}'s value for a resource reference: `{ …, urn, id }`. */
export const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** {@link SPECIAL_SIG_KEY}'s value for an asset. */
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";

/** {@link SPECIAL_SIG_KEY}'s value for an archive. */
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/**
 * The sentinels the engine sends for values that are unknown during preview (an id or ARN that
 * only exists after create). The Pulumi CLI marshals every unknown as the string sentinel; the
 * others are accepted for completeness.
 */
export const UNKNOWN_SENTINELS: readonly string[] = [
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (what the CLI sends for any unknown)
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];

/** The string sentinel for an unknown value, as the CLI sends it. */
export const UNKNOWN = UNKNOWN_SENTINELS[0];
