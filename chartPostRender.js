// @ts-check
// The Helm post-renderer of the operator charts (components/charts/chartPostRender.ts): the Kubernetes provider runs
// `node chartPostRender.js '<policy>'` from the project directory with the rendered manifest on stdin. Like entry.js it
// runs the prebuilt JavaScript only while no source is newer, else the TypeScript sources, so stale code never edits a chart.
"use strict";
const path = require("path");
const { inspectBuild } = require("./policy/prebuilt");

const source = path.join(__dirname, "components", "charts", "chartPostRender.ts");
const built = inspectBuild(path.join(__dirname, "bin", "program"), source, [
    path.join(__dirname, "tsconfig.build.json"),
    path.join(__dirname, "tsconfig.json"),
]);
if (!built.entry || built.problem) {
    // ts-node is a devDependency: where it is missing, say what to run instead of a stack trace.
    try {
        require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "tsconfig.pulumi.json") });
    } catch {
        process.stderr.write(`${built.problem}, and ts-node is not installed to run the TypeScript sources: run \`npm run build\`\n`);
        process.exit(2);
    }
}
/** @type {typeof import("./components/charts/chartPostRender")} */
const postRender = require(built.entry && !built.problem ? built.entry : source);
postRender.runPostRenderer(process.argv.slice(2), process.stdin, process.stdout).catch((/** @type {unknown} */ err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
