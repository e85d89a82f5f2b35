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
    /** Whether the tier always pulls container images (the ECS terminator's and application's). */
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

/**
 * ECR's two endpoints a tier without NAT pulls private images through: the API (authorization
 * token, manifests) and the Docker registry; the layers come from S3 through the gateway endpoint
 * ("Amazon ECR interface VPC endpoints", https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html).
 */
export const IMAGE_ENDPOINTS = ["ecr.api", "ecr.dkr"] as const;

/** The endpoint ECS and the AWS CLI read SSM parameters through. */
export const PARAMETER_ENDPOINT = "ssm";

/** What the application asks of the network beyond the mode's own needs. */
export interface ApplicationNeeds {
    /** The tier pulls the application's container image (an EC2 tier runs it with Docker). */
    readonly pullsImage: boolean;
    /** The application's secrets include SSM parameters. */
    readonly readsParameters: boolean;
}

/** The interface endpoints a NAT-less tier of `compute` needs for itself and its application. */
export function tierInterfaceEndpoints(compute: Compute, app: ApplicationNeeds): string[] {
    const mode = COMPUTE_MODES[compute];
    return [...new Set([
        ...mode.interfaceEndpoints,
        ...(app.pullsImage ? IMAGE_ENDPOINTS : []),
        ...(app.readsParameters ? [PARAMETER_ENDPOINT] : []),
    ])];
}
