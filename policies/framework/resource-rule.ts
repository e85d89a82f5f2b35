/**
 * Resource rules: a spec plus its check, turned into a `ResourceValidationPolicy` that filters by
 * type token, unwraps the unknown-checking proxy, applies config defaults and exemptions, and
 * formats every report the same way.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ConfigOf, configOf, Params, schemaOf } from "./config";
import { Named, violation, ViolationParts } from "./messages";
import { defaultConfig, isExempt, paramsOf, policyFields, RuleSpec } from "./spec";
import { raw } from "./values";

/** A resource as a check or a report names it. */
export type Located = Named & { readonly urn: string };

/** What a rule's check sees for one resource. */
export interface CheckContext<C> {
    /** The resource under check (type token, logical name, URN). */
    readonly resource: Located;
    /** Its properties as plain data: unknowns appear as sentinels (see `isUnknown`). */
    readonly props: Record<string, any>;
    /** The policy's config with defaults applied. */
    readonly config: C;
    /** Reports one violation in the pack's message format. */
    report(parts: Omit<ViolationParts, "resource">): void;
    /** Reports a message of the rule's own wording (it must still name the resource and the fix). */
    reportMessage(message: string): void;
}

/** The declarative shape of a resource rule. */
export interface ResourceRuleSpec<P extends Params> extends RuleSpec<P> {
    /** The type tokens the rule checks; others are skipped without reading their properties. */
    readonly appliesTo: readonly string[];
    readonly check: (ctx: CheckContext<ConfigOf<P>>) => void | Promise<void>;
    /**
     * A safe automatic fix: returns the complete new property set, or `undefined` to leave the
     * resource alone. Runs when the policy's level is `remediate`. `props` is the SDK's own
     * object, so properties written into it keep their secret marking.
     */
    readonly remediate?: (ctx: Omit<CheckContext<ConfigOf<P>>, "report" | "reportMessage">) => Record<string, any> | undefined;
}

/** Builds the policy of a {@link ResourceRuleSpec}. */
export function resourceRule<P extends Params = {}>(spec: ResourceRuleSpec<P>): ResourceValidationPolicy {
    const tokens = new Set(spec.appliesTo);
    const defaults = defaultConfig(spec);
    const schema = { name: spec.name, schema: schemaOf(paramsOf(spec)) };
    const context = (args: { type: string; name: string; urn: string; props: Record<string, any> } & Parameters<typeof configOf>[0]) => {
        const config = configOf(args, defaults, schema);
        return isExempt(spec, config, args.name)
            ? undefined
            : { resource: { type: args.type, name: args.name, urn: args.urn }, props: raw(args.props), config };
    };
    const policy: ResourceValidationPolicy = {
        ...policyFields(spec),
        validateResource: (args, reportViolation) => {
            const ctx = tokens.has(args.type) ? context(args) : undefined;
            if (!ctx) {
                return;
            }
            return spec.check({
                ...ctx,
                report: (parts) => reportViolation(violation({ resource: ctx.resource, ...parts }), args.urn),
                reportMessage: (message) => reportViolation(message, args.urn),
            });
        },
    };
    if (spec.remediate) {
        const remediate = spec.remediate;
        policy.remediateResource = (args) => {
            const ctx = tokens.has(args.type) ? context(args) : undefined;
            return ctx ? remediate(ctx) : undefined;
        };
    }
    return policy;
}

