// NetworkPolicy building blocks shared by every component: port lists, pod and namespace peers, egress rules.
import * as k8s from "@pulumi/kubernetes";
import { NetworkPeer } from "./context";

/** The well-known label every namespace carries (Kubernetes ≥ 1.22); used to select namespaces by name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Selects every pod of a namespace by its name label. */
export function namespaceSelector(namespace: string): k8s.types.input.meta.v1.LabelSelector {
    return { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
}

/** TCP ports for a NetworkPolicy rule; an empty list means "no port restriction" (omitted). */
export function tcpPorts(ports: readonly number[]): k8s.types.input.networking.v1.NetworkPolicyPort[] | undefined {
    const unique = [...new Set(ports)].sort((a, b) => a - b);
    return unique.length === 0 ? undefined : unique.map((port) => ({ protocol: "TCP", port }));
}

/** A NetworkPolicy peer for a set of pods, in the policy's own namespace unless `namespace` is given. */
export function podPeer(podLabels: Record<string, string>, namespace?: string): k8s.types.input.networking.v1.NetworkPolicyPeer {
    return namespace === undefined
        ? { podSelector: { matchLabels: { ...podLabels } } }
        : { podSelector: { matchLabels: { ...podLabels } }, namespaceSelector: namespaceSelector(namespace) };
}

/** Egress rules to the pods of each peer on the peer's ports (data stores, dependencies). */
export function egressToPeers(peers: readonly NetworkPeer[]): k8s.types.input.networking.v1.NetworkPolicyEgressRule[] {
    return peers.map((p) => {
        const ports = tcpPorts(p.ports);
        const to = [podPeer(p.podLabels, p.namespace)];
        return ports ? { to, ports } : { to };
    });
}

/** Peers that select pods in the platform namespace, one per selector. */
export function podPeers(selectors: readonly Record<string, string>[]): k8s.types.input.networking.v1.NetworkPolicyPeer[] {
    return selectors.filter((s) => Object.keys(s).length > 0).map((s) => ({ podSelector: { matchLabels: { ...s } } }));
}

/** A peer that selects every pod of another namespace (by the immutable kubernetes.io/metadata.name label). */
export function namespacePeer(namespace: string): k8s.types.input.networking.v1.NetworkPolicyPeer {
    return { namespaceSelector: namespaceSelector(namespace) };
}

/** Where pods reach the Kubernetes API server: `platform:network.apiServer`. */
export interface ApiServerEndpoint {
    /** Address ranges of the API server as pods see it after the Service DNAT. */
    cidrs: readonly string[];
    /** Its ports (the `kubernetes` Service's 443 and the apiserver's own port, 6443 on most clusters). */
    ports: readonly number[];
}

/** Egress to address ranges on the given TCP ports (backup object stores, the API server). */
export function cidrEgressRule(cidrs: readonly string[], ports: readonly number[]): k8s.types.input.networking.v1.NetworkPolicyEgressRule {
    return { to: [...new Set(cidrs)].map((cidr) => ({ ipBlock: { cidr } })), ports: tcpPorts(ports) ?? [] };
}

/**
 * Egress to the Kubernetes API server. The apiserver runs outside the pod network (host network or a managed
 * control plane), so no pod or namespace selector can match it, and NetworkPolicy evaluates the DNAT-ed endpoint,
 * so a `kubernetes.default` Service selector would not work either: the rule names its address range and ports,
 * from config (RFC 1918 ranges by default, narrowed per cluster in the stack file).
 */
export function kubeApiEgressRule(api: ApiServerEndpoint): k8s.types.input.networking.v1.NetworkPolicyEgressRule {
    return cidrEgressRule(api.cidrs, api.ports);
}
