// Chart resolution: the optional chart mirror and helm.v4.Chart args (the pins themselves live in config/chartPins.ts).
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import type { ChartCoordinates } from "../config/chartPins";
import { ConfigError, ConfigIssue } from "../config/errors";
import type { PlatformConfig } from "../config/resolve";

/** The chart-locating subset of `k8s.helm.v4.ChartArgs`. */
export interface ChartLocation {
    /** Chart reference: a name (with `repositoryOpts.repo`), an `oci://…/name` URL, or a local path. */
    chart: string;
    /** Pinned chart version; absent for local paths. */
    version?: string;
    /** Repository of an https:// chart. */
    repositoryOpts?: { repo: pulumi.Input<string> };
}

/**
 * Turns chart coordinates into `helm.v4.Chart` arguments:
 * a local path → `chart: <path>`; an oci:// registry → `chart: "oci://…/<name>"` + version;
 * an https:// repository → `chart: <name>`, `version`, `repositoryOpts.repo`.
 */
export function chartLocation(c: ChartCoordinates): ChartLocation {
    if (c.path) return { chart: c.path };
    const version = c.version ? { version: c.version } : {};
    // A bare name resolves through Helm's local repository config; still pin the version.
    if (!c.repo) return { chart: c.chart, ...version };
    if (c.repo.startsWith("oci://")) {
        const base = c.repo.replace(/\/+$/, "");
        return { chart: base.endsWith(`/${c.chart}`) ? base : `${base}/${c.chart}`, ...version };
    }
    return { chart: c.chart, ...version, repositoryOpts: { repo: c.repo } };
}

/** A label value for the chart's version: the pinned version, or "local" for an unversioned path chart. */
export function chartVersionLabel(c: ChartCoordinates): string {
    return c.version ?? (c.path ? "local" : "unversioned");
}

/** Folder of a pinned chart inside a mirror: `<mirror>/<chart>-<version>`. */
export function mirrorEntry(mirror: string, c: ChartCoordinates): string {
    return path.join(mirror, `${c.chart}-${c.version ?? "unversioned"}`);
}

/** Every chart the stack installs, with the config key that sets it (disabled stores and operators not installed are left out). */
export function chartsInUse(cfg: PlatformConfig): { key: string; coordinates: ChartCoordinates }[] {
    const out: { key: string; coordinates: ChartCoordinates }[] = [];
    if (cfg.postgres.enabled && cfg.postgres.installOperator) out.push({ key: "postgres.operatorChart", coordinates: cfg.postgres.operatorChart });
    if (cfg.postgres.enabled) out.push({ key: "postgres.clusterChart", coordinates: cfg.postgres.clusterChart });
    if (cfg.redis.enabled) out.push({ key: "redis.chart", coordinates: cfg.redis.chart });
    if (cfg.kafka.enabled && cfg.kafka.installOperator) out.push({ key: "kafka.operatorChart", coordinates: cfg.kafka.operatorChart });
    cfg.charts.forEach((c, i) => out.push({ key: `charts[${i}].chart`, coordinates: c.chart }));
    return out;
}

/** `c` read from its folder in the mirror at `root` (a path chart stays); a missing folder adds an issue naming `key`. */
export function mirroredChart(
    c: ChartCoordinates,
    key: string,
    root: string,
    issues: ConfigIssue[],
    hasChart = (dir: string) => fs.existsSync(path.join(dir, "Chart.yaml")),
): ChartCoordinates {
    if (c.path) return c;
    const dir = mirrorEntry(root, c);
    if (!hasChart(dir)) {
        issues.push({
            key: `platform:${key}`,
            message: `chart ${c.chart}@${c.version ?? "(no version)"} is not in the chart mirror (expected ${dir}/Chart.yaml); add it to the mirror (platform:chartMirror) or pin a version the mirror holds`,
        });
    }
    return { chart: c.chart, version: c.version, path: dir };
}

/**
 * Points every repository chart of the stack at its folder in the chart mirror (charts with an explicit `path` keep
 * it). A relative mirror is resolved from `baseDir` (the project directory). Throws a ConfigError naming each chart
 * and version the mirror lacks, before any resource is registered.
 */
export function applyChartMirror(
    cfg: PlatformConfig,
    mirror: string,
    baseDir: string,
    hasChart = (dir: string) => fs.existsSync(path.join(dir, "Chart.yaml")),
): PlatformConfig {
    const root = path.resolve(baseDir, mirror);
    const issues: ConfigIssue[] = [];
    const resolved = (c: ChartCoordinates, key: string) => mirroredChart(c, key, root, issues, hasChart);
    const used = new Set(chartsInUse(cfg).map((u) => u.key));
    const pick = (c: ChartCoordinates, key: string) => (used.has(key) ? resolved(c, key) : c);
    const out: PlatformConfig = {
        ...cfg,
        postgres: {
            ...cfg.postgres,
            operatorChart: pick(cfg.postgres.operatorChart, "postgres.operatorChart"),
            clusterChart: pick(cfg.postgres.clusterChart, "postgres.clusterChart"),
        },
        redis: { ...cfg.redis, chart: pick(cfg.redis.chart, "redis.chart") },
        kafka: { ...cfg.kafka, operatorChart: pick(cfg.kafka.operatorChart, "kafka.operatorChart") },
        charts: cfg.charts.map((c, i) => ({ ...c, chart: pick(c.chart, `charts[${i}].chart`) })),
    };
    if (issues.length > 0) throw new ConfigError(issues);
    return out;
}
