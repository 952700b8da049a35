// The pack's policy list and metadata, importable without starting the analyzer (tests, offline check, docs).
import type { PolicyPackArgs } from "@pulumi/policy";
import type { PlatformPolicy } from "./lib/policy";
import { availabilityPolicies } from "./policies/availability";
import { hygienePolicies } from "./policies/hygiene";
import { labelPolicies } from "./policies/labels";
import { networkPolicies } from "./policies/network";
import { podSecurityPolicies } from "./policies/podSecurity";
import { secretPolicies } from "./policies/secrets";

export const PACK_NAME = "platform-kubernetes";

export const policies: PlatformPolicy[] = [
    ...labelPolicies,
    ...podSecurityPolicies,
    ...secretPolicies,
    ...hygienePolicies,
    ...availabilityPolicies,
    ...networkPolicies,
];

export const packArgs: PolicyPackArgs = {
    description: "Platform guardrails for Kubernetes stacks: labels, pod security, plaintext secrets, hygiene, availability and network isolation.",
    displayName: "Platform Kubernetes guardrails",
    provider: "kubernetes",
    tags: ["kubernetes", "security", "platform"],
    // Policies without config default to their own (strictest intended) level; stacks relax via policy/config/<stack>.json.
    enforcementLevel: "mandatory",
    policies,
};
