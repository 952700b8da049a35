// The NetworkPolicy of a service's pods (callers, edge, monitoring, dependencies, stores, API server, pod features)
// and the selectors of every pod the service runs, which the data stores' policies admit.
import * as k8s from "@pulumi/kubernetes";
import { ResolvedService } from "../config";
import { MicroserviceDapr } from "../dapr";
import {
    ApiServerEndpoint,
    edgePort,
    egressToPeers,
    kubeApiEgressRule,
    LabelContext,
    namespaceSelector,
    NetworkPeer,
    podPeer,
    PodPort,
    podPorts,
    policyPorts,
    selectorLabels,
    tcpPorts,
} from "../k8s";
import { batchWorkloadName } from "./batchWorkload";
import { servicePodFeature } from "./serviceDeployment";
import { metricsPort } from "./serviceExposure";
import { telemetryEgress } from "./telemetry";
import { needsApiAccess } from "./serviceAccess";

/** Another service, as seen by the network policy of its caller. */
export interface ServiceEndpoint {
    /** Service name (its pods carry the standard selector labels for this name). */
    name: string;
    /** Its declared ports as pod ports (container port and L4 protocol). */
    ports: PodPort[];
}

/** Network facts the service's NetworkPolicy is derived from. */
export interface MicroserviceNetwork {
    /** Services that list this one in `dependsOn`: they may reach its port. */
    callers: string[];
    /** Services this one lists in `dependsOn`: it may reach their port. */
    dependencies: ServiceEndpoint[];
    /** Namespace of the edge controller (ingress controller / gateway pods); admitted to the port when the service is public. Undefined when there is no edge. */
    edgeNamespace?: string;
    /** Namespace of Prometheus; admitted to the metrics port when metrics are enabled. */
    monitoringNamespace: string;
    /** Where the Kubernetes API is (`platform:network.apiServer`); used when the service has RBAC rules. */
    apiServer: ApiServerEndpoint;
}

/**
 * Selector labels of every pod the service runs (its Deployment, migration Job, cleanup CronJob): what a data store's
 * NetworkPolicy must admit for this service (pass them as the store's `clientSelectors`).
 */
export function clientSelectors(labels: LabelContext, svc: Pick<ResolvedService, "name" | "migration" | "cleanup">): Record<string, string>[] {
    const names = [svc.name];
    if (svc.migration) names.push(batchWorkloadName(svc.name, "migrate"));
    if (svc.cleanup) names.push(batchWorkloadName(svc.name, "cleanup"));
    return names.map((n) => selectorLabels(labels, n));
}

/** NetworkPolicy of the service pods: who may call them, and what they may reach (DNS comes from the baseline). */
export function serviceNetworkPolicySpec(
    labels: LabelContext,
    svc: ResolvedService,
    network: MicroserviceNetwork,
    stores: readonly NetworkPeer[],
    dapr: MicroserviceDapr,
): k8s.types.input.networking.v1.NetworkPolicySpec {
    const feature = servicePodFeature(svc, dapr);
    const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
    const callers = [...new Set(network.callers)].sort();
    // Callers reach exactly the declared ports, as pod ports: a NetworkPolicy sees 8080 behind a Service's 80.
    const own = podPorts(svc.ports);
    const callerPorts = policyPorts([...own, ...feature.callerPorts]);
    if (callers.length > 0 && callerPorts) {
        ingress.push({ from: callers.map((c) => podPeer(selectorLabels(labels, c))), ports: callerPorts });
    }
    const routed = edgePort(svc);
    if (svc.public && network.edgeNamespace && routed) {
        ingress.push({
            from: [{ namespaceSelector: namespaceSelector(network.edgeNamespace) }],
            ports: policyPorts([{ port: routed.containerPort, protocol: "TCP" }]),
        });
    }
    const scraped = metricsPort(svc);
    const monitoringPorts = [...(scraped !== undefined ? [scraped] : []), ...feature.metricsPorts];
    if (monitoringPorts.length > 0) {
        ingress.push({ from: [{ namespaceSelector: namespaceSelector(network.monitoringNamespace) }], ports: tcpPorts(monitoringPorts) });
    }
    ingress.push(...feature.ingress);

    const egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [];
    for (const dep of [...network.dependencies].sort((a, b) => a.name.localeCompare(b.name))) {
        const ports = policyPorts([...dep.ports, ...feature.dependencyPorts]);
        if (ports) egress.push({ to: [podPeer(selectorLabels(labels, dep.name))], ports });
    }
    egress.push(...egressToPeers(stores));
    egress.push(...telemetryEgress(svc));
    if (needsApiAccess(svc)) egress.push(kubeApiEgressRule(network.apiServer));
    egress.push(...feature.egress);
    return {
        podSelector: { matchLabels: selectorLabels(labels, svc.name) },
        policyTypes: ["Ingress", "Egress"],
        ...(ingress.length > 0 ? { ingress } : {}),
        ...(egress.length > 0 ? { egress } : {}),
    };
}
