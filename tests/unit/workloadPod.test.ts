// The objects the workload model produces: Service and container ports, NetworkPolicy ports, probes, extra
// containers, volumes and claims, RBAC, envFrom, the secret checksum, and workloads without a Service.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { AppSecrets } from "../../components/secrets/appSecrets";
import { ResolvedService } from "../../components/config";
import { Microservice, MicroserviceArgs } from "../../components/service/microservice";
import { configMapData, deploymentSpec, DeploymentSpecArgs, SECRET_CHECKSUM_ANNOTATION } from "../../components/service/serviceDeployment";
import { serviceSpec, serviceUrls } from "../../components/service/serviceExposure";
import { serviceNetworkPolicySpec } from "../../components/service/serviceNetworkPolicy";
import { probeSpec } from "../../components/service/probes";
import { batchPodSpec } from "../../components/service/podTemplate";
import { resolve } from "../../tools/mocks";
import { inputs, labelContext, parseConfig, platformContext, rawPlatform, resolved, underMocks } from "./componentFixtures";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const K = {
    deploy: "kubernetes:apps/v1:Deployment",
    svc: "kubernetes:core/v1:Service",
    sm: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    binding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
};
const labels = labelContext();
const TIMINGS = { initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 4 };

/** The staging fixture with `catalog` replaced by the given service (it keeps the name "catalog"). */
function catalog(patch: Obj, edit: (services: Obj[]) => void = () => undefined): ResolvedService {
    const raw = rawPlatform();
    const services = raw.services as Obj[];
    edit(services);
    const i = services.findIndex((s) => s.name === "catalog");
    services[i] = { name: "catalog", image: "ghcr.io/acme/catalog:3.0.0", component: "backend", autoscaling: { enabled: false }, replicas: 1, ...patch };
    return resolved("catalog", parseConfig(raw));
}

const specArgs = (svc: ResolvedService, over: Partial<DeploymentSpecArgs> = {}): DeploymentSpecArgs => ({
    context: platformContext(),
    service: svc,
    configMapName: `${svc.name}-config`,
    serviceAccountName: svc.name,
    secretEnv: {},
    configChecksum: "abc",
    dapr: { enabled: false, logLevel: "info" },
    ...over,
});
const pod = (svc: ResolvedService, over: Partial<DeploymentSpecArgs> = {}) => (deploymentSpec(specArgs(svc, over)) as Obj).template.spec;
const network = {
    callers: ["api"],
    dependencies: [],
    edgeNamespace: "ingress-nginx",
    monitoringNamespace: "monitoring",
    apiServer: { cidrs: ["10.0.0.0/8"], ports: [443, 6443] },
};

function componentArgs(svc: ResolvedService, over: Partial<MicroserviceArgs> = {}): MicroserviceArgs {
    return {
        context: platformContext(),
        service: svc,
        secretEnv: {},
        connections: [],
        network,
        observability: { serviceMonitors: true, scrapeInterval: "30s" },
        dapr: { enabled: false, logLevel: "info" },
        ...over,
    };
}

const MULTI = {
    ports: [
        { name: "http", port: 80, containerPort: 8080 },
        { name: "grpc", port: 9090, protocol: "grpc" },
        { name: "statsd", port: 8125, protocol: "udp" },
    ],
    public: true,
    pathPrefix: "/catalog",
};

describe("workload model objects", () => {
    describe("ports", () => {
        const svc = catalog(MULTI);

        it("the Service exposes each declared port, targeting the named container port", () => {
            expect(serviceSpec(labels, svc).ports).to.deep.equal([
                { name: "http", port: 80, targetPort: "http", protocol: "TCP", appProtocol: "http" },
                { name: "grpc", port: 9090, targetPort: "grpc", protocol: "TCP", appProtocol: "grpc" },
                { name: "statsd", port: 8125, targetPort: "statsd", protocol: "UDP" },
            ]);
            expect(pod(svc).containers[0].ports).to.deep.equal([
                { name: "http", containerPort: 8080, protocol: "TCP" },
                { name: "grpc", containerPort: 9090, protocol: "TCP" },
                { name: "statsd", containerPort: 8125, protocol: "UDP" },
            ]);
        });

        it("NetworkPolicies open exactly the declared container ports: callers all, the edge the http one, monitoring the scraped one", () => {
            const np = serviceNetworkPolicySpec(labels, svc, network, [], { enabled: false, logLevel: "info" }) as Obj;
            const [callers, edge, monitoring] = np.ingress;
            expect(callers.ports).to.deep.equal([
                { protocol: "TCP", port: 8080 },
                { protocol: "UDP", port: 8125 },
                { protocol: "TCP", port: 9090 },
            ]);
            expect(edge.ports).to.deep.equal([{ protocol: "TCP", port: 8080 }]);
            expect(monitoring.ports).to.deep.equal([{ protocol: "TCP", port: 8080 }]);
            expect(JSON.stringify(np)).to.not.match(/"port":80[,}]/);
        });

        it("a caller's egress opens the dependency's declared container ports", () => {
            const np = serviceNetworkPolicySpec(
                labels,
                resolved("web"),
                {
                    ...network,
                    callers: [],
                    dependencies: [
                        {
                            name: "catalog",
                            ports: [
                                { port: 8080, protocol: "TCP" },
                                { port: 8125, protocol: "UDP" },
                            ],
                        },
                    ],
                },
                [],
                { enabled: false, logLevel: "info" },
            ) as Obj;
            expect(np.egress[0].ports).to.deep.equal([
                { protocol: "TCP", port: 8080 },
                { protocol: "UDP", port: 8125 },
            ]);
        });

        it("URLs carry each protocol's scheme: http://, grpc://, udp://", () => {
            expect(serviceUrls(svc, "shop")).to.deep.equal({
                http: "http://catalog.shop.svc.cluster.local:80",
                grpc: "grpc://catalog.shop.svc.cluster.local:9090",
                statsd: "udp://catalog.shop.svc.cluster.local:8125",
            });
        });

        it("NET_BIND_SERVICE is added back on the main container only, after drop ALL", () => {
            const s = catalog({
                ports: [{ name: "http", port: 80, containerPort: 80 }],
                capabilities: { add: ["NET_BIND_SERVICE"] },
                sidecars: [
                    {
                        name: "side",
                        image: "ghcr.io/acme/side:1.0.0",
                        readinessProbe: { type: "exec", command: ["/bin/ok"] },
                        livenessProbe: { type: "exec", command: ["/bin/ok"] },
                    },
                ],
            });
            const p = pod(s);
            expect(p.containers[0].securityContext.capabilities).to.deep.equal({ drop: ["ALL"], add: ["NET_BIND_SERVICE"] });
            expect(p.initContainers[0].securityContext.capabilities).to.deep.equal({ drop: ["ALL"] });
        });
    });

    describe("probes", () => {
        it("one handler per kind, none omitted", () => {
            expect(probeSpec({ type: "grpc", port: 9090, service: "x", ...TIMINGS })).to.deep.equal({ grpc: { port: 9090, service: "x" }, ...TIMINGS });
            expect(probeSpec({ type: "tcp", port: "grpc", ...TIMINGS })).to.deep.equal({ tcpSocket: { port: "grpc" }, ...TIMINGS });
            expect(probeSpec({ type: "exec", command: ["/bin/check"], ...TIMINGS })).to.deep.equal({ exec: { command: ["/bin/check"] }, ...TIMINGS });
            expect(
                probeSpec({ type: "http", path: "/h?x=1", port: "http", scheme: "HTTPS", httpHeaders: [{ name: "X-A", value: "b" }], ...TIMINGS }),
            ).to.deep.equal({ httpGet: { path: "/h?x=1", port: "http", scheme: "HTTPS", httpHeaders: [{ name: "X-A", value: "b" }] }, ...TIMINGS });
            expect(probeSpec({ type: "none" })).to.equal(undefined);
        });

        it("a gRPC service gets gRPC probes and a startup probe; nothing forces an HTTP probe on it", () => {
            const s = catalog({
                ports: [{ name: "grpc", port: 9090, protocol: "grpc" }],
                readinessProbe: { type: "grpc" },
                livenessProbe: { type: "grpc" },
                startupProbe: { type: "tcp" },
            });
            const c = pod(s).containers[0];
            expect(c.readinessProbe.grpc).to.deep.equal({ port: 9090 });
            expect(c.livenessProbe.grpc).to.deep.equal({ port: 9090 });
            expect(c.startupProbe).to.deep.include({ tcpSocket: { port: "grpc" }, failureThreshold: 30 });
            expect(JSON.stringify(c)).to.not.include("httpGet");
        });
    });

    describe("extra containers and volumes", () => {
        const s = catalog({
            port: 8080,
            volumes: [
                { name: "cache", mountPath: "/cache", size: "256Mi" },
                { name: "data", mountPath: "/data", type: "persistent", size: "5Gi", storageClass: "fast" },
            ],
            initContainers: [{ name: "seed", image: "ghcr.io/acme/seed:1.0.0", command: ["/seed"], volumeMounts: ["data"] }],
            sidecars: [
                {
                    name: "proxy",
                    image: "ghcr.io/acme/proxy:2.1.0",
                    ports: [{ name: "admin", containerPort: 15000 }],
                    readinessProbe: { type: "http", path: "/ready", port: "admin" },
                    secretEnv: [{ name: "PROXY_TOKEN", secret: "proxyToken" }],
                    livenessProbe: { type: "exec", command: ["/bin/ok"] },
                },
            ],
        });
        const p = pod(s, { containerSecretEnv: { proxy: { PROXY_TOKEN: { secretName: "app-secrets", key: "proxyToken" } } } });

        it("init containers run first, then native sidecars (restartPolicy Always), all with the main container's security context", () => {
            expect(p.initContainers.map((c: Obj) => [c.name, c.restartPolicy])).to.deep.equal([
                ["seed", undefined],
                ["proxy", "Always"],
            ]);
            for (const c of p.initContainers) {
                expect(c.securityContext).to.deep.equal(p.containers[0].securityContext);
                expect(c.resources.requests).to.deep.include({ cpu: "50m", memory: "64Mi" });
                expect(c.resources.limits).to.deep.include({ cpu: "200m", memory: "128Mi" });
            }
            const proxy = p.initContainers[1];
            expect(proxy.readinessProbe.httpGet).to.deep.include({ path: "/ready", port: "admin" });
            expect(proxy.livenessProbe.exec).to.deep.equal({ command: ["/bin/ok"] });
            expect(proxy.env).to.deep.equal([{ name: "PROXY_TOKEN", valueFrom: { secretKeyRef: { name: "app-secrets", key: "proxyToken" } } }]);
        });

        it("a sidecar's probe may name a service port that the sidecar listens on: the probe port is one of its container ports", () => {
            const mesh = catalog({
                ports: [
                    { name: "http", port: 8080 },
                    { name: "edge", port: 443, containerPort: 8443, protocol: "https", container: "proxy" },
                ],
                sidecars: [
                    {
                        name: "proxy",
                        image: "ghcr.io/acme/proxy:2.1.0",
                        readinessProbe: { type: "http", path: "/ready", port: "edge" },
                        livenessProbe: { type: "tcp", port: "edge" },
                    },
                ],
            });
            const proxy = pod(mesh).initContainers[0];
            expect(proxy.ports).to.deep.equal([{ name: "edge", containerPort: 8443, protocol: "TCP" }]);
            expect(proxy.readinessProbe.httpGet).to.deep.include({ path: "/ready", port: "edge", scheme: "HTTPS" });
            expect(proxy.livenessProbe.tcpSocket).to.deep.equal({ port: "edge" });
            expect(pod(mesh).containers[0].ports).to.deep.equal([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
        });

        it("volumes: emptyDir with a size limit, a claim for the persistent one; mounts where declared; Recreate for a single-writer claim", () => {
            expect(p.volumes).to.deep.equal([
                { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                { name: "cache", emptyDir: { sizeLimit: "256Mi" } },
                { name: "data", persistentVolumeClaim: { claimName: "catalog-data" } },
            ]);
            expect(p.containers[0].volumeMounts.map((m: Obj) => m.mountPath)).to.deep.equal(["/tmp", "/cache", "/data"]);
            expect(p.initContainers[0].volumeMounts.map((m: Obj) => m.mountPath)).to.deep.equal(["/tmp", "/data"]);
            expect(p.initContainers[1].volumeMounts.map((m: Obj) => m.mountPath)).to.deep.equal(["/tmp"]);
            expect((deploymentSpec(specArgs(s)) as Obj).strategy).to.deep.equal({ type: "Recreate" });
        });

        it("per-container mounts: a volume at another path per container, subPath and readOnly as Kubernetes takes them", () => {
            const shipped = catalog({
                port: 8080,
                volumes: [
                    { name: "data", size: "64Mi" },
                    { name: "cache", mountPath: "/cache", readOnly: true },
                ],
                volumeMounts: [
                    { volume: "data", mountPath: "/app/data", readOnly: true },
                    { volume: "data", mountPath: "/etc/catalog/catalog.yaml", subPath: "config/catalog.yaml" },
                    { volume: "cache", mountPath: "/var/cache/catalog", readOnly: false },
                ],
                initContainers: [
                    {
                        name: "seed",
                        image: "ghcr.io/acme/catalog:3.0.0",
                        command: ["cp", "-r", "/app/data/.", "/seed/"],
                        volumeMounts: [{ volume: "data", mountPath: "/seed" }, "cache"],
                    },
                ],
                sidecars: [
                    {
                        name: "proxy",
                        image: "ghcr.io/acme/proxy:2.1.0",
                        volumeMounts: [{ volume: "data", mountPath: "/srv/static", subPath: "static", readOnly: true }],
                        readinessProbe: { type: "exec", command: ["/bin/ok"] },
                        livenessProbe: { type: "exec", command: ["/bin/ok"] },
                    },
                ],
            });
            const q = pod(shipped);
            expect(q.volumes).to.deep.equal([
                { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                { name: "data", emptyDir: { sizeLimit: "64Mi" } },
                { name: "cache", emptyDir: { sizeLimit: "64Mi" } },
            ]);
            expect(q.containers[0].volumeMounts).to.deep.equal([
                { name: "tmp", mountPath: "/tmp" },
                { name: "cache", mountPath: "/cache", readOnly: true },
                { name: "data", mountPath: "/app/data", readOnly: true },
                { name: "data", mountPath: "/etc/catalog/catalog.yaml", subPath: "config/catalog.yaml" },
                { name: "cache", mountPath: "/var/cache/catalog" },
            ]);
            const [seed, proxy] = q.initContainers;
            expect(seed.volumeMounts).to.deep.equal([
                { name: "tmp", mountPath: "/tmp" },
                { name: "cache", mountPath: "/cache", readOnly: true },
                { name: "data", mountPath: "/seed" },
            ]);
            expect(proxy.volumeMounts).to.deep.equal([
                { name: "tmp", mountPath: "/tmp" },
                { name: "data", mountPath: "/srv/static", subPath: "static", readOnly: true },
            ]);
        });

        it("tmpMedium: Memory makes /tmp a tmpfs of tmpSizeLimit in the Deployment and the batch pods; declared emptyDirs stay on disk", () => {
            const ram = catalog({ port: 8080, tmpMedium: "Memory", tmpSizeLimit: "32Mi", volumes: [{ name: "cache", mountPath: "/cache" }] });
            expect(pod(ram).volumes).to.deep.equal([
                { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "32Mi" } },
                { name: "cache", emptyDir: { sizeLimit: "32Mi" } },
            ]);
            const batch = batchPodSpec({
                containerName: "migrate",
                image: ram.image,
                imagePullPolicy: "IfNotPresent",
                command: ["/migrate"],
                configMapName: "c",
                secretEnv: {},
                resources: ram.resources,
                podSecurity: ram.podSecurity,
                tmpSizeLimit: ram.tmpSizeLimit,
                tmpMedium: ram.tmpMedium,
                serviceAccountName: "catalog",
                placement: { nodeSelector: {}, tolerations: [] },
            }) as Obj;
            expect(batch.volumes).to.deep.equal([{ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "32Mi" } }]);
            // Without the key: no medium at all, as before.
            expect(pod(catalog({ port: 8080 })).volumes[0]).to.deep.equal({ name: "tmp", emptyDir: { sizeLimit: "64Mi" } });
        });

        it("the component creates the claim, kept on delete, and the Deployment waits for it", async () => {
            const retained = new Map<string, boolean | undefined>();
            const { recorder, deps } = await underMocks(
                (opts) =>
                    new Microservice("catalog", componentArgs(s), {
                        ...opts,
                        transformations: [
                            ...(opts.transformations ?? []),
                            (a) => {
                                retained.set(`${a.type}::${a.name}`, a.opts.retainOnDelete);
                                return undefined;
                            },
                        ],
                    }),
            );
            const pvc = inputs(recorder.get(K.pvc, "catalog-data"));
            expect(pvc.metadata.name).to.equal("catalog-data");
            expect(pvc.spec).to.deep.equal({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } }, storageClassName: "fast" });
            expect(retained.get(`${K.pvc}::catalog-data`)).to.equal(true);
            expect(deps.dependsOn.get(`${K.deploy}::catalog`)).to.include(`${K.pvc}::catalog-data`);
        });
    });

    describe("RBAC, envFrom and secret rotation", () => {
        it("RBAC rules become a Role bound to the service's ServiceAccount; a projected token is mounted and the API reachable", async () => {
            const s = catalog({
                port: 8080,
                rbac: { rules: [{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["flags"], verbs: ["get", "watch"] }] },
            });
            const { recorder } = await underMocks((opts) => new Microservice("catalog", componentArgs(s), opts));
            expect(inputs(recorder.get(K.role, "catalog")).rules).to.deep.equal([
                { apiGroups: [""], resources: ["configmaps"], resourceNames: ["flags"], verbs: ["get", "watch"] },
            ]);
            const binding = inputs(recorder.get(K.binding, "catalog"));
            expect(binding.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "catalog" });
            expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "catalog", namespace: "shop-staging" }]);
            const spec = inputs(recorder.get(K.deploy, "catalog")).spec.template.spec;
            // No automount: the credential is an explicit projected volume in the main container only.
            expect(spec.automountServiceAccountToken).to.equal(false);
            expect(spec.volumes.find((v: Obj) => v.name === "kube-api-access")).to.deep.equal({
                name: "kube-api-access",
                projected: {
                    defaultMode: 0o444,
                    sources: [
                        { serviceAccountToken: { path: "token", expirationSeconds: 3600 } },
                        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
                        { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
                    ],
                },
            });
            expect(spec.containers[0].volumeMounts).to.deep.include({
                name: "kube-api-access",
                mountPath: "/var/run/secrets/kubernetes.io/serviceaccount",
                readOnly: true,
            });
            const np = serviceNetworkPolicySpec(labels, s, network, [], { enabled: false, logLevel: "info" }) as Obj;
            expect(np.egress.at(-1)).to.deep.equal({
                to: [{ ipBlock: { cidr: "10.0.0.0/8" } }],
                ports: [
                    { protocol: "TCP", port: 443 },
                    { protocol: "TCP", port: 6443 },
                ],
            });
            // Without rules: no Role, no token.
            const plain = await underMocks((opts) => new Microservice("catalog", componentArgs(catalog({ port: 8080 })), opts));
            expect(plain.recorder.ofType(K.role)).to.have.length(0);
            const plainSpec = inputs(plain.recorder.get(K.deploy, "catalog")).spec.template.spec;
            expect(plainSpec.automountServiceAccountToken).to.equal(false);
            expect(plainSpec.volumes.map((v: Obj) => v.name)).to.not.include("kube-api-access");
            expect(plainSpec.containers[0].volumeMounts.map((m: Obj) => m.name)).to.not.include("kube-api-access");
        });

        it("the token's lifetime comes from rbac.tokenExpirationSeconds; sidecars never get the token", () => {
            const s = catalog({
                port: 8080,
                rbac: { rules: [{ apiGroups: [""], resources: ["endpoints"], verbs: ["list"] }], tokenExpirationSeconds: 600 },
                sidecars: [
                    {
                        name: "agent",
                        image: "ghcr.io/acme/agent:1.0.0",
                        readinessProbe: { type: "exec", command: ["/bin/ok"] },
                        livenessProbe: { type: "exec", command: ["/bin/ok"] },
                    },
                ],
            });
            const p = pod(s);
            const token = p.volumes.find((v: Obj) => v.name === "kube-api-access").projected.sources[0].serviceAccountToken;
            expect(token).to.deep.equal({ path: "token", expirationSeconds: 600 });
            const sidecar = p.initContainers.find((c: Obj) => c.name === "agent");
            expect((sidecar.volumeMounts ?? []).map((m: Obj) => m.name)).to.not.include("kube-api-access");
        });

        it("envFrom adds whole Secrets after the ConfigMap, with prefix and optional as declared", () => {
            const c = pod(
                catalog({
                    port: 8080,
                    envFrom: [
                        { secretRef: "vendor-keys", prefix: "VENDOR_" },
                        { secretRef: "extra", optional: true },
                    ],
                }),
            ).containers[0];
            expect(c.envFrom).to.deep.equal([
                { configMapRef: { name: "catalog-config" } },
                { secretRef: { name: "vendor-keys" }, prefix: "VENDOR_" },
                { secretRef: { name: "extra", optional: true } },
            ]);
        });

        it("the pod template carries a digest of the Secret values it reads: it changes with a value and never contains one", async () => {
            const stamp = async (value: string) => {
                const { recorder } = await underMocks((opts) => {
                    const secrets = new AppSecrets(
                        "secrets",
                        {
                            context: platformContext(),
                            values: [{ configKey: "sessionKey", value: pulumi.secret(value) }],
                            services: [{ service: "catalog", configKeys: ["sessionKey"] }],
                            users: [],
                            valkey: false,
                            allowGenerated: false,
                            generatedLength: 32,
                        },
                        opts,
                    );
                    return new Microservice("catalog", componentArgs(catalog({ port: 8080 }), { secretChecksum: secrets.checksumOf(["sessionKey"]) }), opts);
                });
                return inputs(recorder.get(K.deploy, "catalog")).spec.template.metadata.annotations[SECRET_CHECKSUM_ANNOTATION] as string;
            };
            const a = await stamp("canary-value-one");
            const b = await stamp("canary-value-two");
            expect(a).to.match(/^[0-9a-f]{64}$/);
            expect(a).to.not.equal(b);
            expect(a).to.equal(await stamp("canary-value-one"));
            expect(a).to.not.include("canary");
        });
    });

    describe("telemetry", () => {
        it("LOG_FORMAT and the OTel SDK env go into the ConfigMap (service env may override them); egress opens the collector's port", () => {
            const s = catalog({
                port: 8080,
                logFormat: "json",
                env: { OTEL_SERVICE_NAME: "catalog-svc" },
                otel: { endpoint: "http://otel-collector.observability:4317", collectorNamespace: "observability" },
            });
            expect(configMapData(s, [], labels)).to.deep.include({
                LOG_FORMAT: "json",
                OTEL_SERVICE_NAME: "catalog-svc",
                OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector.observability:4317",
                OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
                OTEL_RESOURCE_ATTRIBUTES: "service.namespace=shop,service.version=3.0.0,deployment.environment=staging",
            });
            const np = serviceNetworkPolicySpec(labels, s, network, [], { enabled: false, logLevel: "info" }) as Obj;
            expect(np.egress).to.deep.include({
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } }],
                ports: [{ protocol: "TCP", port: 4317 }],
            });
            const local = catalog({ port: 8080, otel: { endpoint: "http://localhost:4317" } });
            expect(serviceNetworkPolicySpec(labels, local, network, [], { enabled: false, logLevel: "info" })).to.not.have.property("egress");
            expect(configMapData(catalog({ port: 8080 }), [], labels)).to.not.have.any.keys("LOG_FORMAT", "OTEL_SERVICE_NAME");
        });
    });

    describe("a workload without ports", () => {
        it("gets no Service, no ServiceMonitor and no URL; its Deployment and NetworkPolicy still exist", async () => {
            const noCallers = (services: Obj[]) => {
                for (const x of services) x.dependsOn = [];
            };
            const s = catalog(
                { readinessProbe: { type: "exec", command: ["/bin/ready"] }, livenessProbe: { type: "exec", command: ["/bin/live"] } },
                noCallers,
            );
            const { recorder, component } = await underMocks(
                (opts) => new Microservice("catalog", componentArgs(s, { network: { ...network, callers: [] } }), opts),
            );
            expect(recorder.ofType(K.svc)).to.have.length(0);
            expect(recorder.ofType(K.sm)).to.have.length(0);
            expect(component.url).to.equal(undefined);
            expect(component.serviceName).to.equal(undefined);
            expect(await resolve(component.urls)).to.deep.equal({});
            const c = inputs(recorder.get(K.deploy, "catalog")).spec.template.spec.containers[0];
            expect(c).to.not.have.property("ports");
            expect(c.readinessProbe.exec.command).to.deep.equal(["/bin/ready"]);
            expect(c.livenessProbe.exec.command).to.deep.equal(["/bin/live"]);
        });
    });
});
