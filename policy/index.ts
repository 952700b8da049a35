// Entry point for `pulumi preview --policy-pack policy`: constructing the PolicyPack starts the analyzer.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, packArgs } from "./pack";

new PolicyPack(PACK_NAME, packArgs);
