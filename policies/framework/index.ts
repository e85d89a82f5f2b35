/**
 * The one way to write a policy of the pack: a spec plus its check ({@link resourceRule},
 * {@link stackRule}), and the vocabulary checks share (values, messages, config keys).
 *
 * The pack does not import `@pulumi/aws`: rules match on type tokens (../shared/tokens/) and
 * plain property names, which keeps start-up light and lets one rule cover every token family
 * (`validateResourceOfType(aws.lb.Listener, …)` would skip `aws:alb/*`): the `@pulumi/aws` module
 * names of the same resource directly, other families (`aws-native`) through shapes.ts.
 */
export * from "./config";
export * from "./exemptions";
export * from "./messages";
export * from "./rule";
export * from "./shapes";
export * from "./stack-index";
export * from "./values";
export * from "./wire-props";
