// @ts-check
// Pulumi's entry point (package.json main; Pulumi.yaml sets typescript: false so the CLI starts no ts-node). Runs the
// prebuilt JavaScript of index.ts (npm ci / npm run build write bin/program) when no source is newer than it; otherwise
// the TypeScript sources through ts-node with a warning, so an edit never needs a build first and stale JavaScript never runs.
"use strict";
const path = require("path");
const { inspectBuild } = require("./policy/prebuilt");
require("./programProcess").tuneProcess();

const built = inspectBuild(path.join(__dirname, "bin", "program"), path.join(__dirname, "index.ts"), [
    path.join(__dirname, "tsconfig.build.json"),
    path.join(__dirname, "tsconfig.json"),
]);
if (built.entry && !built.problem) {
    module.exports = require(built.entry);
} else {
    /** @type {typeof import("ts-node")} */
    let tsNode;
    try {
        tsNode = require("ts-node");
    } catch {
        const { RunError } = require("@pulumi/pulumi");
        throw new RunError(`${built.problem}, and ts-node is not installed to run the TypeScript sources: run \`npm run build\``);
    }
    // The same transpile-only run the CLI would do; the strict type check is npm test's job.
    tsNode.register({ transpileOnly: true, project: path.join(__dirname, "tsconfig.pulumi.json") });
    require("@pulumi/pulumi").log.warn(`${built.problem}: running the TypeScript sources through ts-node (slower); \`npm run build\` refreshes it`);
    module.exports = require("./index.ts");
}
