/**
 * The user's application: what the tier runs on loopback behind its TLS terminator, in either
 * compute mode. Plain data, so that every Pulumi language can give it (an input of WebTier).
 * Without it, the tier runs the project's demo application.
 */
export interface ApplicationArgs {
    /**
     * Container image, `registry/repository[:tag][@sha256:digest]`. Both modes run it (EC2 with the
     * distribution's container runtime). With natGateways "none": an image of the account's private
     * ECR registry in the stack's region. No default: without an image (and without startCommand)
     * the tier runs the demo application.
     */
    readonly image?: string;
    /** Arguments the container runs (Docker CMD). Defaults to the image's own. */
    readonly command?: string[];
    /** Entry point of the container (Docker ENTRYPOINT). Defaults to the image's own. */
    readonly entryPoint?: string[];
    /**
     * TCP port the application listens on, plain HTTP on loopback behind the terminator; not the
     * backend port. Defaults to 8080.
     */
    readonly port?: number;
    /** Plain environment variables, by name. Never a secret: use `secrets`. Defaults to none. */
    readonly environment?: Record<string, string>;
    /**
     * Secrets by reference, by environment variable name: the ARN of a Secrets Manager secret
     * (optionally with ECS's `:json-key:version-stage:version-id` suffix) or of an SSM parameter.
     * ECS injects them with the task's `secrets`; on EC2 the instance role reads them when the
     * application starts. Defaults to none.
     */
    readonly secrets?: Record<string, string>;
    /** Path the load balancer's health check requests through the terminator. Defaults to "/". */
    readonly healthCheckPath?: string;
    /** HTTP status codes a healthy application answers the health check with, e.g. "200" or "200-299". Defaults to "200". */
    readonly healthCheckCodes?: string;
    /**
     * EC2 with a baked AMI (amiId) instead of an image: the command that starts the application,
     * run by a systemd unit. Defaults to none.
     */
    readonly startCommand?: string;
}
