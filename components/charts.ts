// Default chart coordinates. Stacks override them under platform:<store>.<chart> (e.g. to point at a mirror or a local path).
// Versions verified against the upstream chart sources (see the data-store components' docs):
//   cloudnative-pg/charts: tags cloudnative-pg-v0.29.0 (operator 1.30.0) and cluster-v0.8.1
//   valkey-io/valkey-helm: tag valkey-0.11.0 (Valkey 9.1.1), served from https://valkey.io/valkey-helm/
//   strimzi/strimzi-kafka-operator: 1.2.0, published as oci://quay.io/strimzi-helm/strimzi-kafka-operator
import type * as pulumi from "@pulumi/pulumi";

/** Where a Helm chart comes from: a repository (https:// or oci://) plus a pinned version, or a local path. */
export interface ChartSource {
    /** Chart name in the repository (ignored when `path` is set). */
    chart: string;
    /** Exact chart version; ranges are rejected so a stack never drifts. */
    version?: string;
    /** Repository URL: https://… index or oci://… registry. */
    repo?: string;
    /** Local chart directory or .tgz, relative to the project root. */
    path?: string;
}

/** CloudNativePG operator chart (installs the CRDs, the operator Deployment and its webhooks). */
export const CNPG_OPERATOR_CHART: ChartSource = {
    repo: "https://cloudnative-pg.github.io/charts",
    chart: "cloudnative-pg",
    version: "0.29.0",
};

/** CloudNativePG cluster chart (renders the `Cluster` CR and its helpers: scheduled backups, poolers). */
export const CNPG_CLUSTER_CHART: ChartSource = {
    repo: "https://cloudnative-pg.github.io/charts",
    chart: "cluster",
    version: "0.8.1",
};

/** Valkey (Redis-compatible) official chart. */
export const VALKEY_CHART: ChartSource = {
    repo: "https://valkey.io/valkey-helm/",
    chart: "valkey",
    version: "0.11.0",
};

/**
 * Strimzi Kafka operator chart (OCI). The chart version equals the Strimzi release; 1.x serves only the
 * `kafka.strimzi.io/v1` API (v1beta2 was removed from the CRDs in 1.0.0).
 */
export const STRIMZI_OPERATOR_CHART: ChartSource = {
    repo: "oci://quay.io/strimzi-helm",
    chart: "strimzi-kafka-operator",
    version: "1.2.0",
};

/** Apache Kafka versions the pinned Strimzi release runs (its chart's kafka image map, templates/_kafka_image_map.tpl). */
export const STRIMZI_KAFKA_VERSIONS: readonly string[] = ["4.2.0", "4.2.1", "4.3.0", "4.3.1"];

/** Default Apache Kafka version for the pinned Strimzi release: its newest. */
export const STRIMZI_DEFAULT_KAFKA_VERSION = "4.3.1";

/** Validated chart coordinates, as `chartSource` in config.ts produces them. */
export interface ResolvedChartSource {
    chart: string;
    version?: string;
    repo?: string;
    path?: string;
}

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
export function chartLocation(c: ResolvedChartSource): ChartLocation {
    if (c.path) return { chart: c.path };
    if (!c.repo) {
        // A bare name resolves through Helm's local repository config; still pin the version.
        return c.version ? { chart: c.chart, version: c.version } : { chart: c.chart };
    }
    if (c.repo.startsWith("oci://")) {
        const base = c.repo.replace(/\/+$/, "");
        const ref = base.endsWith(`/${c.chart}`) ? base : `${base}/${c.chart}`;
        return c.version ? { chart: ref, version: c.version } : { chart: ref };
    }
    return c.version ? { chart: c.chart, version: c.version, repositoryOpts: { repo: c.repo } } : { chart: c.chart, repositoryOpts: { repo: c.repo } };
}

/** A label value for the chart's version: the pinned version, or "local" for a path chart. */
export function chartVersionLabel(c: ResolvedChartSource): string {
    return c.path ? "local" : c.version ?? "unversioned";
}

/**
 * Restricted-PSS container security context (what charts that expose `securityContext` receive).
 * runAsNonRoot, no privilege escalation, read-only root filesystem, all capabilities dropped, seccomp RuntimeDefault.
 */
export function restrictedContainerSecurityContext(runAsUser?: number): Record<string, unknown> {
    return {
        runAsNonRoot: true,
        ...(runAsUser !== undefined ? { runAsUser } : {}),
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Restricted-PSS pod security context; ids are set only when given (some images need their own uid). */
export function restrictedPodSecurityContext(ids: { runAsUser?: number; runAsGroup?: number; fsGroup?: number } = {}): Record<string, unknown> {
    return {
        runAsNonRoot: true,
        ...(ids.runAsUser !== undefined ? { runAsUser: ids.runAsUser } : {}),
        ...(ids.runAsGroup !== undefined ? { runAsGroup: ids.runAsGroup } : {}),
        ...(ids.fsGroup !== undefined ? { fsGroup: ids.fsGroup } : {}),
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Returns a copy of `labels` without the given keys (charts that set some standard labels themselves). */
export function withoutKeys(labels: Record<string, string>, keys: readonly string[]): Record<string, string> {
    return Object.fromEntries(Object.entries(labels).filter(([k]) => !keys.includes(k)));
}

// ---------- shared pieces of the data-store components ----------

/** Requests and limits as the config model spells them (every field optional). */
export interface ResourceOverrides {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
}

/** Complete requests and limits. */
export interface ResourceRequirements {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
}

/** Fills the fields the stack config leaves out with the component's defaults. */
export function mergeResources(defaults: ResourceRequirements, override: ResourceOverrides | undefined): ResourceRequirements {
    return {
        requests: { ...defaults.requests, ...definedOnly(override?.requests) },
        limits: { ...defaults.limits, ...definedOnly(override?.limits) },
    };
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
    return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Labels and PSA enforcement for a namespace the component creates for an operator. */
export function operatorNamespaceLabels(labels: Record<string, string>): Record<string, string> {
    return {
        ...labels,
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
    };
}

/** Collects every string leaf of a values tree with its path (tests and self-checks use it to look for secrets). */
export function stringLeaves(value: unknown, path = ""): { path: string; value: string }[] {
    if (typeof value === "string") return [{ path, value }];
    if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${path}[${i}]`));
    if (value !== null && typeof value === "object") {
        return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => stringLeaves(v, path ? `${path}.${k}` : k));
    }
    return [];
}

/** Keys that would carry a literal credential in a chart's values; references use other names (existingSecret, secret.name…). */
const LITERAL_SECRET_KEY = /(^|\.)(password|passwd|secretKey|accessKey|storageKey|storageSasToken|connectionString|applicationCredentials|token|aclConfig)$/i;

/** Paths of values whose key names a literal credential and whose value is non-empty (empty means "unused"). */
export function literalSecretPaths(values: unknown): string[] {
    return stringLeaves(values).filter((l) => l.value !== "" && LITERAL_SECRET_KEY.test(l.path.replace(/\[\d+\]/g, ""))).map((l) => l.path);
}

/**
 * Value paths that a chart's values.yaml does not declare (an empty map there is free-form and accepts anything).
 * Used to keep the e2e stand-in charts in step with the values the components pass.
 */
export function undeclaredValuePaths(values: unknown, declared: unknown, path = ""): string[] {
    if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
    if (declared === null || typeof declared !== "object" || Array.isArray(declared)) return path ? [path] : [];
    const decl = declared as Record<string, unknown>;
    if (Object.keys(decl).length === 0) return [];
    return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) => {
        const p = path ? `${path}.${k}` : k;
        return k in decl ? undeclaredValuePaths(v, decl[k], p) : [p];
    });
}
