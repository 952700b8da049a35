// The single public origin: an Ingress (any class, TLS through cert-manager) or a Gateway API HTTPRoute attached
// to a named Gateway, with one path prefix per public service.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig, ResolvedService } from "./config";
import { PlatformContext } from "./context";
import { edgePort } from "./ports";
import { standardAnnotations, standardLabels } from "./labels";

/** The validated `platform:edge` setting: a union on `mode`, so each mode carries exactly what it needs. */
export type EdgeConfig = PlatformConfig["edge"];
/** The edge in mode "ingress". */
export type IngressEdge = Extract<EdgeConfig, { mode: "ingress" }>;
/** The edge in mode "gateway". */
export type GatewayEdge = Extract<EdgeConfig, { mode: "gateway" }>;

/** One public path: requests under `pathPrefix` go to `serviceName:port`. */
export interface EdgeRoute {
    /** Path prefix, e.g. "/api" or "/". */
    pathPrefix: string;
    /** Kubernetes Service name (same namespace). */
    serviceName: string;
    /** Service port. */
    port: number;
}

/** Arguments of {@link Edge}. */
export interface EdgeArgs {
    /** Namespace, labels and ownership. */
    context: PlatformContext;
    /** `platform:edge`: mode, host, ingress class/annotations, gateway reference, TLS. */
    edge: EdgeConfig;
    /** Public services' paths (see {@link edgeRoutes}). */
    routes: EdgeRoute[];
    /** Name of the Ingress / HTTPRoute object; default "platform". */
    resourceName?: string;
}

/** cert-manager's annotation naming the ClusterIssuer that issues the TLS certificate. */
export const CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";

/** Routes of every public service that has a path prefix, to the Service port of its first http port. */
export function edgeRoutes(services: readonly (Pick<ResolvedService, "name" | "ports" | "public" | "pathPrefix">)[]): EdgeRoute[] {
    return services.flatMap((s) => {
        const port = edgePort(s);
        return s.public && s.pathPrefix && port ? [{ pathPrefix: s.pathPrefix, serviceName: s.name, port: port.port }] : [];
    });
}

/** Most specific prefix first (controllers match the longest prefix anyway; this keeps the spec stable). */
export function sortRoutes(routes: readonly EdgeRoute[]): EdgeRoute[] {
    return [...routes].sort((a, b) => b.pathPrefix.length - a.pathPrefix.length || a.pathPrefix.localeCompare(b.pathPrefix));
}

/** Public URL of the edge: https when TLS is on; undefined when there is no edge. */
export function edgeUrl(edge: EdgeConfig): string | undefined {
    if (edge.mode === "none") return undefined;
    return `${edge.tls.enabled ? "https" : "http"}://${edge.host}`;
}

/** Ingress annotations: the configured ones plus the cert-manager issuer when TLS is on. */
export function ingressAnnotations(edge: IngressEdge): Record<string, string> {
    const out: Record<string, string> = { ...edge.ingress.annotations };
    if (edge.tls.enabled && edge.tls.clusterIssuer) out[CLUSTER_ISSUER_ANNOTATION] = edge.tls.clusterIssuer;
    return out;
}

/** Ingress spec: one host, one Prefix path per route, TLS when enabled. */
export function ingressSpec(edge: IngressEdge, routes: readonly EdgeRoute[], tlsSecretName: pulumi.Input<string>): k8s.types.input.networking.v1.IngressSpec {
    const host = edge.host;
    return {
        ingressClassName: edge.ingress.className,
        rules: [{
            host,
            http: {
                paths: sortRoutes(routes).map((r) => ({
                    path: r.pathPrefix,
                    pathType: "Prefix",
                    backend: { service: { name: r.serviceName, port: { number: r.port } } },
                })),
            },
        }],
        ...(edge.tls.enabled ? { tls: [{ hosts: [host], secretName: tlsSecretName }] } : {}),
    };
}

/** HTTPRoute spec (gateway.networking.k8s.io/v1): attached to the named Gateway, a PathPrefix rule per route. */
export function httpRouteSpec(edge: GatewayEdge, routes: readonly EdgeRoute[]): Record<string, unknown> {
    const { host, gateway: gw } = edge;
    return {
        parentRefs: [{
            group: "gateway.networking.k8s.io",
            kind: "Gateway",
            name: gw.name,
            namespace: gw.namespace,
            ...(gw.sectionName ? { sectionName: gw.sectionName } : {}),
        }],
        hostnames: [host],
        rules: sortRoutes(routes).map((r) => ({
            matches: [{ path: { type: "PathPrefix", value: r.pathPrefix } }],
            backendRefs: [{ name: r.serviceName, port: r.port }],
        })),
    };
}

/** The platform's public entry point. */
export class Edge extends pulumi.ComponentResource {
    public readonly ingress?: k8s.networking.v1.Ingress;
    public readonly httpRoute?: k8s.apiextensions.CustomResource;
    /** Public URL (https:// when TLS is on); undefined in mode "none". */
    public readonly url: string | undefined;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Edge", name, {}, opts);
        const { context: ctx, edge } = args;
        const resourceName = args.resourceName ?? "platform";
        const labels = standardLabels(ctx.labels, { name: resourceName, component: "edge" });
        const annotations = standardAnnotations(ctx.ownership, `Public entry point of the ${ctx.labels.partOf} platform`);
        this.url = edgeUrl(edge);

        if (edge.mode === "ingress") {
            const tlsSecretName = edge.tls.secretName ?? pulumi.interpolate`${ctx.namespace}-tls`;
            this.ingress = new k8s.networking.v1.Ingress(name, {
                metadata: { name: resourceName, namespace: ctx.namespace, labels, annotations: { ...annotations, ...ingressAnnotations(edge) } },
                spec: ingressSpec(edge, args.routes, tlsSecretName),
            }, { parent: this });
        } else if (edge.mode === "gateway") {
            this.httpRoute = new k8s.apiextensions.CustomResource(name, {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: { name: resourceName, namespace: ctx.namespace, labels, annotations },
                spec: httpRouteSpec(edge, args.routes),
            }, { parent: this });
        }
        this.registerOutputs({ url: this.url });
    }
}
