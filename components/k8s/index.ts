// Shared Kubernetes builders: labels, stack context, network rules, ports, pod features, resources, security contexts.
export type { ClientConnection, MonitoringSettings, NetworkPeer, PlatformContext, SecretRef, ServiceWorkloadInputs } from "./context";
export { FORCE_APPLY_ANNOTATIONS, instanceName, LABELS, selectorLabels, standardAnnotations, standardLabels, versionFromImage, withoutKeys } from "./labels";
export type { LabelContext, OwnershipMetadata } from "./labels";
export { cidrEgressRule, egressToPeers, kubeApiEgressRule, namespacePeer, namespaceSelector, podPeer, podPeers, tcpPorts } from "./networkRules";
export type { ApiServerEndpoint } from "./networkRules";
export { containerPorts, edgePort, podPorts, policyPorts, portUrl, servicePorts } from "./ports";
export type { PodPort } from "./ports";
export { mergePodFeatures } from "./podFeature";
export type { PodFeature } from "./podFeature";
export { kubeResources, mergeResources } from "./resources";
export { containerSecurityContext, podSecurityContext } from "./securityContext";
