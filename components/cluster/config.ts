// Config of a cluster layer stack (`platform:layer: cluster`): what the cluster runs once — the CloudNativePG and Strimzi
// operators with their CRDs, webhooks and cluster RBAC — parsed once into a typed model, or refused key by key.
import { z } from "zod";
import { CNPG_OPERATOR_CHART, STRIMZI_KAFKA_VERSIONS, STRIMZI_OPERATOR_CHART } from "../config/chartPins";
import { ConfigError, ConfigIssue, suggest } from "../config/errors";
import { parseRawValue } from "../config/rawValues";
import { toConfigIssues } from "../config/issues";
import { metadataSchema } from "../config/schema";
import { operatorImageSchema } from "../config/storeSchema";
import { CONFIG_NAMESPACE, chartSource, dnsLabel, req } from "../config/validators";
import { knownOperatorVersion } from "./contract";

/** Defaults of a cluster layer, in one place. */
export const CLUSTER_DEFAULTS = {
    cnpg: { enabled: true, namespace: "cnpg-system", webhookFailurePolicy: "Fail" as const },
    strimzi: { enabled: true, namespace: "strimzi-system", watchNamespaces: ["*"] },
    monitoring: { crds: "none" as const },
};

const operatorVersion = z.string().regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: 'must be the operator\'s release, e.g. "1.30.0"' });

export const clusterLayerSchema = z
    .object({
        /** Selects the cluster layer program. */
        layer: z.literal("cluster", { error: req("must be cluster for a cluster layer stack") }),
        /** Whose pack config judges the layer (its policy-pack config). */
        environment: z.enum(["dev", "staging", "production"], { error: req("must be one of dev, staging, production") }),
        metadata: metadataSchema,
        cluster: z
            .object({
                /** Name of the cluster, exported to the app stacks for their messages. */
                name: dnsLabel("cluster"),
            })
            .strict(),
        operators: z
            .object({
                cnpg: z
                    .object({
                        /** Run the CloudNativePG operator. Defaults to true. */
                        enabled: z.boolean().default(CLUSTER_DEFAULTS.cnpg.enabled),
                        /** Its namespace. Defaults to "cnpg-system". */
                        namespace: dnsLabel("namespace").default(CLUSTER_DEFAULTS.cnpg.namespace),
                        /** Defaults to the pinned cloudnative-pg chart (components/config/chartPins.ts). */
                        chart: chartSource(CNPG_OPERATOR_CHART),
                        /** Operator release of a chart this program does not pin. Defaults to the pinned chart's. */
                        operatorVersion: operatorVersion.optional(),
                        /** Its image (registry/repository:tag, also the instance manager it copies into every PostgreSQL pod), as platform:postgres.operatorImage. Defaults to the chart's own. */
                        image: operatorImageSchema.optional(),
                        /** failurePolicy of its admission webhooks ("Ignore" only where the apiserver cannot reach the operator). Defaults to "Fail". */
                        webhookFailurePolicy: z
                            .enum(["Fail", "Ignore"], { error: "must be Fail or Ignore" })
                            .default(CLUSTER_DEFAULTS.cnpg.webhookFailurePolicy),
                    })
                    .strict()
                    .prefault({}),
                strimzi: z
                    .object({
                        /** Run the Strimzi cluster operator. Defaults to true. */
                        enabled: z.boolean().default(CLUSTER_DEFAULTS.strimzi.enabled),
                        /** Its namespace. Defaults to "strimzi-system". */
                        namespace: dnsLabel("namespace").default(CLUSTER_DEFAULTS.strimzi.namespace),
                        /** Defaults to the pinned strimzi-kafka-operator chart. */
                        chart: chartSource(STRIMZI_OPERATOR_CHART),
                        /** Operator release of a chart this program does not pin. Defaults to the pinned chart's. */
                        operatorVersion: operatorVersion.optional(),
                        /** Apache Kafka versions of a chart this program does not pin. Defaults to the pinned release's. */
                        kafkaVersions: z.array(operatorVersion).min(1).optional(),
                        /** Namespaces whose Kafka CRs it reconciles; ["*"] (every namespace, cluster-wide RBAC). Defaults to ["*"]. */
                        watchNamespaces: z
                            .array(z.union([z.literal("*"), dnsLabel("namespace")], { error: 'must be a namespace name or "*"' }))
                            .min(1, { error: 'must list at least one namespace, or ["*"]' })
                            .default(CLUSTER_DEFAULTS.strimzi.watchNamespaces),
                    })
                    .strict()
                    .prefault({}),
            })
            .strict()
            .prefault({}),
        monitoring: z
            .object({
                /** "external": the cluster serves monitoring.coreos.com/v1 (Prometheus operator installed out of band). Defaults to "none". */
                crds: z.enum(["none", "external"], { error: "must be none or external" }).default(CLUSTER_DEFAULTS.monitoring.crds),
            })
            .strict()
            .prefault({}),
        /** Chart mirror directory (air-gapped installs), as for an app stack. Defaults to PLATFORM_CHART_MIRROR or none. */
        chartMirror: z.string().min(1, { error: "must be a directory path" }).optional(),
    })
    .strict();

/** The cluster layer's typed config. */
export type ClusterLayerConfig = z.infer<typeof clusterLayerSchema>;

const LAYER_KEYS = Object.keys(clusterLayerSchema.shape);

/** Operator release and Kafka versions of the configured charts, or issues naming the key to set. */
function operatorIssues(cfg: ClusterLayerConfig): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const { cnpg, strimzi } = cfg.operators;
    if (cnpg.enabled && !cnpg.operatorVersion && !knownOperatorVersion(cnpg.chart)) {
        issues.push({
            key: "platform:operators.cnpg.operatorVersion",
            message: `is required for chart ${cnpg.chart.chart}@${cnpg.chart.version ?? "(path)"}, whose operator release this program does not know; write the release it installs (its Chart.yaml appVersion), e.g. "1.30.0"`,
        });
    }
    if (strimzi.enabled && !knownOperatorVersion(strimzi.chart)) {
        for (const k of ["operatorVersion", "kafkaVersions"] as const) {
            if (!strimzi[k])
                issues.push({
                    key: `platform:operators.strimzi.${k}`,
                    message: `is required for chart ${strimzi.chart.chart}@${strimzi.chart.version ?? "(path)"}, which this program does not pin; write ${k === "operatorVersion" ? 'the Strimzi release it installs, e.g. "1.2.0"' : `the Kafka versions it runs, e.g. ["${STRIMZI_KAFKA_VERSIONS.at(-1)}"]`}`,
                });
        }
    }
    if (strimzi.watchNamespaces.includes("*") && strimzi.watchNamespaces.length > 1) {
        issues.push({
            key: "platform:operators.strimzi.watchNamespaces",
            message: 'lists "*" beside namespaces; write ["*"] for every namespace, or list the namespaces only',
        });
    }
    return issues;
}

/** Validates a cluster layer stack's `platform:` keys; throws a ConfigError listing every problem. */
export function parseClusterLayerConfig(raw: Record<string, string | undefined>): ClusterLayerConfig {
    const input: Record<string, unknown> = {};
    const issues: ConfigIssue[] = [];
    for (const [k, v] of Object.entries(raw)) {
        if (v === undefined) continue;
        if (LAYER_KEYS.includes(k)) input[k] = parseRawValue(k, v);
        else
            issues.push({
                key: `${CONFIG_NAMESPACE}:${k}`,
                message: `is not a setting of a cluster layer stack (platform:layer: cluster)${suggest(k, LAYER_KEYS)}; services, stores and their secrets go into the app stacks that name this layer in platform:clusterLayer`,
            });
    }
    const result = clusterLayerSchema.safeParse(input, { reportInput: true });
    if (!result.success) {
        for (const issue of result.error.issues) issues.push(...toConfigIssues(issue, clusterLayerSchema, LAYER_KEYS));
        throw new ConfigError(issues);
    }
    issues.push(...operatorIssues(result.data));
    if (issues.length > 0) throw new ConfigError(issues);
    return result.data;
}
