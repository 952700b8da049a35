// A pod feature: something that rides along in a service's pod (an injected sidecar such as Dapr's) and needs pod
// annotations and network rules of its own. The service's Deployment and NetworkPolicy merge every feature in one
// place, so the next injected sidecar adds one feature instead of edits across the component.
import * as k8s from "@pulumi/kubernetes";
import type { PodPort } from "./ports";

/** What one feature adds to a service's pod template and NetworkPolicy. */
export interface PodFeature {
    /** Pod template annotations (e.g. the injector's opt-in and settings). */
    annotations: Record<string, string>;
    /** Ports the feature listens on that the service's callers reach, besides the service's own. */
    callerPorts: PodPort[];
    /** Ports the feature reaches on each dependency's pods (the same feature in the callee). */
    dependencyPorts: PodPort[];
    /** Ports Prometheus scrapes on the pod, besides the service's metrics port. */
    metricsPorts: number[];
    /** Further ingress rules (e.g. from the feature's control plane). */
    ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[];
    /** Further egress rules (e.g. to the feature's control plane). */
    egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[];
}

/** The features of one pod merged into one: annotations in order (later wins), everything else concatenated. */
export function mergePodFeatures(features: readonly PodFeature[]): PodFeature {
    return {
        annotations: Object.assign({}, ...features.map((f) => f.annotations)),
        callerPorts: features.flatMap((f) => f.callerPorts),
        dependencyPorts: features.flatMap((f) => f.dependencyPorts),
        metricsPorts: features.flatMap((f) => f.metricsPorts),
        ingress: features.flatMap((f) => f.ingress),
        egress: features.flatMap((f) => f.egress),
    };
}
