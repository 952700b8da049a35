// Kafka through Strimzi: the operator chart (optional per stack, own namespace) plus KRaft `Kafka`, one
// `KafkaNodePool` (controller+broker) and a `KafkaTopic` per configured topic.
// API: Strimzi 1.x serves only kafka.strimzi.io/v1 (v1beta2 was removed from the CRDs in 1.0.0), so the CRs use v1.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartVersionLabel } from "./charts";
import { DEFAULTS } from "./config";
import type { PlatformConfig, ResolvedResources, TopicConfig } from "./config";
import { ClientConnection, PlatformContext } from "./context";
import { standardAnnotations, standardLabels } from "./labels";
import { kubeApiEgressRule, namespacePeer, podPeers, tcpPorts } from "./networkRules";
import { installOperator } from "./operatorInstall";
import { mergeResources } from "./resources";
import { containerSecurityContext, podSecurityContext } from "./securityContext";

/** The validated `platform:kafka` settings. */
export type KafkaConfig = PlatformConfig["kafka"];

/** API version of the Strimzi CRs served by the pinned operator (1.x). */
export const STRIMZI_API_VERSION = "kafka.strimzi.io/v1";
/** Plain (in-cluster, no TLS) client listener. */
export const KAFKA_CLIENT_PORT = 9092;
/** Ports the cluster operator uses on the Kafka pods: KRaft control plane, replication (admin client), Kafka agent. */
export const STRIMZI_OPERATOR_PORTS = [9090, 9091, 8443] as const;
/** Label Strimzi puts on every pod of a cluster and that KafkaNodePool/KafkaTopic use to name their cluster. */
export const STRIMZI_CLUSTER_LABEL = "strimzi.io/cluster";

const TOPIC_OPERATOR_RESOURCES: ResolvedResources = {
    requests: { cpu: "50m", memory: "256Mi" },
    limits: { cpu: "500m", memory: "512Mi" },
};
const OPERATOR_RESOURCES: ResolvedResources = {
    requests: { cpu: "200m", memory: "384Mi" },
    limits: { cpu: "1", memory: "384Mi" },
};

/** Arguments of the Kafka component. */
export interface KafkaArgs {
    /** Platform namespace, stack-wide label values and ownership annotations. */
    context: PlatformContext;
    /** The validated `platform:kafka` settings (cluster name, version, replicas, storage, topics, operator chart…). */
    config: KafkaConfig;
    /** Pod labels of the services that may connect on 9092; one matchLabels selector per client. */
    clientSelectors?: Record<string, string>[];
}

/** A CR as this component registers it (apiVersion/kind/metadata/spec). */
export interface StrimziResource {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: pulumi.Input<string>; labels: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
}

/** Values for the Strimzi operator chart: watch the platform namespace, restricted security for it and its operands. */
export function strimziOperatorValues(input: { labels: Record<string, string>; watchNamespace: pulumi.Input<string> }): Record<string, unknown> {
    return {
        watchNamespaces: [input.watchNamespace],
        watchAnyNamespace: false,
        deploymentLabels: { ...input.labels },
        labels: { ...input.labels },
        podSecurityContext: podSecurityContext(),
        securityContext: containerSecurityContext(),
        resources: OPERATOR_RESOURCES,
        // Operands (brokers, controllers, entity operator) get restricted-PSS security contexts from the operator.
        extraEnvs: [{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }],
    };
}

/** Replication settings that fit the broker count (3 at most; min ISR one below, never below 1). */
export function replicationSettings(brokers: number): { replicationFactor: number; minInsyncReplicas: number } {
    const replicationFactor = Math.max(1, Math.min(3, brokers));
    return { replicationFactor, minInsyncReplicas: Math.max(1, replicationFactor - 1) };
}

/** What the Kafka CRs are built from. */
export interface KafkaSpecInput {
    /** The validated `platform:kafka` settings. */
    config: KafkaConfig;
    /** Platform namespace. */
    namespace: pulumi.Input<string>;
    /** Standard labels. */
    labels: Record<string, string>;
    /** Standard annotations. */
    annotations: Record<string, string>;
    /** Client pod selectors (also handed to Strimzi as listener networkPolicyPeers). */
    clientSelectors: readonly Record<string, string>[];
}

/** The KRaft `Kafka` CR: one plain internal listener, node pools, topic operator, restricted security contexts. */
export function kafkaClusterResource(input: KafkaSpecInput): StrimziResource {
    const cfg = input.config;
    const { replicationFactor, minInsyncReplicas } = replicationSettings(cfg.replicas);
    // Strimzi writes persistent volumes as group 0 (its baseline provider sets fsGroup 0 for them); keep that when
    // overriding the pod security context. fsGroup is not restricted by the restricted Pod Security Standard.
    const brokerPod = {
        metadata: { labels: { ...input.labels } },
        securityContext: podSecurityContext(cfg.storage.type === "persistent-claim" ? { fsGroup: 0 } : {}),
    };
    const entityOperatorPod = { metadata: { labels: { ...input.labels } }, securityContext: podSecurityContext() };
    const container = { securityContext: containerSecurityContext() };
    return {
        apiVersion: STRIMZI_API_VERSION,
        kind: "Kafka",
        metadata: {
            name: cfg.clusterName,
            namespace: input.namespace,
            labels: { ...input.labels },
            annotations: {
                ...input.annotations,
                // Required by Strimzi 0.4x for KRaft with node pools; 1.x is KRaft/node-pool only and ignores them.
                "strimzi.io/kraft": "enabled",
                "strimzi.io/node-pools": "enabled",
            },
        },
        spec: {
            kafka: {
                version: cfg.version,
                listeners: [{
                    name: "plain",
                    port: KAFKA_CLIENT_PORT,
                    type: "internal",
                    tls: false,
                    // Strimzi also generates a NetworkPolicy per listener; an empty peer list there means "anyone",
                    // so name the clients and the cluster's own pods.
                    networkPolicyPeers: [...podPeers(input.clientSelectors), { podSelector: { matchLabels: { [STRIMZI_CLUSTER_LABEL]: cfg.clusterName } } }],
                }],
                config: {
                    "offsets.topic.replication.factor": replicationFactor,
                    "transaction.state.log.replication.factor": replicationFactor,
                    "transaction.state.log.min.isr": minInsyncReplicas,
                    "default.replication.factor": replicationFactor,
                    "min.insync.replicas": minInsyncReplicas,
                    // Topics are declared (KafkaTopic), never created by a typo in a client.
                    "auto.create.topics.enable": false,
                },
                template: { pod: brokerPod, kafkaContainer: container, initContainer: container },
            },
            entityOperator: {
                topicOperator: { resources: TOPIC_OPERATOR_RESOURCES },
                template: { pod: entityOperatorPod, topicOperatorContainer: container },
            },
        },
    };
}

/** Storage of the node pool: ephemeral (emptyDir) or one persistent-claim volume. */
export function nodePoolStorage(storage: KafkaConfig["storage"]): Record<string, unknown> {
    if (storage.type === "ephemeral") return { type: "ephemeral" };
    return { type: "persistent-claim", size: storage.size, deleteClaim: storage.deleteClaim };
}

/** The single `KafkaNodePool`: every node is both KRaft controller and broker. */
export function kafkaNodePoolResource(input: KafkaSpecInput): StrimziResource {
    const cfg = input.config;
    return {
        apiVersion: STRIMZI_API_VERSION,
        kind: "KafkaNodePool",
        metadata: {
            name: `${cfg.clusterName}-dual-role`,
            namespace: input.namespace,
            labels: { ...input.labels, [STRIMZI_CLUSTER_LABEL]: cfg.clusterName },
            annotations: { ...input.annotations },
        },
        spec: {
            replicas: cfg.replicas,
            roles: ["controller", "broker"],
            storage: nodePoolStorage(cfg.storage),
            resources: mergeResources(DEFAULTS.kafka.resources, cfg.resources),
        },
    };
}

/** One `KafkaTopic` (managed by the topic operator of the cluster named in `strimzi.io/cluster`). */
export function kafkaTopicResource(input: { clusterName: string; namespace: pulumi.Input<string>; labels: Record<string, string>; annotations: Record<string, string>; topic: TopicConfig }): StrimziResource {
    const t = input.topic;
    return {
        apiVersion: STRIMZI_API_VERSION,
        kind: "KafkaTopic",
        metadata: {
            // Topic names (app.domain.event-type.version) are valid DNS subdomains, so the CR carries the topic's name.
            name: t.name,
            namespace: input.namespace,
            labels: { ...input.labels, [STRIMZI_CLUSTER_LABEL]: input.clusterName },
            annotations: { ...input.annotations },
        },
        spec: {
            topicName: t.name,
            partitions: t.partitions,
            replicas: t.replicas,
            config: { "retention.ms": t.retentionHours * 3_600_000 },
        },
    };
}

/** Labels of the broker pods of a cluster (what Strimzi puts on them). */
export function kafkaBrokerLabels(clusterName: string): Record<string, string> {
    return { [STRIMZI_CLUSTER_LABEL]: clusterName, "strimzi.io/broker-role": "true" };
}

/**
 * NetworkPolicy spec for every pod of the cluster (brokers/controllers and the entity operator all carry
 * `strimzi.io/cluster`). DNS egress comes from the namespace baseline.
 */
export function kafkaNetworkPolicySpec(p: { clusterName: string; operatorNamespace: string; clientSelectors: readonly Record<string, string>[] }): k8s.types.input.networking.v1.NetworkPolicySpec {
    const self = { podSelector: { matchLabels: { [STRIMZI_CLUSTER_LABEL]: p.clusterName } } };
    const clients = podPeers(p.clientSelectors);
    const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
    // A rule with an empty `from` would admit everyone; only add the client rule when there are clients.
    if (clients.length > 0) ingress.push({ from: clients, ports: tcpPorts([KAFKA_CLIENT_PORT]) });
    ingress.push({ from: [namespacePeer(p.operatorNamespace)], ports: tcpPorts(STRIMZI_OPERATOR_PORTS) });
    // Controller quorum, replication, topic operator → brokers: every port between the cluster's own pods.
    ingress.push({ from: [self] });
    return {
        podSelector: { matchLabels: { [STRIMZI_CLUSTER_LABEL]: p.clusterName } },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        egress: [
            { to: [self] },
            // The topic operator watches KafkaTopic CRs; brokers read their config through the API server.
            kubeApiEgressRule(),
        ],
    };
}

/** Connection settings for client services. */
export function kafkaClientConnection(bootstrapServers: pulumi.Input<string>, clusterName: string): ClientConnection {
    return {
        env: { KAFKA_BOOTSTRAP_SERVERS: bootstrapServers },
        secretEnv: {},
        peer: { podLabels: kafkaBrokerLabels(clusterName), ports: [KAFKA_CLIENT_PORT] },
    };
}

/** `<cluster>-kafka-bootstrap.<ns>.svc:9092`. */
export function bootstrapAddress(clusterName: string, namespace: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`${clusterName}-kafka-bootstrap.${namespace}.svc:${KAFKA_CLIENT_PORT}`;
}

/** Kafka on Strimzi (KRaft): optional operator chart in its own namespace, the cluster CRs, topics and a NetworkPolicy. */
export class Kafka extends pulumi.ComponentResource {
    /** Namespace created for the operator (only when installOperator). */
    public readonly operatorNamespace?: k8s.core.v1.Namespace;
    /** The Strimzi operator chart (only when installOperator). */
    public readonly operator?: k8s.helm.v4.Chart;
    /** The `Kafka` CR. */
    public readonly cluster: k8s.apiextensions.CustomResource;
    /** The `KafkaNodePool` CR (controller+broker). */
    public readonly nodePool: k8s.apiextensions.CustomResource;
    /** One `KafkaTopic` per configured topic, by topic name. */
    public readonly topics: Record<string, k8s.apiextensions.CustomResource>;
    /** Ingress/egress rules of the cluster's pods. */
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
    /** Name of the `Kafka` CR. */
    public readonly clusterName: string;
    /** `<cluster>-kafka-bootstrap.<ns>.svc:9092`. */
    public readonly bootstrapServers: pulumi.Output<string>;

    constructor(name: string, args: KafkaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Kafka", name, {}, opts);
        const cfg = args.config;
        const ctx = args.context;
        this.clusterName = cfg.clusterName;
        this.bootstrapServers = bootstrapAddress(cfg.clusterName, ctx.namespace);
        const clientSelectors = args.clientSelectors ?? [];

        const labels = standardLabels(ctx.labels, { name: cfg.clusterName, component: "messaging", version: cfg.version });
        const annotations = standardAnnotations(ctx.ownership, "Apache Kafka (KRaft) managed by Strimzi");

        if (cfg.installOperator) {
            const opLabels = standardLabels(ctx.labels, { name: "strimzi-operator", component: "operator", version: chartVersionLabel(cfg.operatorChart) });
            const op = installOperator(name, {
                namespace: cfg.operatorNamespace, labels: opLabels, annotations: standardAnnotations(ctx.ownership, "Strimzi cluster operator"),
                chart: cfg.operatorChart, releaseName: "strimzi", values: strimziOperatorValues({ labels: opLabels, watchNamespace: ctx.namespace }),
            }, this);
            this.operatorNamespace = op.namespace;
            this.operator = op.chart;
        }
        // The CRDs come with the operator chart; every CR waits for it.
        const crOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn: this.operator ? [this.operator] : [] };
        const specInput: KafkaSpecInput = { config: cfg, namespace: ctx.namespace, labels, annotations, clientSelectors };

        this.nodePool = new k8s.apiextensions.CustomResource(`${name}-nodepool`, kafkaNodePoolResource(specInput), crOpts);
        this.cluster = new k8s.apiextensions.CustomResource(`${name}-cluster`, kafkaClusterResource(specInput), crOpts);
        this.topics = {};
        for (const topic of cfg.topics) {
            this.topics[topic.name] = new k8s.apiextensions.CustomResource(`${name}-topic-${topic.name}`,
                kafkaTopicResource({ clusterName: cfg.clusterName, namespace: ctx.namespace, labels, annotations, topic }),
                { ...crOpts, dependsOn: [...(this.operator ? [this.operator] : []), this.cluster] });
        }

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, {
            metadata: { name: `${cfg.clusterName}-kafka`, namespace: ctx.namespace, labels, annotations },
            spec: kafkaNetworkPolicySpec({ clusterName: cfg.clusterName, operatorNamespace: cfg.operatorNamespace, clientSelectors }),
        }, { parent: this });

        this.registerOutputs({ bootstrapServers: this.bootstrapServers, clusterName: this.clusterName });
    }

    /** Env for client services (KAFKA_BOOTSTRAP_SERVERS) and the broker peer on 9092. */
    clientConnection(): ClientConnection {
        return kafkaClientConnection(this.bootstrapServers, this.clusterName);
    }
}
