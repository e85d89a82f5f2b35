import { Compute } from "./keys";

/** What follows from the compute mode, decided once here and passed down to the components. */
export interface ComputeMode {
    /**
     * How the target group registers the tier. Fargate tasks use the awsvpc network mode, whose
     * tasks a target group can only register by IP ("you must choose ip as the target type",
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb.html).
     */
    readonly targetType: "instance" | "ip";
    /**
     * The identity that reads the backend secret: an EC2 instance role (behind an instance
     * profile), or the ECS task execution role, which ECS uses to fetch task secrets
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
     */
    readonly reader: "instance-role" | "task-execution-role";
    /** The service principal that assumes the reader role. */
    readonly principal: "ec2.amazonaws.com" | "ecs-tasks.amazonaws.com";
    /** AWS services the tier reaches through interface endpoints when there is no NAT. */
    readonly interfaceEndpoints: readonly string[];
    /** Whether the tier pulls container images (config terminatorImage, appImage). */
    readonly pullsImages: boolean;
}

export const COMPUTE_MODES: Readonly<Record<Compute, ComputeMode>> = {
    asg: {
        targetType: "instance",
        reader: "instance-role",
        principal: "ec2.amazonaws.com",
        // Session Manager needs ssm, ssmmessages and ec2messages. The refresh agent publishes its
        // alerts with sns:Publish, which without NAT reaches SNS only through an sns interface
        // endpoint ("Creating an Amazon VPC endpoint for Amazon SNS",
        // https://docs.aws.amazon.com/sns/latest/dg/sns-vpc-create-endpoint.html); private DNS makes
        // the agent's regional sns.<region>.amazonaws.com resolve to it. ECS runs no agent.
        interfaceEndpoints: ["secretsmanager", "ssm", "ssmmessages", "ec2messages", "sns"],
        pullsImages: false,
    },
    ecs: {
        targetType: "ip",
        reader: "task-execution-role",
        principal: "ecs-tasks.amazonaws.com",
        interfaceEndpoints: ["secretsmanager", "ecr.api", "ecr.dkr", "logs"],
        pullsImages: true,
    },
};
