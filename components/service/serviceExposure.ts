// How a service is reached and scraped: its ClusterIP Service, in-cluster URLs, the metrics port and the ServiceMonitor.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { METRICS_PORT_NAME, ResolvedService } from "../config";
import { LabelContext, portUrl, selectorLabels, servicePorts } from "../k8s";

/** Name of the port that `port: N` declares. */
export const HTTP_PORT_NAME = "http";
export { METRICS_PORT_NAME };

/** Prometheus Operator integration. */
export interface MicroserviceObservability {
    /** Create a monitoring.coreos.com/v1 ServiceMonitor (the CRD must exist). */
    serviceMonitors: boolean;
    /** Scrape interval, e.g. "30s". */
    scrapeInterval: string;
}

/** The container port Prometheus scrapes; undefined when metrics are off or there is no port to scrape. */
export function metricsPort(svc: ResolvedService): number | undefined {
    return svc.metrics.enabled ? svc.metrics.port?.containerPort : undefined;
}

/** The metrics port when it is separate from the service's own ports (the container and the Service declare it). */
export function separateMetricsPort(svc: ResolvedService): { name: string; port: number; containerPort: number } | undefined {
    return svc.metrics.enabled && svc.metrics.port?.separate ? svc.metrics.port : undefined;
}

/** True when the service declares ports, so it gets a Service; a port-less worker gets none. */
export function hasService(svc: Pick<ResolvedService, "ports">): boolean {
    return svc.ports.length > 0;
}

/** ClusterIP Service with every declared port (Service port → named container port) and `metrics` when separate. */
export function serviceSpec(labels: LabelContext, svc: ResolvedService): k8s.types.input.core.v1.ServiceSpec {
    const ports = servicePorts(svc.ports);
    const metrics = separateMetricsPort(svc);
    if (metrics) ports.push({ name: metrics.name, port: metrics.port, targetPort: metrics.name, protocol: "TCP", appProtocol: "http" });
    return { type: "ClusterIP", selector: selectorLabels(labels, svc.name), ports };
}

/** In-cluster URL of each declared port, by port name, with the scheme its protocol speaks. */
export function serviceUrls(svc: Pick<ResolvedService, "name" | "ports">, namespace: string): Record<string, string> {
    return Object.fromEntries(svc.ports.map((p) => [p.name, portUrl(`${svc.name}.${namespace}.svc.cluster.local`, p)]));
}

/** ServiceMonitor spec (monitoring.coreos.com/v1) scraping the metrics port of the Service. */
export function serviceMonitorSpec(
    labels: LabelContext,
    svc: ResolvedService,
    namespace: pulumi.Input<string>,
    scrapeInterval: string,
): Record<string, unknown> {
    return {
        selector: { matchLabels: selectorLabels(labels, svc.name) },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [{ port: svc.metrics.port?.name ?? HTTP_PORT_NAME, path: svc.metrics.path, interval: scrapeInterval }],
    };
}
