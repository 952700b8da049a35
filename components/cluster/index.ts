// The cluster layer: its config, its component and the contract app stacks read through a StackReference.
export { ClusterLayer, ClusterLayerArgs, clusterLayerExport } from "./clusterLayer";
export { CLUSTER_DEFAULTS, ClusterLayerConfig, clusterLayerSchema, parseClusterLayerConfig } from "./config";
export * from "./contract";
