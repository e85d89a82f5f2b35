import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { renderTierNginxConf } from "./backend/nginx";
import { demoAppSource } from "./backend/demo-app";
import { ecrPublicRepository, ecrRepositoryArn, ECR_PUBLIC_REGISTRY, parseImageRef } from "./images";
import { Application, ApplicationSource } from "./application";
import { imagePullStatements } from "../security/application-access";
import { bootDependencyList, TierArgs } from "./tier";
import { CERTIFICATE_FILE, ECS_TLS_DIR, PRIVATE_KEY_FILE } from "./backend/tls-files";

export interface EcsTierArgs extends TierArgs {
    /** Current version of the backend secret; a new version rolls out as a new task definition revision. */
    readonly secretVersionId: pulumi.Input<string>;
    /** Fargate CPU units and memory (MiB). No defaults (config `taskCpu`, `taskMemory`). */
    readonly cpu: number;
    readonly memory: number;
    /** nginx image of the terminator container. */
    readonly terminatorImage: string;
    /**
     * Pull ECR Public images through an ECR pull-through cache rule of the stack. Only with a NAT
     * route from the private subnets: the first pull through a cache rule needs one. No default
     * (true exactly when config `natGateways` is not "none").
     */
    readonly pullThroughCache: boolean;
    /** Days to keep container logs. Defaults to 30. */
    readonly logRetentionDays?: number;
}

const TERMINATOR = "tls";
const APP = "app";

/** The image an ECS tier runs its application from: the user's, or the demo's. */
function appImageOf(app: Application): string {
    if (app.image === undefined) throw new Error("an ECS tier runs an image: config validation refuses a start command on ECS");
    return app.image;
}

/**
 * The application container's own settings: the demo's Python program, or the user's entry point,
 * command, plain environment and secrets (ECS fetches each `valueFrom` with the execution role when
 * the task starts: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
 * An omitted entry point or command is the image's own.
 */
export function appContainerSettings(app: Application): Record<string, unknown> {
    if (app.source === ApplicationSource.demo) return { command: ["python3", "-c", demoAppSource(app.port)] };
    const environment = Object.keys(app.environment).sort().map(name => ({ name, value: app.environment[name] }));
    const secrets = Object.keys(app.secrets).sort().map(name => ({ name, valueFrom: app.secrets[name] }));
    return {
        ...(app.entryPoint ? { entryPoint: app.entryPoint } : {}),
        ...(app.command ? { command: app.command } : {}),
        ...(environment.length > 0 ? { environment } : {}),
        ...(secrets.length > 0 ? { secrets } : {}),
    };
}

/**
 * The ECS tier: a Fargate service in the private subnets, each task a TLS terminator (nginx) in
 * front of the application on the task's loopback. The certificate and key reach the terminator
 * through the task definition's `secrets`, fetched by ECS with the execution role at task start,
 * never through `environment`. Each secret reference is pinned to the secret's version, so a
 * renewed certificate is a new task definition revision that the service rolls out with 100%
 * minimum healthy and the deployment circuit breaker. With NAT, images from ECR Public are pulled
 * through the stack's ECR pull-through cache into repositories the stack owns; without NAT, the
 * images are the account's own private ECR images (config validation sees to it).
 * The service is created only after everything in `bootDependencies` and the image sources, and
 * `pulumi up` fails unless its tasks reach a steady state.
 */
export class EcsTier extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    public readonly taskDefinitionArn: pulumi.Output<string>;

    constructor(name: string, args: EcsTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:compute:EcsTier", name, {}, opts);
        const region = aws.getRegionOutput({}, { parent: this }).region;
        // Whatever the tasks pull their images through (cache rule, repositories, the role's right to
        // fill them): the service waits for all of it.
        const imageSources: pulumi.Resource[] = [];
        const cacheRepositories: pulumi.Output<string>[] = [];
        const image = args.pullThroughCache
            ? this.pullThroughCache(name, [args.terminatorImage, appImageOf(args.application)], args.identity, imageSources, cacheRepositories)
            : (ref: string) => pulumi.output(ref);

        const logs = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.logRetentionDays ?? 30 }, { parent: this });
        const cluster = new aws.ecs.Cluster(`${name}-cluster`, {
            settings: [{ name: "containerInsights", value: "enabled" }],
        }, { parent: this });

        const app = args.application;
        const nginxConf = renderTierNginxConf(ECS_TLS_DIR, { backendPort: args.backendPort, appPort: app.port });
        // Writes the secrets to root-only files, drops them from the environment, then becomes nginx.
        const terminatorScript = [
            "set -eu",
            "umask 077",
            `mkdir -p ${ECS_TLS_DIR}`,
            `printf '%s\\n%s\\n' "$TLS_CERTIFICATE" "$TLS_CHAIN" > ${ECS_TLS_DIR}/${CERTIFICATE_FILE}`,
            `printf '%s\\n' "$TLS_PRIVATE_KEY" > ${ECS_TLS_DIR}/${PRIVATE_KEY_FILE}`,
            "unset TLS_CERTIFICATE TLS_CHAIN TLS_PRIVATE_KEY",
            "printf '%s' \"$NGINX_CONF_B64\" | base64 -d > /etc/nginx/nginx.conf",
            "exec nginx -g 'daemon off;'",
        ].join("\n");
        const secretRef = (field: string) => pulumi.interpolate`${args.secretArn}:${field}::${args.secretVersionId}`;
        const logConfig = (prefix: string) => ({
            logDriver: "awslogs",
            options: { "awslogs-group": logs.name, "awslogs-region": region, "awslogs-stream-prefix": prefix },
        });

        const taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
            family: `${name}-${pulumi.getStack()}`,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: String(args.cpu),
            memory: String(args.memory),
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" },
            executionRoleArn: args.identity.readerRoleArn,
            taskRoleArn: args.identity.taskRoleArn,
            containerDefinitions: pulumi.jsonStringify([
                {
                    name: TERMINATOR,
                    image: image(args.terminatorImage),
                    essential: true,
                    entryPoint: ["/bin/sh", "-c"],
                    command: [terminatorScript],
                    portMappings: [{ containerPort: args.backendPort, protocol: "tcp" }],
                    secrets: [
                        { name: "TLS_CERTIFICATE", valueFrom: secretRef("certificate") },
                        { name: "TLS_CHAIN", valueFrom: secretRef("chain") },
                        { name: "TLS_PRIVATE_KEY", valueFrom: secretRef("privateKey") },
                    ],
                    environment: [{ name: "NGINX_CONF_B64", value: Buffer.from(nginxConf).toString("base64") }],
                    dependsOn: [{ containerName: APP, condition: "START" }],
                    logConfiguration: logConfig(TERMINATOR),
                },
                {
                    name: APP,
                    image: image(appImageOf(app)),
                    essential: true,
                    ...appContainerSettings(app),
                    logConfiguration: logConfig(APP),
                },
            ]),
        }, { parent: this });

        // The execution role pulls exactly the task's images (the cache's repositories, or the
        // account's private ECR repositories they name) and writes exactly this log group, in place
        // of AmazonECSTaskExecutionRolePolicy's "*" (components/security/tier-identity.ts).
        const repositories = [...cacheRepositories, ...[args.terminatorImage, appImageOf(app)].map(ecrRepositoryArn).filter((a): a is string => !!a)];
        imageSources.push(args.identity.grant(`${name}-execution-policy`, [
            ...imagePullStatements(repositories),
            {
                Sid: "WriteTheTierLogs",
                Effect: "Allow",
                // What the awslogs driver calls with the execution role on Fargate
                // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html).
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: pulumi.interpolate`${logs.arn}:*`,
            },
        ]));

        const service = new aws.ecs.Service(`${name}-service`, {
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            desiredCount: args.desiredSize,
            launchType: "FARGATE",
            platformVersion: "LATEST",
            networkConfiguration: {
                subnets: args.subnetIds,
                securityGroups: [args.securityGroupId],
                assignPublicIp: false,
            },
            loadBalancers: [{ targetGroupArn: args.targetGroupArn, containerName: TERMINATOR, containerPort: args.backendPort }],
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            healthCheckGracePeriodSeconds: 60,
            propagateTags: "SERVICE",
            // Without it the provider returns once the service is ACTIVE, even when the circuit
            // breaker has stopped it at 0 tasks; with it, it waits until the deployment is stable,
            // within the create/update timeout of 20 minutes (terraform-provider-aws
            // internal/service/ecs/service.go: waitServiceStable, schema.DefaultTimeout(20m)).
            waitForSteadyState: true,
        }, {
            parent: this,
            ignoreChanges: ["desiredCount"],
            dependsOn: [...bootDependencyList(args.bootDependencies), ...imageSources],
        });

        const scaling = new aws.appautoscaling.Target(`${name}-scaling`, {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
            minCapacity: args.minSize,
            maxCapacity: args.maxSize,
        }, { parent: this });
        new aws.appautoscaling.Policy(`${name}-cpu`, {
            policyType: "TargetTrackingScaling",
            serviceNamespace: scaling.serviceNamespace,
            scalableDimension: scaling.scalableDimension,
            resourceId: scaling.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                targetValue: 60,
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
            },
        }, { parent: this });

        this.clusterName = cluster.name;
        this.serviceName = service.name;
        this.taskDefinitionArn = taskDefinition.arn;
        this.registerOutputs({ clusterName: this.clusterName, serviceName: this.serviceName, taskDefinitionArn: this.taskDefinitionArn });
    }

    /**
     * The cache rule, one repository per cached image, and the execution role's right to fill them.
     * ECR fills an existing repository of the cached name and needs ecr:CreateRepository only when
     * there is none; deleting the rule leaves the repositories it created behind
     * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html). Creating
     * them here puts them in the stack's state, so `pulumi destroy` removes them with their images.
     */
    private pullThroughCache(name: string, images: string[], identity: EcsTierArgs["identity"], sources: pulumi.Resource[],
        repositoryArns: pulumi.Output<string>[]): (ref: string) => pulumi.Output<string> {
        const upstream = [...new Set(images.map(ecrPublicRepository).filter((r): r is string => !!r))];
        if (upstream.length === 0) return ref => pulumi.output(ref);
        // ecrRepositoryPrefix: 2 to 30 characters, no separator at either end (CreatePullThroughCacheRule).
        const cachePrefix = `${name}-${pulumi.getStack()}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 30).replace(/^-+|-+$/g, "");
        const rule = new aws.ecr.PullThroughCacheRule(`${name}-ecr-public`, {
            ecrRepositoryPrefix: cachePrefix,
            upstreamRegistryUrl: ECR_PUBLIC_REGISTRY,
        }, { parent: this });
        const repositories = new Map(upstream.map(path => [path, new aws.ecr.Repository(`${name}-cache-${path.replace(/[^a-z0-9]+/g, "-")}`, {
            name: `${cachePrefix}/${path}`,
            forceDelete: true, // destroy removes the cached images with the repository
            // Tag immutability would stop ECR from refreshing a cached tag (same page).
            imageTagMutability: "MUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "AES256" }],
        }, { parent: this, dependsOn: [rule] })]));

        const fill = new aws.iam.RolePolicy(`${name}-pull-through`, {
            role: identity.readerRoleName,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "FillThePullThroughCache",
                    Effect: "Allow",
                    Action: "ecr:BatchImportUpstreamImage",
                    Resource: [...repositories.values()].map(r => r.arn),
                }],
            }),
        }, { parent: this });
        sources.push(rule, ...repositories.values(), fill);
        repositoryArns.push(...[...repositories.values()].map(r => r.arn));

        return (ref: string) => {
            const repository = repositories.get(ecrPublicRepository(ref) ?? "");
            return repository
                ? pulumi.interpolate`${repository.repositoryUrl}${parseImageRef(ref)!.reference}`
                : pulumi.output(ref);
        };
    }
}
