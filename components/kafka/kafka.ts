// Kafka through Strimzi: the operator chart (optional per stack, own namespace) plus KRaft `Kafka`, one
// `KafkaNodePool` (controller+broker), a `KafkaTopic` per configured topic and a `KafkaUser` per client service.
// Clients authenticate with SCRAM-SHA-512 over TLS; the simple authorizer allows only the ACLs derived from config.
// The CRs are built by kafkaCluster.ts, kafkaTopics.ts, kafkaUsers.ts; the rest by kafkaNetworkPolicy.ts, kafkaClient.ts.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { installStoreOperator, operatorLabels } from "../charts";
import { ApiServerEndpoint, ClientConnection, MonitoringSettings, standardAnnotations, standardLabels } from "../k8s";
import type { KafkaCredentialsRef } from "../secrets";
import { StoreComponent, StoreComponentArgs } from "../stores";
import { bootstrapAddress, kafkaClientConnection } from "./kafkaClient";
import { KafkaConfig, kafkaClientPort, kafkaClusterResource, kafkaNodePoolResource, KafkaSpecInput } from "./kafkaCluster";
import { registerKafkaPodMonitors } from "./kafkaMonitoring";
import { kafkaNetworkPolicySpec } from "./kafkaNetworkPolicy";
import { kafkaTopicResource } from "./kafkaTopics";
import { KafkaClientUser, kafkaUserResource } from "./kafkaUsers";
import { STRIMZI_OPERATOR_NAME, strimziOperatorValues } from "./strimziOperator";

/** Arguments of the Kafka component. */
export interface KafkaArgs extends StoreComponentArgs<KafkaConfig> {
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

/** Kafka on Strimzi (KRaft): optional operator chart in its own namespace, the cluster CRs, topics and a NetworkPolicy. */
export class Kafka extends StoreComponent<KafkaConfig> {
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

    constructor(name: string, args: KafkaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Kafka", name, args, opts);
        const { cfg, ctx } = this;
        this.clusterName = cfg.clusterName;
        this.bootstrapServers = bootstrapAddress(cfg.clusterName, ctx.namespace, kafkaClientPort(cfg));
        const clientSelectors = args.clientSelectors ?? [];

        const labels = standardLabels(ctx.labels, { name: cfg.clusterName, component: "messaging", version: cfg.version });
        const annotations = standardAnnotations(ctx.ownership, "Apache Kafka (KRaft) managed by Strimzi");

        if (cfg.installOperator) {
            const op = installStoreOperator(
                name,
                ctx,
                {
                    name: STRIMZI_OPERATOR_NAME,
                    description: "Strimzi cluster operator",
                    namespace: cfg.operatorNamespace,
                    chart: cfg.operatorChart,
                    releaseName: "strimzi",
                    values: (opLabels) => strimziOperatorValues({ labels: opLabels, watchNamespace: ctx.namespace }),
                    // Deleting Strimzi's CRDs would delete every Kafka of every stack in the cluster: destroy keeps them.
                    retainKinds: ["CustomResourceDefinition"],
                },
                this,
            );
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
            this.topics[topic.name] = new k8s.apiextensions.CustomResource(
                `${name}-topic-${topic.name}`,
                kafkaTopicResource({ clusterName: cfg.clusterName, namespace: ctx.namespace, labels, annotations, topic }),
                { ...crOpts, dependsOn: [...(this.operator ? [this.operator] : []), this.cluster] },
            );
        }
        for (const user of args.users) {
            this.users[user.service] = new k8s.apiextensions.CustomResource(
                `${name}-user-${user.service}`,
                kafkaUserResource({ clusterName: cfg.clusterName, namespace: ctx.namespace, labels, annotations, user, topics: cfg.topics }),
                { ...crOpts, dependsOn: [...(this.operator ? [this.operator] : []), this.cluster] },
            );
        }

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
            `${name}-netpol`,
            {
                metadata: { name: `${cfg.clusterName}-kafka`, namespace: ctx.namespace, labels, annotations },
                spec: kafkaNetworkPolicySpec({
                    clusterName: cfg.clusterName,
                    operatorNamespace: cfg.operatorNamespace,
                    clientSelectors,
                    clientPort: kafkaClientPort(cfg),
                    apiServer: args.apiServer,
                    monitoringNamespace: args.monitoring?.namespace,
                }),
            },
            { parent: this },
        );

        if (args.monitoring) {
            this.podMonitors = registerKafkaPodMonitors(name, this, {
                clusterName: cfg.clusterName,
                namespace: ctx.namespace,
                operatorNamespace: this.operatorNamespace?.metadata.name,
                labels,
                annotations,
                monitoring: args.monitoring,
                operatorLabels: operatorLabels(ctx, STRIMZI_OPERATOR_NAME, cfg.operatorChart),
            });
        }

        this.registerOutputs({ bootstrapServers: this.bootstrapServers, clusterName: this.clusterName });
    }

    /** Env of one client service (bootstrap, security settings, its login by reference) and the broker peer. */
    clientConnection(service: string, credentials: KafkaCredentialsRef): ClientConnection {
        const consumes = this.cfg.topics.some((t) => t.consumers.includes(service));
        return kafkaClientConnection({
            bootstrapServers: this.bootstrapServers,
            clusterName: this.clusterName,
            tls: this.cfg.tls,
            credentials,
            consumerGroup: consumes ? service : undefined,
        });
    }
}
