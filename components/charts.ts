// Chart coordinates and their resolution: the pinned defaults, the optional chart mirror, and helm.v4.Chart args.
// Versions verified against the upstream chart sources:
//   cloudnative-pg/charts: tags cloudnative-pg-v0.29.0 (operator 1.30.0) and cluster-v0.8.1
//   valkey-io/valkey-helm: tag valkey-0.11.0 (Valkey 9.1.1), served from https://valkey.io/valkey-helm/
//   strimzi/strimzi-kafka-operator: 1.2.0, published as oci://quay.io/strimzi-helm/strimzi-kafka-operator
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigIssue } from "./config/errors";
import type { PlatformConfig } from "./config/schema";

/** Where a Helm chart comes from: a repository (https:// or oci://) plus a pinned version, or a local path. */
export interface ChartCoordinates {
    /** Chart name in the repository (and in the mirror's `<chart>-<version>/` folder name). */
    chart: string;
    /** Exact chart version; ranges are rejected so a stack never drifts. */
    version?: string;
    /** Repository URL: https://… index or oci://… registry. */
    repo?: string;
    /** Local chart directory or .tgz, relative to the project root; takes precedence over repository and mirror. */
    path?: string;
}

/** CloudNativePG operator chart (installs the CRDs, the operator Deployment and its webhooks). */
export const CNPG_OPERATOR_CHART = { repo: "https://cloudnative-pg.github.io/charts", chart: "cloudnative-pg", version: "0.29.0" } as const satisfies ChartCoordinates;

/** CloudNativePG cluster chart (renders the `Cluster` CR and its helpers: scheduled backups, poolers). */
export const CNPG_CLUSTER_CHART = { repo: "https://cloudnative-pg.github.io/charts", chart: "cluster", version: "0.8.1" } as const satisfies ChartCoordinates;

/** Valkey (Redis-compatible) official chart. */
export const VALKEY_CHART = { repo: "https://valkey.io/valkey-helm/", chart: "valkey", version: "0.11.0" } as const satisfies ChartCoordinates;

/**
 * Strimzi Kafka operator chart (OCI). The chart version equals the Strimzi release; 1.x serves only the
 * `kafka.strimzi.io/v1` API (v1beta2 was removed from the CRDs in 1.0.0).
 */
export const STRIMZI_OPERATOR_CHART = { repo: "oci://quay.io/strimzi-helm", chart: "strimzi-kafka-operator", version: "1.2.0" } as const satisfies ChartCoordinates;

/** Apache Kafka versions the pinned Strimzi release runs (its chart's kafka image map, templates/_kafka_image_map.tpl). */
export const STRIMZI_KAFKA_VERSIONS: readonly string[] = ["4.2.0", "4.2.1", "4.3.0", "4.3.1"];

/** Default Apache Kafka version for the pinned Strimzi release: its newest. */
export const STRIMZI_DEFAULT_KAFKA_VERSION = "4.3.1";

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
export function mirroredChart(c: ChartCoordinates, key: string, root: string, issues: ConfigIssue[], hasChart = (dir: string) => fs.existsSync(path.join(dir, "Chart.yaml"))): ChartCoordinates {
    if (c.path) return c;
    const dir = mirrorEntry(root, c);
    if (!hasChart(dir)) {
        issues.push({ key: `platform:${key}`, message: `chart ${c.chart}@${c.version ?? "(no version)"} is not in the chart mirror (expected ${dir}/Chart.yaml); add it to the mirror (platform:chartMirror) or pin a version the mirror holds` });
    }
    return { chart: c.chart, version: c.version, path: dir };
}

/**
 * Points every repository chart of the stack at its folder in the chart mirror (charts with an explicit `path` keep
 * it). A relative mirror is resolved from `baseDir` (the project directory). Throws a ConfigError naming each chart
 * and version the mirror lacks, before any resource is registered.
 */
export function applyChartMirror(cfg: PlatformConfig, mirror: string, baseDir: string, hasChart = (dir: string) => fs.existsSync(path.join(dir, "Chart.yaml"))): PlatformConfig {
    const root = path.resolve(baseDir, mirror);
    const issues: ConfigIssue[] = [];
    const resolved = (c: ChartCoordinates, key: string) => mirroredChart(c, key, root, issues, hasChart);
    const used = new Set(chartsInUse(cfg).map((u) => u.key));
    const pick = (c: ChartCoordinates, key: string) => (used.has(key) ? resolved(c, key) : c);
    const out: PlatformConfig = {
        ...cfg,
        postgres: { ...cfg.postgres, operatorChart: pick(cfg.postgres.operatorChart, "postgres.operatorChart"), clusterChart: pick(cfg.postgres.clusterChart, "postgres.clusterChart") },
        redis: { ...cfg.redis, chart: pick(cfg.redis.chart, "redis.chart") },
        kafka: { ...cfg.kafka, operatorChart: pick(cfg.kafka.operatorChart, "kafka.operatorChart") },
        charts: cfg.charts.map((c, i) => ({ ...c, chart: pick(c.chart, `charts[${i}].chart`) })),
    };
    if (issues.length > 0) throw new ConfigError(issues);
    return out;
}
