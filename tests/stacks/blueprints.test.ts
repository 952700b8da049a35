// The five seed systems as blueprints (blueprints/<system>.yaml), evaluated under mocks from their real files:
// the inventory each one must deploy and the seed requirements the platform meets (see blueprints/README.md).
import * as path from "path";
import { expect } from "chai";
import { evaluateStack, RegisteredResource, StackEvaluation } from "../../tools/stackEvaluator";
import { Obj, T } from "./stackInventory";

const evaluated: Record<string, StackEvaluation> = {};
const blueprint = (name: string) => path.join(__dirname, "..", "..", "blueprints", `${name}.yaml`);

function of(bp: string, type: string): Obj[] {
    return evaluated[bp].resources.filter((r: RegisteredResource) => r.type === type).map((r) => r.inputs as Obj);
}
function named(bp: string, type: string, name: string): Obj {
    const found = of(bp, type).find((r) => r.metadata?.name === name);
    if (!found)
        throw new Error(
            `${bp}: no ${type} named ${name}; have ${of(bp, type)
                .map((r) => r.metadata?.name)
                .join(", ")}`,
        );
    return found;
}
const names = (objs: Obj[]) => objs.map((o) => o.metadata.name as string).sort();
const container = (d: Obj) => d.spec.template.spec.containers[0];

/** NetworkPolicy of a service's pods (selected by its name label). */
function policyOf(bp: string, service: string): Obj {
    const p = of(bp, T.netpol).find((n) => n.spec.podSelector?.matchLabels?.["app.kubernetes.io/name"] === service && n.metadata.name === service);
    if (!p) throw new Error(`${bp}: no NetworkPolicy for ${service}`);
    return p;
}
/** Names (app.kubernetes.io/name) and namespaces a policy admits. */
function admitted(policy: Obj): { pods: string[]; namespaces: string[] } {
    const from = (policy.spec.ingress ?? []).flatMap((r: Obj) => r.from ?? []);
    return {
        pods: from
            .filter((f: Obj) => f.podSelector && !f.namespaceSelector)
            .map((f: Obj) => f.podSelector.matchLabels["app.kubernetes.io/name"])
            .sort(),
        namespaces: from
            .filter((f: Obj) => f.namespaceSelector)
            .map((f: Obj) => f.namespaceSelector.matchLabels["kubernetes.io/metadata.name"])
            .sort(),
    };
}

describe("blueprints: the seed systems from their config files", function () {
    this.timeout(300_000);
    before(async () => {
        for (const bp of ["traderx", "market-spine", "phase9-shop", "sorcha", "cloud-native"]) {
            evaluated[bp] = await evaluateStack(bp, { configFile: blueprint(bp) });
        }
    });

    describe("TraderX", () => {
        it("deploys its eight services (the H2 database is the CloudNativePG cluster) in namespace traderx", () => {
            expect(names(of("traderx", T.deployment))).to.deep.equal([
                "account-service",
                "people-service",
                "position-service",
                "reference-data",
                "trade-feed",
                "trade-processor",
                "trade-service",
                "web-front-end",
            ]);
            expect(evaluated.traderx.outputs.namespace).to.equal("traderx");
            expect(of("traderx", T.chart).map((c) => String(c.chart))).to.satisfy((cs: string[]) => cs.some((c) => /cluster/.test(c)));
        });

        it("keeps the TraderX API path prefixes behind one origin: http://localhost:8080", () => {
            const paths = of("traderx", T.ingress).flatMap((i) =>
                i.spec.rules.map((r: Obj) => [r.host, r.http.paths[0].path, r.http.paths[0].backend.service.name]),
            );
            expect(paths.every(([host]) => host === "localhost")).to.equal(true);
            expect(paths.map(([, p, svc]) => `${p}→${svc}`).sort()).to.deep.equal([
                "/account-service→account-service",
                "/people-service→people-service",
                "/position-service→position-service",
                "/reference-data→reference-data",
                "/trade-feed→trade-feed",
                "/trade-service→trade-service",
                "/→web-front-end",
            ]);
            expect(evaluated.traderx.outputs.url).to.equal("http://localhost:8080");
        });

        it("forwards X-Forwarded-Prefix per route and keeps the WebSocket trade feed open for an hour (ingress-nginx)", () => {
            const feed = named("traderx", T.ingress, "platform-trade-feed");
            expect(feed.metadata.annotations).to.include({
                "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
                "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
                "nginx.ingress.kubernetes.io/x-forwarded-prefix": "/trade-feed",
            });
            const refData = named("traderx", T.ingress, "platform-reference-data");
            expect(refData.metadata.annotations["nginx.ingress.kubernetes.io/x-forwarded-prefix"]).to.equal("/reference-data");
            expect(refData.metadata.annotations).not.to.have.property("nginx.ingress.kubernetes.io/proxy-read-timeout");
        });

        it("runs each stand-in on its TraderX port and keeps Prometheus scraping (a ServiceMonitor per service)", () => {
            const trade = named("traderx", T.deployment, "trade-service");
            expect(container(trade).command).to.deep.equal(["./podinfo", "--port=18092"]);
            expect(container(trade).ports[0].containerPort).to.equal(18092);
            expect(of("traderx", T.serviceMonitor).map((m) => m.metadata.name))
                .to.have.length(7)
                .and.not.include("trade-processor");
        });

        it("runs the trade processor as a port-less consumer (no Service, exec probes)", () => {
            expect(names(of("traderx", T.service))).to.not.include("trade-processor");
            const c = container(named("traderx", T.deployment, "trade-processor"));
            expect(c).to.not.have.property("ports");
            expect(c.readinessProbe.exec.command).to.deep.equal(["./podinfo", "--version"]);
        });

        it("lets the trade processor reach only the trade feed and the database; the edge reaches only public services", () => {
            const processor = policyOf("traderx", "trade-processor");
            expect(admitted(processor).namespaces).to.not.include("ingress-nginx");
            const egressPods = processor.spec.egress
                .flatMap((r: Obj) => r.to)
                .map((t: Obj) => t.podSelector?.matchLabels?.["app.kubernetes.io/name"])
                .filter(Boolean);
            expect(egressPods).to.include("trade-feed");
            expect(admitted(policyOf("traderx", "trade-feed")).namespaces).to.include("ingress-nginx");
        });
    });

    describe("Market Spine", () => {
        it("deploys api, worker and beat; only the API is public; worker and beat are port-less (no Service)", () => {
            expect(names(of("market-spine", T.deployment))).to.deep.equal(["api", "beat", "worker"]);
            expect(names(of("market-spine", T.service)).filter((n) => ["api", "beat", "worker"].includes(n))).to.deep.equal(["api"]);
            expect(container(named("market-spine", T.deployment, "worker")).livenessProbe.exec.command).to.deep.equal(["./podinfo", "--version"]);
            expect(of("market-spine", T.ingress).flatMap((i) => i.spec.rules[0].http.paths.map((p: Obj) => p.backend.service.name))).to.deep.equal(["api"]);
        });

        it("runs the migration Job (backoff limit 3) and the nightly cleanup CronJob at 02:00 with a retention period per kind of data", () => {
            const job = of("market-spine", T.job)[0];
            expect(job.spec.backoffLimit).to.equal(3);
            const cron = of("market-spine", T.cronJob)[0];
            expect(cron.spec.schedule).to.equal("0 2 * * *");
            expect(cron.spec.concurrencyPolicy).to.equal("Forbid");
            const env = (cron.spec.jobTemplate.spec.template.spec.containers[0].env as Obj[]).filter((e) => /^RETENTION_/.test(e.name));
            expect(env).to.deep.equal([
                { name: "RETENTION_EVENTS_DAYS", value: "90" },
                { name: "RETENTION_LOGS_DAYS", value: "30" },
                { name: "RETENTION_SESSIONS_DAYS", value: "7" },
            ]);
        });

        it("scales api 2–10 and worker 2–20 on CPU 70 %, keeps beat at exactly one replica, and budgets disruptions", () => {
            const hpa = Object.fromEntries(of("market-spine", T.hpa).map((h) => [h.metadata.name, [h.spec.minReplicas, h.spec.maxReplicas]]));
            expect(hpa).to.deep.equal({ api: [2, 10], worker: [2, 20] });
            expect(named("market-spine", T.deployment, "beat").spec.replicas).to.equal(1);
            expect(names(of("market-spine", T.pdb))).to.deep.equal(["api", "worker"]);
        });

        it("sizes the pods as the seed's values do and scrapes every service with a ServiceMonitor", () => {
            expect(container(named("market-spine", T.deployment, "worker")).resources).to.deep.include({
                requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "64Mi" },
                limits: { cpu: "2", memory: "4Gi", "ephemeral-storage": "256Mi" },
            });
            expect(
                of("market-spine", T.serviceMonitor)
                    .filter((m) => m.metadata.name === "api")
                    .map((m) => m.spec.endpoints[0].interval),
            ).to.deep.equal(["30s"]);
        });

        it("replaces RabbitMQ with a second Valkey from platform:charts: password by Secret name, fenced to api, worker and beat", () => {
            const queue = of("market-spine", T.chart).find((c) => c.name === "queue")!;
            expect([queue.chart, queue.version]).to.deep.equal(["valkey", "0.11.0"]);
            expect(queue.values.auth.usersExistingSecret).to.equal("queue-credentials");
            expect(of("market-spine", T.chart).some((c) => /rabbitmq/.test(String(c.chart)))).to.equal(false);
            const fence = named("market-spine", T.netpol, "queue-chart");
            const clients = fence.spec.ingress[0].from.map((f: Obj) => f.podSelector.matchLabels["app.kubernetes.io/name"]).sort();
            expect(clients).to.deep.equal(["api", "api-cleanup", "api-migrate", "beat", "worker"]);
            expect(fence.spec.ingress[0].ports).to.deep.equal([{ protocol: "TCP", port: 6379 }]);
            const worker = container(named("market-spine", T.deployment, "worker"));
            expect(worker.env.find((e: Obj) => e.name === "BROKER_PASSWORD").valueFrom.secretKeyRef).to.deep.equal({
                name: "queue-credentials",
                key: "queuePassword",
            });
            const workerPolicy = policyOf("market-spine", "worker");
            expect(JSON.stringify(workerPolicy.spec.egress)).to.include('"app.kubernetes.io/instance":"queue"');
        });

        it("uses PostgreSQL and Valkey, TLS from cert-manager's letsencrypt-prod issuer", () => {
            const charts = of("market-spine", T.chart).map((c) => String(c.chart));
            expect(charts.some((c) => /valkey/.test(c))).to.equal(true);
            const ing = of("market-spine", T.ingress)[0];
            expect(ing.metadata.annotations["cert-manager.io/cluster-issuer"]).to.equal("letsencrypt-prod");
            expect(ing.spec.tls).to.deep.equal([{ hosts: ["spine.example.com"], secretName: "spine-tls" }]);
        });
    });

    describe("Phase 9 shop", () => {
        it("deploys user, product, order and gateway; only the gateway is routed publicly", () => {
            expect(names(of("phase9-shop", T.deployment))).to.deep.equal(["gateway", "order", "product", "user"]);
            const backends = of("phase9-shop", T.ingress).flatMap((i) =>
                i.spec.rules.flatMap((r: Obj) => r.http.paths.map((p: Obj) => p.backend.service.name)),
            );
            expect(backends).to.deep.equal(["gateway"]);
        });

        it("admits the edge controller only to the gateway; user, product and order accept only their declared callers", () => {
            expect(admitted(policyOf("phase9-shop", "gateway")).namespaces).to.include("ingress-nginx");
            for (const svc of ["user", "product", "order"]) {
                const a = admitted(policyOf("phase9-shop", svc));
                expect(a.namespaces, svc).to.not.include("ingress-nginx");
                expect(a.pods, svc).to.include("gateway");
            }
            expect(admitted(policyOf("phase9-shop", "user")).pods).to.deep.equal(["gateway", "order"]);
        });

        it("gives user, product and order one database each, owned by the service's own role", () => {
            const cluster = of("phase9-shop", T.chart).find((c) => Array.isArray(c.values?.databases))!;
            expect(cluster.values.databases.map((d: Obj) => `${d.name}:${d.owner}`)).to.deep.equal(["user:user", "product:product", "order:order"]);
        });

        it("gates each service's rollout on its migration Job and probes readiness on /healthz", () => {
            expect(
                of("phase9-shop", T.job)
                    .map((j) => j.metadata.labels["app.kubernetes.io/name"])
                    .sort(),
            ).to.deep.equal(["order-migrate", "product-migrate", "user-migrate"]);
            for (const d of of("phase9-shop", T.deployment)) expect(container(d).readinessProbe.httpGet.path, d.metadata.name).to.equal("/healthz");
        });

        it("logs JSON with the request ID header on every service, and the gateway's signing key stays a Secret reference", () => {
            for (const cm of of("phase9-shop", T.configMap).filter((c) => /-config$/.test(c.metadata.name))) {
                expect(cm.data).to.include({ LOG_FORMAT: "json", REQUEST_ID_HEADER: "X-Request-ID" });
            }
            const env = container(named("phase9-shop", T.deployment, "gateway")).env as Obj[];
            expect(env.find((e) => e.name === "JWT_SIGNING_KEY")?.valueFrom.secretKeyRef.key).to.equal("jwtSigningKey");
        });
    });

    describe("Sorcha", () => {
        it("deploys the gateway and six platform services; the stateless ones autoscaled with a disruption budget and surge-only rollouts", () => {
            expect(names(of("sorcha", T.deployment))).to.deep.equal([
                "api-gateway",
                "blueprint-service",
                "peer-service",
                "register-service",
                "tenant-service",
                "validator-service",
                "wallet-service",
            ]);
            const stateless = names(of("sorcha", T.deployment)).filter((n) => n !== "register-service");
            expect(names(of("sorcha", T.hpa))).to.deep.equal(stateless);
            expect(names(of("sorcha", T.pdb))).to.deep.equal(stateless);
            for (const n of stateless)
                expect(named("sorcha", T.deployment, n).spec.strategy.rollingUpdate, n).to.deep.equal({ maxSurge: 1, maxUnavailable: 0 });
        });

        it("keeps the register service's docket cache on a PersistentVolumeClaim: one replica, replaced rather than surged", () => {
            const register = named("sorcha", T.deployment, "register-service");
            expect(register.spec.replicas).to.equal(1);
            expect(register.spec.strategy).to.deep.equal({ type: "Recreate" });
            const claim = of("sorcha", "kubernetes:core/v1:PersistentVolumeClaim")[0];
            expect(claim.spec.resources.requests.storage).to.equal("5Gi");
            const vol = register.spec.template.spec.volumes.find((v: Obj) => v.persistentVolumeClaim);
            expect(vol.persistentVolumeClaim.claimName).to.equal(claim.metadata.name);
            expect(container(register).volumeMounts.map((m: Obj) => m.mountPath)).to.include("/data/dockets");
        });

        it("serves the peer service over gRPC: Service port 5000 → container port 9999, gRPC probes, callers admitted on 9999", () => {
            const svc = named("sorcha", T.service, "peer-service");
            expect(svc.spec.ports).to.deep.equal([{ name: "grpc", port: 5000, targetPort: "grpc", protocol: "TCP", appProtocol: "grpc" }]);
            const c = container(named("sorcha", T.deployment, "peer-service"));
            expect(c.ports[0]).to.include({ name: "grpc", containerPort: 9999 });
            expect(c.readinessProbe.grpc.port).to.equal(9999);
            const rule = policyOf("sorcha", "peer-service").spec.ingress.find((r: Obj) =>
                r.from.some((f: Obj) => f.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "validator-service"),
            );
            expect(rule.ports).to.deep.equal([{ protocol: "TCP", port: 9999 }]);
        });

        it("lets the peer service read Endpoints through a least-privilege Role and a projected token, never an automounted one", () => {
            const role = named("sorcha", "kubernetes:rbac.authorization.k8s.io/v1:Role", "peer-service");
            expect(role.rules).to.deep.equal([{ apiGroups: [""], resources: ["endpoints"], verbs: ["get", "list", "watch"] }]);
            expect(of("sorcha", "kubernetes:rbac.authorization.k8s.io/v1:Role").map((r) => r.metadata.name)).to.deep.equal(["peer-service"]);
            const pod = named("sorcha", T.deployment, "peer-service").spec.template.spec;
            expect(pod.automountServiceAccountToken).to.equal(false);
            const token = pod.volumes.find((v: Obj) => v.projected)?.projected.sources.find((s: Obj) => s.serviceAccountToken)?.serviceAccountToken;
            expect(token).to.deep.equal({ path: "token", expirationSeconds: 3600 });
            expect(container(named("sorcha", T.deployment, "peer-service")).volumeMounts.map((m: Obj) => m.mountPath)).to.include(
                "/var/run/secrets/kubernetes.io/serviceaccount",
            );
            // Every other service has no token at all.
            for (const d of of("sorcha", T.deployment).filter((x) => x.metadata.name !== "peer-service")) {
                expect(
                    d.spec.template.spec.volumes.some((v: Obj) => v.projected),
                    d.metadata.name,
                ).to.equal(false);
            }
        });

        it("rolls a service's pods when a Secret value it reads changes (checksum of the values on the pod template)", () => {
            const wallet = named("sorcha", T.deployment, "wallet-service");
            expect(wallet.spec.template.metadata.annotations["checksum/secrets"]).to.match(/^[0-9a-f]{64}$/);
        });

        it("keeps PostgreSQL on persistent volumes that survive deletion, with a scheduled backup", () => {
            const cluster = of("sorcha", T.chart).find((c) => /cluster/.test(String(c.chart)))!;
            expect(cluster.values.cluster.storage.size).to.equal("20Gi");
            expect(cluster.values.backups.enabled).to.equal(true);
            expect(cluster.values.backups.scheduledBackups[0].schedule).to.equal("0 30 1 * * *");
        });

        it("routes only to the API gateway; the wallet service accepts only its declared callers", () => {
            const backends = of("sorcha", T.ingress).flatMap((i) => i.spec.rules.flatMap((r: Obj) => r.http.paths.map((p: Obj) => p.backend.service.name)));
            expect(backends).to.deep.equal(["api-gateway"]);
            expect(admitted(policyOf("sorcha", "wallet-service")).pods).to.deep.equal(["api-gateway", "blueprint-service", "validator-service"]);
        });
    });

    describe("cloud-native blueprint", () => {
        it("deploys frontend, backend and AI agent as UID 1000 with the seed's probe timings", () => {
            expect(names(of("cloud-native", T.deployment))).to.deep.equal(["ai-agent", "backend", "frontend", "notifier"]);
            for (const d of of("cloud-native", T.deployment)) {
                expect(d.spec.template.spec.securityContext).to.include({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true });
                if (d.metadata.name === "notifier") continue; // exec probes of its own
                expect(container(d).readinessProbe).to.include({ initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3 });
                expect(container(d).livenessProbe).to.include({ initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 });
            }
        });

        it("probes the agent over TCP with a startup probe, takes a whole Secret with envFrom beside per-key refs, and sets OTel and JSON logs", () => {
            const agent = container(named("cloud-native", T.deployment, "ai-agent"));
            expect(agent.readinessProbe.tcpSocket).to.not.equal(undefined);
            expect(agent.startupProbe).to.include({ failureThreshold: 24, periodSeconds: 5 });
            const backend = container(named("cloud-native", T.deployment, "backend"));
            expect(backend.envFrom).to.deep.include({ secretRef: { name: "todo-backend-env", optional: true } });
            expect(backend.env.find((e: Obj) => e.name === "JWT_SECRET").valueFrom.secretKeyRef).to.not.equal(undefined);
            for (const cm of of("cloud-native", T.configMap).filter((c) => /-config$/.test(c.metadata.name))) {
                expect(cm.data).to.include({ LOG_FORMAT: "json", OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector.observability:4317" });
            }
        });

        it("lets every service that exports OTel reach the collector it points at, on the endpoint's port", () => {
            for (const svc of ["frontend", "backend", "ai-agent", "notifier"]) {
                const egress = policyOf("cloud-native", svc).spec.egress as Obj[];
                expect(egress, svc).to.deep.include({
                    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } }],
                    ports: [{ protocol: "TCP", port: 4317 }],
                });
            }
        });

        it("is the workload-model sample: gRPC probe, port-less worker, Service port ≠ container port, a sidecar and an extra chart", () => {
            const backend = named("cloud-native", T.deployment, "backend");
            expect(container(backend).readinessProbe.grpc).to.deep.equal({ port: 9999 });
            expect(named("cloud-native", T.service, "backend").spec.ports.map((p: Obj) => [p.name, p.port, p.targetPort])).to.deep.equal([
                ["http", 8000, "http"],
                ["grpc", 9090, "grpc"],
            ]);
            expect(names(of("cloud-native", T.service))).to.not.include("notifier");
            expect(container(named("cloud-native", T.deployment, "notifier")).readinessProbe.exec.command[0]).to.equal("/home/app/podcli");
            expect(named("cloud-native", T.service, "frontend").spec.ports[0]).to.include({ port: 80, targetPort: "http" });
            expect(container(named("cloud-native", T.deployment, "frontend")).ports[0]).to.include({ name: "http", containerPort: 3000 });
            const sidecar = named("cloud-native", T.deployment, "ai-agent").spec.template.spec.initContainers.find((c: Obj) => c.name === "embeddings");
            expect(sidecar.restartPolicy).to.equal("Always");
            const memory = of("cloud-native", T.chart).find((c) => c.values?.fullnameOverride === "agent-memory");
            expect(memory?.values.auth.usersExistingSecret).to.equal("agent-memory-credentials");
        });

        it("injects Dapr sidecars into backend and agent only, and names the topic app.domain.event-type.version", () => {
            const dapr = (n: string) => named("cloud-native", T.deployment, n).spec.template.metadata.annotations;
            expect(dapr("backend")).to.include({ "dapr.io/enabled": "true", "dapr.io/app-id": "backend", "dapr.io/app-port": "8000" });
            expect(dapr("ai-agent")).to.include({ "dapr.io/enabled": "true", "dapr.io/app-id": "ai-agent" });
            expect(dapr("frontend")).not.to.have.property("dapr.io/enabled");
            expect(of("cloud-native", T.topic).map((t) => t.metadata.name)).to.deep.equal(["todo.tasks.created.v1"]);
        });

        it("declares the Dapr pub/sub (Kafka), state store (Valkey) and subscription as Dapr CRs, each scoped to one app", () => {
            const components = of("cloud-native", "kubernetes:dapr.io/v1alpha1:Component");
            expect(components.map((c) => `${c.metadata.name}:${c.spec.type}:${c.scopes.join(",")}`).sort()).to.deep.equal([
                "pubsub-ai-agent:pubsub.kafka:ai-agent",
                "pubsub-backend:pubsub.kafka:backend",
                "statestore-ai-agent:state.redis:ai-agent",
                "statestore-backend:state.redis:backend",
            ]);
            const sub = of("cloud-native", "kubernetes:dapr.io/v2alpha1:Subscription");
            expect(sub.map((s) => [s.spec.topic, s.spec.routes.default, s.spec.pubsubname, s.scopes])).to.deep.equal([
                ["todo.tasks.created.v1", "/events/task-created", "pubsub-ai-agent", ["ai-agent"]],
            ]);
            expect(JSON.stringify(components)).to.not.match(/canary-|mock-generated-/);
        });
    });
});
