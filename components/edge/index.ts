// The edge: an Ingress or a Gateway API HTTPRoute in front of the services.
export { Edge, edgeRoutes } from "./edge";
export type { EdgeArgs, EdgeRoute } from "./edge";
