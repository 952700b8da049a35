// Ports of a service as Kubernetes sees them: container ports, Service ports, NetworkPolicy ports, URLs.
import * as k8s from "@pulumi/kubernetes";
import { containerPortsOf, portScheme, ResolvedPort, ResolvedService } from "../config";

/** A port as a NetworkPolicy sees it: the pod's port (after the Service's DNAT) and its L4 protocol. */
export interface PodPort {
    port: number;
    protocol: "TCP" | "UDP";
}

/** Container ports of one container of the service (`container` undefined: the main container). */
export function containerPorts(ports: readonly ResolvedPort[], container?: string): k8s.types.input.core.v1.ContainerPort[] {
    return containerPortsOf(ports, container).map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.transport }));
}

/** Service ports: each declared port, targeting the container port by name (so 80 → 8080 needs no second number). */
export function servicePorts(ports: readonly ResolvedPort[]): k8s.types.input.core.v1.ServicePort[] {
    return ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.name,
        protocol: p.transport,
        ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
}

/** The pod ports of every declared port: what callers of the service may reach. */
export function podPorts(ports: readonly ResolvedPort[]): PodPort[] {
    return ports.map((p) => ({ port: p.containerPort, protocol: p.transport }));
}

/** NetworkPolicy ports, de-duplicated and sorted; undefined for an empty list (no port restriction is never meant). */
export function policyPorts(ports: readonly PodPort[]): k8s.types.input.networking.v1.NetworkPolicyPort[] | undefined {
    const key = (p: PodPort) => `${p.protocol}/${p.port}`;
    const unique = [...new Map(ports.map((p) => [key(p), p])).values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
    return unique.length === 0 ? undefined : unique.map((p) => ({ protocol: p.protocol, port: p.port }));
}

/** The port the edge routes to: the main container's first http port. */
export function edgePort(svc: Pick<ResolvedService, "ports">): ResolvedPort | undefined {
    return containerPortsOf(svc.ports).find((p) => p.protocol === "http");
}

/** In-cluster URL of one port, with the scheme its protocol speaks (grpc://, tcp://, never http:// for them). */
export function portUrl(host: string, p: Pick<ResolvedPort, "protocol" | "port">): string {
    return `${portScheme(p)}://${host}:${p.port}`;
}
