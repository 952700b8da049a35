// Where the development tooling (unit tests, local:up, test:e2e, bench) finds the real charts: the chart mirror.
import * as fs from "fs";
import * as path from "path";

/** Environment variable that points the tooling at a chart mirror directory (`<chart>-<version>/` entries). */
export const CHART_MIRROR_ENV = "PLATFORM_CHART_MIRROR";

/** The nearest folder above `start` holding Pulumi.yaml (the project root, from sources or from bin/). */
export function projectRoot(start = __dirname): string {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${start}`);
    }
}

/**
 * The chart mirror for local tooling: `$PLATFORM_CHART_MIRROR` when set, else the nearest `shared/charts` beside
 * the repository or beside one of its parent directories (`<repo>/../shared/charts` in a plain checkout; a git
 * worktree nested one level deeper finds the same folder). Undefined when there is none.
 */
export function findChartMirror(env: NodeJS.ProcessEnv = process.env, root = projectRoot()): string | undefined {
    const fromEnv = env[CHART_MIRROR_ENV];
    if (fromEnv) return path.resolve(root, fromEnv);
    for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "shared", "charts");
        if (fs.existsSync(candidate)) return candidate;
        if (path.dirname(dir) === dir) return undefined;
    }
}

/** The chart mirror, or an error that says how to provide one (the hermetic cluster and the chart tests need it). */
export function requireChartMirror(env: NodeJS.ProcessEnv = process.env, root = projectRoot()): string {
    const dir = findChartMirror(env, root);
    if (!dir) {
        throw new Error(
            `no chart mirror: put the pinned charts in ${path.join(path.dirname(root), "shared", "charts")} ` +
                `(one <chart>-<version>/ folder each) or set ${CHART_MIRROR_ENV}=/path/to/mirror`,
        );
    }
    if (!fs.statSync(dir).isDirectory()) throw new Error(`${CHART_MIRROR_ENV}=${dir} is not a directory`);
    return dir;
}
