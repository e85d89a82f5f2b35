import { PolicyPack } from "@pulumi/policy";
import { decodeOncePerRequest } from "./framework/decode-once";
import { allPolicies } from "./rules";

// Constructing the pack starts the analyzer gRPC server: this file is only the entry point the
// Pulumi CLI runs. Tests import ./rules instead. Each request's properties are decoded once for
// all policies, not once per policy (./framework/decode-once.ts).
decodeOncePerRequest();
new PolicyPack("e2e-tls-guard", { policies: allPolicies });
