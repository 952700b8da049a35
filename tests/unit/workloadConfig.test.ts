// The pod model in config: ports, probes, extra containers, volumes, RBAC, env references and reserved names —
// what resolves, and what is refused with the key and the fix.
import { expect } from "chai";
import {
    ConfigError,
    envFromReferences,
    envFromReferenceWarning,
    envReferences,
    mergeProbe,
    parsePlatformConfig,
    PlatformConfig,
    probeHeaderReferences,
    probeHeaderReferenceWarning,
    RawConfig,
    requiredSecretKeys,
    reservedNames,
    ResolvedService,
} from "../../components/config";
import { alwaysStoreEnvNames } from "../../components/config/storeEnvNames";
import { postgresClientConnection } from "../../components/postgres/postgresClient";
import { redisClientConnection } from "../../components/valkey/redis";
import { kafkaClientConnection } from "../../components/kafka/kafkaClient";
import { readStackFile } from "../../tools/stackEvaluator";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function base(): Json {
    const out: Json = {};
    for (const [k, v] of Object.entries(readStackFile("dev"))) if (k.startsWith("platform:")) out[k.slice(9)] = v;
    return JSON.parse(JSON.stringify(out)) as Json;
}

function parse(cfg: Json): PlatformConfig {
    const raw: RawConfig = {};
    for (const [k, v] of Object.entries(cfg)) raw[k] = typeof v === "string" ? v : JSON.stringify(v);
    return parsePlatformConfig(raw, { isSet: () => true, isSecret: () => true });
}

/** The dev stack with one extra service appended (and optional edits of the whole config). */
function withService(svc: Json, edit: (c: Json) => void = () => undefined): Json {
    const c = base();
    c.services.push({ image: "ghcr.io/acme/extra:1.0.0", ...svc });
    edit(c);
    return c;
}

function resolvedLast(c: Json): ResolvedService {
    const cfg = parse(c);
    return cfg.services[cfg.services.length - 1];
}

/** The problems of a refused config as "key: message" lines; fails when it is accepted. */
function problems(c: Json): string[] {
    try {
        parse(c);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as ConfigError).issues.map((i) => `${i.key}: ${i.message}`);
    }
    throw new Error("expected the config to be refused");
}

function expectProblem(c: Json, key: string, message: RegExp) {
    const all = problems(c);
    expect(
        all.some((p) => p.startsWith(`${key}: `) && message.test(p)),
        `expected ${key} ~ ${message}, got:\n${all.join("\n")}`,
    ).to.equal(true);
}

const LAST = "platform:services[3]";
const EXEC = { type: "exec", command: ["/bin/true"] };

describe("workload model in config", () => {
    describe("ports", () => {
        it("port: N is sugar for one http port named http", () => {
            const s = resolvedLast(withService({ name: "legacy", port: 8080 }));
            expect(s.ports).to.deep.equal([{ name: "http", port: 8080, containerPort: 8080, protocol: "http", appProtocol: "http", transport: "TCP" }]);
        });

        it("several named ports, a Service port that differs from the container port, protocols mapped to appProtocol", () => {
            const s = resolvedLast(
                withService({
                    name: "edge-api",
                    ports: [
                        { name: "http", port: 80, containerPort: 8080 },
                        { name: "grpc", port: 9090, protocol: "grpc" },
                        { name: "stats", port: 8125, protocol: "udp" },
                        { name: "h2", port: 8443, protocol: "h2c" },
                    ],
                }),
            );
            expect(s.ports.map((p) => [p.name, p.port, p.containerPort, p.appProtocol, p.transport])).to.deep.equal([
                ["http", 80, 8080, "http", "TCP"],
                ["grpc", 9090, 9090, "grpc", "TCP"],
                ["stats", 8125, 8125, undefined, "UDP"],
                ["h2", 8443, 8443, "kubernetes.io/h2c", "TCP"],
            ]);
        });

        it("a service without port or ports has no ports, and metrics scraping is off", () => {
            const s = resolvedLast(
                withService({
                    name: "loadgen",
                    readinessProbe: { type: "exec", command: ["/bin/true"] },
                    livenessProbe: { type: "exec", command: ["/bin/true"] },
                }),
            );
            expect(s.ports).to.deep.equal([]);
            expect(s.metrics.enabled).to.equal(false);
        });

        it("refuses port together with ports, duplicate names and numbers, and a privileged container port without NET_BIND_SERVICE", () => {
            expectProblem(withService({ name: "both", port: 80, ports: [{ name: "http", port: 8080 }] }), `${LAST}.port`, /both set; keep one/);
            const dup = withService({
                name: "dup",
                ports: [
                    { name: "http", port: 8080 },
                    { name: "http", port: 8081 },
                    { name: "x", port: 8080, containerPort: 9000 },
                ],
            });
            expectProblem(dup, `${LAST}.ports[1].name`, /duplicate port name "http"/);
            expectProblem(dup, `${LAST}.ports[2].port`, /Service port 8080 is declared twice/);
            expectProblem(withService({ name: "low", port: 80 }), `${LAST}.port`, /privileged port.*NET_BIND_SERVICE/);
            expectProblem(withService({ name: "bad-name", ports: [{ name: "HTTP_PORT", port: 8080 }] }), `${LAST}.ports[0].name`, /at most 15 lowercase/);
        });

        it("a privileged container port: the Service port mapping is offered first, NET_BIND_SERVICE only with the file capability it needs at runtime", () => {
            const [short] = problems(withService({ name: "low", port: 80 })).filter((p) => p.startsWith(`${LAST}.port: `));
            expect(short).to.equal(
                `${LAST}.port: 80 is a privileged port: a non-root process cannot bind it. Replace port: 80 with ports: [{ name: http, port: 80, containerPort: 8080 }] ` +
                    "and have the process listen on 8080 (clients keep dialing 80); only if the image cannot move, add capabilities.add: [NET_BIND_SERVICE], which a non-root process " +
                    "gets only when its binary carries the file capability (setcap cap_net_bind_service=+ep): Kubernetes sets no ambient capabilities",
            );
            expectProblem(
                withService({ name: "tls", ports: [{ name: "https", port: 443, protocol: "https" }] }),
                `${LAST}.ports[0].containerPort`,
                /443 is a privileged port: a non-root process cannot bind it. Have the process listen on a port ≥ 1024 and map it, e.g. containerPort: 8443 behind Service port 443 \(clients keep dialing 443\); only if the image cannot move, add capabilities.add: \[NET_BIND_SERVICE\], which a non-root process gets only when its binary carries the file capability/,
            );
            // A sidecar cannot add the capability at all: only the mapping is offered.
            const side = problems(
                withService({
                    name: "mesh",
                    ports: [
                        { name: "http", port: 8080 },
                        { name: "edge", port: 443, containerPort: 443, container: "proxy" },
                    ],
                    sidecars: [
                        {
                            name: "proxy",
                            image: "ghcr.io/acme/proxy:2.1.0",
                            ports: [{ name: "admin", containerPort: 80 }],
                            readinessProbe: { type: "tcp" },
                            livenessProbe: { type: "tcp" },
                        },
                    ],
                }),
            );
            expect(side).to.include.members([
                `${LAST}.ports[1].containerPort: 443 is a privileged port: a non-root process cannot bind it. Have the process listen on a port ≥ 1024 and map it, e.g. containerPort: 8443 behind Service port 443 (clients keep dialing 443); a sidecar cannot add NET_BIND_SERVICE (capabilities.add applies to the main container only)`,
            ]);
            expect(
                side.some(
                    (p) =>
                        p.startsWith(`${LAST}.sidecars[0].ports[0].containerPort: 80 is a privileged port`) &&
                        p.includes("a sidecar cannot add NET_BIND_SERVICE"),
                ),
            ).to.equal(true);
        });

        it("accepts port 80 in the container with capabilities.add: [NET_BIND_SERVICE], and no other capability", () => {
            const s = resolvedLast(withService({ name: "low", port: 80, capabilities: { add: ["NET_BIND_SERVICE"] } }));
            expect(s.addCapabilities).to.deep.equal(["NET_BIND_SERVICE"]);
            expectProblem(
                withService({ name: "admin", port: 8080, capabilities: { add: ["NET_ADMIN"] } }),
                `${LAST}.capabilities.add[0]`,
                /only NET_BIND_SERVICE/,
            );
        });

        it("a public service needs an http port; nothing may depend on a port-less workload", () => {
            expectProblem(
                withService({ name: "rpc", ports: [{ name: "grpc", port: 9090, protocol: "grpc" }], public: true, pathPrefix: "/rpc" }),
                `${LAST}.public`,
                /no http port/,
            );
            const c = withService({ name: "loadgen", readinessProbe: EXEC, livenessProbe: EXEC }, (x) => {
                x.services[0].dependsOn = ["api", "loadgen"];
            });
            expectProblem(c, "platform:services[0].dependsOn[1]", /"loadgen" declares no port/);
            expectProblem(
                withService({ name: "w", metrics: { port: 9100 }, readinessProbe: EXEC, livenessProbe: EXEC }),
                `${LAST}.metrics.port`,
                /no ports.*declare the port under ports/,
            );
        });
    });

    describe("probes", () => {
        it("resolves grpc (port name → container number), tcp, exec and none, each with one handler", () => {
            const s = resolvedLast(
                withService({
                    name: "rpc",
                    ports: [{ name: "grpc", port: 50051, containerPort: 9000, protocol: "grpc" }],
                    readinessProbe: { type: "grpc", service: "orders.v1" },
                    livenessProbe: { type: "tcp", periodSeconds: 20 },
                    startupProbe: { type: "exec", command: ["/bin/grpc_health_probe", "-addr=:9000"] },
                }),
            );
            expect(s.readinessProbe).to.deep.include({ type: "grpc", port: 9000, service: "orders.v1" });
            expect(s.readinessProbe).to.not.have.property("path");
            expect(s.livenessProbe).to.deep.include({ type: "tcp", port: "grpc", periodSeconds: 20 });
            expect(s.startupProbe).to.deep.include({ type: "exec", command: ["/bin/grpc_health_probe", "-addr=:9000"], failureThreshold: 30 });
            const none = resolvedLast(withService({ name: "quiet", port: 8080, startupProbe: { type: "none" } }));
            expect(none.startupProbe).to.deep.equal({ type: "none" });
        });

        it("refuses readiness and liveness type none, naming the pack policy that would refuse the Deployment in every environment", () => {
            expectProblem(
                withService({ name: "quiet", port: 8080, livenessProbe: { type: "none" } }),
                `${LAST}.livenessProbe.type`,
                /is none, but the policy pack's liveness-probe policy refuses a Deployment container without a livenessProbe \(mandatory in every environment: policy\/config\/dev.json, staging.json, production.json\); declare the check the container can answer: type: exec/,
            );
            expectProblem(
                withService({ name: "quiet", port: 8080, readinessProbe: { type: "none" } }),
                `${LAST}.readinessProbe.type`,
                /readiness-probe policy/,
            );
            // Set once in platform:defaults: reported there once, not at every service that inherits it.
            const all = problems(
                withService({ name: "quiet", port: 8080 }, (c) => {
                    c.defaults.readinessProbe = { type: "none" };
                }),
            );
            expect(all.filter((p) => p.startsWith("platform:defaults.readinessProbe.type: is none"))).to.have.length(1);
            expect(all.filter((p) => / is none, /.test(p) && !p.startsWith("platform:defaults"))).to.deep.equal([]);
            // A service that names its own handler overrides the defaults' none.
            expect(() =>
                parse(
                    withService({ name: "own", port: 8080 }, (c) => {
                        c.defaults.livenessProbe = { type: "none" };
                        c.services.forEach((x: Json) => {
                            x.livenessProbe = EXEC;
                        });
                    }),
                ),
            ).to.not.throw();
        });

        it("a service's own handler replaces the stack default's; timings still merge", () => {
            expect(mergeProbe({ type: "http", path: "/health", periodSeconds: 5 }, { path: "/readyz", timeoutSeconds: 2 }, { type: "grpc" })).to.deep.equal({
                periodSeconds: 5,
                timeoutSeconds: 2,
                type: "grpc",
            });
            expect(mergeProbe({ type: "http", path: "/health" }, { periodSeconds: 9 })).to.deep.equal({ type: "http", path: "/health", periodSeconds: 9 });
        });

        it("http probes take a query string, headers, a port by name or number, and HTTPS on an https port", () => {
            const s = resolvedLast(
                withService({
                    name: "tls",
                    ports: [
                        { name: "https", port: 8443, protocol: "https" },
                        { name: "admin", port: 9000 },
                    ],
                    readinessProbe: { path: "/health?ready=1&deep=0", httpHeaders: [{ name: "X-Probe", value: "kubelet" }] },
                    livenessProbe: { path: "/live", port: 9000 },
                }),
            );
            expect(s.readinessProbe).to.deep.include({
                type: "http",
                path: "/health?ready=1&deep=0",
                port: "https",
                scheme: "HTTPS",
                httpHeaders: [{ name: "X-Probe", value: "kubelet" }],
            });
            expect(s.livenessProbe).to.deep.include({ port: 9000, scheme: "HTTP" });
        });

        it("probe headers that carry no credential pass — a $(VAR) reference or a constant — and render as Kubernetes sends them", () => {
            const headers = [
                { name: "Authorization", value: "Bearer $(PROBE_TOKEN)" },
                { name: "X-Api-Key", value: "$(PROBE_KEY)" },
                { name: "X-Probe", value: "kubelet" },
                { name: "Cookie", value: "shop_session-id=x-readiness-probe" },
                { name: "X-Ready", value: "true" },
            ];
            const c = withService({ name: "hdr", port: 8080, readinessProbe: { path: "/ready", httpHeaders: headers } });
            const s = resolvedLast(c);
            // Verbatim: the kubelet expands nothing here, so no escaping and no expansion on the way.
            expect(s.readinessProbe).to.deep.include({ type: "http", httpHeaders: headers });
            expect(probeHeaderReferences(parse(c))).to.deep.equal([
                { key: `${LAST}.readinessProbe.httpHeaders[0].value`, value: "Bearer $(PROBE_TOKEN)" },
                { key: `${LAST}.readinessProbe.httpHeaders[1].value`, value: "$(PROBE_KEY)" },
            ]);
            expect(probeHeaderReferenceWarning(probeHeaderReferences(parse(c))[0])).to.equal(
                `${LAST}.readinessProbe.httpHeaders[0].value is "Bearer $(PROBE_TOKEN)", sent as written: Kubernetes expands $(VAR) in a container's command, args and env, never in probe headers, ` +
                    `so the kubelet sends the text "$(PROBE_TOKEN)" literally; write the constant the endpoint expects, or use an exec probe if the value must come from the container's environment`,
            );
            // Headers in platform:defaults and in sidecars are found where they are written.
            const d = withService(
                {
                    name: "hdr",
                    port: 8080,
                    sidecars: [
                        {
                            name: "proxy",
                            image: "ghcr.io/acme/proxy:2.1.0",
                            ports: [{ name: "admin", containerPort: 15000 }],
                            readinessProbe: { type: "http", httpHeaders: [{ name: "X-Node", value: "$(NODE_NAME)" }] },
                            livenessProbe: { type: "tcp" },
                        },
                    ],
                },
                (x) => {
                    x.defaults.livenessProbe = { ...x.defaults.livenessProbe, httpHeaders: [{ name: "X-Env", value: "$(ENVIRONMENT)" }] };
                },
            );
            expect(probeHeaderReferences(parse(d)).map((r) => r.key)).to.deep.equal([
                "platform:defaults.livenessProbe.httpHeaders[0].value",
                `${LAST}.sidecars[0].readinessProbe.httpHeaders[0].value`,
            ]);
        });

        it("refuses a header name or value Kubernetes or the kubelet would refuse, and a literal credential the pack would refuse", () => {
            const probe = (h: Json, path?: string) => withService({ name: "hdr", port: 8080, readinessProbe: { ...(path ? { path } : {}), httpHeaders: [h] } });
            // The apiserver's IsHTTPHeaderName: letters, digits and '-' (an RFC 9110 token is wider).
            for (const name of ["X_Probe", "X.Probe", "X Probe"])
                expectProblem(probe({ name, value: "a" }), `${LAST}.readinessProbe.httpHeaders[0].name`, /letters, digits and '-' only/);
            expectProblem(
                probe({ name: "X-Probe", value: "a\r\nX-Injected: 1" }),
                `${LAST}.readinessProbe.httpHeaders[0].value`,
                /contains a line break or another control character/,
            );
            expectProblem(
                probe({ name: "X-Api-Key", value: "sk_live_4eC39HqLyjWDarjtT1zdp7dc" }),
                `${LAST}.readinessProbe.httpHeaders[0].value`,
                /of "X-Api-Key" .*cannot read a Secret/,
            );
            expectProblem(
                probe({ name: "Cookie", value: "sessionid=8c1f3a9b2d7e4f60a5b1c2d3e4f5a6b7" }),
                `${LAST}.readinessProbe.httpHeaders[0].value`,
                /of "Cookie" cookie sessionid/,
            );
            expectProblem(
                probe({ name: "X-Probe", value: "kubelet" }, "/ready?token=9f2c41d07be34a6c8d15e2f0a7b3c9d1"),
                `${LAST}.readinessProbe.path`,
                /a probe path is plaintext in the pod spec/,
            );
        });

        it("refuses a port-less workload that inherits an http probe, naming the probe and the fix", () => {
            expectProblem(
                withService({ name: "worker2" }),
                `${LAST}.readinessProbe`,
                /needs a port and the container declares none; set type: exec.*inherited/,
            );
        });

        it("refuses fields of another handler, unknown port names, exec without command and credential headers", () => {
            expectProblem(
                withService({ name: "a", port: 8080, readinessProbe: { type: "grpc", path: "/x" } }),
                `${LAST}.readinessProbe.path`,
                /does not apply to a grpc probe/,
            );
            expectProblem(
                withService({ name: "b", port: 8080, readinessProbe: { type: "http", port: "admin" } }),
                `${LAST}.readinessProbe`,
                /port "admin" is not a port of this container/,
            );
            expectProblem(
                withService({ name: "c", port: 8080, livenessProbe: { type: "exec" } }),
                `${LAST}.livenessProbe.command`,
                /is required for an exec probe/,
            );
            expectProblem(
                withService({
                    name: "d",
                    port: 8080,
                    readinessProbe: { httpHeaders: [{ name: "Authorization", value: "Bearer 9f2c41d07be34a6c8d15e2f0a7b3c9d1" }] },
                }),
                `${LAST}.readinessProbe.httpHeaders[0].value`,
                /of "Authorization" .*; probe headers are plaintext in the pod spec and cannot read a Secret/,
            );
            expectProblem(withService({ name: "e", port: 8080, readinessProbe: { path: "no-slash" } }), `${LAST}.readinessProbe.path`, /starting with '\/'/);
        });
    });

    describe("sidecars, init containers and volumes", () => {
        const sidecar = {
            name: "proxy",
            image: "ghcr.io/acme/proxy:2.1.0",
            ports: [{ name: "proxy-admin", containerPort: 15000 }],
            readinessProbe: { type: "tcp" },
            livenessProbe: { type: "tcp" },
        };

        it("resolve with default resources, probes against their own ports, and their secrets among the stack's secret keys", () => {
            const c = withService({
                name: "shop",
                port: 8080,
                sidecars: [{ ...sidecar, secretEnv: [{ name: "PROXY_TOKEN", secret: "proxyToken" }] }],
                initContainers: [
                    {
                        name: "wait",
                        image: "ghcr.io/acme/wait:1.0.0",
                        command: ["/wait"],
                        resources: { limits: { memory: "32Mi" }, requests: { memory: "16Mi" } },
                    },
                ],
            });
            const s = resolvedLast(c);
            expect(s.sidecars[0].resources).to.deep.equal({
                requests: { cpu: "50m", memory: "64Mi", ephemeralStorage: "16Mi" },
                limits: { cpu: "200m", memory: "128Mi", ephemeralStorage: "128Mi" },
            });
            expect(s.sidecars[0].readinessProbe).to.deep.include({ type: "tcp", port: "proxy-admin" });
            expect(s.sidecars[0].livenessProbe).to.deep.include({ type: "tcp", port: "proxy-admin" });
            expect(s.initContainers[0].resources.requests.memory).to.equal("16Mi");
            expect(s.secretKeys).to.include("proxyToken");
            expect(requiredSecretKeys(parse(c)).map((k) => k.key)).to.include("proxyToken");
        });

        it("a sidecar's probes resolve against every port its container declares: its own and the service ports that name it", () => {
            // The check accepted this and the model then threw a plain Error ("unresolvable probe"): they disagreed on the sidecar's ports.
            const s = resolvedLast(
                withService({
                    name: "mesh",
                    ports: [
                        { name: "http", port: 8080 },
                        { name: "proxy-https", port: 8443, protocol: "https", container: "proxy" },
                        { name: "proxy-grpc", port: 9901, containerPort: 19901, protocol: "grpc", container: "proxy" },
                    ],
                    sidecars: [
                        {
                            name: "proxy",
                            image: "ghcr.io/acme/proxy:2.1.0",
                            ports: [{ name: "proxy-admin", containerPort: 15000 }],
                            readinessProbe: { type: "http", path: "/ready", port: "proxy-https" },
                            livenessProbe: { type: "grpc", port: "proxy-grpc" },
                            startupProbe: { type: "tcp" },
                        },
                    ],
                }),
            );
            expect(s.sidecars[0].readinessProbe).to.deep.include({ type: "http", port: "proxy-https", scheme: "HTTPS" });
            expect(s.sidecars[0].livenessProbe).to.deep.include({ type: "grpc", port: 19901 });
            // Without a port the probe takes the sidecar's first port, as the check assumed.
            expect(s.sidecars[0].startupProbe).to.deep.include({ type: "tcp", port: "proxy-admin" });
            // A service port of another container is still not the sidecar's.
            expectProblem(
                withService({ name: "mesh", ports: [{ name: "http", port: 8080 }], sidecars: [{ ...sidecar, readinessProbe: { type: "tcp", port: "http" } }] }),
                `${LAST}.sidecars[0].readinessProbe`,
                /port "http" is not a port of this container \(declared: proxy-admin\)/,
            );
        });

        it("refuses requests above limits, clashing names, unknown volume mounts and a probe without a port", () => {
            const c = withService({
                name: "shop",
                port: 8080,
                sidecars: [
                    { ...sidecar, resources: { requests: { cpu: "500m" }, limits: { cpu: "100m" } } },
                    { name: "shop", image: "ghcr.io/acme/x:1.0.0", volumeMounts: ["cache"], livenessProbe: { type: "http" } },
                ],
            });
            expectProblem(c, `${LAST}.sidecars[0].resources.requests.cpu`, /CPU request 500m \(set here\) exceeds the CPU limit 100m/);
            expectProblem(c, `${LAST}.sidecars[1].name`, /already a container of this pod/);
            expectProblem(c, `${LAST}.sidecars[1].volumeMounts[0]`, /"cache" is not one of the service's volumes/);
            expectProblem(c, `${LAST}.sidecars[1].livenessProbe`, /needs a port and the container declares none/);
        });

        describe("per-container mounts", () => {
            const seed = { name: "seed", image: "ghcr.io/acme/seed:1.0.0", command: ["cp", "-r", "/app/data/.", "/seed/"] };
            const shipped = (extra: Json = {}) =>
                withService({
                    name: "shop",
                    port: 8080,
                    volumes: [
                        { name: "data", size: "64Mi" },
                        { name: "cache", mountPath: "/cache" },
                    ],
                    volumeMounts: [
                        { volume: "data", mountPath: "/app/data", readOnly: true },
                        { volume: "data", mountPath: "/etc/shop/shop.yaml", subPath: "config/shop.yaml", readOnly: true },
                    ],
                    initContainers: [{ ...seed, volumeMounts: [{ volume: "data", mountPath: "/seed" }, "cache"] }],
                    ...extra,
                });

            it("a volume at another path per container, subPath mounts, and a volume only explicit mounts see", () => {
                const s = resolvedLast(shipped());
                expect(s.volumes[0]).to.not.have.property("mountPath");
                expect(s.volumeMounts).to.deep.equal([
                    { volume: "data", mountPath: "/app/data", readOnly: true },
                    { volume: "data", mountPath: "/etc/shop/shop.yaml", subPath: "config/shop.yaml", readOnly: true },
                ]);
                expect(s.initContainers[0].volumeMounts).to.deep.equal([{ volume: "data", mountPath: "/seed" }, "cache"]);
                // Without the new keys a service resolves as before: no mounts of its own.
                expect(resolvedLast(withService({ name: "plain", port: 8080 })).volumeMounts).to.deep.equal([]);
            });

            it("refuses an unknown volume, naming the declared ones", () => {
                expectProblem(
                    shipped({ volumeMounts: [{ volume: "dta", mountPath: "/app/data" }] }),
                    `${LAST}.volumeMounts[0].volume`,
                    /"dta" is not one of the service's volumes \(data, cache\); declare it under volumes or fix the name/,
                );
                expectProblem(
                    shipped({ initContainers: [{ ...seed, volumeMounts: [{ volume: "seed", mountPath: "/seed" }] }] }),
                    `${LAST}.initContainers[0].volumeMounts[0].volume`,
                    /"seed" is not one of the service's volumes/,
                );
            });

            it("refuses two mounts at one path in a container (/tmp included), not across containers", () => {
                expectProblem(
                    shipped({ volumeMounts: [{ volume: "data", mountPath: "/cache/" }] }),
                    `${LAST}.volumeMounts[0].mountPath`,
                    /"\/cache\/" is already mounted in the main container "shop" \(volume "cache"\); Kubernetes requires one mount per path in a container: choose another mountPath/,
                );
                expectProblem(
                    shipped({ initContainers: [{ ...seed, volumeMounts: [{ volume: "data", mountPath: "/tmp" }] }] }),
                    `${LAST}.initContainers[0].volumeMounts[0].mountPath`,
                    /already mounted in init container "seed" \(the platform's \/tmp scratch volume\)/,
                );
                expectProblem(
                    shipped({
                        initContainers: [
                            {
                                ...seed,
                                volumeMounts: [
                                    { volume: "data", mountPath: "/seed" },
                                    { volume: "cache", mountPath: "/seed" },
                                ],
                            },
                        ],
                    }),
                    `${LAST}.initContainers[0].volumeMounts[1].mountPath`,
                    /"\/seed" is already mounted in init container "seed" \(volume "data"\)/,
                );
                // The main container mounts data at /app/data; the init container may use that path for another volume.
                expect(() =>
                    parse(
                        shipped({
                            initContainers: [
                                {
                                    ...seed,
                                    volumeMounts: [
                                        { volume: "cache", mountPath: "/app/data" },
                                        { volume: "data", mountPath: "/seed" },
                                    ],
                                },
                            ],
                        }),
                    ),
                ).to.not.throw();
            });

            it("refuses a subPath that is absolute, steps out with .., or is empty, as the apiserver does", () => {
                const sub = (subPath: string) => shipped({ volumeMounts: [{ volume: "data", mountPath: "/app/data", subPath }] });
                expectProblem(
                    sub("/config"),
                    `${LAST}.volumeMounts[0].subPath`,
                    /"\/config" is absolute, but a subPath is relative to the volume's root \(Kubernetes refuses an absolute one\): write "config"/,
                );
                expectProblem(sub("config/../../etc"), `${LAST}.volumeMounts[0].subPath`, /steps out of the volume with "\.\.", which Kubernetes refuses/);
                expectProblem(sub(".."), `${LAST}.volumeMounts[0].subPath`, /steps out of the volume/);
                expectProblem(sub(""), `${LAST}.volumeMounts[0].subPath`, /must not be empty; leave subPath out to mount the whole volume/);
                // ".." inside a name is not a step out of the volume.
                expect(() => parse(sub("releases/v1..v2/data"))).to.not.throw();
            });

            it("refuses a name-only mount of a volume without mountPath, a volume nothing mounts, and a writable mount of a read-only claim", () => {
                expectProblem(
                    shipped({ initContainers: [{ ...seed, volumeMounts: ["data"] }] }),
                    `${LAST}.initContainers[0].volumeMounts[0]`,
                    /"data" has no mountPath of its own \(platform:services\[3\].volumes\[0\]\), so a name alone does not say where to mount it; write \{ volume: data, mountPath: \/path \}/,
                );
                expectProblem(
                    shipped({ volumeMounts: [], initContainers: [] }),
                    `${LAST}.volumes[0].mountPath`,
                    /is not set and no container lists volume "data" in its volumeMounts, so nothing mounts it/,
                );
                expectProblem(
                    withService({
                        name: "db",
                        port: 8080,
                        volumes: [{ name: "data", type: "persistent", size: "1Gi", readOnly: true, mountPath: "/data" }],
                        initContainers: [{ ...seed, volumeMounts: [{ volume: "data", mountPath: "/seed", readOnly: false }] }],
                    }),
                    `${LAST}.initContainers[0].volumeMounts[0].readOnly`,
                    /is false, but volume "data" is a read-only claim \(platform:services\[3\].volumes\[0\].readOnly: true\)/,
                );
            });

            it("a misspelt mount setting gets a suggestion; a mount that is neither a name nor a mapping says what it may be", () => {
                expectProblem(
                    shipped({ volumeMounts: [{ volume: "data", mountPath: "/app/data", subpath: "x" }] }),
                    `${LAST}.volumeMounts[0].subpath`,
                    /did you mean "subPath"/,
                );
                expectProblem(
                    shipped({ initContainers: [{ ...seed, volumeMounts: [{ volume: "data", mountPath: "/seed", subpath: "x" }] }] }),
                    `${LAST}.initContainers[0].volumeMounts[0].subpath`,
                    /did you mean "subPath"/,
                );
                expectProblem(
                    shipped({ initContainers: [{ ...seed, volumeMounts: [42] }] }),
                    `${LAST}.initContainers[0].volumeMounts[0]`,
                    /must be a volume name or a mount such as \{ volume: data, mountPath: \/seed, subPath: seed \}/,
                );
            });
        });

        it("a memory-backed /tmp: platform:defaults.tmpMedium or per service, refused when as large as the memory limit it counts against", () => {
            expect(resolvedLast(withService({ name: "plain", port: 8080 })).tmpMedium).to.equal("Disk");
            expect(
                resolvedLast(
                    withService({ name: "ram", port: 8080 }, (c) => {
                        c.defaults.tmpMedium = "Memory";
                    }),
                ).tmpMedium,
            ).to.equal("Memory");
            expect(
                resolvedLast(
                    withService({ name: "disk", port: 8080, tmpMedium: "Disk" }, (c) => {
                        c.defaults.tmpMedium = "Memory";
                    }),
                ).tmpMedium,
            ).to.equal("Disk");
            expectProblem(
                withService({ name: "ram", port: 8080, tmpMedium: "memory" }),
                `${LAST}.tmpMedium`,
                /must be Disk \(the node's default medium\) or Memory/,
            );
            expectProblem(
                withService({ name: "ram", port: 8080, tmpMedium: "Memory", tmpSizeLimit: "1Gi", resources: { limits: { memory: "512Mi" } } }),
                `${LAST}.tmpSizeLimit`,
                /is 1Gi \(set here\) with tmpMedium: Memory, at least the container's memory limit 512Mi: a memory-backed \/tmp counts against that limit, so filling it would OOM-kill the container/,
            );
            // The same size on disk is only ephemeral storage.
            expect(() =>
                parse(withService({ name: "disk", port: 8080, tmpSizeLimit: "1Gi", resources: { limits: { memory: "512Mi", ephemeralStorage: "2Gi" } } })),
            ).to.not.throw();
        });

        it("persistent volumes need a size and cannot be single-writer under several replicas; /tmp stays the platform's", () => {
            expectProblem(
                withService({ name: "db", port: 8080, volumes: [{ name: "data", mountPath: "/data", type: "persistent" }] }),
                `${LAST}.volumes[0].size`,
                /is required for a persistent volume/,
            );
            expectProblem(
                withService({ name: "db", port: 8080, replicas: 2, volumes: [{ name: "data", mountPath: "/data", type: "persistent", size: "1Gi" }] }),
                `${LAST}.volumes[0].accessMode`,
                /several replicas; set replicas: 1/,
            );
            expectProblem(
                withService({ name: "db", port: 8080, volumes: [{ name: "scratch", mountPath: "/tmp" }] }),
                `${LAST}.volumes[0].mountPath`,
                /already mounted/,
            );
            expectProblem(
                withService({ name: "db", port: 8080, volumes: [{ name: "scratch", mountPath: "/s", retain: false }] }),
                `${LAST}.volumes[0].retain`,
                /persistent volumes only/,
            );
        });
    });

    describe("env composed from secrets", () => {
        it("finds $(VAR) references and skips the $$(VAR) escape", () => {
            expect(envReferences("postgres://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@$(POSTGRES_HOST)/db?x=$$(LITERAL)")).to.deep.equal([
                "POSTGRES_USER",
                "POSTGRES_PASSWORD",
                "POSTGRES_HOST",
            ]);
        });

        it("accepts references to secret env, store env and literals; refuses unknown and composed-of-composed references", () => {
            const ok = withService({
                name: "svc",
                port: 8080,
                uses: ["postgres"],
                secretEnv: [{ name: "API_KEY", secret: "apiKey" }],
                env: {
                    DATABASE_URL: "postgres://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DB)",
                    AUTH: "key=$(API_KEY)",
                },
            });
            expect(() => parse(ok)).to.not.throw();
            const bad = withService({ name: "svc", port: 8080, env: { REDIS_URL: "redis://:$(REDIS_PASSWORD)@redis:6379", BOTH: "$(REDIS_URL)" } });
            expectProblem(bad, `${LAST}.env.REDIS_URL`, /references \$\(REDIS_PASSWORD\), which this container does not define/);
            expectProblem(bad, `${LAST}.env.BOTH`, /itself composed/);
        });

        it("accepts a $(VAR) that only an out-of-band envFrom Secret can define, and names it for the preview warning", () => {
            const c = withService({
                name: "svc",
                port: 8080,
                envFrom: [{ secretRef: "vendor-env" }],
                env: { VENDOR_URL: "https://u:$(VENDOR_TOKEN)@api.vendor.example" },
            });
            const refs = envFromReferences(parse(c));
            expect(refs).to.deep.equal([{ key: `${LAST}.env.VENDOR_URL`, variable: "VENDOR_TOKEN", secrets: ["vendor-env"] }]);
            expect(envFromReferenceWarning(refs[0])).to.equal(
                `${LAST}.env.VENDOR_URL references $(VENDOR_TOKEN), which the platform does not define: Kubernetes takes it from envFrom Secret vendor-env ` +
                    `(created outside this stack, so its keys are unknown here); if it has no such key, the app sees the literal text "$(VENDOR_TOKEN)"`,
            );
            // Known variables are never reported, and without envFrom nothing is.
            expect(
                envFromReferences(
                    parse(withService({ name: "svc", port: 8080, secretEnv: [{ name: "API_KEY", secret: "apiKey" }], env: { AUTH: "key=$(API_KEY)" } })),
                ),
            ).to.deep.equal([]);
        });

        it("refuses a $(VAR) that no envFrom Secret can define because of its prefix", () => {
            const c = withService({
                name: "svc",
                port: 8080,
                envFrom: [{ secretRef: "vendor-env", prefix: "VENDOR_" }],
                env: { DSN: "db://$(DB_TOKEN)@db", URL: "x://$(VENDOR_TOKEN)" },
            });
            expectProblem(
                c,
                `${LAST}.env.DSN`,
                /references \$\(DB_TOKEN\), which this container does not define; .*envFrom Secrets define only variables starting with "VENDOR_"/,
            );
            expect(problems(c).filter((p) => p.includes(".env.URL"))).to.deep.equal([]);
        });

        it("names only store env that $(VAR) may use whatever the store settings (the stores hand over at least these)", () => {
            const names = (c: { env: object; secretEnv: object }) => [...Object.keys(c.env), ...Object.keys(c.secretEnv)].sort();
            const ref = (key: string) => ({ secretName: "s", key });
            const login = { username: "u", usernameRef: ref("u"), passwordRef: ref("p") };
            const cfg = parse(base());
            expect(names(postgresClientConnection("postgres", cfg.postgres, "svc", { runtime: login, migration: login }))).to.deep.equal(
                alwaysStoreEnvNames("postgres").sort(),
            );
            expect(names(redisClientConnection("redis", {}, login))).to.deep.equal(alwaysStoreEnvNames("redis").sort());
            for (const tls of [true, false]) {
                const kafka = names(
                    kafkaClientConnection({ bootstrapServers: "b:9093", clusterName: "events", tls, credentials: { ...login, jaasConfigRef: ref("j") } }),
                );
                expect(kafka).to.include.members(alwaysStoreEnvNames("kafka"));
            }
        });
    });

    describe("RBAC rules", () => {
        it("accepts least-privilege rules on named resources", () => {
            const s = resolvedLast(
                withService({
                    name: "reader",
                    port: 8080,
                    rbac: { rules: [{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["flags"], verbs: ["get", "list", "watch"] }] },
                }),
            );
            expect(s.rbac!.rules[0].verbs).to.deep.equal(["get", "list", "watch"]);
        });

        it("bounds the projected token's lifetime to what Kubernetes and the policy pack accept; reserves the token volume", () => {
            const rules = [{ apiGroups: [""], resources: ["endpoints"], verbs: ["list"] }];
            expect(resolvedLast(withService({ name: "reader", port: 8080, rbac: { rules } })).rbac!.tokenExpirationSeconds).to.equal(3600);
            expectProblem(
                withService({ name: "reader", port: 8080, rbac: { rules, tokenExpirationSeconds: 300 } }),
                `${LAST}.rbac.tokenExpirationSeconds`,
                /at least 600/,
            );
            expectProblem(
                withService({ name: "reader", port: 8080, rbac: { rules, tokenExpirationSeconds: 86400 } }),
                `${LAST}.rbac.tokenExpirationSeconds`,
                /at most 3600: the policy pack refuses/,
            );
            expectProblem(
                withService({ name: "reader", port: 8080, volumes: [{ name: "kube-api-access", mountPath: "/data" }] }),
                `${LAST}.volumes[0].name`,
                /API token volume/,
            );
            expectProblem(
                withService({ name: "reader", port: 8080, volumes: [{ name: "sa", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }] }),
                `${LAST}.volumes[0].mountPath`,
                /mounts the API token/,
            );
        });

        it("refuses wildcards, escalation verbs, unnamed Secrets and RBAC objects", () => {
            const rule = (r: Json) =>
                withService({ name: "reader", port: 8080, rbac: { rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"], ...r }] } });
            expectProblem(rule({ verbs: ["*"] }), `${LAST}.rbac.rules[0].verbs[0]`, /escalate, bind, impersonate and \* are refused/);
            expectProblem(rule({ resources: ["*"] }), `${LAST}.rbac.rules[0].resources[0]`, /wildcards are refused/);
            expectProblem(rule({ resources: ["secrets"] }), `${LAST}.rbac.rules[0].resourceNames`, /is required for secrets/);
            expectProblem(
                rule({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"] }),
                `${LAST}.rbac.rules[0].resources`,
                /grant itself permissions/,
            );
        });
    });

    describe("structured logs and OpenTelemetry export", () => {
        it("merges service fields over platform:defaults.otel and resolves the endpoint's port", () => {
            const s = resolvedLast(
                withService(
                    { name: "traced", port: 8080, logFormat: "json", otel: { protocol: "http/protobuf", resourceAttributes: { "team.name": "core" } } },
                    (c) => {
                        c.defaults.otel = { endpoint: "http://otel-collector.observability:4318", collectorNamespace: "observability" };
                    },
                ),
            );
            expect(s.logFormat).to.equal("json");
            expect(s.otel).to.deep.equal({
                endpoint: "http://otel-collector.observability:4318",
                protocol: "http/protobuf",
                port: 4318,
                local: false,
                collectorNamespace: "observability",
                resourceAttributes: { "team.name": "core" },
            });
            expect(resolvedLast(withService({ name: "agent", port: 8080, otel: { endpoint: "http://localhost" } })).otel).to.deep.include({
                port: 4317,
                local: true,
            });
            expect(resolvedLast(withService({ name: "plain", port: 8080 }))).to.not.have.property("otel");
            // An explicit port is the port, even the scheme's default one that URL parsing drops (":80" on http).
            expect(
                resolvedLast(
                    withService({
                        name: "eighty",
                        port: 8080,
                        otel: { endpoint: "http://otel-collector.observability:80", collectorNamespace: "observability" },
                    }),
                ).otel,
            ).to.deep.include({ port: 80 });
        });

        it("refuses an in-cluster collector without its namespace (the default deny would drop the export) and a malformed endpoint", () => {
            expectProblem(
                withService({ name: "traced", port: 8080, otel: { endpoint: "http://otel-collector.observability:4317" } }),
                `${LAST}.otel.collectorNamespace`,
                /is required for the collector.*port 4317/,
            );
            expectProblem(withService({ name: "traced", port: 8080, otel: { endpoint: "otel:4317" } }), `${LAST}.otel.endpoint`, /must be an http\(s\) URL/);
        });
    });

    describe("reserved names", () => {
        it("lists the baseline's and the enabled stores' objects", () => {
            const names = reservedNames(parse(base())).map((r) => r.name);
            expect(names).to.include.members(["default-deny", "allow-dns-egress", "postgres", "postgres-rw", "redis", "events", "events-kafka-bootstrap"]);
        });

        it("refuses a service named after a platform object or another service's batch workload, naming the object", () => {
            expectProblem(withService({ name: "default-deny", port: 8080 }), `${LAST}.name`, /collides with NetworkPolicy default-deny/);
            expectProblem(withService({ name: "redis", port: 8080 }), `${LAST}.name`, /collides with the Valkey store "redis".*selector labels/);
            expectProblem(withService({ name: "postgres-rw", port: 8080 }), `${LAST}.name`, /Service postgres-rw of the PostgreSQL cluster/);
            expectProblem(withService({ name: "api-migrate", port: 8080 }), `${LAST}.name`, /migration Job of service "api"/);
            // A store that is off reserves nothing.
            expect(() =>
                parse(
                    withService({ name: "redis", port: 8080 }, (c) => {
                        c.redis.enabled = false;
                        c.services[1].uses = ["postgres", "kafka"];
                    }),
                ),
            ).to.not.throw();
        });
    });
});
