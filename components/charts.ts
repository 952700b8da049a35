// Default chart coordinates. Stacks override them under platform:<store>.<chart> (e.g. to point at a mirror or a local path).

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

/** CloudNativePG operator chart. */
export const CNPG_OPERATOR_CHART: ChartSource = {
    repo: "https://cloudnative-pg.github.io/charts",
    chart: "cloudnative-pg",
    version: "0.26.1",
};

/** CloudNativePG cluster chart (renders the `Cluster` CR and its helpers). */
export const CNPG_CLUSTER_CHART: ChartSource = {
    repo: "https://cloudnative-pg.github.io/charts",
    chart: "cluster",
    version: "0.3.1",
};

/** Valkey (Redis-compatible) official chart. */
export const VALKEY_CHART: ChartSource = {
    repo: "https://valkey.io/valkey-helm/",
    chart: "valkey",
    version: "0.7.7",
};

/** Strimzi Kafka operator chart (OCI). */
export const STRIMZI_OPERATOR_CHART: ChartSource = {
    repo: "oci://quay.io/strimzi-helm",
    chart: "strimzi-kafka-operator",
    version: "0.48.0",
};
