// The NetworkPolicy of the PostgreSQL instance pods: clients and the operator in, replication between instances,
// the API server and (with backups) the object store out.
import * as k8s from "@pulumi/kubernetes";
import { ApiServerEndpoint, cidrEgressRule, kubeApiEgressRule, namespacePeer, podPeers, tcpPorts } from "../k8s";
import { CNPG_INSTANCE_MANAGER_PORT, CNPG_METRICS_PORT, POSTGRES_PORT } from "./postgresCluster";

/** What the Postgres NetworkPolicy is built from. */
export interface PostgresPolicyInput {
    /** Cluster name (`cnpg.io/cluster`). */
    clusterName: string;
    /** Namespace of the CNPG operator. */
    operatorNamespace: string;
    /** Client pod selectors. */
    clientSelectors: readonly Record<string, string>[];
    /** Where the instance managers reach the Kubernetes API. */
    apiServer: ApiServerEndpoint;
    /** The backup object store (`platform:postgres.backups.egressCidrs` and the endpoint's port), when backups are on. */
    backup?: { cidrs: readonly string[]; port: number };
    /** Namespace of Prometheus, admitted to the metrics port only; no scraping rule when absent. */
    monitoringNamespace?: string;
}

/**
 * NetworkPolicy spec for the cluster's pods (instances and the operator's bootstrap/join jobs, which carry the same
 * `cnpg.io/cluster` label). DNS egress comes from the namespace baseline.
 */
export function postgresNetworkPolicySpec(p: PostgresPolicyInput): k8s.types.input.networking.v1.NetworkPolicySpec {
    const self = { podSelector: { matchLabels: { "cnpg.io/cluster": p.clusterName } } };
    const clients = podPeers(p.clientSelectors);
    const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
    // A rule with an empty `from` would admit everyone; only add the client rule when there are clients.
    if (clients.length > 0) ingress.push({ from: clients, ports: tcpPorts([POSTGRES_PORT]) });
    // The operator polls the instance manager (8000) and connects to PostgreSQL (5432).
    ingress.push({ from: [namespacePeer(p.operatorNamespace)], ports: tcpPorts([CNPG_INSTANCE_MANAGER_PORT, POSTGRES_PORT]) });
    if (p.monitoringNamespace) ingress.push({ from: [namespacePeer(p.monitoringNamespace)], ports: tcpPorts([CNPG_METRICS_PORT]) });
    // Streaming replication and instance-manager calls between the instances.
    ingress.push({ from: [self], ports: tcpPorts([POSTGRES_PORT, CNPG_INSTANCE_MANAGER_PORT]) });
    const egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [
        { to: [self], ports: tcpPorts([POSTGRES_PORT, CNPG_INSTANCE_MANAGER_PORT]) },
        // The instance manager watches its Cluster and Secrets through the API server.
        kubeApiEgressRule(p.apiServer),
    ];
    if (p.backup) egress.push(cidrEgressRule(p.backup.cidrs, [p.backup.port]));
    return {
        podSelector: { matchLabels: { "cnpg.io/cluster": p.clusterName } },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        egress,
    };
}
