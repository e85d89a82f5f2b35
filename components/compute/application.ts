import { APPLICATION_KEYS, Integer, StackConfig } from "../../config/keys";
import { DEMO_HEALTH_CHECK_PATH, DEMO_IMAGE } from "./backend/demo-app";

/**
 * The user's application: what the tier runs on loopback behind its TLS terminator, in either
 * compute mode. Plain data, so that every Pulumi language can give it (an input of WebTier); the
 * stack config gives the same fields as flat keys (`e2e-tls:appImage`, `e2e-tls:appCommand`, ...:
 * config/load.ts converts). Without an image or a start command, the tier runs the project's demo
 * application.
 */
export interface ApplicationArgs {
    /**
     * Container image, `registry/repository[:tag][@sha256:digest]`, built for the tier's CPU
     * architecture (ECS: arm64; EC2: the instance type's). ECS runs it as the task's second
     * container; EC2 runs it with Docker from the Amazon Linux 2023 repositories under a systemd
     * unit, publishing its port on 127.0.0.1 only. Images in the account's ECR are pulled with the
     * tier's role, which may pull exactly their repositories. With natGateways "none": an image of
     * an ECR registry in the stack's region. Not with startCommand. No default: without an image
     * (and without startCommand) the tier runs the demo application.
     */
    readonly image?: string;
    /** Arguments of the container (Docker CMD), with image only. Defaults to the image's own. */
    readonly command?: string[];
    /**
     * Entry point of the container (Docker ENTRYPOINT), with image only. Defaults to the image's
     * own. Setting it drops the image's CMD unless command is set too, as `docker run
     * --entrypoint` does.
     */
    readonly entryPoint?: string[];
    /**
     * TCP port the application listens on, plain HTTP, behind the terminator: 1024 to 65535, not
     * the backend port. An image listens on all the container's interfaces (EC2 publishes the port
     * on the host's 127.0.0.1 only; ECS shares the task's loopback with the terminator); a start
     * command's application on 127.0.0.1. Defaults to 8080.
     */
    readonly port?: Integer;
    /**
     * Plain environment variables, by name (letters, digits and `_`, not starting with a digit).
     * Never a secret: a value holding a private key, a credential, a password in a URL, or a value
     * under a name that says it is secret (`*_PASSWORD`, `*_TOKEN`, `*_SECRET`, ...) is refused.
     * Defaults to {}.
     */
    readonly environment?: Record<string, string>;
    /**
     * Secrets by reference, by environment variable name: the complete ARN of a Secrets Manager
     * secret (with the six characters Secrets Manager appends to its name, and optionally ECS's
     * `:json-key:version-stage:version-id` suffix) or of an SSM parameter. ECS injects them with
     * the task's `secrets`; on EC2 the instance role reads them when the application starts, into
     * its environment only. The tier's role may read exactly these. Defaults to {}.
     */
    readonly secrets?: Record<string, string>;
    /**
     * Path the load balancer's health check requests, through the terminator: starts with `/`,
     * at most 1024 characters. Defaults to "/" ("/healthz" for the demo application).
     */
    readonly healthCheckPath?: string;
    /**
     * HTTP status codes a healthy application answers the health check with, in the load
     * balancer's matcher syntax: 200 to 499, one code ("200"), a list ("200,204") or a range
     * ("200-299"). Defaults to "200".
     */
    readonly healthCheckCodes?: string;
    /**
     * EC2 with a baked AMI (amiId) instead of an image: the shell command that starts the
     * application, run by a systemd unit as an unprivileged transient user with the environment
     * and secrets above. Not with image, not on ECS. Defaults to none.
     */
    readonly startCommand?: string;
}

// Every input has its flat config key (config/keys.ts), so a stack file can give it too.
APPLICATION_KEYS satisfies Record<keyof ApplicationArgs, keyof StackConfig>;

/** Where the tier's application comes from. */
export const ApplicationSource = {
    /** The project's demo application (no image, no start command given). */
    demo: "demo",
    /** The user's container image. */
    image: "image",
    /** A start command on the user's baked AMI (EC2). */
    startCommand: "start-command",
} as const;
export type ApplicationSource = (typeof ApplicationSource)[keyof typeof ApplicationSource];

/** The application as the tiers run it: validated, every default applied. */
export interface Application {
    readonly source: ApplicationSource;
    /** The user's image; for the demo on ECS, the demo's image. Undefined for a start command and the demo on EC2. */
    readonly image?: string;
    readonly command?: string[];
    readonly entryPoint?: string[];
    readonly port: number;
    readonly environment: Readonly<Record<string, string>>;
    /** Environment variable name to the ARN its value is read from. */
    readonly secrets: Readonly<Record<string, string>>;
    readonly healthCheckPath: string;
    readonly healthCheckCodes: string;
    readonly startCommand?: string;
}

/** The application of a validated configuration: the user's, or the demo when none is given. */
export function applicationOf(cfg: StackConfig): Application {
    const common = {
        port: cfg.appPort,
        environment: cfg.appEnvironment,
        secrets: cfg.appSecrets,
        healthCheckCodes: cfg.appHealthCheckCodes,
    };
    if (cfg.appImage !== undefined) {
        return {
            ...common, source: ApplicationSource.image, image: cfg.appImage,
            command: cfg.appCommand, entryPoint: cfg.appEntryPoint, healthCheckPath: cfg.appHealthCheckPath ?? "/",
        };
    }
    if (cfg.appStartCommand !== undefined) {
        return { ...common, source: ApplicationSource.startCommand, startCommand: cfg.appStartCommand, healthCheckPath: cfg.appHealthCheckPath ?? "/" };
    }
    return {
        ...common, source: ApplicationSource.demo, healthCheckPath: cfg.appHealthCheckPath ?? DEMO_HEALTH_CHECK_PATH,
        ...(cfg.compute === "ecs" ? { image: DEMO_IMAGE } : {}),
    };
}

/**
 * What the stack tells about its application (output `application`): where it comes from, how it
 * is health-checked, and where its secrets are read from. ARNs only, never a value.
 */
export interface ApplicationSummary {
    /** "demo", "image" or "start-command". */
    readonly source: string;
    readonly image?: string;
    readonly startCommand?: string;
    readonly port: Integer;
    readonly healthCheckPath: string;
    readonly healthCheckCodes: string;
    /** Environment variable name to the ARN of the secret or parameter it is read from. */
    readonly secrets: Record<string, string>;
}

export function applicationSummary(app: Application): ApplicationSummary {
    return {
        source: app.source,
        ...(app.image !== undefined ? { image: app.image } : {}),
        ...(app.startCommand !== undefined ? { startCommand: app.startCommand } : {}),
        port: app.port,
        healthCheckPath: app.healthCheckPath,
        healthCheckCodes: app.healthCheckCodes,
        secrets: { ...app.secrets },
    };
}
