// Kafka and Strimzi metrics for the Prometheus Operator: the Strimzi Metrics Reporter on the brokers (no ConfigMap
// of JMX rules to keep), and PodMonitors for the brokers and the cluster operator (its chart ships none).
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { MonitoringSettings } from "../k8s";

/** Port of the Strimzi Metrics Reporter on every Kafka node (container port `tcp-prometheus`). */
export const KAFKA_METRICS_PORT = 9404;
/** HTTP port (`http`) of the Strimzi cluster operator, which serves /metrics. */
export const STRIMZI_OPERATOR_METRICS_PORT_NAME = "http";

/** `spec.kafka.metricsConfig`: broker, controller, network, log and cluster metrics in Prometheus format. */
export function kafkaMetricsConfig(): Record<string, unknown> {
    return {
        type: "strimziMetricsReporter",
        values: { allowList: ["kafka_server_.*", "kafka_controller_.*", "kafka_network_.*", "kafka_log_.*", "kafka_cluster_.*"] },
    };
}

/** A monitoring.coreos.com/v1 PodMonitor scraping one named port of the selected pods in their own namespace. */
export function podMonitorResource(input: {
    name: string;
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    selector: Record<string, string>;
    port: string;
    monitoring: MonitoringSettings;
}): { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> } {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels }, annotations: { ...input.annotations } },
        spec: {
            selector: { matchLabels: { ...input.selector } },
            podMetricsEndpoints: [{ port: input.port, path: "/metrics", interval: input.monitoring.scrapeInterval }],
        },
    };
}

/** Registers the PodMonitors of the brokers (platform namespace) and, when this stack installs it, the cluster operator. */
export function registerKafkaPodMonitors(
    name: string,
    parent: pulumi.Resource,
    input: {
        clusterName: string;
        namespace: pulumi.Input<string>;
        operatorNamespace?: pulumi.Input<string>;
        labels: Record<string, string>;
        operatorLabels: Record<string, string>;
        annotations: Record<string, string>;
        monitoring: MonitoringSettings;
    },
): k8s.apiextensions.CustomResource[] {
    const out = [
        new k8s.apiextensions.CustomResource(
            `${name}-podmonitor`,
            podMonitorResource({
                name: `${input.clusterName}-kafka`,
                namespace: input.namespace,
                labels: input.labels,
                annotations: input.annotations,
                monitoring: input.monitoring,
                selector: { "strimzi.io/cluster": input.clusterName, "strimzi.io/kind": "Kafka" },
                port: "tcp-prometheus",
            }),
            { parent },
        ),
    ];
    if (input.operatorNamespace !== undefined) {
        out.push(
            new k8s.apiextensions.CustomResource(
                `${name}-operator-podmonitor`,
                podMonitorResource({
                    name: "strimzi-cluster-operator",
                    namespace: input.operatorNamespace,
                    labels: input.operatorLabels,
                    annotations: input.annotations,
                    monitoring: input.monitoring,
                    selector: { "strimzi.io/kind": "cluster-operator" },
                    port: STRIMZI_OPERATOR_METRICS_PORT_NAME,
                }),
                { parent },
            ),
        );
    }
    return out;
}
