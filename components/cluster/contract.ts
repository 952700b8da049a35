// The contract between a cluster layer stack (what a cluster runs once) and the app stacks that reference it: what the
// layer exports, which operator versions the app stacks' CRs support, and the refusals an app stack raises.
// Pure (no resources): the layer builds its export with it, an app stack checks its StackReference against it.
import type { ConfigIssue } from "../config/errors";
import type { PlatformConfig } from "../config/resolve";

/** Version of the export's shape; an app stack refuses a layer that exports another one. */
export const CLUSTER_LAYER_CONTRACT = 1;

/** Name of the one stack output of a cluster layer that app stacks read. */
export const CLUSTER_LAYER_OUTPUT = "clusterLayer";

/** The app-side config key that names the cluster layer stack. */
export const CLUSTER_LAYER_KEY = "platform:clusterLayer";

/** API groups/versions whose CRDs a layer may provide. */
export const CRD_APIS = {
    cnpg: "postgresql.cnpg.io/v1",
    strimzi: "kafka.strimzi.io/v1",
    monitoring: "monitoring.coreos.com/v1",
} as const;

/** One operator the cluster layer runs. */
export interface LayerOperator {
    /** Namespace of the operator's pods (the app stacks' NetworkPolicies admit it). */
    namespace: string;
    /** Chart version installed. */
    chartVersion: string;
    /** Operator (application) version, the one CR compatibility is judged by. */
    operatorVersion: string;
}

/** The Strimzi operator as the layer runs it. */
export interface LayerStrimzi extends LayerOperator {
    /** Apache Kafka versions this operator release runs. */
    kafkaVersions: string[];
    /** Namespaces the operator reconciles; ["*"] is every namespace (cluster-wide RBAC). */
    watchNamespaces: string[];
}

/** What a cluster layer exports under {@link CLUSTER_LAYER_OUTPUT}. */
export interface ClusterLayerExport {
    /** {@link CLUSTER_LAYER_CONTRACT} of the layer that wrote it. */
    contract: number;
    /** Name of the cluster (`platform:cluster.name`), for messages. */
    cluster: string;
    /** CloudNativePG, when the layer installs it. */
    cnpg?: LayerOperator;
    /** Strimzi, when the layer installs it. */
    strimzi?: LayerStrimzi;
    /** CRD API versions served in the cluster (by the layer's charts, or declared present by the layer). */
    crds: string[];
}

/** Operator versions the app stacks' CRs are written for: [min, below) in semver order, with the reason. */
export const OPERATOR_SUPPORT = {
    // The cluster chart's Cluster CR (managed roles, plugin-based backups) needs the CNPG 1.26+ plugin interface.
    cnpg: { min: "1.26.0", below: "2.0.0", why: "the cluster chart's Cluster CR (managed roles, backup plugins) needs CloudNativePG 1.26 or newer within 1.x" },
    // kafka.strimzi.io/v1 is the only API this program writes; Strimzi serves it from 1.0.0 on.
    strimzi: { min: "1.0.0", below: "2.0.0", why: "the Kafka CRs are written against kafka.strimzi.io/v1, served by Strimzi 1.x" },
} as const;

/** Operator (app) version of each chart version this project pins or has verified (Chart.yaml appVersion). */
export const KNOWN_OPERATOR_VERSIONS: Readonly<Record<string, string>> = {
    "cloudnative-pg@0.29.0": "1.30.0",
    "strimzi-kafka-operator@1.2.0": "1.2.0",
};

/** The operator release of a chart this program pins or has verified, or undefined. */
export function knownOperatorVersion(c: { chart: string; version?: string }): string | undefined {
    return KNOWN_OPERATOR_VERSIONS[`${c.chart}@${c.version ?? ""}`];
}

/** -1, 0, 1 for a < b, a = b, a > b over dotted numeric versions ("1.30.0"); a pre-release suffix is ignored. */
export function compareVersions(a: string, b: string): number {
    const parts = (v: string) =>
        v
            .replace(/^v/, "")
            .split(/[-+]/)[0]
            .split(".")
            .map((p) => Number.parseInt(p, 10) || 0);
    const pa = parts(a);
    const pb = parts(b);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return d < 0 ? -1 : 1;
    }
    return 0;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

function operatorShape(v: unknown): v is LayerOperator {
    return isObj(v) && typeof v.namespace === "string" && typeof v.chartVersion === "string" && typeof v.operatorVersion === "string";
}

/**
 * Reads a StackReference's `clusterLayer` output. `undefined` output (the stack exports none: not a cluster layer, or
 * never deployed) and a malformed one are refusals naming platform:clusterLayer.
 */
export function readLayerExport(ref: string, value: unknown): { layer?: ClusterLayerExport; issues: ConfigIssue[] } {
    const refuse = (message: string) => ({ issues: [{ key: CLUSTER_LAYER_KEY, message }] });
    if (value === undefined) {
        return refuse(
            `stack "${ref}" exports no "${CLUSTER_LAYER_OUTPUT}" output: it is not a cluster layer stack (platform:layer: cluster) or it was never deployed; bring the cluster layer up first (npm run fleet -- up, or pulumi up --stack <layer>) or fix the name`,
        );
    }
    if (!isObj(value) || typeof value.contract !== "number")
        return refuse(`stack "${ref}" exports a "${CLUSTER_LAYER_OUTPUT}" output that is not a cluster layer contract (no numeric "contract")`);
    if (value.contract !== CLUSTER_LAYER_CONTRACT) {
        return refuse(
            `stack "${ref}" exports cluster layer contract ${value.contract}, this program reads contract ${CLUSTER_LAYER_CONTRACT}: deploy the cluster layer and the app stacks from the same release`,
        );
    }
    const problems: string[] = [];
    if (typeof value.cluster !== "string") problems.push("cluster");
    if (value.cnpg !== undefined && !operatorShape(value.cnpg)) problems.push("cnpg");
    const strimzi = value.strimzi;
    if (strimzi !== undefined && !(isObj(strimzi) && operatorShape(strimzi) && isStrings(strimzi.kafkaVersions) && isStrings(strimzi.watchNamespaces)))
        problems.push("strimzi");
    if (!isStrings(value.crds)) problems.push("crds");
    if (problems.length > 0) return refuse(`stack "${ref}" exports a malformed cluster layer contract (bad ${problems.join(", ")})`);
    return { layer: value as unknown as ClusterLayerExport, issues: [] };
}

/** Store keys that belong to the operator install, which a cluster layer owns. */
const OPERATOR_KEYS = ["installOperator", "operatorChart", "operatorImage", "webhookFailurePolicy"] as const;

/** The keys of `platform:postgres` / `platform:kafka` the stack file itself sets (not defaulted), from the raw config. */
export type ExplicitStoreKeys = Record<"postgres" | "kafka", readonly string[]>;

/** Which keys the raw (unparsed) `platform:postgres`/`platform:kafka` values set. */
export function explicitStoreKeys(raw: Record<string, string | undefined>): ExplicitStoreKeys {
    const keys = (v: string | undefined): string[] => {
        if (v === undefined) return [];
        try {
            const o: unknown = JSON.parse(v);
            return isObj(o) ? Object.keys(o) : [];
        } catch {
            return [];
        }
    };
    return { postgres: keys(raw.postgres), kafka: keys(raw.kafka) };
}

function versionIssue(key: string, ref: string, what: string, version: string, support: { min: string; below: string; why: string }): ConfigIssue | undefined {
    if (compareVersions(version, support.min) >= 0 && compareVersions(version, support.below) < 0) return undefined;
    return {
        key,
        message: `cluster layer "${ref}" runs ${what} ${version}; this program supports ${support.min} up to (not including) ${support.below}, because ${support.why}: upgrade the cluster layer's chart or point ${CLUSTER_LAYER_KEY} at a compatible cluster`,
    };
}

/**
 * Every reason an app stack cannot run on this cluster layer, each naming the key to change. Empty: compatible.
 * `explicit` says which store keys the stack file sets itself: in layered mode installOperator/operatorNamespace are the layer's.
 */
export function clusterLayerIssues(cfg: PlatformConfig, ref: string, layer: ClusterLayerExport, explicit: ExplicitStoreKeys): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const stores = [
        {
            store: "postgres" as const,
            enabled: cfg.postgres.enabled,
            op: layer.cnpg,
            name: "CloudNativePG",
            crd: CRD_APIS.cnpg,
            support: OPERATOR_SUPPORT.cnpg,
            installOperator: cfg.postgres.installOperator,
            operatorNamespace: cfg.postgres.operatorNamespace,
        },
        {
            store: "kafka" as const,
            enabled: cfg.kafka.enabled,
            op: layer.strimzi,
            name: "Strimzi",
            crd: CRD_APIS.strimzi,
            support: OPERATOR_SUPPORT.strimzi,
            installOperator: cfg.kafka.installOperator,
            operatorNamespace: cfg.kafka.operatorNamespace,
        },
    ];
    for (const s of stores) {
        for (const key of OPERATOR_KEYS.filter((k) => explicit[s.store].includes(k))) {
            issues.push({
                key: `platform:${s.store}.${key}`,
                message: `is set, but ${CLUSTER_LAYER_KEY} names cluster layer "${ref}", which owns the cluster's operators (their charts, CRDs, webhooks and cluster RBAC): remove platform:${s.store}.${key} and set it in the cluster layer's platform:operators instead`,
            });
        }
        if (!s.enabled) continue;
        if (!s.op || !layer.crds.includes(s.crd)) {
            issues.push({
                key: `platform:${s.store}.enabled`,
                message: `is true, but cluster layer "${ref}" (${CLUSTER_LAYER_KEY}) runs no ${s.name} operator (${s.crd} CRDs absent): enable it in the cluster layer's config or set platform:${s.store}.enabled to false`,
            });
            continue;
        }
        if (explicit[s.store].includes("operatorNamespace") && s.operatorNamespace !== s.op.namespace) {
            issues.push({
                key: `platform:${s.store}.operatorNamespace`,
                message: `is "${s.operatorNamespace}", but cluster layer "${ref}" runs ${s.name} in "${s.op.namespace}": remove the key (the layer's namespace is used) or set it to "${s.op.namespace}"`,
            });
        }
        const v = versionIssue(CLUSTER_LAYER_KEY, ref, s.name, s.op.operatorVersion, s.support);
        if (v) issues.push(v);
    }
    const strimzi = layer.strimzi;
    if (cfg.kafka.enabled && strimzi) {
        if (!strimzi.kafkaVersions.includes(cfg.kafka.version)) {
            issues.push({
                key: "platform:kafka.version",
                message: `is "${cfg.kafka.version}", which Strimzi ${strimzi.operatorVersion} of cluster layer "${ref}" does not run; it runs ${strimzi.kafkaVersions.join(", ")}: pick one of those`,
            });
        }
        if (!strimzi.watchNamespaces.includes("*") && !strimzi.watchNamespaces.includes(cfg.namespace.name)) {
            issues.push({
                key: "platform:namespace.name",
                message: `is "${cfg.namespace.name}", which the Strimzi operator of cluster layer "${ref}" does not watch (it watches ${strimzi.watchNamespaces.join(", ")}): add the namespace to the layer's platform:operators.strimzi.watchNamespaces, or set it to ["*"]`,
            });
        }
    }
    if (cfg.observability.serviceMonitors && !layer.crds.includes(CRD_APIS.monitoring)) {
        issues.push({
            key: "platform:observability.serviceMonitors",
            message: `is true, but cluster layer "${ref}" provides no ${CRD_APIS.monitoring} CRDs: set platform:monitoring.crds: external in the layer once the cluster serves them, or turn ServiceMonitors off`,
        });
    }
    return issues;
}

/** The app config as it runs on the layer: no operator installed here, the layer's operator namespaces admitted. */
export function onClusterLayer(cfg: PlatformConfig, layer: ClusterLayerExport): PlatformConfig {
    return {
        ...cfg,
        postgres: { ...cfg.postgres, installOperator: false, operatorNamespace: layer.cnpg?.namespace ?? cfg.postgres.operatorNamespace },
        kafka: { ...cfg.kafka, installOperator: false, operatorNamespace: layer.strimzi?.namespace ?? cfg.kafka.operatorNamespace },
    };
}
