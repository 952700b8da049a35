// The Strimzi CRs of the Kafka cluster itself: the KRaft `Kafka` (listener, authorization, replication, entity
// operator) and its one `KafkaNodePool`. API: Strimzi 1.x serves only kafka.strimzi.io/v1 (v1beta2 was removed from the
// CRDs in 1.0.0), so the CRs use v1.
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, ResolvedResources } from "../config";
import { DEFAULTS, parseQuantity } from "../config";
import { containerSecurityContext, kubeResources, mergeResources, MonitoringSettings, podPeers, podSecurityContext } from "../k8s";
import { kafkaMetricsConfig } from "./kafkaMonitoring";

/** The validated `platform:kafka` settings. */
export type KafkaConfig = PlatformConfig["kafka"];

/** API version of the Strimzi CRs served by the pinned operator (1.x). */
export const STRIMZI_API_VERSION = "kafka.strimzi.io/v1";
/** Client listener port with TLS (SASL_SSL). */
export const KAFKA_TLS_PORT = 9093;
/** Client listener port without TLS (SASL_PLAINTEXT; only where `platform:kafka.tls` is false, never in production). */
export const KAFKA_PLAIN_PORT = 9092;
/** Prefix of the Secrets the User Operator writes for each KafkaUser (a copy of the password we supplied). */
export const KAFKA_USER_SECRET_PREFIX = "kafka-user-";
/** Label Strimzi puts on every pod of a cluster and that KafkaNodePool/KafkaTopic use to name their cluster. */
export const STRIMZI_CLUSTER_LABEL = "strimzi.io/cluster";

const TOPIC_OPERATOR_RESOURCES: ResolvedResources = {
    requests: { cpu: "50m", memory: "256Mi", ephemeralStorage: "64Mi" },
    limits: { cpu: "500m", memory: "512Mi", ephemeralStorage: "256Mi" },
};
const USER_OPERATOR_RESOURCES = TOPIC_OPERATOR_RESOURCES;

/** Client port of the listener: 9093 with TLS, 9092 without. */
export function kafkaClientPort(cfg: Pick<KafkaConfig, "tls">): number {
    return cfg.tls ? KAFKA_TLS_PORT : KAFKA_PLAIN_PORT;
}

/** A CR as this component registers it (apiVersion/kind/metadata/spec). */
export interface StrimziResource {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: pulumi.Input<string>; labels: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
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
    /** Broker metrics (Strimzi Metrics Reporter) when set. */
    monitoring?: MonitoringSettings;
}

/** The client listener: internal, SCRAM-SHA-512, TLS unless the stack turned it off. */
export function kafkaClientListener(cfg: KafkaConfig, networkPolicyPeers: unknown[]): Record<string, unknown> {
    return {
        name: cfg.tls ? "tls" : "plain",
        port: kafkaClientPort(cfg),
        type: "internal",
        tls: cfg.tls,
        authentication: { type: "scram-sha-512" },
        networkPolicyPeers,
    };
}

/** The KRaft `Kafka` CR: one authenticated internal listener, simple authorization, node pools, topic and user operators. */
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
                // Strimzi also generates a NetworkPolicy per listener; an empty peer list there means "anyone",
                // so name the clients and the cluster's own pods.
                listeners: [
                    kafkaClientListener(cfg, [
                        ...podPeers(input.clientSelectors),
                        { podSelector: { matchLabels: { [STRIMZI_CLUSTER_LABEL]: cfg.clusterName } } },
                    ]),
                ],
                // Without an ACL nothing is allowed (allow.everyone.if.no.acl.found stays false); Strimzi's own
                // components are super users through their TLS identities.
                authorization: { type: "simple" },
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
                ...(input.monitoring ? { metricsConfig: kafkaMetricsConfig() } : {}),
            },
            entityOperator: {
                topicOperator: { resources: kubeResources(TOPIC_OPERATOR_RESOURCES) },
                userOperator: { resources: kubeResources(USER_OPERATOR_RESOURCES), secretPrefix: KAFKA_USER_SECRET_PREFIX },
                template: { pod: entityOperatorPod, topicOperatorContainer: container, userOperatorContainer: container },
            },
        },
    };
}

/**
 * Requests/limits of each broker. With ephemeral storage the log directory is an emptyDir inside the pod's ephemeral
 * storage, so its size is added to the configured ephemeral-storage limit (else the kubelet evicts a full broker).
 */
export function brokerResources(cfg: Pick<KafkaConfig, "resources" | "storage">): ResolvedResources {
    const r = mergeResources(DEFAULTS.kafka.resources, cfg.resources);
    if (cfg.storage.type !== "ephemeral") return r;
    const bytes = (parseQuantity(r.limits.ephemeralStorage) ?? 0) + (parseQuantity(cfg.storage.size) ?? 0);
    return { ...r, limits: { ...r.limits, ephemeralStorage: `${Math.ceil(bytes / 2 ** 20)}Mi` } };
}

/** Storage of the node pool: ephemeral (emptyDir) or one persistent-claim volume. */
export function nodePoolStorage(storage: KafkaConfig["storage"]): Record<string, unknown> {
    // An ephemeral log directory is an emptyDir: bound it by the configured size.
    if (storage.type === "ephemeral") return { type: "ephemeral", sizeLimit: storage.size };
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
            resources: kubeResources(brokerResources(cfg)),
        },
    };
}

/** Labels of the broker pods of a cluster (what Strimzi puts on them). */
export function kafkaBrokerLabels(clusterName: string): Record<string, string> {
    return { [STRIMZI_CLUSTER_LABEL]: clusterName, "strimzi.io/broker-role": "true" };
}
