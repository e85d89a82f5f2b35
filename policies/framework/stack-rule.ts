/**
 * Stack rules: a spec plus its check over every resource of the stack, turned into a
 * `StackValidationPolicy` with config defaults, exemptions and the pack's message format.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ConfigOf, configOf, Params, schemaOf } from "./config";
import { violation, ViolationParts } from "./messages";
import { findingSender } from "./exemptions";
import { Located, ownToken } from "./resource-rule";
import { ownPath } from "./shapes";
import { claim, defaultConfig, exemptionOf, paramsOf, policyFields, RuleSpec } from "./spec";
import { StackIndex } from "./stack-index";
import { NO_RESOURCE_TYPE, tokensOfShapes } from "../shared/tokens";

/** What a stack rule's check sees. */
export interface StackCheckContext<C> {
    /** Every resource of the stack, as `AnalyzeStack` carries them. */
    readonly resources: PolicyResource[];
    /** The same resources indexed, with references resolved (built on first use). */
    readonly index: StackIndex;
    /** The policy's config with defaults applied. */
    readonly config: C;
    /** Reports one violation on `resource` in the pack's message format. */
    report(resource: Located, parts: Omit<ViolationParts, "resource">): void;
    /** Reports a message of the rule's own wording on `resource`. */
    reportMessage(resource: Located, message: string): void;
}

/** The declarative shape of a stack rule. */
export interface StackRuleSpec<P extends Params> extends RuleSpec<P> {
    /**
     * The shapes the check reads, as `appliesTo` names them (`@pulumi/aws` tokens, e.g.
     * `LB_TOKENS.listener`): every `ofKind` / `ofType` it asks the index for and every type its
     * references accept. The index reads each token of another family in its shape, so the
     * families the rule claims derive as a resource rule's do (../shared/tokens/ tokensOfShapes).
     * `TOKENS.stack` for the root Stack resource, `[]` for a rule that reads no resource.
     */
    readonly reads: readonly string[];
    /**
     * The shape without which the rule cannot find anything, as {@link reads} names it. The check
     * is skipped on a stack holding no resource of any of its tokens (../shared/tokens/
     * tokensOfShapes). When the shape is one token in every family, the policy server skips the
     * rule itself, and its per-policy unmarshalling of every resource, as
     * `validateStackResourcesOfType` does (`__pulumiType`, read by `getPulumiType` in
     * @pulumi/policy's server.js, which compares one type): a shape with tokens in several
     * families (aws-native too) is unmarshalled on every stack, or stacks of the other families
     * would go unchecked.
     */
    readonly onlyWith?: string;
    /**
     * The policy reads nothing and reports nothing itself: it declares the lines other policies
     * send under its name (policy-exemptions-applied). The policy server skips it on every stack,
     * through the same one-type check as {@link onlyWith}, with a type no resource has.
     */
    readonly declaresOnly?: true;
    readonly check: (ctx: StackCheckContext<ConfigOf<P>>) => void;
}

/** Builds the policy of a {@link StackRuleSpec}. */
export function stackRule<P extends Params = {}>(spec: StackRuleSpec<P>): StackValidationPolicy {
    const defaults = defaultConfig(spec);
    const schema = { name: spec.name, schema: schemaOf(paramsOf(spec)) };
    const needed = spec.onlyWith === undefined ? undefined : new Set(tokensOfShapes([spec.onlyWith]));
    const validateStack: StackValidationPolicy["validateStack"] = (args, reportViolation) => {
        if (needed && !args.resources.some((r) => needed.has(r.type))) {
            return;
        }
        const config = configOf(args, defaults, schema);
        // An entry in force reports the suppressed finding as an advisory line; an expired one lets it through, naming the entry (./exemptions.ts).
        const send = (resource: Located, message: string) => {
            findingSender(spec.name, exemptionOf(config, resource.urn), resource, reportViolation)(ownToken(message, resource.type, tokenOf(resource)));
        };
        let index: StackIndex | undefined;
        spec.check({
            resources: args.resources,
            get index() {
                return (index ??= StackIndex.of(args.resources));
            },
            config,
            report: (resource, parts) => send(resource, violation({ resource, ...parts, property: ownPath(tokenOf(resource), parts.property) })),
            reportMessage: send,
        });
    };
    const onlyType = spec.declaresOnly ? NO_RESOURCE_TYPE : needed?.size === 1 ? [...needed][0] : undefined;
    if (onlyType !== undefined) {
        (validateStack as unknown as { __pulumiType: string }).__pulumiType = onlyType;
    }
    return claim({ ...policyFields(spec), validateStack }, tokensOfShapes(spec.reads));
}

/** The resource's own token: a stack index node's `token`, else its `type`. */
function tokenOf(resource: Located): string {
    return (resource as Located & { token?: string }).token ?? resource.type;
}
