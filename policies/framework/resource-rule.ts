/**
 * Resource rules: a spec plus its check, turned into a `ResourceValidationPolicy` that filters by
 * type token, unwraps the unknown-checking proxy, applies config defaults and exemptions, and
 * formats every report the same way.
 */
import { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { ConfigOf, configOf, Params, schemaOf } from "./config";
import { Named, violation, ViolationParts } from "./messages";
import { shapeOf, tokensOfShapes } from "../shared/tokens";
import { findingSender } from "./exemptions";
import { recordFinding } from "./findings";
import { adaptProps, familyOf, ownPath } from "./shapes";
import { claim, defaultConfig, exemptionOf, paramsOf, policyFields, RuleSpec } from "./spec";
import { raw } from "./values";

/**
 * `appliesTo` of a rule that judges every resource of every provider, tokens it has never heard
 * of included, read in the resource's own names (no shape adapter).
 */
export const EVERY_RESOURCE = "*";

/** A resource as a check or a report names it. */
export type Located = Named & { readonly urn: string };

/** What a rule's check sees for one resource. */
export interface CheckContext<C> {
    /**
     * The resource under check (logical name, URN), its `type` the token of the shape it is read in
     * (a resource of another family, e.g. aws-native, reads as its `@pulumi/aws` counterpart).
     */
    readonly resource: Located;
    /** The family of the resource's own token (`aws`, `aws-native`, …), for checks of one provider's behaviour. */
    readonly family: string;
    /**
     * Its properties as plain data in the shape's names (../framework/shapes.ts): unknowns appear as
     * sentinels (see `isUnknown`). For an {@link EVERY_RESOURCE} rule, the object the SDK
     * deserialized itself, which `wireOf` (./wire-props.ts) reads the request of.
     */
    readonly props: Record<string, any>;
    /** The policy's config with defaults applied. */
    readonly config: C;
    /**
     * Reports one violation in the pack's message format. `about` names the properties the finding
     * is about when they are more than `property` (e.g. each source of an ingress block), for the
     * stack rules that leave a problem a resource rule reported to it (./findings.ts).
     */
    report(parts: Omit<ViolationParts, "resource"> & { readonly about?: readonly string[] }): void;
    /**
     * Reports a message of the rule's own wording (it must still name the resource and the fix, and
     * write property paths through {@link ownPath}).
     */
    reportMessage(message: string): void;
    /**
     * A property path of the shape (`userDataBase64`) in the resource's own names (`userData` on
     * aws-native), as {@link report} writes `property`: for messages of the rule's own wording.
     */
    ownPath(property: string): string;
}

/** The declarative shape of a resource rule. */
export interface ResourceRuleSpec<P extends Params> extends RuleSpec<P> {
    /**
     * The shapes the rule judges, as `@pulumi/aws` type tokens (e.g. `LB_TOKENS.listener`). The
     * framework adds every token of another family read in one of them (../shared/tokens/
     * SHAPE_OF); other tokens are skipped without reading their properties. `[EVERY_RESOURCE]`
     * judges every resource, each in its own names.
     */
    readonly appliesTo: readonly string[];
    /**
     * `false` for a rule about one provider's own validation (a terraform-provider-aws quirk): it
     * then judges only the tokens it names. Default `true`.
     */
    readonly otherFamilies?: boolean;
    readonly check: (ctx: CheckContext<ConfigOf<P>>) => void | Promise<void>;
    /**
     * A safe automatic fix: returns the complete new property set, or `undefined` to leave the
     * resource alone. Runs when the policy's level is `remediate`. `props` is the SDK's own
     * object, so properties written into it keep their secret marking.
     */
    readonly remediate?: (ctx: Omit<CheckContext<ConfigOf<P>>, "report" | "reportMessage" | "ownPath">) => Record<string, any> | undefined;
}

/** Builds the policy of a {@link ResourceRuleSpec}. */
export function resourceRule<P extends Params = {}>(spec: ResourceRuleSpec<P>): ResourceValidationPolicy {
    const every = spec.appliesTo.includes(EVERY_RESOURCE);
    const tokens = new Set(spec.otherFamilies === false ? spec.appliesTo : tokensOfShapes(spec.appliesTo));
    const applies = (type: string) => every || tokens.has(type);
    const defaults = defaultConfig(spec);
    const schema = { name: spec.name, schema: schemaOf(paramsOf(spec)) };
    const context = (args: { type: string; name: string; urn: string; props: Record<string, any> } & Parameters<typeof configOf>[0]) => {
        const config = configOf(args, defaults, schema);
        return every
            ? { resource: { type: args.type, name: args.name, urn: args.urn }, family: familyOf(args.type), props: raw(args.props), config }
            : { resource: { type: shapeOf(args.type), name: args.name, urn: args.urn }, family: familyOf(args.type), props: adaptProps(args.type, raw(args.props)), config };
    };
    // An `exemptions` entry in force lets the check run and reports what it suppressed as an
    // advisory line; an expired one lets the finding through, naming the entry (./exemptions.ts).
    // Decided on the first finding only: a resource without findings costs nothing more.
    const sender = (ctx: ReturnType<typeof context>, resource: Located, reportViolation: ReportViolation) => {
        const decide = () => findingSender(spec.name, exemptionOf(ctx.config, resource.urn), resource, reportViolation);
        let send: ((message: string) => void) | undefined;
        return (message: string, about: readonly string[] = []) => {
            recordFinding(spec.name, ctx.resource.urn, about);
            (send ??= decide())(message);
        };
    };
    const policy: ResourceValidationPolicy = {
        ...policyFields(spec),
        validateResource: (args, reportViolation) => {
            const ctx = applies(args.type) ? context(args) : undefined;
            if (!ctx) {
                return;
            }
            const own = { type: args.type, name: args.name, urn: args.urn };
            const send = sender(ctx, own, reportViolation);
            // An every-resource rule reads the resource in its own names already.
            const path = (property: string) => (every ? property : ownPath(args.type, property, raw(args.props)));
            return spec.check({
                ...ctx,
                report: ({ about = [], ...parts }) => send(violation({ ...parts, resource: own, property: path(parts.property) }), [parts.property, ...about]),
                reportMessage: (message) => send(ownToken(message, ctx.resource.type, args.type)),
                ownPath: path,
            });
        },
    };
    if (spec.remediate) {
        const remediate = spec.remediate;
        // A remediation returns the shape's properties: only resources read in their own shape get one.
        policy.remediateResource = (args) => {
            const ctx = applies(args.type) && shapeOf(args.type) === args.type ? context(args) : undefined;
            return ctx && !exemptionOf(ctx.config, ctx.resource.urn)?.applies ? remediate(ctx) : undefined;
        };
    }
    return claim(policy, every ? [EVERY_RESOURCE] : [...tokens]);
}


/** A rule's own message about a resource read in `shape`, naming the resource's own token instead. */
export function ownToken(message: string, shape: string, token: string): string {
    return shape === token ? message : message.split(`(${shape})`).join(`(${token})`);
}
