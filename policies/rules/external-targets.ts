/**
 * Forwards to target groups outside the stack. A target group ARN says nothing about protocol or
 * health check (`arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>`, ELB
 * API reference), so a listener or listener rule that forwards to another stack's target group
 * leaves a hop the pack cannot judge. It says so, advisory, rather than call the hop plaintext or
 * pass it silently; a reviewed ARN can be listed. Unknown ARNs (preview) are never reported.
 */
import { Policies } from "@pulumi/policy";
import { asArray, is, isUnknown, Node, stackRule, strings } from "../framework";
import { forwardTargets } from "./elb";
import { LB_TOKENS } from "../shared/tokens";

const REVIEWED = "reviewedTargetGroupArns";

/** The forwards of a listener's default actions or a rule's actions, with the top-level property each sits under. */
function forwards(n: Node): { top: string; path: string; value: unknown }[] {
    const top = n.props.defaultActions !== undefined ? "defaultActions" : "actions";
    const actions = n.props[top];
    return isUnknown(actions) ? [] : asArray(actions).flatMap((a, i) => forwardTargets(a, `${top}[${i}]`).map((t) => ({ top, ...t })));
}

export const policies: Policies = [
    stackRule({
        name: "alb-forward-target-group-in-stack",
        description: "Listeners and listener rules forward to target groups of the same stack, where the path rule can check that the hop to the targets is TLS. " +
            "A known target group ARN from another stack carries no protocol, so that hop cannot be judged here: the rule says so (advisory) instead of guessing. Unknown ARNs are not reported.",
        enforcementLevel: "advisory",
        severity: "medium",
        reads: [...LB_TOKENS.listener, ...LB_TOKENS.listenerRule, ...LB_TOKENS.targetGroup],
        config: { [REVIEWED]: strings("Target group ARNs of other stacks whose protocol and health check were reviewed (HTTPS or TLS).") },
        check: ({ index, config, report }) => {
            const reviewed = new Set(config[REVIEWED]);
            for (const owner of [...index.ofKind("listener"), ...index.ofKind("listenerRule")]) {
                for (const f of forwards(owner)) {
                    if (typeof f.value !== "string" || reviewed.has(f.value)) {
                        continue;
                    }
                    const ref = index.resolve(owner, f.top, f.value, is("targetGroup"));
                    if (ref.known && ref.nodes.length === 0) {
                        report(owner, {
                            property: f.path,
                            value: f.value,
                            problem: "names a target group outside this stack, so whether the load balancer reaches its targets over TLS cannot be seen here (an ARN carries no protocol)",
                            fix: `manage the target group in this stack, or review its protocol and health check (HTTPS or TLS) and list its ARN in ${REVIEWED}`,
                        });
                    }
                }
            }
        },
    }),
];
