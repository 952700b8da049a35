// Entry point for `pulumi preview --policy-pack policy`: constructing the PolicyPack starts the analyzer.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, packArgs } from "./pack";
import { convertPropertiesOncePerRequest } from "./lib/requestProperties";

// NotApplicable verdicts are Errors (one per policy and resource): their stack traces are never shown.
if (process.env.PLATFORM_STACK_TRACES !== "1") Error.stackTraceLimit = 0;
convertPropertiesOncePerRequest();
new PolicyPack(PACK_NAME, packArgs);
