import { isPrivateEcrImage } from "../../components/compute/images";
import { COMPUTE_MODES } from "../compute-modes";
import { COMPUTES, hasNatRoute, StackConfig } from "../keys";
import { AreaValidator, ConfigError, intIn, key, oneOf, show, ValidationContext } from "./check";

/** Fargate CPU units to the memory sizes (MiB) AWS accepts with them. */
const FARGATE_MEMORY: Record<number, number[]> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
};

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/**
 * Sizes with 0.5 GiB of memory (t2, t3, t3a and t4g .nano: https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html).
 * The tier's boot runs `dnf install` beside the SSM agent, and Amazon Linux 2023's maintainers
 * attribute dnf being killed on nano instances to the OOM killer, SSM adding to it
 * (https://github.com/amazonlinux/amazon-linux-2023/issues/404).
 */
const HALF_GIB_SIZE = /\.nano$/;
/** EC2 image IDs: "ami-" and 8 (older) or 17 hexadecimal digits. */
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

function range(from: number, to: number, step: number): number[] {
    const out: number[] = [];
    for (let v = from; v <= to; v += step) out.push(v);
    return out;
}

/**
 * The backend tier: compute, its ports, sizes, instance type and AMI, task size and images. Runs
 * after the network validator (it reads natGateways).
 */
export const validateCompute: AreaValidator = (c: StackConfig, context: ValidationContext) => {
    oneOf("compute", c.compute, COMPUTES);
    intIn("backendPort", c.backendPort, 1024, 65535);

    if (!INSTANCE_TYPE.test(c.instanceType)) {
        throw new ConfigError(`${key("instanceType")} is ${show(c.instanceType)}. Use an EC2 instance type such as "t4g.small".`);
    }
    if (c.compute === "asg" && HALF_GIB_SIZE.test(c.instanceType)) {
        throw new ConfigError(`${key("instanceType")} is ${show(c.instanceType)}, a size with 0.5 GiB of memory, where the tier's boot (dnf install beside the SSM agent) is killed for lack of memory (amazonlinux/amazon-linux-2023#404). Use a size with at least 1 GiB, such as "t4g.small" (the default) or "t4g.micro".`);
    }
    if (c.amiId !== undefined && !AMI_ID.test(c.amiId)) {
        throw new ConfigError(`${key("amiId")} is ${show(c.amiId)}. Use an AMI ID such as "ami-0123456789abcdef0", or leave it unset to take the latest Amazon Linux 2023 AMI at the first deploy and keep it.`);
    }
    intIn("minSize", c.minSize, 1, 100);
    intIn("maxSize", c.maxSize, 1, 100);
    if (c.minSize > c.maxSize) {
        throw new ConfigError(`${key("minSize")} is ${c.minSize}, more than ${key("maxSize")} ${c.maxSize}. Use minSize <= desiredSize <= maxSize.`);
    }
    if (!Number.isInteger(c.desiredSize) || c.desiredSize < c.minSize || c.desiredSize > c.maxSize) {
        throw new ConfigError(`${key("desiredSize")} is ${show(c.desiredSize)}. Use a whole number from minSize ${c.minSize} to maxSize ${c.maxSize}.`);
    }

    const memories = FARGATE_MEMORY[c.taskCpu];
    if (!memories) {
        throw new ConfigError(`${key("taskCpu")} is ${show(c.taskCpu)}. Use one of: ${Object.keys(FARGATE_MEMORY).join(", ")}.`);
    }
    if (!memories.includes(c.taskMemory)) {
        throw new ConfigError(`${key("taskMemory")} is ${show(c.taskMemory)}, which Fargate does not offer with taskCpu ${c.taskCpu}. Use one of: ${memories.join(", ")}.`);
    }
    // The terminator's image runs only on ECS; EC2 installs nginx from the distribution.
    if (COMPUTE_MODES[c.compute].pullsImages) {
        checkImage("terminatorImage", c.terminatorImage, c, context);
    } else {
        checkImageReference("terminatorImage", c.terminatorImage);
    }
};

function checkImageReference(k: "terminatorImage" | "appImage", image: string): void {
    if (image.trim() === "" || /\s/.test(image)) {
        throw new ConfigError(`${key(k)} is ${show(image)}. Use an image reference such as "public.ecr.aws/nginx/nginx:1.27-alpine".`);
    }
}

/**
 * An image the tier pulls (the ECS terminator's, and the application's in either mode): a
 * reference, and one the tier can reach. The one rule for every image the tier runs.
 */
export function checkImage(k: "terminatorImage" | "appImage", image: string, c: StackConfig, context: ValidationContext): void {
    checkImageReference(k, image);
    // The first pull through a pull-through cache rule needs a NAT route even with the ECR
    // endpoints ("Considerations for Amazon ECR VPC endpoints",
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html): without NAT
    // only images already in the account's registry of the stack's region can be pulled, through
    // the ecr.api and ecr.dkr endpoints and the S3 gateway endpoint.
    if (!hasNatRoute(c.natGateways) && !isPrivateEcrImage(image, context.region)) {
        const registry = `<account>.dkr.ecr.${context.region ?? "<region>"}.amazonaws.com/<repository>:<tag>`;
        const [who, what, withNat] = c.compute === "ecs"
            ? ["ECS", "tasks", "images from public.ecr.aws then come through the stack's pull-through cache"]
            : ["the EC2 instances", "instances", "the instances then pull from the registry itself"];
        throw new ConfigError(`${key(k)} is ${show(image)}, which ${who} cannot pull with ${key("natGateways")} "none": without a NAT route the ${what} reach only the stack region's private ECR registry. Set natGateways to "perAz" or "single" (${withNat}), or push the image to your ECR registry and use ${registry}.`);
    }
}
