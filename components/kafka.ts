// Kafka through Strimzi: the operator chart (optional per stack, own namespace) plus KRaft `Kafka`, one
// `KafkaNodePool` (controller+broker), a `KafkaTopic` per configured topic and a `KafkaUser` per client service.
// Clients authenticate with SCRAM-SHA-512 over TLS; the simple authorizer allows only the ACLs derived from config.
// API: Strimzi 1.x serves only kafka.strimzi.io/v1 (v1beta2 was removed from the CRDs in 1.0.0), so the CRs use v1.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartVersionLabel } from "./charts";
import type { KafkaCredentialsRef } from "./appSecrets";
import { DEFAULTS, parseQuantity } from "./config";
import type { PlatformConfig, ResolvedResources, TopicConfig } from "./config";
import { chartChildrenTransform } from "./chartChildren";
import { ClientConnection, MonitoringSettings, PlatformContext, SecretRef } from "./context";
import { KAFKA_METRICS_PORT, kafkaMetricsConfig, registerKafkaPodMonitors } from "./kafkaMonitoring";
import { standardAnnotations, standardLabels } from "./labels";
import { ApiServerEndpoint, kubeApiEgressRule, namespacePeer, podPeers, tcpPorts } from "./networkRules";
import { installOperator } from "./operatorInstall";
import { kubeResources, mergeResources } from "./resources";
import { containerSecurityContext, podSecurityContext } from "./securityContext";

/** The validated `platform:kafka` settings. */
export type KafkaConfig = PlatformConfig["kafka"];

/** API version of the Strimzi CRs served by the pinned operator (1.x). */
export const STRIMZI_API_VERSION = "kafka.strimzi.io/v1";
/** Client listener port with TLS (SASL_SSL). */
export const KAFKA_TLS_PORT = 9093;
/** Client listener port without TLS (SASL_PLAINTEXT; only where `platform:kafka.tls` is false, never in production). */
export const KAFKA_PLAIN_PORT = 9092;
/** SASL mechanism of every client login. */
export const KAFKA_SASL_MECHANISM = "SCRAM-SHA-512";
/** Prefix of the Secrets the User Operator writes for each KafkaUser (a copy of the password we supplied). */
export const KAFKA_USER_SECRET_PREFIX = "kafka-user-";
/** Ports the cluster operator uses on the Kafka pods: KRaft control plane, replication (admin client), Kafka agent. */
export const STRIMZI_OPERATOR_PORTS = [9090, 9091, 8443] as const;
/** Label Strimzi puts on every pod of a cluster and that KafkaNodePool/KafkaTopic use to name their cluster. */
export const STRIMZI_CLUSTER_LABEL = "strimzi.io/cluster";

const TOPIC_OPERATOR_RESOURCES: ResolvedResources = {
    requests: { cpu: "50m", memory: "256Mi", ephemeralStorage: "64Mi" },
    limits: { cpu: "500m", memory: "512Mi", ephemeralStorage: "256Mi" },
};
const USER_OPERATOR_RESOURCES = TOPIC_OPERATOR_RESOURCES;
const OPERATOR_RESOURCES: ResolvedResources = {
    requests: { cpu: "200m", memory: "384Mi", ephemeralStorage: "64Mi" },
    limits: { cpu: "1", memory: "384Mi", ephemeralStorage: "256Mi" },
};

/** Arguments of the Kafka component. */
export interface KafkaArgs {
    /** Platform namespace, stack-wide label values and ownership annotations. */
    context: PlatformContext;
    /** The validated `platform:kafka` settings (cluster name, version, replicas, storage, topics, operator chart…). */
    config: KafkaConfig;
    /** Pod labels of the services that may connect to the client listener; one matchLabels selector per client. */
    clientSelectors?: Record<string, string>[];
    /** One login per client service: its KafkaUser takes the password from the service's credentials Secret. */
    users: KafkaClientUser[];
    /** Where the entity operator reaches the Kubernetes API (`platform:network.apiServer`). */
    apiServer: ApiServerEndpoint;
    /** Broker metrics, PodMonitors for brokers and operator, and scraping admitted on the metrics port; off when absent. */
    monitoring?: MonitoringSettings;
}

/** A service's Kafka login: the KafkaUser name and where its password lives. */
export interface KafkaClientUser {
    /** The service (also the KafkaUser name, the SCRAM user name and its consumer group). */
    service: string;
    /** Its credentials, by reference. */
    credentials: KafkaCredentialsRef;
}

/** One ACL rule of a KafkaUser (kafka.strimzi.io/v1 `spec.authorization.acls[]`). */
export interface KafkaAcl {
    resource: { type: "topic" | "group"; name: string; patternType: "literal" };
    operations: ("Read" | "Write" | "Describe")[];
}

/** Client port of the listener: 9093 with TLS, 9092 without. */
export function kafkaClientPort(cfg: Pick<KafkaConfig, "tls">): number {
    return cfg.tls ? KAFKA_TLS_PORT : KAFKA_PLAIN_PORT;
}

/**
 * The ACLs of one service, from the topics' `producers`/`consumers`: Write+Describe on each topic it produces,
 * Read+Describe on each topic it consumes and Read on its own consumer group (named after the service). Nothing on
 * a topic that does not list it.
 */
export function kafkaAcls(service: string, topics: readonly TopicConfig[]): KafkaAcl[] {
    const acls: KafkaAcl[] = [];
    for (const t of topics) {
        const ops = new Set<KafkaAcl["operations"][number]>();
        if (t.producers.includes(service)) { ops.add("Write"); ops.add("Describe"); }
        if (t.consumers.includes(service)) { ops.add("Read"); ops.add("Describe"); }
        if (ops.size > 0) acls.push({ resource: { type: "topic", name: t.name, patternType: "literal" }, operations: (["Read", "Write", "Describe"] as const).filter((o) => ops.has(o)) });
    }
    if (topics.some((t) => t.consumers.includes(service))) acls.push({ resource: { type: "group", name: service, patternType: "literal" }, operations: ["Read"] });
    return acls;
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
        resources: kubeResources(OPERATOR_RESOURCES),
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
                listeners: [kafkaClientListener(cfg, [...podPeers(input.clientSelectors), { podSelector: { matchLabels: { [STRIMZI_CLUSTER_LABEL]: cfg.clusterName } } }])],
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
export function kafkaNetworkPolicySpec(p: { clusterName: string; operatorNamespace: string; clientSelectors: readonly Record<string, string>[]; clientPort: number; apiServer: ApiServerEndpoint; monitoringNamespace?: string }): k8s.types.input.networking.v1.NetworkPolicySpec {
    const self = { podSelector: { matchLabels: { [STRIMZI_CLUSTER_LABEL]: p.clusterName } } };
    const clients = podPeers(p.clientSelectors);
    const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
    // A rule with an empty `from` would admit everyone; only add the client rule when there are clients.
    if (clients.length > 0) ingress.push({ from: clients, ports: tcpPorts([p.clientPort]) });
    ingress.push({ from: [namespacePeer(p.operatorNamespace)], ports: tcpPorts(STRIMZI_OPERATOR_PORTS) });
    if (p.monitoringNamespace) ingress.push({ from: [namespacePeer(p.monitoringNamespace)], ports: tcpPorts([KAFKA_METRICS_PORT]) });
    // Controller quorum, replication, topic operator → brokers: every port between the cluster's own pods.
    ingress.push({ from: [self] });
    return {
        podSelector: { matchLabels: { [STRIMZI_CLUSTER_LABEL]: p.clusterName } },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        egress: [
            { to: [self] },
            // The topic and user operators watch their CRs; brokers read their config through the API server.
            kubeApiEgressRule(p.apiServer),
        ],
    };
}

/** Secret (written by the cluster operator) with the cluster CA certificate clients verify the brokers with. */
export function clusterCaSecretRef(clusterName: string): SecretRef {
    return { secretName: `${clusterName}-cluster-ca-cert`, key: "ca.crt" };
}

/**
 * Connection settings for one client service, as env named after the Kafka client properties (KAFKA_ + the property
 * in upper snake case): bootstrap address and security settings by value; user name, password, `sasl.jaas.config`
 * and the cluster CA certificate (PEM) by Secret reference. Consumers also get KAFKA_GROUP_ID, the group their ACL names.
 */
export function kafkaClientConnection(input: { bootstrapServers: pulumi.Input<string>; clusterName: string; tls: boolean; credentials: KafkaCredentialsRef; consumerGroup?: string }): ClientConnection {
    const env: Record<string, pulumi.Input<string>> = {
        KAFKA_BOOTSTRAP_SERVERS: input.bootstrapServers,
        KAFKA_SECURITY_PROTOCOL: input.tls ? "SASL_SSL" : "SASL_PLAINTEXT",
        KAFKA_SASL_MECHANISM: KAFKA_SASL_MECHANISM,
    };
    if (input.tls) env.KAFKA_SSL_TRUSTSTORE_TYPE = "PEM";
    if (input.consumerGroup) env.KAFKA_GROUP_ID = input.consumerGroup;
    const secretEnv: Record<string, SecretRef> = {
        KAFKA_SASL_USERNAME: input.credentials.usernameRef,
        KAFKA_SASL_PASSWORD: input.credentials.passwordRef,
        KAFKA_SASL_JAAS_CONFIG: input.credentials.jaasConfigRef,
    };
    if (input.tls) secretEnv.KAFKA_SSL_TRUSTSTORE_CERTIFICATES = clusterCaSecretRef(input.clusterName);
    return { env, secretEnv, peer: { podLabels: kafkaBrokerLabels(input.clusterName), ports: [input.tls ? KAFKA_TLS_PORT : KAFKA_PLAIN_PORT] } };
}

/** `<cluster>-kafka-bootstrap.<ns>.svc:<client port>`. */
export function bootstrapAddress(clusterName: string, namespace: pulumi.Input<string>, port: number): pulumi.Output<string> {
    return pulumi.interpolate`${clusterName}-kafka-bootstrap.${namespace}.svc:${port}`;
}

/** One `KafkaUser`: SCRAM-SHA-512 with the password from the service's credentials Secret, and its ACLs. */
export function kafkaUserResource(input: { clusterName: string; namespace: pulumi.Input<string>; labels: Record<string, string>; annotations: Record<string, string>; user: KafkaClientUser; topics: readonly TopicConfig[] }): StrimziResource {
    const pw = input.user.credentials.passwordRef;
    return {
        apiVersion: STRIMZI_API_VERSION,
        kind: "KafkaUser",
        metadata: {
            name: input.user.credentials.username,
            namespace: input.namespace,
            labels: { ...input.labels, [STRIMZI_CLUSTER_LABEL]: input.clusterName },
            annotations: { ...input.annotations },
        },
        spec: {
            authentication: { type: "scram-sha-512", password: { valueFrom: { secretKeyRef: { name: pw.secretName, key: pw.key } } } },
            // An empty list is explicit: the user may connect but touch nothing.
            authorization: { type: "simple", acls: kafkaAcls(input.user.service, input.topics) },
        },
    };
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
    /** One `KafkaUser` per client service, by service name. */
    public readonly users: Record<string, k8s.apiextensions.CustomResource> = {};
    /** Ingress/egress rules of the cluster's pods. */
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
    /** PodMonitors of the brokers and (when installed here) the cluster operator; empty without monitoring. */
    public readonly podMonitors: k8s.apiextensions.CustomResource[] = [];
    /** Name of the `Kafka` CR. */
    public readonly clusterName: string;
    /** `<cluster>-kafka-bootstrap.<ns>.svc:<client port>`. */
    public readonly bootstrapServers: pulumi.Output<string>;

    private readonly cfg: KafkaConfig;

    constructor(name: string, args: KafkaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Kafka", name, {}, opts);
        const cfg = args.config;
        const ctx = args.context;
        this.cfg = cfg;
        this.clusterName = cfg.clusterName;
        this.bootstrapServers = bootstrapAddress(cfg.clusterName, ctx.namespace, kafkaClientPort(cfg));
        const clientSelectors = args.clientSelectors ?? [];

        const labels = standardLabels(ctx.labels, { name: cfg.clusterName, component: "messaging", version: cfg.version });
        const annotations = standardAnnotations(ctx.ownership, "Apache Kafka (KRaft) managed by Strimzi");

        if (cfg.installOperator) {
            const opLabels = standardLabels(ctx.labels, { name: "strimzi-operator", component: "operator", version: chartVersionLabel(cfg.operatorChart) });
            const op = installOperator(name, {
                namespace: cfg.operatorNamespace, labels: opLabels, annotations: standardAnnotations(ctx.ownership, "Strimzi cluster operator"),
                chart: cfg.operatorChart, releaseName: "strimzi", values: strimziOperatorValues({ labels: opLabels, watchNamespace: ctx.namespace }),
                // Deleting Strimzi's CRDs would delete every Kafka of every stack in the cluster: destroy keeps them.
                transforms: [chartChildrenTransform({ labels: opLabels, retain: (obj) => obj.kind === "CustomResourceDefinition" })],
            }, this);
            this.operatorNamespace = op.namespace;
            this.operator = op.chart;
        }
        // The CRDs come with the operator chart; every CR waits for it.
        const crOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn: this.operator ? [this.operator] : [] };
        const specInput: KafkaSpecInput = { config: cfg, namespace: ctx.namespace, labels, annotations, clientSelectors, monitoring: args.monitoring };

        this.nodePool = new k8s.apiextensions.CustomResource(`${name}-nodepool`, kafkaNodePoolResource(specInput), crOpts);
        this.cluster = new k8s.apiextensions.CustomResource(`${name}-cluster`, kafkaClusterResource(specInput), crOpts);
        this.topics = {};
        for (const topic of cfg.topics) {
            this.topics[topic.name] = new k8s.apiextensions.CustomResource(`${name}-topic-${topic.name}`,
                kafkaTopicResource({ clusterName: cfg.clusterName, namespace: ctx.namespace, labels, annotations, topic }),
                { ...crOpts, dependsOn: [...(this.operator ? [this.operator] : []), this.cluster] });
        }
        for (const user of args.users) {
            this.users[user.service] = new k8s.apiextensions.CustomResource(`${name}-user-${user.service}`,
                kafkaUserResource({ clusterName: cfg.clusterName, namespace: ctx.namespace, labels, annotations, user, topics: cfg.topics }),
                { ...crOpts, dependsOn: [...(this.operator ? [this.operator] : []), this.cluster] });
        }

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, {
            metadata: { name: `${cfg.clusterName}-kafka`, namespace: ctx.namespace, labels, annotations },
            spec: kafkaNetworkPolicySpec({ clusterName: cfg.clusterName, operatorNamespace: cfg.operatorNamespace, clientSelectors, clientPort: kafkaClientPort(cfg), apiServer: args.apiServer, monitoringNamespace: args.monitoring?.namespace }),
        }, { parent: this });

        if (args.monitoring) {
            this.podMonitors = registerKafkaPodMonitors(name, this, {
                clusterName: cfg.clusterName, namespace: ctx.namespace, operatorNamespace: this.operatorNamespace?.metadata.name, labels, annotations, monitoring: args.monitoring,
                operatorLabels: standardLabels(ctx.labels, { name: "strimzi-operator", component: "operator", version: chartVersionLabel(cfg.operatorChart) }),
            });
        }

        this.registerOutputs({ bootstrapServers: this.bootstrapServers, clusterName: this.clusterName });
    }

    /** Env of one client service (bootstrap, security settings, its login by reference) and the broker peer. */
    clientConnection(service: string, credentials: KafkaCredentialsRef): ClientConnection {
        const consumes = this.cfg.topics.some((t) => t.consumers.includes(service));
        return kafkaClientConnection({ bootstrapServers: this.bootstrapServers, clusterName: this.clusterName, tls: this.cfg.tls, credentials, consumerGroup: consumes ? service : undefined });
    }
}
