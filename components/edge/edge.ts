// The single public origin: an Ingress (any class, TLS through cert-manager) or a Gateway API HTTPRoute attached
// to a named Gateway, with one path prefix per public service, WebSocket-friendly timeouts and forwarded headers.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig, ResolvedService } from "../config";
import { ingressClassDialect, RouteBehaviour } from "../config/ingressClasses";
import { edgePort, PlatformContext, standardAnnotations, standardLabels } from "../k8s";

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
    /** The route carries WebSockets (long idle timeout). */
    websocket?: boolean;
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
export function edgeRoutes(services: readonly Pick<ResolvedService, "name" | "ports" | "public" | "pathPrefix" | "websocket">[]): EdgeRoute[] {
    return services.flatMap((s) => {
        const port = edgePort(s);
        return s.public && s.pathPrefix && port
            ? [{ pathPrefix: s.pathPrefix, serviceName: s.name, port: port.port, ...(s.websocket ? { websocket: true } : {}) }]
            : [];
    });
}

/** Most specific prefix first (controllers match the longest prefix anyway; this keeps the spec stable). */
export function sortRoutes(routes: readonly EdgeRoute[]): EdgeRoute[] {
    return [...routes].sort((a, b) => b.pathPrefix.length - a.pathPrefix.length || a.pathPrefix.localeCompare(b.pathPrefix));
}

/** Port clients reach the edge on: `publicPort`, else 443 with TLS and 80 without. */
export function edgePublicPort(edge: IngressEdge | GatewayEdge): number {
    return edge.publicPort ?? (edge.tls.enabled ? 443 : 80);
}

/** Public URL of the edge: https when TLS is on, the port when it is not the scheme's; undefined when there is no edge. */
export function edgeUrl(edge: EdgeConfig): string | undefined {
    if (edge.mode === "none") return undefined;
    const scheme = edge.tls.enabled ? "https" : "http";
    const port = edgePublicPort(edge);
    return `${scheme}://${edge.host}${port === (edge.tls.enabled ? 443 : 80) ? "" : `:${port}`}`;
}

/** What the edge asks of the proxy for one route: the WebSocket or request timeout, and the forwarded prefix. */
export function routeBehaviour(edge: IngressEdge | GatewayEdge, route: EdgeRoute): RouteBehaviour {
    const timeoutSeconds = route.websocket ? edge.timeouts.websocketSeconds : edge.timeouts.requestSeconds;
    return {
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        ...(edge.forwardedHeaders ? { forwardedPrefix: route.pathPrefix } : {}),
    };
}

/** The X-Forwarded-* headers a Gateway sets on one route: the public scheme, host and port, and the route's prefix. */
export function forwardedHeaders(edge: IngressEdge | GatewayEdge, pathPrefix: string): { name: string; value: string }[] {
    return [
        { name: "X-Forwarded-Proto", value: edge.tls.enabled ? "https" : "http" },
        { name: "X-Forwarded-Host", value: edge.host },
        { name: "X-Forwarded-Port", value: String(edgePublicPort(edge)) },
        { name: "X-Forwarded-Prefix", value: pathPrefix },
    ];
}

/** One Ingress object: the routes that share the same controller annotations. */
export interface IngressGroup {
    /** Suffix of the object's name; "" for the single Ingress of a stack whose routes all behave alike. */
    suffix: string;
    routes: EdgeRoute[];
    /** Controller annotations for these routes (timeouts, forwarded prefix). */
    annotations: Record<string, string>;
}

/**
 * Routes grouped by their controller annotations: the Ingress API annotates a whole object, so routes that need
 * different timeouts or prefixes get an Ingress each (named after the first service in it). Throws for a class
 * whose controller the platform does not know when a route needs annotations (the config check refuses it earlier).
 */
export function ingressGroups(edge: IngressEdge, routes: readonly EdgeRoute[]): IngressGroup[] {
    const dialect = ingressClassDialect(edge.ingress.className);
    const groups = new Map<string, IngressGroup>();
    for (const r of sortRoutes(routes)) {
        const b = routeBehaviour(edge, r);
        if (!dialect && Object.keys(b).length > 0)
            throw new Error(`platform:edge.ingress.className "${edge.ingress.className}": no known annotations for route timeouts or forwarded headers`);
        const annotations = dialect ? dialect.annotations(b) : {};
        const key = JSON.stringify(Object.entries(annotations).sort());
        const g = groups.get(key) ?? { suffix: r.serviceName, routes: [], annotations };
        g.routes.push(r);
        groups.set(key, g);
    }
    const out = [...groups.values()];
    return out.length === 1 ? [{ ...out[0], suffix: "" }] : out;
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
        rules: [
            {
                host,
                http: {
                    paths: sortRoutes(routes).map((r) => ({
                        path: r.pathPrefix,
                        pathType: "Prefix",
                        backend: { service: { name: r.serviceName, port: { number: r.port } } },
                    })),
                },
            },
        ],
        ...(edge.tls.enabled ? { tls: [{ hosts: [host], secretName: tlsSecretName }] } : {}),
    };
}

/** HTTPRoute spec (gateway.networking.k8s.io/v1): attached to the named Gateway, a PathPrefix rule per route. */
export function httpRouteSpec(edge: GatewayEdge, routes: readonly EdgeRoute[]): Record<string, unknown> {
    const { host, gateway: gw } = edge;
    return {
        parentRefs: [
            {
                group: "gateway.networking.k8s.io",
                kind: "Gateway",
                name: gw.name,
                namespace: gw.namespace,
                ...(gw.sectionName ? { sectionName: gw.sectionName } : {}),
            },
        ],
        hostnames: [host],
        rules: sortRoutes(routes).map((r) => {
            const b = routeBehaviour(edge, r);
            // A Gateway API duration; "request" bounds the whole exchange, so it is the idle budget of a WebSocket too.
            const timeout = b.timeoutSeconds !== undefined ? `${b.timeoutSeconds}s` : undefined;
            return {
                matches: [{ path: { type: "PathPrefix", value: r.pathPrefix } }],
                ...(edge.forwardedHeaders
                    ? { filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { set: forwardedHeaders(edge, r.pathPrefix) } }] }
                    : {}),
                backendRefs: [{ name: r.serviceName, port: r.port }],
                ...(timeout ? { timeouts: { request: timeout, backendRequest: timeout } } : {}),
            };
        }),
    };
}

/** The platform's public entry point. */
export class Edge extends pulumi.ComponentResource {
    /** The Ingress objects (one, or one per group of routes that behave alike; see ingressGroups). */
    public readonly ingresses: k8s.networking.v1.Ingress[] = [];
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
            for (const g of ingressGroups(edge, args.routes)) {
                const objectName = g.suffix ? `${resourceName}-${g.suffix}` : resourceName;
                this.ingresses.push(
                    new k8s.networking.v1.Ingress(
                        g.suffix ? `${name}-${g.suffix}` : name,
                        {
                            metadata: {
                                name: objectName,
                                namespace: ctx.namespace,
                                labels,
                                annotations: { ...annotations, ...ingressAnnotations(edge), ...g.annotations },
                            },
                            spec: ingressSpec(edge, g.routes, tlsSecretName),
                        },
                        { parent: this },
                    ),
                );
            }
        } else if (edge.mode === "gateway") {
            this.httpRoute = new k8s.apiextensions.CustomResource(
                name,
                {
                    apiVersion: "gateway.networking.k8s.io/v1",
                    kind: "HTTPRoute",
                    metadata: { name: resourceName, namespace: ctx.namespace, labels, annotations },
                    spec: httpRouteSpec(edge, args.routes),
                },
                { parent: this },
            );
        }
        this.registerOutputs({ url: this.url });
    }
}
