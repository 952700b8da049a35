// The NetworkPolicy of every pod of the Kafka cluster: clients on the listener port, the cluster operator on its
// ports, Prometheus on the metrics port, everything between the cluster's own pods, and the API server.
import * as k8s from "@pulumi/kubernetes";
import { ApiServerEndpoint, kubeApiEgressRule, namespacePeer, podPeers, tcpPorts } from "../k8s";
import { STRIMZI_CLUSTER_LABEL } from "./kafkaCluster";
import { KAFKA_METRICS_PORT } from "./kafkaMonitoring";

/** Ports the cluster operator uses on the Kafka pods: KRaft control plane, replication (admin client), Kafka agent. */
export const STRIMZI_OPERATOR_PORTS = [9090, 9091, 8443] as const;

/**
 * NetworkPolicy spec for every pod of the cluster (brokers/controllers and the entity operator all carry
 * `strimzi.io/cluster`). DNS egress comes from the namespace baseline.
 */
export function kafkaNetworkPolicySpec(p: {
    clusterName: string;
    operatorNamespace: string;
    clientSelectors: readonly Record<string, string>[];
    clientPort: number;
    apiServer: ApiServerEndpoint;
    monitoringNamespace?: string;
}): k8s.types.input.networking.v1.NetworkPolicySpec {
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
