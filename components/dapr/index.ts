// Dapr: the sidecar as a pod feature of a service, and the Component and Subscription CRs.
export { daprPodFeature } from "./daprSidecar";
export type { DaprSidecarResources, MicroserviceDapr } from "./daprSidecar";
export { DaprComponents } from "./daprComponents";
export type { DaprApp, DaprComponentsArgs } from "./daprComponents";
