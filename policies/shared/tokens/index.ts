/**
 * Every type and function token the pack, the program and the offline tools name for resources
 * they do not declare: the one home of these strings. Nothing outside this folder writes a token
 * literal, except a component of this program writing its own in its `super(...)` call
 * (tests/layout/layout.test.ts enforces both); everything else imports from here.
 *
 * Tokens are the engine's names for a resource type (`<package>:<module>/<member>:<Type>`) or a
 * function (`…:<function>`), exactly as the Pulumi CLI reports them to an analyzer. The pack matches
 * on them rather than on `@pulumi/aws` classes, which keeps it light and lets one rule cover every
 * family that publishes the same AWS resource.
 */

export * from "./elbv2";
export * from "./aws";
export * from "./families";
export * from "./pack";
