import * as pulumi from "@pulumi/pulumi";
import { stackTagValue, TAG } from "../facts";
import { TOKENS } from "../../policies/shared/tokens";

/**
 * What marks a resource as the stack's own, for the deploying role's policy and for the permissions
 * boundary of the roles the stack creates (offline/deployer-policy/): the stack tag on everything
 * that takes tags, and one IAM path for the stack's roles and instance profiles. Both derive from
 * the project and stack names, so the policy generator computes the same values from the same
 * names.
 */
export interface StackScope {
    /** The value of the `e2etls:stack` tag. */
    readonly tagValue: string;
    /** The IAM path of every role and instance profile, `/<project>/<stack>/`. */
    readonly iamPath: string;
}

export function stackScope(project: string, stack: string): StackScope {
    return { tagValue: stackTagValue(project, stack), iamPath: `/${project}/${stack}/` };
}

/**
 * Name of the managed policy that bounds the stack's roles when config `permissionsBoundaryArn`
 * is unset: `<project>-<stack>-role-boundary` in the deploying account. `npm run deployer-policy`
 * writes its document under this name.
 */
export function defaultBoundaryPolicyName(project: string, stack: string): string {
    return `${project}-${stack}-role-boundary`;
}

/** What {@link stackOwnership} puts on the stack's resources. */
export interface StackOwnership extends StackScope {
    /** ARN of the managed policy every role the stack creates carries as its permissions boundary. */
    readonly permissionsBoundary: pulumi.Input<string>;
}

/**
 * A transformation for the tier component: every AWS resource below it that takes tags gets the
 * stack tag, and every IAM role and instance profile gets the stack's path (and every role its
 * permissions boundary), whichever component creates it. Checked over the registered resources by
 * tests/deployer/stack-ownership.test.ts, against the SDK's own list of each type's inputs.
 *
 * `transformations`, not `transforms`: the SDK runs transformations itself while it constructs a
 * resource, for the component's children and their children (@pulumi/pulumi resource.js: a
 * resource applies its own and its parent's `__transformations`), so they work under
 * `pulumi.runtime.setMocks` and wherever the component is constructed, a multi-language provider's
 * `construct` included. `transforms` are run by the engine (RegisterResourceTransform), which the
 * SDK's mock monitor does not support (runtime/mocks.js sets `supportsTransforms = false`).
 * The aws provider's `defaultTags` would change the provider's configuration, which a component
 * does not own.
 */
export function stackOwnership(o: StackOwnership): pulumi.ResourceTransformation {
    return ({ resource, type, props, opts }) => {
        // instanceof, not CustomResource.isInstance: the SDK marks a custom resource only after
        // the Resource constructor, which runs the transformations, has returned.
        if (!(resource instanceof pulumi.CustomResource) || !type.startsWith("aws:")) return undefined;
        const owned: Record<string, any> = { ...props };
        // The SDK sets every input key of a resource type, undefined or not: `tags` among the props
        // is the type taking tags.
        if ("tags" in props) owned.tags = withStackTag(type, props.tags, o.tagValue);
        if (type === TOKENS.iamRole) {
            owned.path = o.iamPath;
            owned.permissionsBoundary = o.permissionsBoundary;
        }
        if (type === TOKENS.iamInstanceProfile) owned.path = o.iamPath;
        return { props: owned, opts };
    };
}

/** `tags` with the stack tag added: a map, or an Auto Scaling group's list of tags (propagated to its instances). */
function withStackTag(type: string, tags: pulumi.Input<any> | undefined, value: string): pulumi.Output<any> {
    if (type === TOKENS.autoscalingGroup) {
        return pulumi.output(tags ?? []).apply((list: { key: string }[]) => [
            ...list.filter(t => t.key !== TAG.stack),
            { key: TAG.stack, value, propagateAtLaunch: true },
        ]);
    }
    return pulumi.output(tags ?? {}).apply((map: Record<string, string>) => ({ ...map, [TAG.stack]: value }));
}
