// The pinned charts of the built-in stores and what the pinned Strimzi runs: plain data that imports nothing, so the
// config schema (which defaults to them) and the chart code (which installs them) both read it without a loop.
// Versions verified against the upstream chart sources:
//   cloudnative-pg/charts: tags cloudnative-pg-v0.29.0 (operator 1.30.0) and cluster-v0.8.1
//   valkey-io/valkey-helm: tag valkey-0.11.0 (Valkey 9.1.1), served from https://valkey.io/valkey-helm/
//   strimzi/strimzi-kafka-operator: 1.2.0, published as oci://quay.io/strimzi-helm/strimzi-kafka-operator

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
export const CNPG_OPERATOR_CHART = {
    repo: "https://cloudnative-pg.github.io/charts",
    chart: "cloudnative-pg",
    version: "0.29.0",
} as const satisfies ChartCoordinates;

/** CloudNativePG cluster chart (renders the `Cluster` CR and its helpers: scheduled backups, poolers). */
export const CNPG_CLUSTER_CHART = { repo: "https://cloudnative-pg.github.io/charts", chart: "cluster", version: "0.8.1" } as const satisfies ChartCoordinates;

/** Valkey (Redis-compatible) official chart. */
export const VALKEY_CHART = { repo: "https://valkey.io/valkey-helm/", chart: "valkey", version: "0.11.0" } as const satisfies ChartCoordinates;

/**
 * Strimzi Kafka operator chart (OCI). The chart version equals the Strimzi release; 1.x serves only the
 * `kafka.strimzi.io/v1` API (v1beta2 was removed from the CRDs in 1.0.0).
 */
export const STRIMZI_OPERATOR_CHART = {
    repo: "oci://quay.io/strimzi-helm",
    chart: "strimzi-kafka-operator",
    version: "1.2.0",
} as const satisfies ChartCoordinates;

/** Apache Kafka versions the pinned Strimzi release runs (its chart's kafka image map, templates/_kafka_image_map.tpl). */
export const STRIMZI_KAFKA_VERSIONS: readonly string[] = ["4.2.0", "4.2.1", "4.3.0", "4.3.1"];

/** Default Apache Kafka version for the pinned Strimzi release: its newest. */
export const STRIMZI_DEFAULT_KAFKA_VERSION = "4.3.1";
