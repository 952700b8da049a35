// @ts-check
// The pack's entry point (package.json main): the CLI loads it on every preview/up with --policy-pack. Runs the prebuilt
// JavaScript (npm ci / npm run build write bin/) so no run pays for transpiling the pack, and refuses stale JavaScript.
"use strict";
const path = require("path");
const { inspectBuild } = require("./prebuilt");

const built = inspectBuild(path.join(__dirname, "bin"), path.join(__dirname, "index.ts"), [
    path.join(__dirname, "tsconfig.build.json"),
    path.join(__dirname, "tsconfig.json"),
]);
if (built.problem || !built.entry) {
    // A RunError: the CLI prints its message alone, without a stack trace into this file.
    const { RunError } = require("@pulumi/pulumi");
    throw new RunError(`policy pack: ${built.problem}; run \`npm run build --prefix policy\` (npm ci builds it too)`);
}
require(built.entry);
