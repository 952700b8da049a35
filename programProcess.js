// @ts-check
// How the program's node process runs under the CLI (entry.js) and in the mocked benchmarks (scripts/bench-eval.ts),
// so both measure the same process.
"use strict";

/**
 * @typedef {{ disableResourceReferences: boolean }} SdkUtils  the SDK's module-level switch (@pulumi/pulumi/utils)
 */

/**
 * - The SDK formats a stack trace for every promise it creates, kept for its leak report only: a quarter of the CPU
 *   of evaluating a large stack. Off unless PLATFORM_STACK_TRACES=1 (debugging the program); the SDK still captures
 *   the full trace it needs for resource source positions.
 * - A `helm.v4.Chart`'s `resources` output comes back as resource references, which the SDK turns into Resource
 *   objects by fetching each child's whole state (`pulumi:pulumi:getResource`: every chart CRD, ~2.4 MB per dev
 *   preview, a third of the program's CPU). Nothing here reads them (they are URNs instead). The SDK's own switch,
 *   PULUMI_DISABLE_RESOURCE_REFERENCES, is read before the program starts, so its value is set on the loaded SDK
 *   unless the environment chose one.
 * @param {NodeJS.ProcessEnv} env
 * @param {SdkUtils} [sdkUtils]
 */
function tuneProcess(env = process.env, sdkUtils = require("@pulumi/pulumi/utils")) {
    if (env.PLATFORM_STACK_TRACES !== "1") Error.stackTraceLimit = 0;
    if (env.PULUMI_DISABLE_RESOURCE_REFERENCES === undefined) sdkUtils.disableResourceReferences = true;
}

module.exports = { tuneProcess };
