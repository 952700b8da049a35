// L3/L4: the real Pulumi CLI runs the real program against a real kube-apiserver (Pod Security admission on, kwok
// nodes), with the policy pack enforced. One stack goes through its whole life: preview, up, idempotency, a policy
// violation, drift, an apiserver fault, secret hygiene, destroy.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as yaml from "js-yaml";
import * as k8s from "@kubernetes/client-node";
import { parsePlatformConfig, requiredSecretKeys } from "../../components/config";
import { REQUIRED_LABELS } from "../../components/k8s/labels";
import { readStackFile } from "../../tools/stackEvaluator";
import { freshCluster, kubeApis } from "../../e2e/harness/freshCluster";
import { clusterUp, kubectl, policyArgs, prepareWorkdir, pulumi, REPO, runVisible, selectStack, STATE, stderrLog } from "../../e2e/harness/localCluster";

const STACK = "e2e";
const NS = "shop-e2e";
const CANARY = `canary-e2e-${process.pid}-7d1f0c9a5b`;
const APP_DEPLOYMENTS = ["api", "web", "worker"];

// The dev stack file in its own namespace, production-shaped where e2e must see it (HPA, PDB), with the policy
// pack's dev enforcement. The suite runs its own cluster (tests/e2e/env.ts), so operator namespaces stay as in dev.
const OVERRIDES = {
    "platform:namespace": { name: NS },
    "platform:defaults": { autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 3 } },
};

type Obj = Record<string, unknown>;

/** Runs a preview and asserts it plans no change at all (the chart CRDs included: they are applied in stored form). */
function expectNoChanges(cwd: string, env: NodeJS.ProcessEnv): void {
    const r = pulumi(["preview", "--json", "--stack", STACK, ...policyArgs("dev")], { cwd, env });
    const plan = JSON.parse(r.stdout) as { steps?: { op: string; urn: string }[] };
    expect((plan.steps ?? []).filter((step) => step.op !== "same").map((c) => `${c.op} ${c.urn}`)).to.deep.equal([]);
}

/** Every secret config key the production stack file needs (it generates none). */
function productionSecretKeys(): string[] {
    const raw: Record<string, string> = {};
    for (const [k, v] of Object.entries(readStackFile("production"))) {
        if (k.startsWith("platform:")) raw[k.slice("platform:".length)] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return requiredSecretKeys(parsePlatformConfig(raw, { isSet: () => true, isSecret: () => true })).map((k) => k.key);
}

/** One service on PostgreSQL and Valkey: what the retention stack needs (its Kafka has no client). */
function retainServices(): Obj[] {
    return [
        {
            name: "api",
            description: "Retention probe",
            component: "backend",
            image: "ghcr.io/stefanprodan/podinfo:6.9.2",
            port: 9898,
            uses: ["postgres", "redis"],
        },
    ];
}

describe("real engine: the dev-shaped stack on a local kube-apiserver", function () {
    let env: NodeJS.ProcessEnv;
    let cwd: string;
    let kc: k8s.KubeConfig;
    let core: k8s.CoreV1Api;
    let apps: k8s.AppsV1Api;
    let net: k8s.NetworkingV1Api;
    let batch: k8s.BatchV1Api;
    let policy: k8s.PolicyV1Api;
    let autoscaling: k8s.AutoscalingV2Api;
    let custom: k8s.CustomObjectsApi;

    const stackFile = () => path.join(cwd, `Pulumi.${STACK}.yaml`);
    const editStackConfig = (edit: (config: Obj) => void) => {
        const doc = yaml.load(fs.readFileSync(stackFile(), "utf8")) as { config: Obj } & Obj;
        edit(doc.config);
        fs.writeFileSync(stackFile(), yaml.dump(doc, { lineWidth: 140 }));
    };
    const up = () => pulumi(["up", "--yes", "--skip-preview", "--stack", STACK, ...policyArgs("dev")], { cwd, env });

    before(async () => {
        env = await freshCluster();
        cwd = prepareWorkdir("e2e", STACK, { base: "dev", overrides: OVERRIDES, fresh: true });
        selectStack(STACK, cwd, env);
        pulumi(["config", "set", "--secret", "platform:sessionSigningKey", CANARY, "--stack", STACK], { cwd, env });
        ({ kc, core, apps, net, batch, policy, autoscaling, custom } = kubeApis(env));
    });

    after(async () => {
        if (process.env.PLATFORM_E2E_KEEP === "1" || !env) return;
        await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down"], env);
    });

    it("previews the platform with the policy pack and no mandatory violation", () => {
        const r = pulumi(["preview", "--stack", STACK, ...policyArgs("dev")], { cwd, env });
        expect(r.stdout).to.match(/to create/);
        expect(r.stdout).to.not.match(/mandatory/i);
        stderrLog(`preview: ${(r.ms / 1000).toFixed(1)}s`);
    });

    it("brings the platform up with the policy pack enforced", () => {
        const r = up();
        stderrLog(`up: ${(r.ms / 1000).toFixed(1)}s`);
        expect(r.stdout).to.match(/created/);
    });

    it("labels the namespace for restricted Pod Security and every app pod is admitted and Ready on kwok nodes", async () => {
        const ns = await core.readNamespace({ name: NS });
        expect(ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
        for (const name of APP_DEPLOYMENTS) {
            const d = await apps.readNamespacedDeployment({ name, namespace: NS });
            expect(d.status?.availableReplicas ?? 0, `${name} available`).to.be.at.least(1);
            expect(d.spec?.replicas, `${name}: the HPA owns replicas`).to.be.a("number");
        }
        const pods = await core.listNamespacedPod({ namespace: NS, labelSelector: "app.kubernetes.io/part-of=platform" });
        const running = pods.items.filter((p) => p.status?.phase === "Running");
        expect(running.length).to.be.at.least(APP_DEPLOYMENTS.length);
        for (const p of running) {
            expect(p.spec?.nodeName, p.metadata?.name).to.match(/^kwok-node-/);
            expect(p.spec?.securityContext?.runAsNonRoot).to.equal(true);
            expect(p.spec?.securityContext?.seccompProfile?.type).to.equal("RuntimeDefault");
        }
        // Admission really enforces: a root pod is refused in this namespace.
        const bad: k8s.V1Pod = {
            metadata: { name: "root-probe" },
            spec: { containers: [{ name: "c", image: "busybox:1.36", securityContext: { runAsUser: 0 } }] },
        };
        let refused = "";
        try {
            await core.createNamespacedPod({ namespace: NS, body: bad });
        } catch (e) {
            refused = `${(e as Error).message} ${String((e as { body?: unknown }).body ?? "")}`;
        }
        expect(refused).to.match(/violates PodSecurity \\?"restricted/);
    });

    it("admits the workload model under PSA restricted: native sidecar, gRPC and exec probes, a port-less worker without a Service", async () => {
        const api = await apps.readNamespacedDeployment({ name: "api", namespace: NS });
        const pod = api.spec!.template.spec!;
        const sidecar = pod.initContainers?.find((c) => c.name === "otel-agent");
        expect(sidecar?.restartPolicy, "the apiserver kept the native sidecar").to.equal("Always");
        expect(sidecar?.securityContext?.capabilities?.drop).to.deep.equal(["ALL"]);
        expect(pod.containers[0].readinessProbe?.grpc?.port).to.equal(9999);
        // The ReplicaSet controller created pods from this template: PSA admitted the sidecar and the probes.
        const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: "app.kubernetes.io/name=api" })).items;
        expect(pods.length, "api pods admitted").to.be.greaterThan(0);
        expect(pods[0].spec?.initContainers?.map((c) => c.name)).to.include("otel-agent");
        const worker = await apps.readNamespacedDeployment({ name: "worker", namespace: NS });
        expect(worker.spec!.template.spec!.containers[0].readinessProbe?.exec?.command?.[0]).to.equal("/home/app/podcli");
        let status = 0;
        try {
            await core.readNamespacedService({ name: "worker", namespace: NS });
        } catch (e) {
            status = Number((e as { code?: number }).code ?? 0);
        }
        expect(status, "no Service for the port-less worker").to.equal(404);
    });

    it("creates Services, NetworkPolicies, HPAs, PDBs, the Ingress and the migration Job with the expected fields", async () => {
        const svc = await core.readNamespacedService({ name: "api", namespace: NS });
        expect(svc.spec?.type).to.equal("ClusterIP");
        // The dev stack puts Service port 80 in front of container port 9898, and adds a gRPC port.
        expect(svc.spec?.ports?.map((p) => [p.name, p.port, p.targetPort, p.appProtocol])).to.deep.equal([
            ["http", 80, "http", "http"],
            ["grpc", 9999, "grpc", "grpc"],
        ]);
        const policies = (await net.listNamespacedNetworkPolicy({ namespace: NS })).items;
        const deny = policies.find((p) => Object.keys(p.spec?.podSelector?.matchLabels ?? {}).length === 0 && !p.spec?.ingress && !p.spec?.egress);
        expect(deny?.spec?.policyTypes).to.have.members(["Ingress", "Egress"]);
        const apiPolicy = policies.find((p) => p.spec?.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "api");
        expect(JSON.stringify(apiPolicy?.spec?.ingress)).to.include("web");
        for (const name of APP_DEPLOYMENTS) {
            const hpa = await autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace: NS });
            expect(hpa.spec?.minReplicas).to.equal(2);
            expect(hpa.spec?.scaleTargetRef.name).to.equal(name);
            const pdb = await policy.readNamespacedPodDisruptionBudget({ name, namespace: NS });
            expect(pdb.spec?.maxUnavailable).to.equal(1);
        }
        const ing = (await net.listNamespacedIngress({ namespace: NS })).items[0];
        expect(ing.spec?.ingressClassName).to.equal("nginx");
        expect(ing.spec?.rules?.[0].http?.paths.map((p) => p.path)).to.have.members(["/", "/api"]);
        const jobs = (await batch.listNamespacedJob({ namespace: NS })).items;
        const migrate = jobs.find((j) => j.metadata?.labels?.["app.kubernetes.io/name"] === "api-migrate");
        expect(migrate?.status?.succeeded, "migration Job completed before the API rolled out").to.equal(1);
        const topics = (await custom.listNamespacedCustomObject({ group: "kafka.strimzi.io", version: "v1", namespace: NS, plural: "kafkatopics" })) as {
            items: Obj[];
        };
        expect(topics.items.map((t) => (t.metadata as Obj).name)).to.have.length(1);
    });

    it("Kafka: the apiserver accepts the TLS + SCRAM-SHA-512 listener, simple authorization and one KafkaUser per client with its ACLs", async () => {
        const strimzi = { group: "kafka.strimzi.io", version: "v1", namespace: NS };
        const kafka = (await custom.getNamespacedCustomObject({ ...strimzi, plural: "kafkas", name: "events" })) as {
            spec: { kafka: Obj; entityOperator: Obj };
        };
        const listeners = kafka.spec.kafka.listeners as Obj[];
        expect(listeners).to.have.length(1);
        expect(listeners[0]).to.deep.include({ name: "tls", port: 9093, tls: true, authentication: { type: "scram-sha-512" } });
        expect(kafka.spec.kafka.authorization).to.deep.equal({ type: "simple" });
        expect(kafka.spec.entityOperator.userOperator).to.be.an("object");
        const users = (
            (await custom.listNamespacedCustomObject({ ...strimzi, plural: "kafkausers" })) as {
                items: { metadata: Obj; spec: { authentication: Obj; authorization: { acls: Obj[] } } }[];
            }
        ).items;
        expect(users.map((u) => u.metadata.name).sort()).to.deep.equal(["api", "worker"]);
        const acls = (name: string) =>
            users
                .find((u) => u.metadata.name === name)!
                .spec.authorization.acls.map((a) => `${(a.resource as Obj).type}:${(a.resource as Obj).name}:${(a.operations as string[]).join("+")}`);
        expect(acls("api")).to.deep.equal(["topic:shop.orders.order-created.v1:Write+Describe"]);
        expect(acls("worker")).to.deep.equal(["topic:shop.orders.order-created.v1:Read+Describe", "group:worker:Read"]);
        for (const u of users) {
            expect(u.spec.authentication).to.deep.equal({
                type: "scram-sha-512",
                password: { valueFrom: { secretKeyRef: { name: `${u.metadata.name}-credentials`, key: "kafka-runtime-password" } } },
            });
        }
    });

    it("every service Deployment references only its own credentials Secret, and every key it references exists", async () => {
        for (const name of APP_DEPLOYMENTS) {
            const d = await apps.readNamespacedDeployment({ name, namespace: NS });
            const containers = [...(d.spec?.template.spec?.containers ?? []), ...(d.spec?.template.spec?.initContainers ?? [])];
            const refs = containers.flatMap((c) => (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [])));
            const envFrom = containers.flatMap((c) => (c.envFrom ?? []).flatMap((e) => (e.secretRef ? [e.secretRef.name] : [])));
            // The Kafka cluster CA certificate (public) is written by the Strimzi operator, which does not run here.
            const own = refs.filter((r) => r.name !== "events-cluster-ca-cert");
            expect([...new Set([...own.map((r) => r.name), ...envFrom])], name).to.deep.equal(name === "web" ? [] : [`${name}-credentials`]);
            if (own.length === 0) continue;
            const secret = await core.readNamespacedSecret({ name: `${name}-credentials`, namespace: NS });
            for (const r of own) expect(Object.keys(secret.data ?? {}), `${name}: ${r.name}[${r.key}]`).to.include(r.key);
        }
    });

    it("labels every object the real charts render into the app namespace (and reports each chart's children)", async () => {
        const exported = JSON.parse(pulumi(["stack", "export", "--stack", STACK], { cwd, env }).stdout) as { deployment: { resources: Obj[] } };
        const charts = exported.deployment.resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart").map((r) => String(r.urn));
        const children = exported.deployment.resources.filter((r) => charts.includes(String(r.parent ?? "")));
        for (const c of charts) stderrLog(`chart ${c.split("::").pop()}: ${children.filter((r) => r.parent === c).length} rendered children`);
        expect(charts.map((c) => c.split("::").pop()).sort()).to.deep.equal(["kafka-operator", "postgres-cluster", "postgres-operator", "redis-valkey"]);
        const inNs = children.filter((r) => ((r.outputs as Obj)?.metadata as Obj)?.namespace === NS);
        expect(inNs.length, "chart children in the app namespace").to.be.greaterThan(5);
        const missing: string[] = [];
        for (const r of inNs) {
            const labels = (((r.outputs as Obj).metadata as Obj).labels ?? {}) as Record<string, string>;
            for (const k of REQUIRED_LABELS) if (!labels[k]) missing.push(`${r.type} ${((r.outputs as Obj).metadata as Obj).name}: ${k}`);
            // Ours win over chart-forced values.
            if (labels["app.kubernetes.io/managed-by"] !== "pulumi") missing.push(`${r.type}: managed-by=${labels["app.kubernetes.io/managed-by"]}`);
        }
        expect(missing).to.deep.equal([]);
        // Strimzi's RoleBindings in the watched namespace, which no chart value reaches, carry them as live objects.
        const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
        const bindings = (await rbac.listNamespacedRoleBinding({ namespace: NS })).items.filter((b) => b.metadata?.name?.startsWith("strimzi"));
        expect(bindings.length, "Strimzi RoleBindings in the app namespace").to.be.greaterThan(0);
        for (const b of bindings) for (const k of REQUIRED_LABELS) expect(b.metadata?.labels?.[k], `${b.metadata?.name} ${k}`).to.be.a("string");
    });

    it("the real CRDs accept our Cluster, Kafka, KafkaNodePool and KafkaTopic (Cluster with pinned image and inheritedMetadata)", async () => {
        const get = (group: string, version: string, plural: string, name: string) =>
            custom.getNamespacedCustomObject({ group, version, plural, name, namespace: NS }) as Promise<Obj>;
        const cluster = await get("postgresql.cnpg.io", "v1", "clusters", "postgres");
        const spec = cluster.spec as Obj;
        expect(String(spec.imageName)).to.match(/^ghcr\.io\/cloudnative-pg\/postgresql:16\.\d+-/);
        const inherited = (spec.inheritedMetadata as Obj).labels as Record<string, string>;
        for (const k of REQUIRED_LABELS) expect(inherited[k], `inheritedMetadata ${k}`).to.be.a("string");
        expect(inherited.team).to.equal("platform-team");
        await get("kafka.strimzi.io", "v1", "kafkas", "events");
        await get("kafka.strimzi.io", "v1", "kafkanodepools", "events-dual-role");
        const topics = (await custom.listNamespacedCustomObject({ group: "kafka.strimzi.io", version: "v1", namespace: NS, plural: "kafkatopics" })) as {
            items: Obj[];
        };
        expect(topics.items).to.have.length(1);
    });

    it("admits the real charts' pods in the app namespace under PSA restricted", async () => {
        const ns = await core.readNamespace({ name: NS });
        expect(ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
        // Valkey is the chart workload whose pods run in the app namespace (CNPG and Strimzi pods come from operators,
        // which do not run here): its ReplicaSet created them, so admission let them in.
        const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: "app.kubernetes.io/name=redis" })).items;
        expect(pods.length, "Valkey pods admitted").to.be.at.least(1);
        // A ReplicaSet may retry while the chart's ServiceAccount is still being created; only admission refusals count.
        const refusals = (await core.listNamespacedEvent({ namespace: NS })).items.filter(
            (e) => e.reason === "FailedCreate" && /violates PodSecurity/.test(e.message ?? ""),
        );
        expect(refusals.map((e) => e.message)).to.deep.equal([]);
    });

    it("previews the staging and production stack files against this cluster with their own pack configs: 0 mandatory", () => {
        // Production expects the Prometheus Operator CRDs in its cluster (README: deploy prerequisites); this cluster has
        // no Prometheus Operator, so it gets the three kinds as open-schema CRDs: the charts' monitors need only the kinds.
        const monitorCrd = (kind: string, plural: string) => ({
            apiVersion: "apiextensions.k8s.io/v1",
            kind: "CustomResourceDefinition",
            metadata: { name: `${plural}.monitoring.coreos.com` },
            spec: {
                group: "monitoring.coreos.com",
                scope: "Namespaced",
                names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
                versions: [
                    { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } },
                ],
            },
        });
        const crds = kubectl(
            ["apply", "-f", "-"],
            env,
            JSON.stringify({
                apiVersion: "v1",
                kind: "List",
                items: [
                    monitorCrd("ServiceMonitor", "servicemonitors"),
                    monitorCrd("PodMonitor", "podmonitors"),
                    monitorCrd("PrometheusRule", "prometheusrules"),
                ],
            }),
        );
        expect(crds.status, crds.stderr).to.equal(0);
        for (const stack of ["staging", "production"] as const) {
            const dir = prepareWorkdir(`e2e-preview-${stack}`, stack, { base: stack, fresh: true });
            selectStack(stack, dir, env);
            // Production generates no secret: set the ones it needs, as an operator would.
            if (stack === "production") {
                for (const key of productionSecretKeys()) {
                    pulumi(["config", "set", "--secret", `platform:${key}`, `${CANARY}-${key}`, "--stack", stack], { cwd: dir, env });
                }
            }
            const r = pulumi(["preview", "--stack", stack, ...policyArgs(stack)], { cwd: dir, env, allowFailure: true });
            stderrLog(`preview ${stack}: ${(r.ms / 1000).toFixed(1)}s`);
            // The engine's own error lines come first in the message: the tail of a failed preview is mostly its outputs.
            const errors = `${r.stdout}\n${r.stderr}`
                .split("\n")
                .filter((l) => /error|mandatory/i.test(l))
                .slice(0, 40)
                .join("\n");
            expect(r.status, `${stack}:\n${errors}\n--- tail ---\n${r.stdout.slice(-1500)}`).to.equal(0);
            expect(r.stdout).to.not.match(/mandatory/i);
        }
    });

    it("is idempotent: a second preview plans no change", () => {
        expectNoChanges(cwd, env);
    });

    it("stops a policy violation introduced through config with the policy's message", () => {
        const original = fs.readFileSync(stackFile(), "utf8");
        try {
            editStackConfig((c) => {
                const services = c["platform:services"] as Obj[];
                services[0].podSecurity = { runAsNonRoot: false };
            });
            const r = pulumi(["preview", "--stack", STACK, ...policyArgs("dev")], { cwd, env, allowFailure: true });
            expect(r.status, r.stdout).to.not.equal(0);
            expect(r.stdout + r.stderr).to.match(/run-as-non-root/);
            expect(r.stdout + r.stderr).to.match(/runAsNonRoot is false/);
        } finally {
            fs.writeFileSync(stackFile(), original);
        }
    });

    it("restores out-of-band drift with refresh + up", async () => {
        await core.patchNamespacedConfigMap(
            { name: "web-config", namespace: NS, body: [{ op: "replace", path: "/data/LOG_LEVEL", value: "error" }] },
            k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
        );
        await core.patchNamespacedService(
            { name: "web", namespace: NS, body: [{ op: "remove", path: "/metadata/labels/team" }] },
            k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
        );
        pulumi(["refresh", "--yes", "--skip-preview", "--stack", STACK], { cwd, env });
        up();
        const cm = await core.readNamespacedConfigMap({ name: "web-config", namespace: NS });
        expect(cm.data?.LOG_LEVEL).to.equal("debug");
        const svc = await core.readNamespacedService({ name: "web", namespace: NS });
        expect(svc.metadata?.labels?.team).to.equal("platform-team");
    });

    it("converges after the apiserver dies in the middle of an up, without losing or duplicating anything", async () => {
        const before = JSON.parse(pulumi(["stack", "export", "--stack", STACK], { cwd, env }).stdout) as { deployment: { resources: Obj[] } };
        editStackConfig((c) => {
            const services = c["platform:services"] as Obj[];
            services[2].env = { ...((services[2].env as Obj) ?? {}), FAULT_INJECTED: "1" };
        });
        // Start the update, then kill the apiserver while it runs.
        const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", STACK, "--non-interactive", ...policyArgs("dev")], {
            cwd,
            env,
            stdio: "pipe",
        });
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
            out += d.toString();
        });
        const exited = new Promise<number>((res) => child.on("close", (code) => res(code ?? 1)));
        const deadline = Date.now() + 120_000;
        while (!/updating|creating|replacing/i.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        const pid = Number(fs.readFileSync(path.join(STATE, "run", "kube-apiserver.pid"), "utf8").trim());
        process.kill(pid, "SIGKILL");
        stderrLog(`killed kube-apiserver (pid ${pid}) during up`);
        const code = await exited;
        stderrLog(`interrupted up exited with ${code}`);
        await clusterUp(env);
        up();
        const after = JSON.parse(pulumi(["stack", "export", "--stack", STACK], { cwd, env }).stdout) as {
            deployment: { resources: Obj[]; pending_operations?: unknown[] };
        };
        expect(after.deployment.pending_operations ?? []).to.deep.equal([]);
        const urns = after.deployment.resources.map((r) => String(r.urn));
        expect(new Set(urns).size, "no duplicate URNs").to.equal(urns.length);
        expect(urns.length).to.equal(before.deployment.resources.length);
        const deployments = (await apps.listNamespacedDeployment({ namespace: NS, labelSelector: "app.kubernetes.io/managed-by=pulumi" })).items.map(
            (d) => d.metadata?.name,
        );
        expect(deployments.filter((n) => APP_DEPLOYMENTS.includes(n ?? "")).sort()).to.deep.equal(APP_DEPLOYMENTS);
        const cm = await core.readNamespacedConfigMap({ name: "worker-config", namespace: NS });
        expect(cm.data?.FAULT_INJECTED).to.equal("1");
        expectNoChanges(cwd, env);
    });

    it("keeps the canary secret out of stack files, state export, ConfigMaps and env literals", async () => {
        expect(fs.readFileSync(stackFile(), "utf8")).to.not.include(CANARY);
        for (const f of fs.readdirSync(REPO).filter((n) => n.startsWith("Pulumi."))) expect(fs.readFileSync(path.join(REPO, f), "utf8")).to.not.include(CANARY);
        const exported = pulumi(["stack", "export", "--stack", STACK], { cwd, env }).stdout;
        expect(exported).to.not.include(CANARY);
        expect(exported).to.not.include(Buffer.from(CANARY).toString("base64"));
        const cms = (await core.listNamespacedConfigMap({ namespace: NS })).items;
        expect(JSON.stringify(cms)).to.not.include(CANARY);
        const deps = (await apps.listNamespacedDeployment({ namespace: NS })).items;
        expect(JSON.stringify(deps)).to.not.include(CANARY);
        // The value did reach its Secret, so the searches above looked at a live secret.
        const secret = await core.readNamespacedSecret({ name: "api-credentials", namespace: NS });
        expect(Buffer.from(secret.data?.sessionSigningKey ?? "", "base64").toString()).to.equal(CANARY);
    });

    it("destroys everything it created", async () => {
        pulumi(["destroy", "--yes", "--skip-preview", "--stack", STACK], { cwd, env });
        const namespaces = (await core.listNamespace()).items.map((n) => n.metadata?.name);
        for (const ns of [NS, "cnpg-system", "strimzi-system"]) {
            if (namespaces.includes(ns)) {
                const phase = (await core.readNamespace({ name: ns })).status?.phase;
                expect(phase, `${ns} is gone or terminating`).to.equal("Terminating");
            }
        }
        const ours = (await apps.listDeploymentForAllNamespaces({ labelSelector: "app.kubernetes.io/part-of=platform" })).items.filter(
            (d) => !d.metadata?.deletionTimestamp,
        );
        expect(ours.map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`)).to.deep.equal([]);
        // CRDs outlive the stack: CNPG's by their chart's keep policy, Strimzi's by the post-renderer's (other stacks use them).
        const crds = (await kc.makeApiClient(k8s.ApiextensionsV1Api).listCustomResourceDefinition()).items.map((c) => c.metadata?.name);
        for (const crd of ["clusters.postgresql.cnpg.io", "kafkas.kafka.strimzi.io", "kafkanodepools.kafka.strimzi.io", "kafkatopics.kafka.strimzi.io"]) {
            expect(crds, crd).to.include(crd);
        }
        const exported = JSON.parse(pulumi(["stack", "export", "--stack", STACK], { cwd, env }).stdout) as { deployment: { resources?: Obj[] } };
        expect(
            (exported.deployment.resources ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack" && !String(r.type).startsWith("pulumi:providers:")),
        ).to.deep.equal([]);
    });

    it("with retention on, destroy leaves the namespace, the Cluster (its PVCs' owner) and the Valkey PVC; and says so", async () => {
        const ns = "shop-e2e-retain";
        const dir = prepareWorkdir("e2e-retain", "retain", {
            base: "dev",
            fresh: true,
            overrides: {
                "platform:namespace": { name: ns },
                // The operators went with the stack above; their CRDs stayed, which is all the API server needs.
                "platform:postgres": { installOperator: false, pvcRetention: "retain" },
                "platform:redis": { persistence: { enabled: true, size: "1Gi" }, pvcRetention: "retain" },
                // Strimzi again: its CRDs outlived the stack above, so a new stack re-applies them under a new field manager
                // (this conflicted on `.spec.versions` while a CRD was applied in a form the API server does not store).
                "platform:kafka": { topics: [] },
                "platform:services": retainServices(),
                // The probe service is private, so the stack has no edge (the config refuses an edge with no public service).
                "platform:edge": { mode: "none" },
            },
        });
        selectStack("retain", dir, env);
        // kwok has no volume provisioner: a static PersistentVolume lets the Valkey claim bind, so its pod schedules.
        const pv = kubectl(
            ["apply", "-f", "-"],
            env,
            JSON.stringify({
                apiVersion: "v1",
                kind: "PersistentVolume",
                metadata: { name: "e2e-retain-redis" },
                spec: {
                    capacity: { storage: "1Gi" },
                    accessModes: ["ReadWriteOnce"],
                    persistentVolumeReclaimPolicy: "Retain",
                    hostPath: { path: "/tmp/e2e-retain-redis" },
                },
            }),
        );
        expect(pv.status, pv.stderr).to.equal(0);
        const up = pulumi(["up", "--yes", "--skip-preview", "--stack", "retain"], { cwd: dir, env });
        expect(up.stdout + up.stderr).to.include(`pulumi destroy keeps namespace ${ns}`);
        const destroy = pulumi(["destroy", "--yes", "--skip-preview", "--stack", "retain"], { cwd: dir, env });
        stderrLog(`destroy with retention: ${(destroy.ms / 1000).toFixed(1)}s`);
        expect(destroy.stdout).to.match(/retain/);
        const namespace = await core.readNamespace({ name: ns });
        expect(namespace.status?.phase, "namespace kept").to.equal("Active");
        const cluster = (await custom.getNamespacedCustomObject({
            group: "postgresql.cnpg.io",
            version: "v1",
            plural: "clusters",
            name: "postgres",
            namespace: ns,
        })) as Obj;
        expect((cluster.metadata as Obj).deletionTimestamp).to.equal(undefined);
        const pvc = await core.readNamespacedPersistentVolumeClaim({ name: "redis", namespace: ns });
        expect(pvc.metadata?.deletionTimestamp).to.equal(undefined);
        const deployments = (await apps.listNamespacedDeployment({ namespace: ns })).items.filter((d) => !d.metadata?.deletionTimestamp);
        expect(
            deployments.map((d) => d.metadata?.name),
            "everything else goes",
        ).to.deep.equal([]);
        await core.deleteNamespace({ name: ns });
    });
});
