import { expect } from "chai";
import { ConfigError } from "../../components/config";
import {
    Edge,
    EdgeArgs,
    EdgeConfig,
    EdgeRoute,
    edgeRoutes,
    GatewayEdge,
    IngressEdge,
    edgeUrl,
    httpRouteSpec,
    ingressAnnotations,
    ingressGroups,
    ingressSpec,
} from "../../components/edge/edge";
import { parseConfig, platformContext, rawPlatform, expectAllDescendFrom, expectRequiredLabels, inputs, underMocks } from "./componentFixtures";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";

function edgeConfig(patch: Obj = {}): EdgeConfig {
    const raw = rawPlatform();
    raw.edge = { ...(raw.edge as Obj), ...patch };
    return parseConfig(raw).edge;
}
/** The config's edge narrowed to a mode; fails the test when the config resolved to another mode. */
function inMode<M extends EdgeConfig["mode"]>(mode: M, patch: Obj = {}): Extract<EdgeConfig, { mode: M }> {
    const e = edgeConfig(patch);
    expect(e.mode).to.equal(mode);
    return e as Extract<EdgeConfig, { mode: M }>;
}
const ingressEdge = (patch: Obj = {}): IngressEdge => inMode("ingress", patch);
const gatewayEdge = (patch: Obj = {}): GatewayEdge => inMode("gateway", { mode: "gateway", ...patch });
const routes = edgeRoutes(parseConfig().services);

function args(edge: EdgeConfig): EdgeArgs {
    return { context: platformContext(), edge, routes };
}

describe("Edge", () => {
    it("routes every public service by its path prefix, most specific first", () => {
        expect(routes).to.deep.equal([
            { pathPrefix: "/api", serviceName: "api", port: 8080 },
            { pathPrefix: "/", serviceName: "web", port: 3000 },
        ]);
    });

    it("Ingress: class from config, one host, Prefix paths, TLS with the configured or default secret", () => {
        const spec = ingressSpec(ingressEdge(), routes, "shop-staging-tls") as Obj;
        expect(spec.ingressClassName).to.equal("nginx");
        expect(spec.rules).to.have.length(1);
        expect(spec.rules[0].host).to.equal("shop.staging.example.com");
        expect(spec.rules[0].http.paths).to.deep.equal([
            { path: "/api", pathType: "Prefix", backend: { service: { name: "api", port: { number: 8080 } } } },
            { path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 3000 } } } },
        ]);
        expect(spec.tls).to.deep.equal([{ hosts: ["shop.staging.example.com"], secretName: "shop-staging-tls" }]);
        const plain = ingressSpec(ingressEdge({ tls: { enabled: false } }), routes, "x") as Obj;
        expect(plain).not.to.have.property("tls");
    });

    it("Ingress annotations: configured ones plus the cert-manager issuer only with TLS", () => {
        expect(ingressAnnotations(ingressEdge())).to.deep.equal({
            "nginx.ingress.kubernetes.io/proxy-body-size": "8m",
            "cert-manager.io/cluster-issuer": "letsencrypt-staging",
        });
        expect(ingressAnnotations(ingressEdge({ tls: { enabled: false, clusterIssuer: "letsencrypt-staging" } }))).not.to.have.property(
            "cert-manager.io/cluster-issuer",
        );
    });

    it("HTTPRoute: parentRefs to the named Gateway and section, hostname, PathPrefix per service", () => {
        const spec = httpRouteSpec(gatewayEdge({ gateway: { name: "public", namespace: "gateway-system", sectionName: "https" } }), routes) as Obj;
        expect(spec.parentRefs).to.deep.equal([
            { group: "gateway.networking.k8s.io", kind: "Gateway", name: "public", namespace: "gateway-system", sectionName: "https" },
        ]);
        expect(spec.hostnames).to.deep.equal(["shop.staging.example.com"]);
        expect(spec.rules).to.deep.equal([
            { matches: [{ path: { type: "PathPrefix", value: "/api" } }], backendRefs: [{ name: "api", port: 8080 }] },
            { matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "web", port: 3000 }] },
        ]);
        const noSection = httpRouteSpec(gatewayEdge({ gateway: { name: "public", namespace: "gateway-system" } }), routes) as Obj;
        expect(noSection.parentRefs[0]).not.to.have.property("sectionName");
    });

    it("URL is https with TLS, http without, none without an edge", () => {
        expect(edgeUrl(edgeConfig())).to.equal("https://shop.staging.example.com");
        expect(edgeUrl(edgeConfig({ tls: { enabled: false } }))).to.equal("http://shop.staging.example.com");
        expect(edgeUrl({ mode: "none", controllerNamespace: "ingress-nginx" })).to.equal(undefined);
    });

    it("component, ingress mode: one labelled Ingress under the component, default TLS secret <namespace>-tls", async () => {
        const { recorder, component } = await underMocks((opts) => new Edge("edge", args(edgeConfig()), opts));
        const children = expectAllDescendFrom(recorder, "platform:index:Edge", "edge");
        expect(children.map((r) => r.type)).to.deep.equal([INGRESS]);
        expectRequiredLabels(children);
        const ing = inputs(children[0]);
        expect(ing.metadata.namespace).to.equal("shop-staging");
        expect(ing.metadata.annotations["cert-manager.io/cluster-issuer"]).to.equal("letsencrypt-staging");
        expect(ing.metadata.annotations["nginx.ingress.kubernetes.io/proxy-body-size"]).to.equal("8m");
        expect(ing.spec.tls[0].secretName).to.equal("shop-staging-tls");
        expect(component.url).to.equal("https://shop.staging.example.com");
        const own = await underMocks((opts) => new Edge("edge", args(edgeConfig({ tls: { enabled: true, secretName: "shop-cert" } })), opts));
        expect(inputs(own.recorder.get(INGRESS, "edge")).spec.tls[0].secretName).to.equal("shop-cert");
    });

    it("component, gateway mode: one labelled HTTPRoute, no Ingress", async () => {
        const edge = edgeConfig({ mode: "gateway", gateway: { name: "public", namespace: "gateway-system", sectionName: "https" } });
        const { recorder } = await underMocks((opts) => new Edge("edge", args(edge), opts));
        const children = expectAllDescendFrom(recorder, "platform:index:Edge", "edge");
        expect(children.map((r) => r.type)).to.deep.equal([ROUTE]);
        expectRequiredLabels(children);
        const route = inputs(children[0]);
        expect(route.apiVersion).to.equal("gateway.networking.k8s.io/v1");
        expect(route.kind).to.equal("HTTPRoute");
        expect(route.spec.parentRefs[0].name).to.equal("public");
    });

    describe("WebSocket timeouts and forwarded headers", () => {
        const feed: EdgeRoute[] = [...routes, { pathPrefix: "/trade-feed", serviceName: "feed", port: 18086, websocket: true }];
        const NGINX = "nginx.ingress.kubernetes.io";

        it("ingress-nginx: routes that behave alike share one Ingress; a WebSocket route gets its own with long read/send timeouts", () => {
            const groups = ingressGroups(ingressEdge(), feed);
            expect(groups.map((g) => [g.suffix, g.routes.map((r) => r.pathPrefix)])).to.deep.equal([
                ["feed", ["/trade-feed"]],
                ["api", ["/api", "/"]],
            ]);
            expect(groups[0].annotations).to.deep.equal({ [`${NGINX}/proxy-read-timeout`]: "3600", [`${NGINX}/proxy-send-timeout`]: "3600" });
            expect(groups[1].annotations).to.deep.equal({});
            // Without per-route differences the stack keeps its single Ingress (no suffix, no replacement of the old object).
            expect(ingressGroups(ingressEdge(), routes).map((g) => g.suffix)).to.deep.equal([""]);
        });

        it("ingress-nginx: forwarded headers give each route its X-Forwarded-Prefix, so each route is its own Ingress; request timeouts apply to plain routes", () => {
            const groups = ingressGroups(ingressEdge({ forwardedHeaders: true, timeouts: { requestSeconds: 120, websocketSeconds: 7200 } }), feed);
            const byPrefix = Object.fromEntries(groups.map((g) => [g.routes[0].pathPrefix, g.annotations]));
            expect(groups.every((g) => g.routes.length === 1)).to.equal(true);
            expect(byPrefix["/trade-feed"]).to.deep.equal({
                [`${NGINX}/proxy-read-timeout`]: "7200",
                [`${NGINX}/proxy-send-timeout`]: "7200",
                [`${NGINX}/x-forwarded-prefix`]: "/trade-feed",
            });
            expect(byPrefix["/api"]).to.deep.equal({
                [`${NGINX}/proxy-read-timeout`]: "120",
                [`${NGINX}/proxy-send-timeout`]: "120",
                [`${NGINX}/x-forwarded-prefix`]: "/api",
            });
        });

        it("component, ingress mode: the per-route Ingresses carry the controller annotations over the configured ones", async () => {
            const { recorder } = await underMocks((opts) => new Edge("edge", { ...args(ingressEdge({ forwardedHeaders: true })), routes: feed }, opts));
            const ingresses = recorder.ofType(INGRESS).map(inputs);
            expect(ingresses.map((i) => i.metadata.name).sort()).to.deep.equal(["platform-api", "platform-feed", "platform-web"]);
            for (const i of ingresses) {
                expect(i.metadata.annotations[`${NGINX}/proxy-body-size`]).to.equal("8m");
                expect(i.metadata.annotations[`${NGINX}/x-forwarded-prefix`]).to.equal(i.spec.rules[0].http.paths[0].path);
            }
            expectRequiredLabels(recorder.ofType(INGRESS));
        });

        it("HTTPRoute: a RequestHeaderModifier sets X-Forwarded-Proto/Host/Port/Prefix per rule; the WebSocket rule gets request and backend timeouts", () => {
            const spec = httpRouteSpec(gatewayEdge({ forwardedHeaders: true, publicPort: 8443, gateway: { name: "public", namespace: "gw" } }), feed) as Obj;
            const ws = spec.rules.find((r: Obj) => r.matches[0].path.value === "/trade-feed");
            expect(ws.timeouts).to.deep.equal({ request: "3600s", backendRequest: "3600s" });
            expect(ws.filters).to.deep.equal([
                {
                    type: "RequestHeaderModifier",
                    requestHeaderModifier: {
                        set: [
                            { name: "X-Forwarded-Proto", value: "https" },
                            { name: "X-Forwarded-Host", value: "shop.staging.example.com" },
                            { name: "X-Forwarded-Port", value: "8443" },
                            { name: "X-Forwarded-Prefix", value: "/trade-feed" },
                        ],
                    },
                },
            ]);
            const api = spec.rules.find((r: Obj) => r.matches[0].path.value === "/api");
            expect(api).not.to.have.property("timeouts");
            expect(api.filters[0].requestHeaderModifier.set[3]).to.deep.equal({ name: "X-Forwarded-Prefix", value: "/api" });
            const plain = httpRouteSpec(gatewayEdge({ gateway: { name: "public", namespace: "gw" } }), routes) as Obj;
            expect(plain.rules.some((r: Obj) => "filters" in r)).to.equal(false);
        });

        it("a local origin: host localhost on a public port says so in the URL; production refuses it", () => {
            expect(edgeUrl(edgeConfig({ host: "localhost", publicPort: 8080, tls: { enabled: false } }))).to.equal("http://localhost:8080");
            const raw = rawPlatform();
            raw.environment = "production";
            raw.secrets = { allowGenerated: false };
            raw.edge = { ...(raw.edge as Obj), host: "localhost" };
            expect(() => parseConfig(raw)).to.throw(ConfigError, /platform:edge.host: "localhost" is a local origin/);
        });

        it("refuses timeouts or forwarded headers on an ingress class whose annotations the platform does not know, naming the class key", () => {
            expect(() => edgeConfig({ ingress: { className: "traefik" }, forwardedHeaders: true })).to.throw(
                ConfigError,
                /platform:edge.ingress.className: "traefik" is not a controller the platform knows how to annotate for platform:edge.forwardedHeaders/,
            );
            const raw = rawPlatform();
            raw.edge = { ...(raw.edge as Obj), ingress: { className: "traefik" } };
            (raw.services as Obj[])[2].websocket = true;
            expect(() => parseConfig(raw)).to.throw(ConfigError, /platform:services\[2\].websocket \(its idle timeout\)/);
            expect(() => edgeConfig({ ingress: { className: "traefik" } })).not.to.throw();
        });

        it("refuses websocket on a private service and timeouts out of range", () => {
            const raw = rawPlatform();
            (raw.services as Obj[])[1].websocket = true;
            expect(() => parseConfig(raw)).to.throw(ConfigError, /platform:services\[1\].websocket: is true but the service is not public/);
            expect(() => edgeConfig({ timeouts: { websocketSeconds: 0 } })).to.throw(ConfigError, /platform:edge.timeouts.websocketSeconds/);
        });
    });

    it("component, mode none: nothing but the component", async () => {
        const { recorder, component } = await underMocks((opts) => new Edge("edge", args({ ...edgeConfig(), mode: "none" }), opts));
        expect(recorder.resources.filter((r) => r.custom)).to.have.length(0);
        expect(component.url).to.equal(undefined);
    });
});
