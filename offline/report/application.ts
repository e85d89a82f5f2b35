/**
 * The application part of the report: what the tier serves behind its terminator and where each of
 * its secrets comes from, read from the stack's own `application` output (components/web-tier.ts),
 * never from the secrets themselves. Who reads the secrets follows from the tier the stack builds.
 */
import { RecordedResource } from "../engine/recorded";
import { ApplicationReport } from "./model";
import { describeSecretReference, parseSecretReference } from "../../components/compute/secret-references";
import { TOKENS } from "../../policies/shared/tokens";

/** Who fetches the application's secrets in each tier, and when. */
export const SECRETS_READ_BY = {
    ecs: "the ECS task execution role, when each task starts (the task definition's secrets)",
    ec2: "the instance role, when the application starts (the e2etls-app unit's start script); never in user data",
} as const;

export function applicationReport(resources: readonly RecordedResource[], outputs: Record<string, any>): ApplicationReport | undefined {
    const app = outputs.application;
    if (!app || typeof app !== "object" || typeof app.source !== "string") return undefined;
    const secrets = Object.entries<string>(app.secrets ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([name, arn]) => {
        const ref = parseSecretReference(arn);
        return { name, arn, from: ref ? describeSecretReference(ref) : arn };
    });
    const ecs = resources.some(r => r.type === TOKENS.ecsTaskDefinition);
    return {
        source: app.source,
        ...(typeof app.image === "string" ? { image: app.image } : {}),
        ...(typeof app.startCommand === "string" ? { startCommand: app.startCommand } : {}),
        port: Number(app.port),
        healthCheck: { path: String(app.healthCheckPath), codes: String(app.healthCheckCodes) },
        ...(secrets.length > 0 ? { secretsReadBy: ecs ? SECRETS_READ_BY.ecs : SECRETS_READ_BY.ec2 } : {}),
        secrets,
    };
}

/** One line naming the application: the demo as a demo, the user's image or start command. */
export function describeApplication(a: ApplicationReport): string {
    const what = a.source === "demo"
        ? `demo application (the project's Python demo${a.image ? `, image ${a.image}` : ""}): no application given, see docs/application.md`
        : a.source === "image" ? `image ${a.image}` : `start command "${a.startCommand}" on the tier's AMI`;
    return `${what}; plain HTTP on port ${a.port} behind the terminator; health check ${a.healthCheck.path} → ${a.healthCheck.codes}`;
}
