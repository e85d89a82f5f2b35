/**
 * The deployability family against the project's own program: dev and prod, ASG and ECS, under
 * org-strict.json, have no mandatory deployability finding; and a mutated variant of the program's
 * own run is caught by each rule.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PACK_DIR, urnOf } from "../../offline/analyzer/harness";
import { RecordedResource } from "../../offline/engine/recorded";
import { usePack } from "./fixtures";
import { analyzeRun, mutate, OWN_VARIANTS, runVariant, USER_VARIANTS } from "./own-stack-runs";
import { policies as ordering } from "../../policies/rules/deploy-ordering";
import { policies as network } from "../../policies/rules/deploy-network";
import { policies as limits } from "../../policies/rules/deploy-limits";
import { policies as pca } from "../../policies/rules/deploy-pca";

const DEPLOYABILITY = new Set([...ordering, ...network, ...limits, ...pca].map((p) => p.name));


const isType = (re: RegExp) => (r: RecordedResource) => re.test(r.type);
const isHttpsListener = (r: RecordedResource) => /^aws:a?lb\/listener:Listener$/.test(r.type) && r.inputs.protocol === "HTTPS";

/** A new resource for a run, depending on `deps` (URNs) through property `prop`. */
function extra(type: string, name: string, props: Record<string, any>, prop: string, deps: string[]): RecordedResource {
    return {
        type, name, urn: urnOf(type, name), custom: true, id: `${name}-id`, inputs: props, outputs: props,
        dependencies: deps, propertyDependencies: { [prop]: deps }, secretInputs: [],
    };
}

describe("the deployability rules on the project's own stacks", function () {
    this.timeout(300_000);
    const pack = usePack();
    const runs = new Map<string, RecordedResource[]>();
    const strict = JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "config", "org-strict.json"), "utf8"));

    before(async function () {
        this.timeout(300_000);
        for (const v of [...OWN_VARIANTS, ...USER_VARIANTS]) {
            runs.set(v.label, await runVariant(v));
        }
        await pack().configure(strict);
    });

    /** The mandatory deployability findings of a run under org-strict, as `policy: message`. */
    const findings = async (resources: RecordedResource[]) => (await analyzeRun(pack(), resources)).diagnostics
        .filter((d) => DEPLOYABILITY.has(d.policyName) && d.enforcementLevel === "mandatory")
        .map((d) => `${d.policyName}: ${d.message}`);
    const caught = async (resources: RecordedResource[], policy: string, ...parts: string[]) => {
        const found = await findings(resources);
        assert.ok(found.some((m) => m.startsWith(`${policy}:`) && parts.every((p) => m.includes(p))),
            `expected a ${policy} finding containing ${JSON.stringify(parts)}, got:\n${found.join("\n")}`);
    };

    for (const v of [...OWN_VARIANTS, ...USER_VARIANTS]) {
        it(`finds no mandatory deployability finding in ${v.label} under org-strict.json`, async () => {
            assert.deepStrictEqual(await findings(runs.get(v.label)!), []);
        });
    }

    describe("mutated variants of the program's own runs", () => {
        const prodEcs = () => runs.get("prod/ecs")!;
        const devAsg = () => runs.get("dev/asg")!;

        it("catches an ECS service whose target group no listener forwards to", async () => {
            const run = mutate(prodEcs(), isHttpsListener, (p) => ({ ...p, defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "503" } }] }));
            await caught(run, "ecs-service-waits-for-listener", 'Service "web-service"', "no listener or rule in this stack forwards to");
        });

        it("catches a new egress rule on the tier's security group that the compute does not wait for", async () => {
            for (const base of [prodEcs(), devAsg()]) {
                const sg = base.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "web-tier")!;
                const rule = extra("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "web-tier-extra",
                    { securityGroupId: sg.outputs.id ?? sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8" }, "securityGroupId", [sg.urn]);
                await caught([...base, rule], "compute-waits-for-boot-dependencies", "the security groups' egress rules", 'SecurityGroupEgressRule "web-tier-extra"');
            }
        });

        it("catches a trust store pinning an object version in a bucket without versioning", async () => {
            const run = prodEcs().filter((r) => !/^aws:s3\/bucketVersioning(V2)?:/.test(r.type));
            await caught(run, "trust-store-waits-for-bucket-versioning", 'TrustStore "web"', "the stack has none");
        });

        it("catches an ALB subnet smaller than /27 and one in a Local Zone", async () => {
            let run = mutate(devAsg(), (r) => r.type === "aws:ec2/subnet:Subnet" && r.name === "web-public-1", (p) => ({ ...p, cidrBlock: p.cidrBlock.replace(/\/\d+$/, "/28") }));
            run = mutate(run, (r) => r.type === "aws:ec2/subnet:Subnet" && r.name === "web-public-2", (p) => ({ ...p, availabilityZone: "us-east-1-bos-1a" }));
            await caught(run, "alb-subnets-deployable", 'Subnet "web-public-1"', "/28", "smaller than the /27");
            await caught(run, "alb-subnets-deployable", 'Subnet "web-public-2"', '"us-east-1-bos-1a"', "Local Zone");
        });

        it("catches a passthrough listener that keeps its trust store", async () => {
            const run = mutate(prodEcs(), isHttpsListener, (p) => ({ ...p, mutualAuthentication: { ...p.mutualAuthentication, mode: "passthrough" } }));
            await caught(run, "alb-listener-mtls-fields-valid", "mutualAuthentication.trustStoreArn", 'while mode is "passthrough"');
        });

        it("catches launch template user data over 16 KB", async () => {
            const big = Buffer.from("#!/bin/sh\n" + "#".repeat(17_000)).toString("base64");
            const run = mutate(devAsg(), isType(/^aws:ec2\/launchTemplate:/), (p) => ({ ...p, userData: big }));
            await caught(run, "ec2-user-data-within-limit", "userData is", "over the EC2 user data limit of 16384 bytes");
        });

        it("catches a target group name over 32 characters", async () => {
            const run = mutate(devAsg(), isType(/^aws:lb\/targetGroup:/), (p) => ({ ...p, name: "web-target-group-with-a-very-long-name" }));
            await caught(run, "elb-names-within-limits", 'name is "web-target-group-with-a-very-long-name"', "over the limit of 32");
        });

        it("catches a Private CA certificate signed with RSA by an EC CA", async () => {
            const run = mutate(prodEcs(), (r) => r.type === "aws:acmpca/certificate:Certificate" && r.name === "web-backend-cert", (p) => ({ ...p, signingAlgorithm: "SHA256WITHRSA" }));
            await caught(run, "private-ca-signing-algorithm-matches-key", 'Certificate "web-backend-cert"', 'signingAlgorithm is "SHA256WITHRSA"');
        });

        it("catches end-entity Private CA certificates that renewal revokes once the CA publishes a CRL", async () => {
            const run = mutate(prodEcs(), isType(/^aws:acmpca\/certificateAuthority:/), (p) => ({ ...p, revocationConfiguration: { crlConfiguration: { enabled: true, s3BucketName: "crl" } } }));
            await caught(run, "private-ca-certificate-revokes-on-replace", 'Certificate "web-backend-cert"', "publishes revocation by CRL");
        });

        it("catches a pull-through cache rule once no private route table has a NAT route", async () => {
            const noNat = (p: Record<string, any>) => ({ ...p, routes: (p.routes ?? []).filter((r: any) => !r.natGatewayId) });
            const base = runs.get("dev/ecs")!;
            const run = base.filter((r) => !(r.type === "aws:ec2/route:Route" && r.inputs.natGatewayId))
                .map((r) => r.type === "aws:ec2/routeTable:RouteTable" ? { ...r, inputs: noNat(r.inputs), outputs: noNat(r.outputs) } : r);
            await caught(run, "ecr-pull-through-cache-needs-nat", "PullThroughCacheRule", "has a NAT route");
        });

        it("catches an ECS secret reference by name with a JSON key", async () => {
            const run = mutate(prodEcs(), isType(/^aws:ecs\/taskDefinition:/), (p) => {
                const defs = JSON.parse(p.containerDefinitions);
                defs[0].secrets[0].valueFrom = "web-backend-secret:certificate::";
                return { ...p, containerDefinitions: JSON.stringify(defs) };
            });
            await caught(run, "ecs-secret-references-full-arn", "containerDefinitions[0].secrets[0].valueFrom", "not by its full ARN");
        });
    });
});
