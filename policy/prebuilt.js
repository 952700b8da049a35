// @ts-check
// Tells whether a prebuilt JavaScript tree (tsc output with source maps) may run in place of its TypeScript sources.
// Plain JavaScript on purpose: it decides whether compiled code is usable, so it must never be compiled output itself.
// Used by the pack's entry point (policy/entry.js) and the program's (entry.js).
"use strict";
const fs = require("fs");
const path = require("path");

/**
 * Finds the compiled entry of `source` under `outDir` and checks every compiled module against the source its map
 * names: a source newer than its JavaScript, or gone, makes the tree stale. Layout-agnostic: where tsc put each file
 * (rootDir, nesting) is read from the maps, not assumed.
 * @param {string} outDir the build's outDir
 * @param {string} source absolute path of the entry's TypeScript source
 * @param {string[]} [configs] other build inputs (tsconfig files): newer than the compiled entry makes it stale
 * @returns {{ entry?: string, problem?: string }} `entry` when the tree is fresh, else `problem` says why not
 */
function inspectBuild(outDir, source, configs = []) {
    // Paths in messages are relative to the entry source's directory (the project), whatever the cwd.
    const rel = (/** @type {string} */ p) => path.relative(path.dirname(source), p) || p;
    if (!fs.existsSync(outDir)) return { problem: `no prebuilt JavaScript in ${rel(outDir)}` };
    /** @type {string | undefined} */
    let entry;
    /** @type {string[]} */
    const stale = [];
    for (const name of fs.readdirSync(outDir, { recursive: true, encoding: "utf8" })) {
        if (!name.endsWith(".js.map")) continue;
        const mapFile = path.join(outDir, name);
        const js = mapFile.slice(0, -".map".length);
        const map = /** @type {{ sourceRoot?: string, sources?: string[] }} */ (JSON.parse(fs.readFileSync(mapFile, "utf8")));
        const jsStat = fs.statSync(js, { throwIfNoEntry: false });
        for (const s of map.sources ?? []) {
            const src = path.resolve(path.dirname(mapFile), map.sourceRoot ?? "", s);
            if (src === path.resolve(source)) entry = js;
            const srcStat = fs.statSync(src, { throwIfNoEntry: false });
            if (!jsStat || !srcStat || srcStat.mtimeMs > jsStat.mtimeMs) stale.push(srcStat ? rel(src) : `${rel(src)} (deleted)`);
        }
    }
    if (!entry) return { problem: `${rel(outDir)} holds no JavaScript built from ${rel(source)}` };
    const entryTime = fs.statSync(entry).mtimeMs;
    for (const c of configs) if ((fs.statSync(c, { throwIfNoEntry: false })?.mtimeMs ?? 0) > entryTime) stale.push(rel(c));
    if (stale.length > 0) {
        const more = stale.length > 1 ? ` (and ${stale.length - 1} more)` : "";
        return { problem: `the prebuilt JavaScript in ${rel(outDir)} is older than ${stale.sort()[0]}${more}` };
    }
    return { entry };
}

module.exports = { inspectBuild };
