// @ts-check
// How the program's node process runs under the CLI (entry.js) and in the mocked benchmarks (scripts/bench-eval.ts),
// so both measure the same process.
"use strict";

/**
 * The SDK formats a stack trace for every promise it creates, kept for its leak report only: a quarter of the CPU of
 * evaluating a large stack. Off unless PLATFORM_STACK_TRACES=1 (debugging the program); the SDK still captures the
 * full trace it needs for resource source positions.
 */
function tuneProcess(env = process.env) {
    if (env.PLATFORM_STACK_TRACES !== "1") Error.stackTraceLimit = 0;
}

module.exports = { tuneProcess };
