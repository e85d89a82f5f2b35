import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./rules";

// Constructing the pack starts the analyzer gRPC server: this file is only the entry point the
// Pulumi CLI runs. Tests import ./rules instead.
new PolicyPack("e2e-tls-guard", { policies: allPolicies });
