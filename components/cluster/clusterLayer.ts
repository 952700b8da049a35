// The cluster layer: what a cluster runs once for every app stack on it — the CloudNativePG and Strimzi operators with
// their CRDs, webhooks and cluster RBAC — and the export the app stacks read through a StackReference.
import * as pulumi from "@pulumi/pulumi";
import { installStoreOperator } from "../charts";
import { STRIMZI_KAFKA_VERSIONS } from "../config/chartPins";
import type { PlatformContext } from "../k8s";
import { STRIMZI_OPERATOR_NAME, strimziOperatorValues } from "../kafka";
import { cnpgOperatorValues } from "../postgres";
import type { ClusterLayerConfig } from "./config";
import { CLUSTER_LAYER_CONTRACT, ClusterLayerExport, CRD_APIS, knownOperatorVersion } from "./contract";

/** What the layer exports for its config: operator namespaces and versions, served CRD APIs. Pure. */
export function clusterLayerExport(cfg: ClusterLayerConfig): ClusterLayerExport {
    const { cnpg, strimzi } = cfg.operators;
    // parseClusterLayerConfig refuses an unpinned chart without operatorVersion, so a release is always known here.
    const release = (explicit: string | undefined, chart: { chart: string; version?: string }): string => {
        const v = explicit ?? knownOperatorVersion(chart);
        if (v === undefined)
            throw new Error(`operator release of ${chart.chart}@${chart.version ?? "(path)"} unknown; parseClusterLayerConfig should have refused it`);
        return v;
    };
    const crds: string[] = [];
    if (cnpg.enabled) crds.push(CRD_APIS.cnpg);
    if (strimzi.enabled) crds.push(CRD_APIS.strimzi);
    if (cfg.monitoring.crds === "external") crds.push(CRD_APIS.monitoring);
    return {
        contract: CLUSTER_LAYER_CONTRACT,
        cluster: cfg.cluster.name,
        ...(cnpg.enabled
            ? { cnpg: { namespace: cnpg.namespace, chartVersion: cnpg.chart.version ?? "local", operatorVersion: release(cnpg.operatorVersion, cnpg.chart) } }
            : {}),
        ...(strimzi.enabled
            ? {
                  strimzi: {
                      namespace: strimzi.namespace,
                      chartVersion: strimzi.chart.version ?? "local",
                      operatorVersion: release(strimzi.operatorVersion, strimzi.chart),
                      kafkaVersions: strimzi.kafkaVersions ?? [...STRIMZI_KAFKA_VERSIONS],
                      watchNamespaces: [...strimzi.watchNamespaces],
                  },
              }
            : {}),
        crds,
    };
}

/** Arguments of {@link ClusterLayer}. */
export interface ClusterLayerArgs {
    /** The validated cluster layer config (see parseClusterLayerConfig). */
    config: ClusterLayerConfig;
}

/** The operators of one cluster, each in its own namespace; their CRDs outlive `pulumi destroy` (every stack's CRs hang on them). */
export class ClusterLayer extends pulumi.ComponentResource {
    /** What app stacks read (stack output `clusterLayer`). */
    public readonly export: ClusterLayerExport;

    constructor(name: string, args: ClusterLayerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:ClusterLayer", name, {}, opts);
        const cfg = args.config;
        const { team, costCenter, partOf, owner, contact, documentation, incidentChannel } = cfg.metadata;
        // Operators live in namespaces of their own; the context's namespace is not used by an operator install.
        const ctx: PlatformContext = {
            namespace: "",
            labels: { partOf, environment: cfg.environment, team, costCenter },
            ownership: { owner, contact, documentation, incidentChannel },
        };
        const { cnpg, strimzi } = cfg.operators;
        const retainKinds = ["CustomResourceDefinition"];
        if (cnpg.enabled) {
            installStoreOperator(
                "cnpg",
                ctx,
                {
                    name: "cnpg-operator",
                    description: "CloudNativePG operator (cluster layer)",
                    namespace: cnpg.namespace,
                    chart: cnpg.chart,
                    releaseName: "cnpg",
                    values: (labels) => cnpgOperatorValues({ labels, webhookFailurePolicy: cnpg.webhookFailurePolicy, image: cnpg.image }),
                    retainKinds,
                },
                this,
            );
        }
        if (strimzi.enabled) {
            installStoreOperator(
                "strimzi",
                ctx,
                {
                    name: STRIMZI_OPERATOR_NAME,
                    description: "Strimzi cluster operator (cluster layer)",
                    namespace: strimzi.namespace,
                    chart: strimzi.chart,
                    releaseName: "strimzi",
                    values: (labels) =>
                        strimziOperatorValues({ labels, watchNamespaces: strimzi.watchNamespaces.includes("*") ? "*" : strimzi.watchNamespaces }),
                    retainKinds,
                },
                this,
            );
        }
        this.export = clusterLayerExport(cfg);
        this.registerOutputs({ clusterLayer: this.export });
    }
}
