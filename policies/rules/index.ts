import { Policies } from "@pulumi/policy";
import * as listeners from "./listeners";
import * as targetGroups from "./target-groups";
import * as mtls from "./mtls";
import * as loadBalancers from "./load-balancers";
import * as keyMaterial from "./key-material";
import * as certificates from "./certificates";
import * as acmpca from "./acmpca";
import * as secrets from "./secrets";
import * as secretsInspection from "./secrets-inspection";
import * as kms from "./kms";
import * as resourcePolicies from "./resource-policies";
import * as instances from "./instances";
import * as securityGroups from "./security-groups";
import * as stackPath from "./stack-path";
import * as externalTargets from "./external-targets";
import * as deployOrdering from "./deploy-ordering";
import * as deployNetwork from "./deploy-network";
import * as deployLimits from "./deploy-limits";
import * as deployPca from "./deploy-pca";
import * as classicElb from "./classic-elb";
import * as cloudfront from "./cloudfront";
import * as apiGateway from "./api-gateway";
import * as kubernetes from "./kubernetes";
import * as exemptions from "./exemptions";

/** Every policy in the pack, in the order the rule reference (docs/rules.md) lists them. */
export const allPolicies: Policies = [
    ...listeners.policies,
    ...targetGroups.policies,
    ...mtls.policies,
    ...loadBalancers.policies,
    ...keyMaterial.policies,
    ...certificates.policies,
    ...acmpca.policies,
    ...secrets.policies,
    ...secretsInspection.policies,
    ...kms.policies,
    ...resourcePolicies.policies,
    ...instances.policies,
    ...securityGroups.policies,
    ...stackPath.policies,
    ...externalTargets.policies,
    ...deployOrdering.policies,
    ...deployNetwork.policies,
    ...deployLimits.policies,
    ...deployPca.policies,
    ...classicElb.policies,
    ...cloudfront.policies,
    ...apiGateway.policies,
    ...kubernetes.policies,
    // Last: it reports what the policies before it exempted.
    ...exemptions.policies,
];
