// Each stack evaluated from its real Pulumi.<stack>.yaml under mocks: inventory, per-environment differences, secrets.
import { expect } from "chai";
import { REQUIRED_LABELS } from "../../components/k8s/labels";
import { ConfigError } from "../../components/config";
import { evaluateStack, RegisteredResource, runStack, StackEvaluation, StackName, STACKS, testSecretValue } from "../../tools/stackEvaluator";
import { expectDefaultDenyAndOwnPolicies, Obj, secretLeaks, T } from "./stackInventory";

const evaluated: Partial<Record<StackName, StackEvaluation>> = {};

/** Secrets a stack references but does not create; docs/secrets.md lists them. */
const EXTERNAL_SECRETS = [
    // Written by the Strimzi cluster operator: the cluster CA certificate (public), key ca.crt.
    { name: "events-cluster-ca-cert", key: "ca.crt" },
];

/** Pulumi's marker for a secret value in recorded inputs. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const unwrap = (v: unknown): unknown => (v && typeof v === "object" && SECRET_SIG in (v as Obj) ? (v as Obj).value : v);

/** Secret name → its keys, for every Secret the stack creates. */
function createdSecrets(resources: RegisteredResource[]): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const r of resources.filter((x) => x.type === T.secret)) {
        const i = r.inputs as Obj;
        const keys = new Set([...Object.keys((unwrap(i.stringData) ?? {}) as Obj), ...Object.keys((unwrap(i.data) ?? {}) as Obj)]);
        out.set(String(i.metadata.name), keys);
    }
    return out;
}

/**
 * Every reference to a Secret in a resource's inputs: env `secretKeyRef`, `envFrom[].secretRef`, CNPG role
 * `passwordSecret`, the Valkey chart's users Secret with each user's `passwordKey`, Strimzi's `valueFrom.secretKeyRef`.
 */
function secretReferences(inputs: unknown): { name: string; key?: string }[] {
    const out: { name: string; key?: string }[] = [];
    const walk = (v: unknown): void => {
        v = unwrap(v);
        if (Array.isArray(v)) {
            v.forEach(walk);
            return;
        }
        if (!v || typeof v !== "object") return;
        const o = v as Obj;
        if (o.secretKeyRef) out.push({ name: String(o.secretKeyRef.name), key: String(o.secretKeyRef.key) });
        if (o.secretRef?.name) out.push({ name: String(o.secretRef.name) });
        if (o.passwordSecret?.name) for (const key of ["username", "password"]) out.push({ name: String(o.passwordSecret.name), key });
        if (typeof o.usersExistingSecret === "string" && o.aclUsers) {
            for (const [user, spec] of Object.entries(o.aclUsers as Record<string, Obj>))
                out.push({ name: o.usersExistingSecret, key: String(spec.passwordKey ?? user) });
        }
        Object.values(o).forEach(walk);
    };
    walk(inputs);
    return out;
}

function of(stack: StackName, type: string): Obj[] {
    return evaluated[stack]!.resources.filter((r) => r.type === type).map((r) => r.inputs as Obj);
}

function container(dep: Obj): Obj {
    return dep.spec.template.spec.containers[0];
}

describe("stacks under mocks", function () {
    before(async () => {
        for (const s of STACKS) evaluated[s] = await evaluateStack(s);
    });

    for (const stack of STACKS) {
        describe(stack, () => {
            it("registers the full inventory", () => {
                const types = new Set(evaluated[stack]!.resources.map((r) => r.type));
                for (const t of [
                    T.deployment,
                    T.configMap,
                    T.secret,
                    T.ingress,
                    T.netpol,
                    T.chart,
                    T.job,
                    T.cronJob,
                    T.namespace,
                    "kubernetes:core/v1:Service",
                    "kubernetes:core/v1:ServiceAccount",
                    "kubernetes:kafka.strimzi.io/v1:Kafka",
                    "kubernetes:kafka.strimzi.io/v1:KafkaNodePool",
                    "kubernetes:kafka.strimzi.io/v1:KafkaTopic",
                ]) {
                    expect(types, `${stack} lacks ${t}`).to.include(t);
                }
                expect(
                    of(stack, T.deployment)
                        .map((d) => d.metadata.name)
                        .sort(),
                ).to.deep.equal(["api", "web", "worker"]);
            });

            it("parents every resource to a component (one tree under Platform)", () => {
                const orphans = evaluated[stack]!.resources.filter(
                    (r) => !r.parent && r.type !== "pulumi:pulumi:Stack" && r.type !== "platform:index:Platform",
                );
                expect(orphans.map((r) => `${r.type}::${r.name}`)).to.deep.equal([]);
            });

            it("puts the standard labels on every Kubernetes object and pod template", () => {
                const missing: string[] = [];
                for (const r of evaluated[stack]!.resources) {
                    if (!r.type.startsWith("kubernetes:") || r.type === T.chart) continue;
                    const labels = ((r.inputs as Obj).metadata?.labels ?? {}) as Record<string, string>;
                    for (const k of REQUIRED_LABELS) if (!labels[k]) missing.push(`${r.type}::${r.name} ${k}`);
                    const tpl = (r.inputs as Obj).spec?.template ?? (r.inputs as Obj).spec?.jobTemplate?.spec?.template;
                    if (tpl) for (const k of REQUIRED_LABELS) if (!tpl.metadata?.labels?.[k]) missing.push(`${r.type}::${r.name} template ${k}`);
                }
                expect(missing).to.deep.equal([]);
            });

            it("labels every resource with its environment", () => {
                for (const d of of(stack, T.deployment)) expect(d.metadata.labels.environment).to.equal(stack);
            });

            it("has a default-deny NetworkPolicy and one policy per workload", () => {
                expectDefaultDenyAndOwnPolicies(evaluated[stack]!.resources);
            });

            it("passes secrets by reference only: no secret value outside Secret objects", () => {
                expect(secretLeaks(evaluated[stack]!.resources)).to.deep.equal([]);
                const api = of(stack, T.deployment).find((d) => d.metadata.name === "api")!;
                const env = container(api).env as Obj[];
                const signing = env.find((e) => e.name === "SESSION_SIGNING_KEY")!;
                expect(signing.value).to.equal(undefined);
                expect(signing.valueFrom.secretKeyRef).to.deep.include({ key: "sessionSigningKey" });
                expect(env.find((e) => e.name === "POSTGRES_PASSWORD")!.valueFrom.secretKeyRef).to.deep.equal({
                    name: "api-credentials",
                    key: "postgres-runtime-password",
                });
            });

            it("points every secretKeyRef, envFrom secretRef and chart Secret reference at a Secret and key the stack creates", () => {
                const created = createdSecrets(evaluated[stack]!.resources);
                const dangling: string[] = [];
                for (const r of evaluated[stack]!.resources) {
                    for (const ref of secretReferences(r.inputs)) {
                        const keys = created.get(ref.name);
                        const external = EXTERNAL_SECRETS.find((e) => e.name === ref.name && (ref.key === undefined || e.key === ref.key));
                        if (external) continue;
                        if (!keys) dangling.push(`${r.type}::${r.name} → Secret ${ref.name} (not created by the stack)`);
                        else if (ref.key !== undefined && !keys.has(ref.key)) dangling.push(`${r.type}::${r.name} → ${ref.name}[${ref.key}] (no such key)`);
                    }
                }
                expect(dangling).to.deep.equal([]);
                // The check sees the references it is meant to see.
                const refs = evaluated[stack]!.resources.flatMap((r) => secretReferences(r.inputs));
                expect(refs.some((x) => x.name === "valkey-users" && x.key === "api")).to.equal(true);
                expect(refs.some((x) => x.name === "worker-credentials" && x.key === "kafka-runtime-password")).to.equal(true);
                expect(refs.some((x) => x.name === "api-postgres-runtime")).to.equal(true);
            });

            it("every workload of a service references only its own credentials Secret (and the Kafka CA certificate)", () => {
                for (const r of evaluated[stack]!.resources.filter((x) => [T.deployment, T.job, T.cronJob].includes(x.type))) {
                    const service = (r.inputs as Obj).metadata.labels["app.kubernetes.io/name"].replace(/-(migrate|cleanup)$/, "");
                    const names = new Set(secretReferences(r.inputs).map((x) => x.name));
                    names.delete("events-cluster-ca-cert");
                    const expected = ["web"].includes(service) ? [] : [`${service}-credentials`];
                    expect([...names], `${r.type}::${r.name}`).to.deep.equal(expected);
                }
            });

            it("bounds storage: ephemeral-storage requests and limits on every container it sizes, a sizeLimit on every emptyDir", () => {
                const unbounded: string[] = [];
                const bounded = (r: Obj | undefined) => !!r?.requests?.["ephemeral-storage"] && !!r?.limits?.["ephemeral-storage"];
                for (const r of evaluated[stack]!.resources.filter((x) => [T.deployment, T.job, T.cronJob].includes(x.type))) {
                    const tpl = (r.inputs as Obj).spec.template ?? (r.inputs as Obj).spec.jobTemplate.spec.template;
                    for (const c of [...tpl.spec.containers, ...(tpl.spec.initContainers ?? [])] as Obj[])
                        if (!bounded(c.resources)) unbounded.push(`${r.name}/${c.name}`);
                    for (const v of (tpl.spec.volumes ?? []) as Obj[]) if (v.emptyDir && !v.emptyDir.sizeLimit) unbounded.push(`${r.name} emptyDir ${v.name}`);
                }
                const charts = of(stack, T.chart);
                const cluster = charts.find((c) => /cluster/.test(String(c.chart)))!.values;
                const valkey = charts.find((c) => /valkey/.test(String(c.chart)))!.values;
                for (const [what, res] of [
                    ["postgres", cluster.cluster.resources],
                    ["valkey", valkey.resources],
                    ["valkey init", valkey.initResources],
                ] as const)
                    if (!bounded(res)) unbounded.push(what);
                const kafka = evaluated[stack]!.resources.find((r) => r.type === "kubernetes:kafka.strimzi.io/v1:Kafka")!.inputs as Obj;
                const pool = evaluated[stack]!.resources.find((r) => r.type === "kubernetes:kafka.strimzi.io/v1:KafkaNodePool")!.inputs as Obj;
                for (const [what, res] of [
                    ["broker", pool.spec.resources],
                    ["topic operator", kafka.spec.entityOperator.topicOperator.resources],
                    ["user operator", kafka.spec.entityOperator.userOperator.resources],
                ] as const)
                    if (!bounded(res)) unbounded.push(what);
                if (pool.spec.storage.type === "ephemeral") expect(pool.spec.storage.sizeLimit, "the broker's emptyDir log directory").to.be.a("string");
                expect(unbounded).to.deep.equal([]);
            });

            it("gives charts no secret values", () => {
                for (const c of of(stack, T.chart)) {
                    const text = JSON.stringify(c.values ?? {});
                    expect(text).to.not.match(/canary-|mock-generated-/);
                }
            });

            it("exports endpoints and secret names, never values", () => {
                const out = evaluated[stack]!.outputs;
                expect(out.namespace).to.equal(`shop-${stack}`);
                expect(out.serviceNames).to.deep.equal(stack === "dev" ? ["web", "api"] : ["web", "api", "worker"]);
                expect(out.secretNames).to.have.members([
                    "api-credentials",
                    "worker-credentials",
                    "api-postgres-owner",
                    "api-postgres-runtime",
                    "valkey-users",
                ]);
                expect((out.dataStores as Obj).postgres.port).to.equal(5432);
                expect(JSON.stringify(out)).to.not.match(/canary-|mock-generated-/);
            });

            it("runs the migration before the API rolls out", () => {
                const job = of(stack, T.job)[0];
                expect(job.spec.template.spec.containers[0].command).to.deep.equal(["podinfo", "--version"]);
                const api = evaluated[stack]!.resources.find((r) => r.type === T.deployment && r.name === "api")!;
                expect(api.dependsOn, "the api Deployment waits for its migration Job").to.include(`${T.job}::api-migrate`);
                // Only the service with a migration is gated; the others roll out without waiting for it.
                for (const other of evaluated[stack]!.resources.filter((r) => r.type === T.deployment && r.name !== "api")) {
                    expect(other.dependsOn, other.name).to.not.include(`${T.job}::api-migrate`);
                }
            });

            it("schedules the cleanup CronJob from the stack file", () => {
                expect(of(stack, T.cronJob)[0].spec.schedule).to.equal("30 3 * * *");
            });
        });
    }

    describe("per-environment differences come from the stack files", () => {
        it("dev: 1 replica, debug logs, IfNotPresent, small limits, no HPA/PDB, generated secrets, operators installed, no TLS", () => {
            for (const d of of("dev", T.deployment)) {
                expect(d.spec.replicas).to.equal(1);
                expect(container(d).imagePullPolicy).to.equal("IfNotPresent");
                expect(container(d).resources.limits).to.deep.equal({ cpu: "500m", memory: "512Mi", "ephemeral-storage": "256Mi" });
            }
            expect(of("dev", T.configMap).every((c) => c.data.LOG_LEVEL === "debug")).to.equal(true);
            expect(of("dev", T.hpa)).to.have.length(0);
            expect(of("dev", T.pdb)).to.have.length(0);
            expect(of("dev", T.random)).to.have.length(7);
            expect(of("dev", T.chart).map((c) => c.chart)).to.have.length(4);
            expect(of("dev", T.ingress)[0].spec.tls).to.equal(undefined);
        });

        it("staging: HPA from 2, PDB, TLS, still generated secrets", () => {
            expect(of("staging", T.hpa).map((h) => h.spec.minReplicas)).to.deep.equal([2, 2, 2]);
            expect(of("staging", T.pdb)).to.have.length(3);
            expect(of("staging", T.ingress)[0].spec.tls).to.have.length(1);
            expect(of("staging", T.random)).to.have.length(7);
        });

        it("production: HPA (cpu 70 %, memory 80 %) from 3, no replicas field, PDB, TLS, Always, 2/2Gi, info logs", () => {
            const hpas = of("production", T.hpa);
            expect(hpas).to.have.length(3);
            for (const h of hpas) {
                expect(h.spec.minReplicas).to.be.at.least(3);
                const targets = Object.fromEntries((h.spec.metrics as Obj[]).map((m) => [m.resource.name, m.resource.target.averageUtilization]));
                expect(targets).to.deep.equal({ cpu: 70, memory: 80 });
            }
            for (const d of of("production", T.deployment)) {
                expect(d.spec).to.not.have.property("replicas");
                expect(container(d).imagePullPolicy).to.equal("Always");
                expect(container(d).resources.limits).to.deep.equal({ cpu: "2", memory: "2Gi", "ephemeral-storage": "1Gi" });
            }
            expect(of("production", T.pdb).map((p) => p.spec.maxUnavailable)).to.deep.equal([1, 1, 1]);
            expect(of("production", T.configMap).every((c) => c.data.LOG_LEVEL === "info")).to.equal(true);
            const ing = of("production", T.ingress)[0];
            expect(ing.spec.tls[0].hosts).to.deep.equal(["shop.example.com"]);
            expect(ing.metadata.annotations["cert-manager.io/cluster-issuer"]).to.equal("letsencrypt-production");
            expect(of("production", T.serviceMonitor)).to.have.length(3);
            // Ephemeral storage per environment, capped per namespace; the LimitRange sizes what the platform does not.
            const quota = of("production", "kubernetes:core/v1:ResourceQuota")[0];
            expect(quota.spec.hard).to.include({ "requests.ephemeral-storage": "32Gi", "limits.ephemeral-storage": "128Gi" });
            const limits = of("production", "kubernetes:core/v1:LimitRange")[0].spec.limits[0];
            expect(limits.default["ephemeral-storage"]).to.equal("1Gi");
            expect(limits.defaultRequest["ephemeral-storage"]).to.equal("128Mi");
            expect(of("production", T.deployment)[0].spec.template.spec.volumes[0].emptyDir).to.deep.equal({ sizeLimit: "256Mi" });
            expect(of("dev", T.deployment)[0].spec.template.spec.volumes[0].emptyDir).to.deep.equal({ sizeLimit: "64Mi" });
        });

        it("production generates no secret and installs no operator (cluster-level, managed separately)", () => {
            expect(of("production", T.random)).to.have.length(0);
            expect(of("production", T.chart).map((c) => String(c.chart))).to.satisfy((cs: string[]) => cs.every((c) => !/cloudnative-pg$|strimzi/.test(c)));
            const secrets = evaluated.production!.resources.filter((r) => r.type === T.secret);
            const data = JSON.stringify(secrets.map((s) => s.inputs));
            expect(data).to.include(testSecretValue("apiPostgresPassword"));
        });

        it("production sizes data stores for HA", () => {
            const pool = evaluated.production!.resources.find((r) => r.type === "kubernetes:kafka.strimzi.io/v1:KafkaNodePool")!.inputs as Obj;
            expect(pool.spec.replicas).to.equal(3);
            const cluster = of("production", T.chart).find((c) => /cluster/.test(String(c.chart)))!;
            expect(JSON.stringify(cluster.values)).to.include('"instances":3');
        });
    });

    describe("dev exercises the workload model", () => {
        const dep = (name: string) => of("dev", T.deployment).find((d) => d.metadata.name === name)!;
        const service = (name: string) => of("dev", "kubernetes:core/v1:Service").find((s) => s.metadata.name === name);
        const policy = (name: string) => of("dev", T.netpol).find((p) => p.metadata.name === name)!;

        it("web and api: Service port 80 in front of container port 9898; policies open 9898, never 80", () => {
            expect(service("web")!.spec.ports).to.deep.equal([{ name: "http", port: 80, targetPort: "http", protocol: "TCP", appProtocol: "http" }]);
            expect(container(dep("web")).ports).to.deep.equal([{ name: "http", containerPort: 9898, protocol: "TCP" }]);
            const fromWeb = policy("api").spec.ingress.find((r: Obj) => JSON.stringify(r.from).includes('"web"'));
            expect(fromWeb.ports).to.deep.equal([
                { protocol: "TCP", port: 9898 },
                { protocol: "TCP", port: 9999 },
            ]);
            expect(JSON.stringify(of("dev", T.netpol).map((p) => p.spec))).to.not.match(/"port":80\b/);
            const rules = of("dev", T.ingress)[0].spec.rules[0].http.paths as Obj[];
            expect(rules.map((r) => r.backend.service.port.number)).to.deep.equal([80, 80]);
        });

        it("api: a grpc port with appProtocol grpc, a gRPC readiness probe and an http liveness probe", () => {
            expect(service("api")!.spec.ports[1]).to.deep.equal({ name: "grpc", port: 9999, targetPort: "grpc", protocol: "TCP", appProtocol: "grpc" });
            expect(container(dep("api")).readinessProbe.grpc).to.deep.equal({ port: 9999 });
            expect(container(dep("api")).readinessProbe).to.not.have.property("httpGet");
            expect(container(dep("api")).livenessProbe.httpGet).to.deep.include({ path: "/healthz", port: "http" });
            const urls = evaluated.dev!.outputs.servicePortUrls as Obj;
            expect(urls.api).to.deep.equal({ http: "http://api.shop-dev.svc.cluster.local:80", grpc: "grpc://api.shop-dev.svc.cluster.local:9999" });
        });

        it("api: a native sidecar with the main container's restricted security context and its own probes", () => {
            const [sidecar] = dep("api").spec.template.spec.initContainers as Obj[];
            expect(sidecar).to.deep.include({ name: "otel-agent", restartPolicy: "Always" });
            expect(sidecar.securityContext).to.deep.equal(container(dep("api")).securityContext);
            expect(sidecar.readinessProbe.httpGet).to.deep.include({ port: "otel-health" });
            expect(sidecar.livenessProbe.httpGet).to.deep.include({ port: "otel-health" });
        });

        it("api: DATABASE_URL is composed by Kubernetes from the secret reference, after it, never in the ConfigMap", () => {
            const env = container(dep("api")).env as Obj[];
            const url = env.findIndex((e) => e.name === "DATABASE_URL");
            expect(env[url].value).to.equal("postgres://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DB)");
            expect(env.findIndex((e) => e.name === "POSTGRES_PASSWORD")).to.be.lessThan(url);
            expect(of("dev", T.configMap).find((c) => c.metadata.name === "api-config")!.data).to.not.have.property("DATABASE_URL");
        });

        it("api: JSON logs and OTel export to the localhost agent, from config", () => {
            const data = of("dev", T.configMap).find((c) => c.metadata.name === "api-config")!.data;
            expect(data).to.deep.include({
                LOG_FORMAT: "json",
                OTEL_SERVICE_NAME: "api",
                OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4317",
                OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
            });
            expect(data.OTEL_RESOURCE_ATTRIBUTES).to.equal("service.namespace=platform,service.version=6.9.2,deployment.environment=dev");
        });

        it("worker: no port, so no Service and no URL; exec probes; its policy admits nobody", () => {
            expect(service("worker")).to.equal(undefined);
            expect(evaluated.dev!.outputs.serviceUrls as Obj).to.not.have.property("worker");
            expect(container(dep("worker"))).to.not.have.property("ports");
            expect(container(dep("worker")).readinessProbe.exec.command[0]).to.equal("/home/app/podcli");
            expect(policy("worker").spec).to.not.have.property("ingress");
        });

        it("a Secret value change rolls the pods that read it, and only those", async () => {
            const before = dep("api").spec.template.metadata.annotations["checksum/secrets"];
            expect(before).to.match(/^[0-9a-f]{64}$/);
            expect(dep("web").spec.template.metadata.annotations).to.not.have.property("checksum/secrets");
            const rotated = await evaluateStack("dev", { secrets: { sessionSigningKey: "rotated-value-1" } });
            const again = await evaluateStack("dev", { secrets: { sessionSigningKey: "rotated-value-2" } });
            const stamp = (e: StackEvaluation, name = "api") =>
                (e.resources.find((r) => r.type === T.deployment && (r.inputs as Obj).metadata.name === name)!.inputs as Obj).spec.template.metadata
                    .annotations["checksum/secrets"];
            expect(stamp(rotated)).to.not.equal(stamp(again));
            // The worker does not read the session key: its stamp (over its Kafka password) stays.
            expect(stamp(rotated, "worker")).to.match(/^[0-9a-f]{64}$/);
            expect(stamp(rotated, "worker")).to.equal(stamp(again, "worker"));
            expect(JSON.stringify(rotated.resources.filter((r) => r.type === T.deployment).map((r) => r.inputs))).to.not.include("rotated-value-1");
        });
    });

    describe("refusals", () => {
        it("production without its secrets fails before registering anything, naming each key and the fix", async () => {
            const outcome = await runStack("production", { secrets: {} });
            expect(outcome.error).to.be.instanceOf(ConfigError);
            for (const key of [
                "apiPostgresOwnerPassword",
                "apiPostgresPassword",
                "apiRedisPassword",
                "redisReplicationPassword",
                "apiKafkaPassword",
                "workerKafkaPassword",
                "sessionSigningKey",
            ]) {
                expect(outcome.error!.message).to.include(`platform:${key}`);
                expect(outcome.error!.message).to.include(`pulumi config set --secret platform:${key}`);
            }
            const registered = outcome.resources.filter((r: RegisteredResource) => r.type !== "pulumi:pulumi:Stack");
            expect(registered).to.deep.equal([]);
        });

        it("a malformed stack registers zero resources", async () => {
            const outcome = await runStack("dev", { configOverrides: { services: [{ name: "web", image: "nginx:latest", port: 0 }] } });
            expect(outcome.error).to.be.instanceOf(ConfigError);
            expect(outcome.error!.message).to.include("platform:services[0].port");
            expect(outcome.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
        });

        it("a secret set without --secret is refused", async () => {
            const outcome = await runStack("dev", { configOverrides: { sessionSigningKey: "plaintext-value" } });
            expect(outcome.error?.message).to.include("platform:sessionSigningKey: is stored in plaintext");
        });
    });
});
