import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { AppSecrets } from "../../components/secrets/appSecrets";
import { ResolvedService, StoreUser } from "../../components/config";
import { ClientConnection } from "../../components/k8s/context";
import { REQUIRED_LABELS, selectorLabels } from "../../components/k8s/labels";
import { Microservice, MicroserviceArgs } from "../../components/service/microservice";
import { CONFIG_CHECKSUM_ANNOTATION, configChecksum, configMapData, deploymentSpec, DeploymentSpecArgs } from "../../components/service/serviceDeployment";
import { serviceSpec } from "../../components/service/serviceExposure";
import { clientSelectors, serviceNetworkPolicySpec } from "../../components/service/serviceNetworkPolicy";
import { hpaSpec, needsDisruptionBudget, pdbSpec } from "../../components/service/serviceScaling";
import { daprAnnotations, MicroserviceDapr } from "../../components/dapr/daprSidecar";
import { resolve, settle } from "../../tools/mocks";
import {
    allStrings,
    expectAllDescendFrom,
    expectRequiredLabels,
    inputs,
    kubeResources,
    labelContext,
    parseConfig,
    platformContext,
    POSTGRES_CONNECTION,
    rawPlatform,
    REDIS_CONNECTION,
    resolved,
    SERVICE_SECRET_REFS,
    underMocks,
} from "./componentFixtures";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const TYPE = "platform:index:Microservice";
const K = {
    sa: "kubernetes:core/v1:ServiceAccount",
    cm: "kubernetes:core/v1:ConfigMap",
    deploy: "kubernetes:apps/v1:Deployment",
    svc: "kubernetes:core/v1:Service",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    np: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    sm: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    job: "kubernetes:batch/v1:Job",
    cron: "kubernetes:batch/v1:CronJob",
};
const DAPR: MicroserviceDapr = { enabled: true, logLevel: "warn", namespace: "dapr-system" };
const labels = labelContext();

function apiArgs(over: Partial<MicroserviceArgs> = {}, svc: ResolvedService = resolved("api")): MicroserviceArgs {
    return {
        context: platformContext(),
        service: svc,
        secretEnv: SERVICE_SECRET_REFS,
        connections: [POSTGRES_CONNECTION, REDIS_CONNECTION],
        network: {
            callers: ["web"],
            dependencies: [{ name: "catalog", ports: [{ port: 8081, protocol: "TCP" }] }],
            edgeNamespace: "ingress-nginx",
            monitoringNamespace: "monitoring",
            apiServer: { cidrs: ["10.0.0.0/8"], ports: [443, 6443] },
        },
        observability: { serviceMonitors: true, scrapeInterval: "15s" },
        dapr: DAPR,
        ...over,
    };
}

function specArgs(svc: ResolvedService, over: Partial<DeploymentSpecArgs> = {}): DeploymentSpecArgs {
    return {
        context: platformContext(),
        service: svc,
        configMapName: `${svc.name}-config`,
        serviceAccountName: svc.name,
        secretEnv: SERVICE_SECRET_REFS,
        configChecksum: "abc",
        dapr: DAPR,
        ...over,
    };
}

function withService(name: string, patch: Obj): ResolvedService {
    const raw = rawPlatform();
    const services = raw.services as Obj[];
    Object.assign(
        services.find((s) => s.name === name)!,
        patch,
    );
    return resolved(name, parseConfig(raw));
}

const build = (args: MicroserviceArgs = apiArgs(), name = "api") => underMocks((opts) => new Microservice(name, args, opts));

describe("Microservice spec builders", () => {
    describe("deploymentSpec", () => {
        const spec = deploymentSpec(specArgs(resolved("api"))) as Obj;
        const pod = spec.template.spec;
        const c = pod.containers[0];

        it("omits replicas when the HPA owns them, sets them otherwise", () => {
            expect(spec).not.to.have.property("replicas");
            const catalog = deploymentSpec(specArgs(resolved("catalog"))) as Obj;
            expect(catalog.replicas).to.equal(3);
        });

        it("rolls with maxSurge 1 / maxUnavailable 0 and selects by the selector labels", () => {
            expect(spec.strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
            expect(spec.selector).to.deep.equal({ matchLabels: selectorLabels(labels, "api") });
            for (const k of REQUIRED_LABELS) expect(spec.template.metadata.labels, k).to.have.property(k);
            expect(spec.template.metadata.labels["app.kubernetes.io/version"]).to.equal("1.4.2");
            expect(spec.template.metadata.labels["app.kubernetes.io/component"]).to.equal("backend");
        });

        it("probes the configured paths with the code-default timings", () => {
            expect(c.readinessProbe).to.deep.equal({
                httpGet: { path: "/healthz", port: "http", scheme: "HTTP" },
                initialDelaySeconds: 10,
                periodSeconds: 5,
                timeoutSeconds: 3,
                failureThreshold: 3,
            });
            expect(c.livenessProbe).to.deep.equal({
                httpGet: { path: "/healthz", port: "http", scheme: "HTTP" },
                initialDelaySeconds: 30,
                periodSeconds: 10,
                timeoutSeconds: 5,
                failureThreshold: 3,
            });
            const web = deploymentSpec(specArgs(resolved("web"))) as Obj;
            expect(web.template.spec.containers[0].readinessProbe.httpGet.path).to.equal("/healthz");
        });

        it("runs restricted: non-root, seccomp RuntimeDefault, no escalation, drop ALL, read-only root, /tmp emptyDir, no token", () => {
            expect(pod.securityContext).to.deep.equal({
                runAsNonRoot: true,
                runAsUser: 10001,
                runAsGroup: 10001,
                fsGroup: 10001,
                seccompProfile: { type: "RuntimeDefault" },
            });
            expect(c.securityContext).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, privileged: false });
            expect(c.securityContext.capabilities).to.deep.equal({ drop: ["ALL"] });
            expect(pod.automountServiceAccountToken).to.equal(false);
            expect(pod.serviceAccountName).to.equal("api");
            expect(pod.volumes, "a bounded /tmp").to.deep.equal([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
            expect(c.volumeMounts).to.deep.equal([{ name: "tmp", mountPath: "/tmp" }]);
        });

        it("takes pod identity from config, not from code", () => {
            const svc = withService("api", { podSecurity: { runAsUser: 20000, runAsGroup: 20000, fsGroup: 20000 } });
            const s = deploymentSpec(specArgs(svc)) as Obj;
            expect(s.template.spec.securityContext.runAsUser).to.equal(20000);
            expect(s.template.spec.containers[0].securityContext.runAsUser).to.equal(20000);
        });

        it("sets requests and limits from the resolved resources", () => {
            expect(c.resources).to.deep.equal({
                requests: { cpu: "250m", memory: "256Mi", "ephemeral-storage": "64Mi" },
                limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": "256Mi" },
            });
        });

        it("drains with the preStop sleep handler and a grace period that outlasts it", () => {
            expect(c.lifecycle).to.deep.equal({ preStop: { sleep: { seconds: 10 } } });
            expect(pod.terminationGracePeriodSeconds).to.equal(30);
            const long = deploymentSpec(specArgs(withService("api", { preStopSleepSeconds: 45 }))) as Obj;
            expect(long.template.spec.terminationGracePeriodSeconds).to.equal(46);
            const none = deploymentSpec(specArgs(withService("api", { preStopSleepSeconds: 0 }))) as Obj;
            expect(none.template.spec.containers[0]).not.to.have.property("lifecycle");
        });

        it("reads config with envFrom and secrets only through secretKeyRef", () => {
            expect(c.envFrom).to.deep.equal([{ configMapRef: { name: "api-config" } }]);
            expect(c.env).to.deep.equal([
                { name: "SESSION_SECRET", valueFrom: { secretKeyRef: { name: "app-secrets", key: "sessionKey" } } },
                { name: "STRIPE_API_KEY", valueFrom: { secretKeyRef: { name: "app-secrets", key: "stripeApiKey" } } },
            ]);
            for (const e of c.env) expect(e).not.to.have.property("value");
        });

        it("names the ports and carries the config checksum and Dapr annotations on the pod", () => {
            expect(c.ports).to.deep.equal([
                { name: "http", containerPort: 8080, protocol: "TCP" },
                { name: "metrics", containerPort: 9100, protocol: "TCP" },
            ]);
            const ann = spec.template.metadata.annotations;
            expect(ann[CONFIG_CHECKSUM_ANNOTATION]).to.equal("abc");
            expect(ann).to.deep.include({ "dapr.io/enabled": "true", "dapr.io/app-id": "api", "dapr.io/app-port": "8080", "dapr.io/log-level": "warn" });
            expect(ann.owner).to.equal("commerce-team");
        });

        it("spreads over zones and hosts when enabled, best effort", () => {
            expect(pod.topologySpreadConstraints.map((t: Obj) => t.topologyKey)).to.deep.equal(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
            for (const t of pod.topologySpreadConstraints) {
                expect(t.whenUnsatisfiable).to.equal("ScheduleAnyway");
                expect(t.labelSelector).to.deep.equal({ matchLabels: selectorLabels(labels, "api") });
            }
            const catalog = deploymentSpec(specArgs(resolved("catalog"))) as Obj;
            expect(catalog.template.spec).not.to.have.property("topologySpreadConstraints");
        });
    });

    it("Dapr annotations need both the stack and the service switch, and keep the sidecar restricted", () => {
        expect(daprAnnotations(resolved("api"), { enabled: false, logLevel: "info" })).to.deep.equal({});
        expect(daprAnnotations(resolved("web"), DAPR)).to.deep.equal({});
        const ann = daprAnnotations(withService("api", { dapr: { enabled: true, appId: "shop-api" } }), DAPR);
        expect(ann["dapr.io/app-id"]).to.equal("shop-api");
        expect(ann["dapr.io/sidecar-seccomp-profile-type"]).to.equal("RuntimeDefault");
        for (const k of ["cpu-request", "cpu-limit", "memory-request", "memory-limit"]) expect(ann, k).to.have.property(`dapr.io/sidecar-${k}`);
    });

    it("ConfigMap data holds LOG_LEVEL, service env and store env; the checksum follows the data", () => {
        const data = configMapData(resolved("api"), [POSTGRES_CONNECTION]);
        expect(data).to.deep.equal({
            LOG_LEVEL: "info",
            FEATURE_FLAGS: "checkout-v2",
            HTTP_TIMEOUT_MS: "5000",
            DATABASE_HOST: "shop-pg-rw",
            DATABASE_PORT: "5432",
            DATABASE_NAME: "app",
        });
        const a = configChecksum({ A: "1", B: "2" });
        expect(a).to.match(/^[0-9a-f]{64}$/);
        expect(configChecksum({ B: "2", A: "1" })).to.equal(a);
        expect(configChecksum({ A: "1", B: "3" })).not.to.equal(a);
        expect(() => configMapData(resolved("api"), [POSTGRES_CONNECTION, { ...REDIS_CONNECTION, env: { DATABASE_HOST: "x" } }])).to.throw(
            /DATABASE_HOST is defined twice/,
        );
    });

    it("client selectors cover the service, its migration and its cleanup pods (for the stores' policies)", () => {
        expect(clientSelectors(labels, resolved("api"))).to.deep.equal([
            selectorLabels(labels, "api"),
            selectorLabels(labels, "api-migrate"),
            selectorLabels(labels, "api-cleanup"),
        ]);
        expect(clientSelectors(labels, resolved("catalog"))).to.deep.equal([selectorLabels(labels, "catalog")]);
    });

    it("Service is ClusterIP with the named http port (and metrics when separate)", () => {
        expect(serviceSpec(labels, resolved("api"))).to.deep.equal({
            type: "ClusterIP",
            selector: selectorLabels(labels, "api"),
            ports: [
                { name: "http", port: 8080, targetPort: "http", protocol: "TCP", appProtocol: "http" },
                { name: "metrics", port: 9100, targetPort: "metrics", protocol: "TCP", appProtocol: "http" },
            ],
        });
        expect((serviceSpec(labels, resolved("web")) as Obj).ports).to.have.length(1);
    });

    it("HPA v2 scales the Deployment on CPU and memory utilization from config", () => {
        const spec = hpaSpec(resolved("api"), "api") as Obj;
        expect(spec.scaleTargetRef).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "api" });
        expect([spec.minReplicas, spec.maxReplicas]).to.deep.equal([2, 6]);
        expect(spec.metrics).to.deep.equal([
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
            { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
        ]);
    });

    it("PDB only for replicated workloads with the budget enabled, never zero", () => {
        expect(needsDisruptionBudget(resolved("api")), "HPA min 2").to.equal(true);
        expect(needsDisruptionBudget(resolved("catalog")), "3 replicas").to.equal(true);
        expect(needsDisruptionBudget(resolved("web")), "1 replica").to.equal(false);
        expect(needsDisruptionBudget(withService("catalog", { disruptionBudget: { enabled: false } }))).to.equal(false);
        expect(needsDisruptionBudget(withService("api", { autoscaling: { minReplicas: 1 } })), "HPA min 1").to.equal(false);
        const spec = pdbSpec(labels, resolved("catalog")) as Obj;
        expect(spec.maxUnavailable).to.equal(1);
        expect(spec.selector).to.deep.equal({ matchLabels: selectorLabels(labels, "catalog") });
        expect(spec).not.to.have.property("minAvailable");
    });

    describe("serviceNetworkPolicySpec", () => {
        const net = apiArgs().network;
        const spec = serviceNetworkPolicySpec(labels, resolved("api"), net, [POSTGRES_CONNECTION.peer, REDIS_CONNECTION.peer], DAPR) as Obj;
        const nsSel = (n: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } } });

        it("selects the service's pods for both directions", () => {
            expect(spec.podSelector).to.deep.equal({ matchLabels: selectorLabels(labels, "api") });
            expect(spec.policyTypes).to.deep.equal(["Ingress", "Egress"]);
        });

        it("admits declared callers, the edge controller, monitoring on the metrics port and the Dapr control plane", () => {
            expect(spec.ingress).to.deep.equal([
                {
                    from: [{ podSelector: { matchLabels: selectorLabels(labels, "web") } }],
                    ports: [
                        { protocol: "TCP", port: 8080 },
                        { protocol: "TCP", port: 50002 },
                    ],
                },
                { from: [nsSel("ingress-nginx")], ports: [{ protocol: "TCP", port: 8080 }] },
                {
                    from: [nsSel("monitoring")],
                    ports: [
                        { protocol: "TCP", port: 9090 },
                        { protocol: "TCP", port: 9100 },
                    ],
                },
                { from: [nsSel("dapr-system")], ports: [3500, 50001, 50002].map((port) => ({ protocol: "TCP", port })) },
            ]);
        });

        it("lets it reach its dependencies, its stores and the Dapr control plane only", () => {
            expect(spec.egress).to.deep.equal([
                {
                    to: [{ podSelector: { matchLabels: selectorLabels(labels, "catalog") } }],
                    ports: [
                        { protocol: "TCP", port: 8081 },
                        { protocol: "TCP", port: 50002 },
                    ],
                },
                { to: [{ podSelector: { matchLabels: { "cnpg.io/cluster": "shop-pg" } } }], ports: [{ protocol: "TCP", port: 5432 }] },
                { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "valkey" } } }], ports: [{ protocol: "TCP", port: 6379 }] },
                { to: [nsSel("dapr-system")] },
            ]);
        });

        it("a private service without callers, metrics or Dapr gets a deny-all policy that still selects it", () => {
            const web = withService("web", { public: false, pathPrefix: undefined });
            const s = serviceNetworkPolicySpec(
                labels,
                web,
                {
                    callers: [],
                    dependencies: [],
                    edgeNamespace: "ingress-nginx",
                    monitoringNamespace: "monitoring",
                    apiServer: { cidrs: ["10.0.0.0/8"], ports: [443] },
                },
                [],
                DAPR,
            ) as Obj;
            expect(s).to.deep.equal({ podSelector: { matchLabels: selectorLabels(labels, "web") }, policyTypes: ["Ingress", "Egress"] });
        });

        it("no edge rule when there is no edge controller namespace", () => {
            const s = serviceNetworkPolicySpec(labels, resolved("api"), { ...net, edgeNamespace: undefined }, [], DAPR) as Obj;
            expect(JSON.stringify(s.ingress)).not.to.contain("ingress-nginx");
        });

        it("stores in another namespace are selected by namespace too", () => {
            const s = serviceNetworkPolicySpec(
                labels,
                resolved("catalog"),
                { ...net, callers: [], dependencies: [] },
                [{ podLabels: { "strimzi.io/cluster": "events" }, namespace: "kafka", ports: [9092] }],
                DAPR,
            ) as Obj;
            expect(s.egress).to.deep.equal([
                {
                    to: [{ podSelector: { matchLabels: { "strimzi.io/cluster": "events" } }, ...nsSel("kafka") }],
                    ports: [{ protocol: "TCP", port: 9092 }],
                },
            ]);
        });
    });
});

describe("Microservice component", () => {
    it("creates every child under the component, all carrying the required labels (pod templates too)", async () => {
        const { recorder } = await build();
        const children = expectAllDescendFrom(recorder, TYPE, "api");
        expectRequiredLabels(children);
        const kinds = kubeResources(recorder)
            .map((r) => r.type)
            .sort();
        expect(kinds).to.deep.equal([K.deploy, K.hpa, K.job, K.cron, K.sm, K.cm, K.sa, K.svc, K.np, K.np, K.np, K.pdb].sort());
        expect(recorder.ofType("platform:index:Migration")).to.have.length(1);
        expect(recorder.ofType("platform:index:CleanupCronJob")).to.have.length(1);
        for (const r of kubeResources(recorder)) expect(inputs(r).metadata.namespace, `${r.type}::${r.name}`).to.equal("shop-staging");
    });

    it("ServiceAccount does not mount a token; Deployment has no replicas under HPA", async () => {
        const { recorder } = await build();
        expect(inputs(recorder.get(K.sa, "api")).automountServiceAccountToken).to.equal(false);
        expect(inputs(recorder.get(K.deploy, "api")).spec).not.to.have.property("replicas");
        expect(inputs(recorder.get(K.hpa, "api")).spec.scaleTargetRef.name).to.equal("api");
    });

    it("gates the migration on the data stores and the rollout on the migration Job", async () => {
        const store = new pulumi.ComponentResource("test:index:Store", "pg");
        const { deps } = await build(apiArgs({ dependsOn: [store] }));
        await settle();
        const d = deps.dependsOn.get(`${K.deploy}::api`)!;
        expect(d).to.include(`${K.job}::api-migrate`);
        expect(d, "the Deployment waits for the Job, which waited for the stores").to.not.include("test:index:Store::pg");
        expect(deps.dependsOn.get(`${K.job}::api-migrate`)).to.include("test:index:Store::pg");
    });

    it("puts no secret value in env literals or the ConfigMap, and references every secret by name", async () => {
        const canaries = {
            sessionKey: "canary-session-9f3e1c",
            stripeApiKey: "canary-stripe-0b7d44",
            apiPostgresPassword: "canary-pg-6a2f90",
            apiPostgresOwnerPassword: "canary-pgo-11aa2b",
        };
        const pgUsers: StoreUser[] = [
            { service: "api", store: "postgres", purpose: "owner", username: "api", configKey: "apiPostgresOwnerPassword" },
            { service: "api", store: "postgres", purpose: "runtime", username: "api_runtime", configKey: "apiPostgresPassword" },
        ];
        const { recorder } = await underMocks((opts) => {
            const secrets = new AppSecrets(
                "secrets",
                {
                    context: platformContext(),
                    values: Object.entries(canaries).map(([configKey, v]) => ({ configKey, value: pulumi.secret(v) })),
                    services: [{ service: "api", configKeys: ["sessionKey", "stripeApiKey"] }],
                    users: pgUsers,
                    valkey: false,
                    allowGenerated: false,
                    generatedLength: 32,
                },
                opts,
            );
            const runtime = secrets.credentials(pgUsers[1]);
            const owner = secrets.credentials(pgUsers[0]);
            const pg: ClientConnection = {
                ...POSTGRES_CONNECTION,
                secretEnv: { DATABASE_PASSWORD: runtime.passwordRef },
                migrationSecretEnv: { DATABASE_PASSWORD: owner.passwordRef },
            };
            return new Microservice(
                "api",
                apiArgs({
                    secretEnv: {
                        SESSION_SECRET: secrets.serviceSecretRef("api", "sessionKey"),
                        STRIPE_API_KEY: secrets.serviceSecretRef("api", "stripeApiKey"),
                    },
                    connections: [pg, REDIS_CONNECTION],
                }),
                opts,
            );
        });
        const cm = inputs(recorder.get(K.cm, "api-config"));
        // Updated in place (Pulumi.yaml makes ConfigMaps mutable); a forced apply takes back fields an edit claimed.
        expect(cm.metadata.annotations).to.include({ "pulumi.com/patchForce": "true" });
        expect(cm.data).to.deep.equal({
            LOG_LEVEL: "info",
            FEATURE_FLAGS: "checkout-v2",
            HTTP_TIMEOUT_MS: "5000",
            DATABASE_HOST: "shop-pg-rw",
            DATABASE_PORT: "5432",
            DATABASE_NAME: "app",
            REDIS_HOST: "valkey",
            REDIS_PORT: "6379",
        });
        // The canaries exist only inside the Secrets' stringData.
        expect(allStrings(inputs(recorder.get("kubernetes:core/v1:Secret", "secrets-api")))).to.include(canaries.sessionKey);
        for (const r of kubeResources(recorder).filter((x) => x.type !== "kubernetes:core/v1:Secret")) {
            for (const str of allStrings(inputs(r))) {
                for (const c of Object.values(canaries)) expect(str, `${r.type}::${r.name}`).not.to.contain(c);
            }
        }
        const c = inputs(recorder.get(K.deploy, "api")).spec.template.spec.containers[0];
        expect(c.env).to.deep.equal([
            { name: "DATABASE_PASSWORD", valueFrom: { secretKeyRef: { name: "api-credentials", key: "postgres-runtime-password" } } },
            { name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "redis-credentials", key: "password" } } },
            { name: "SESSION_SECRET", valueFrom: { secretKeyRef: { name: "api-credentials", key: "sessionKey" } } },
            { name: "STRIPE_API_KEY", valueFrom: { secretKeyRef: { name: "api-credentials", key: "stripeApiKey" } } },
        ]);
        // The migration logs in as the owner; the cleanup runs with the service's (runtime) login.
        const envOf = (pod: Obj) => Object.fromEntries((pod.spec.containers[0].env as Obj[]).map((e) => [e.name, e.valueFrom?.secretKeyRef?.key]));
        expect(envOf(inputs(recorder.get(K.job, "api-migrate")).spec.template).DATABASE_PASSWORD).to.equal("postgres-owner-password");
        expect(envOf(inputs(recorder.get(K.cron, "api-cleanup")).spec.jobTemplate.spec.template).DATABASE_PASSWORD).to.equal("postgres-runtime-password");
        for (const w of [recorder.get(K.job, "api-migrate"), recorder.get(K.cron, "api-cleanup")]) {
            const pod = w.type === K.cron ? inputs(w).spec.jobTemplate.spec.template : inputs(w).spec.template;
            for (const e of pod.spec.containers[0].env as Obj[]) {
                if (e.value !== undefined) expect(e.name, `${w.name} literal env`).to.equal("RETENTION_DAYS");
                else expect(e.valueFrom.secretKeyRef, `${w.name} ${e.name}`).to.have.keys(["name", "key"]);
            }
        }
    });

    it("rolls pods when the ConfigMap data changes (checksum annotation)", async () => {
        const first = await build();
        const a = inputs(first.recorder.get(K.deploy, "api")).spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
        const second = await build(apiArgs({ service: withService("api", { env: { FEATURE_FLAGS: "checkout-v3", HTTP_TIMEOUT_MS: "5000" } }) }));
        const b = inputs(second.recorder.get(K.deploy, "api")).spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
        expect(a).to.match(/^[0-9a-f]{64}$/);
        expect(b).to.match(/^[0-9a-f]{64}$/);
        expect(a).not.to.equal(b);
    });

    it("a single-replica service gets replicas, no HPA, no PDB; no ServiceMonitor without metrics; no Job/CronJob without them", async () => {
        const args = apiArgs({
            service: resolved("web"),
            secretEnv: {},
            connections: [],
            network: {
                callers: [],
                dependencies: [{ name: "api", ports: [{ port: 8080, protocol: "TCP" }] }],
                edgeNamespace: "ingress-nginx",
                monitoringNamespace: "monitoring",
                apiServer: { cidrs: ["10.0.0.0/8"], ports: [443] },
            },
        });
        const { recorder } = await build(args, "web");
        expect(inputs(recorder.get(K.deploy, "web")).spec.replicas).to.equal(1);
        for (const t of [K.hpa, K.pdb, K.sm, K.job, K.cron]) expect(recorder.ofType(t), t).to.have.length(0);
        expect(recorder.ofType(K.np)).to.have.length(1);
        expect(inputs(recorder.get(K.deploy, "web")).spec.template.spec.containers[0]).not.to.have.property("env");
    });

    it("creates a ServiceMonitor on the metrics port when enabled, none when the stack turns them off", async () => {
        const on = await build();
        const sm = inputs(on.recorder.get(K.sm, "api"));
        expect(sm.apiVersion).to.equal("monitoring.coreos.com/v1");
        expect(sm.spec.endpoints).to.deep.equal([{ port: "metrics", path: "/metrics", interval: "15s" }]);
        expect(sm.spec.selector).to.deep.equal({ matchLabels: selectorLabels(labels, "api") });
        const off = await build(apiArgs({ observability: { serviceMonitors: false, scrapeInterval: "15s" } }));
        expect(off.recorder.ofType(K.sm)).to.have.length(0);
    });

    it("rejects a secret env defined both by the service and a store connection", async () => {
        let error: Error | undefined;
        await underMocks((opts) => {
            try {
                return new Microservice("api", apiArgs({ secretEnv: { ...SERVICE_SECRET_REFS, DATABASE_PASSWORD: { secretName: "x", key: "y" } } }), opts);
            } catch (e) {
                error = e as Error;
                return undefined;
            }
        });
        expect(error?.message).to.match(/DATABASE_PASSWORD is defined twice/);
    });

    it("exposes the service name and the in-cluster URL", async () => {
        const { component } = await build();
        expect(component.serviceName).to.equal("api");
        expect(await resolve(component.url)).to.equal("http://api.shop-staging.svc.cluster.local:8080");
    });
});
