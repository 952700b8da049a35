// L3/L4 for the blueprints: each seed system's config file, previewed with the policy pack and brought up by the real
// Pulumi CLI on the local kube-apiserver (Pod Security admission on, kwok nodes), then destroyed — one after another on
// one cluster. What cannot be verified here: kwok marks pods Running/Ready without running a container (images, probes,
// the apps themselves never execute), the CloudNativePG/Strimzi operators never reconcile (no database, broker or
// KafkaUser Secret appears), Dapr and the Prometheus Operator are absent (their kinds are open-schema stand-ins), and no
// CNI enforces NetworkPolicies. What is verified: every object is accepted by the apiserver and the real CRDs, pods are
// admitted under PSA restricted and scheduled, Jobs complete (kwok stage), claims bind, and the route, Service, pod and
// NetworkPolicy objects are wired as each blueprint declares.
import * as path from "path";
import { randomBytes } from "crypto";
import { expect } from "chai";
import * as k8s from "@kubernetes/client-node";
import { REQUIRED_LABELS } from "../../components/k8s/labels";
import { freshCluster, kubeApis } from "../../e2e/harness/freshCluster";
import { kubectl, policyArgs, prepareWorkdir, pulumi, REPO, runVisible, selectStack, stderrLog } from "../../e2e/harness/localCluster";
import { blueprintTargets, policyEnforcement, readStackFile } from "../../tools/stackTargets";
import { failureLines, operatorsOf, requiredSecrets, STAND_IN_CRDS, STATIC_VOLUMES } from "./blueprintSetup";
import { admits, Endpoint } from "./networkReach";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- live objects read as JSON

describe("real engine: the five blueprints, each previewed, brought up and destroyed on the local cluster", function () {
    let env: NodeJS.ProcessEnv;
    let core: k8s.CoreV1Api;
    let apps: k8s.AppsV1Api;
    let batch: k8s.BatchV1Api;
    let net: k8s.NetworkingV1Api;
    let rbac: k8s.RbacAuthorizationV1Api;
    let custom: k8s.CustomObjectsApi;
    const t0 = Date.now();
    // PLATFORM_E2E_BLUEPRINTS=traderx,phase9-shop runs only those (a quicker loop while working on one system).
    const only = (process.env.PLATFORM_E2E_BLUEPRINTS ?? "")
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
    const targets = blueprintTargets().filter((t) => only.length === 0 || only.includes(t.name));
    // The operators are cluster-wide: the first blueprint that installs one does so as its file says; the later ones
    // reuse its CRDs (kept on destroy) instead of installing the same chart again into the same namespace, which a
    // second stack cannot do without a server-side-apply conflict — on a real cluster one stack owns the operators too.
    const installed = new Set<string>();

    before(async () => {
        env = await freshCluster();
        const applied = kubectl(["apply", "-f", "-"], env, JSON.stringify({ apiVersion: "v1", kind: "List", items: [...STAND_IN_CRDS, ...STATIC_VOLUMES] }));
        expect(applied.status, applied.stderr).to.equal(0);
        ({ core, apps, batch, net, rbac, custom } = kubeApis(env));
    });

    after(async () => {
        stderrLog(`blueprints e2e: ${((Date.now() - t0) / 1000).toFixed(0)}s in all`);
        if (process.env.PLATFORM_E2E_KEEP === "1" || !env) return;
        await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down"], env);
    });

    it("finds the five blueprints", () => {
        expect(blueprintTargets().map((t) => t.name)).to.include.members(["cloud-native", "market-spine", "phase9-shop", "sorcha", "traderx"]);
        expect(targets.length, `PLATFORM_E2E_BLUEPRINTS=${only.join(",")} names no blueprint`).to.be.greaterThan(0);
    });

    for (const t of targets) {
        describe(t.name, () => {
            let cwd: string;
            let namespace: string;
            let tBlueprint = 0;
            const stack = t.name;
            const level = policyEnforcement(t);
            const file = () => readStackFile(t.name, t.configFile);
            const declared = () => (file()["platform:services"] as Obj[]).map((s) => s.name as string);
            const deployment = (name: string) => apps.readNamespacedDeployment({ name, namespace });
            const podsOf = async (name: string) =>
                (await core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/name=${name}` })).items.filter(
                    (p) => !p.metadata?.deletionTimestamp,
                );

            before(() => {
                tBlueprint = Date.now();
                namespace = (file()["platform:namespace"] as Obj).name;
                const reuse = operatorsOf(t).filter((o) => installed.has(o));
                for (const o of operatorsOf(t)) installed.add(o);
                const overrides = Object.fromEntries(reuse.map((o) => [`platform:${o}`, { installOperator: false }]));
                cwd = prepareWorkdir(`bp-${t.name}`, stack, { baseFile: t.configFile, fresh: true, overrides });
                selectStack(stack, cwd, env);
                const keys = requiredSecrets(t);
                for (const key of keys)
                    pulumi(["config", "set", "--secret", `platform:${key}`, `e2e-${randomBytes(18).toString("hex")}`, "--stack", stack], { cwd, env });
                stderrLog(
                    `${t.name}: ${keys.length} secrets set with --secret, enforcement ${level}, operators installed here: ${
                        operatorsOf(t)
                            .filter((o) => !reuse.includes(o))
                            .join(", ") || "none (reused)"
                    }`,
                );
            });

            after(() => stderrLog(`${t.name}: ${((Date.now() - tBlueprint) / 1000).toFixed(0)}s for preview, up, checks and destroy`));

            it("previews with the policy pack and no mandatory violation", () => {
                const r = pulumi(["preview", "--stack", stack, ...policyArgs(level)], { cwd, env, allowFailure: true });
                const errors = failureLines(r);
                expect(r.status, `${errors}\n--- tail ---\n${r.stdout.slice(-1500)}`).to.equal(0);
                expect(r.stdout).to.match(/to create/);
                expect(r.stdout).to.not.match(/mandatory/i);
                stderrLog(`${t.name} preview: ${(r.ms / 1000).toFixed(1)}s`);
            });

            it("comes up with the policy pack enforced: every service available on kwok nodes under PSA restricted, every object labelled", async () => {
                const r = pulumi(["up", "--yes", "--skip-preview", "--stack", stack, ...policyArgs(level)], { cwd, env, allowFailure: true });
                stderrLog(`${t.name} up: ${(r.ms / 1000).toFixed(1)}s`);
                const errors = failureLines(r);
                expect(r.status, `${errors}\n--- tail ---\n${r.stdout.slice(-1500)}`).to.equal(0);
                const ns = await core.readNamespace({ name: namespace });
                expect(ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
                for (const name of declared()) {
                    const d = await deployment(name);
                    expect(d.status?.availableReplicas ?? 0, `${name} available on kwok nodes`).to.be.at.least(1);
                    for (const k of REQUIRED_LABELS) expect(d.metadata?.labels?.[k], `${name} ${k}`).to.be.a("string");
                    const pods = await podsOf(name);
                    expect(pods.length, `${name} pods admitted`).to.be.at.least(1);
                    for (const p of pods) expect(p.spec?.nodeName, `${p.metadata?.name} scheduled`).to.match(/^kwok-node-/);
                }
                // Every claim the blueprint's own objects make is bound (operator-made claims do not exist here).
                for (const pvc of (await core.listNamespacedPersistentVolumeClaim({ namespace })).items)
                    expect(pvc.status?.phase, `claim ${pvc.metadata?.name}`).to.equal("Bound");
                // Migration Jobs gate their Deployments: kwok's Job stage completed each one before its service rolled out.
                for (const j of (await batch.listNamespacedJob({ namespace })).items) expect(j.status?.succeeded, `Job ${j.metadata?.name}`).to.equal(1);
                const refusals = (await core.listNamespacedEvent({ namespace })).items.filter(
                    (e) => e.reason === "FailedCreate" && /violates PodSecurity/.test(e.message ?? ""),
                );
                expect(refusals.map((e) => e.message)).to.deep.equal([]);
            });

            if (t.name === "phase9-shop") {
                it("smoke through the gateway route: Ingress → Service → Ready gateway pods, and the NetworkPolicies admit the edge to the gateway only", async () => {
                    const ingresses = (await net.listNamespacedIngress({ namespace })).items;
                    const backends = ingresses.flatMap((i) => (i.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend.service!)));
                    expect(backends.map((b) => b.name)).to.deep.equal(["gateway"]);
                    // The route's Service port → its targetPort → the container port of the pods the Service selects.
                    const svc = await core.readNamespacedService({ name: "gateway", namespace });
                    const sp = svc.spec!.ports!.find(
                        (p) => p.port === backends[0].port?.number || (backends[0].port?.name !== undefined && p.name === backends[0].port.name),
                    )!;
                    expect(sp, "the route names a port of the gateway Service").to.not.equal(undefined);
                    const selected = (
                        await core.listNamespacedPod({
                            namespace,
                            labelSelector: Object.entries(svc.spec!.selector!)
                                .map(([k, v]) => `${k}=${v}`)
                                .join(","),
                        })
                    ).items;
                    expect(selected.map((p) => p.metadata?.labels?.["app.kubernetes.io/name"])).to.include("gateway");
                    expect(
                        [...new Set(selected.map((p) => p.metadata?.labels?.["app.kubernetes.io/name"]))],
                        "the Service selects only gateway pods",
                    ).to.deep.equal(["gateway"]);
                    for (const p of selected)
                        expect(p.status?.conditions?.find((c) => c.type === "Ready")?.status, `${p.metadata?.name} Ready (kwok)`).to.equal("True");
                    const containerPort = (pod: k8s.V1Pod, target: number | string) =>
                        typeof target === "number"
                            ? target
                            : pod.spec!.containers.flatMap((c) => c.ports ?? []).find((cp) => cp.name === target)!.containerPort;
                    const port = containerPort(selected[0], sp.targetPort as number | string);

                    const policies = (await net.listNamespacedNetworkPolicy({ namespace })).items as Obj[];
                    const nsLabels = async (n: string) => (await core.readNamespace({ name: n })).metadata?.labels ?? {};
                    const ownNs = await nsLabels(namespace);
                    const edge: Endpoint = {
                        namespace: "ingress-nginx",
                        namespaceLabels: { "kubernetes.io/metadata.name": "ingress-nginx" },
                        labels: { "app.kubernetes.io/name": "ingress-nginx" },
                    };
                    const stranger: Endpoint = {
                        namespace: "elsewhere",
                        namespaceLabels: { "kubernetes.io/metadata.name": "elsewhere" },
                        labels: { "app.kubernetes.io/name": "gateway" },
                    };
                    const endpointOf = (p: k8s.V1Pod): Endpoint => ({ namespace, namespaceLabels: ownNs, labels: p.metadata?.labels ?? {} });
                    const gw = endpointOf(selected[0]);
                    expect(admits(policies, gw, port, edge), "the edge controller reaches the gateway on the routed port").to.equal(true);
                    expect(admits(policies, gw, port, stranger), "another namespace does not reach the gateway").to.equal(false);

                    const appPods = (await core.listNamespacedPod({ namespace, labelSelector: "app.kubernetes.io/part-of" })).items.filter(
                        (p) => p.status?.phase === "Running",
                    );
                    const callers: Record<string, string[]> = { user: ["gateway", "order"], product: ["gateway", "order"], order: ["gateway"] };
                    for (const [name, allowed] of Object.entries(callers)) {
                        const pod = (await podsOf(name))[0];
                        expect(pod, `${name} has a live pod`).to.not.equal(undefined);
                        const target = endpointOf(pod);
                        const p = pod.spec!.containers[0].ports![0].containerPort;
                        expect(admits(policies, target, p, edge), `the edge does not reach ${name}`).to.equal(false);
                        expect(admits(policies, target, p, stranger), `another namespace does not reach ${name}`).to.equal(false);
                        const reached = [
                            ...new Set(
                                appPods
                                    .filter((src) => admits(policies, target, p, endpointOf(src)))
                                    .map((src) => src.metadata?.labels?.["app.kubernetes.io/name"]),
                            ),
                        ].sort();
                        expect(reached, `pods that reach ${name} on ${p}`).to.deep.equal(allowed);
                    }
                });
            }

            if (t.name === "cloud-native") {
                it("creates the Dapr Components and the Subscription, each scoped to one app", async () => {
                    const components = (await custom.listNamespacedCustomObject({
                        group: "dapr.io",
                        version: "v1alpha1",
                        namespace,
                        plural: "components",
                    })) as { items: Obj[] };
                    expect(components.items.map((c) => `${c.metadata.name}:${c.scopes.join(",")}`).sort()).to.deep.equal([
                        "pubsub-ai-agent:ai-agent",
                        "pubsub-backend:backend",
                        "statestore-ai-agent:ai-agent",
                        "statestore-backend:backend",
                    ]);
                    const subs = (await custom.listNamespacedCustomObject({ group: "dapr.io", version: "v2alpha1", namespace, plural: "subscriptions" })) as {
                        items: Obj[];
                    };
                    expect(subs.items.map((s) => s.spec.pubsubname)).to.deep.equal(["pubsub-ai-agent"]);
                });

                it("the workload-model sample on live objects: gRPC probe, port-less worker, Service port ≠ container port, native sidecar, extra chart", async () => {
                    // The pod specs below are what the ReplicaSets' pods carry after PSA admission; the probes never run (kwok).
                    const backend = (await podsOf("backend"))[0];
                    expect(backend.spec?.containers[0].readinessProbe?.grpc?.port).to.equal(9999);
                    const backendSvc = await core.readNamespacedService({ name: "backend", namespace });
                    expect(backendSvc.spec?.ports?.map((p) => `${p.name}:${p.port}->${p.targetPort}:${p.appProtocol}`)).to.deep.equal([
                        "http:8000->http:http",
                        "grpc:9090->grpc:grpc",
                    ]);
                    const notifier = (await podsOf("notifier"))[0];
                    expect(notifier.spec?.containers[0].ports ?? []).to.deep.equal([]);
                    expect(notifier.spec?.containers[0].readinessProbe?.exec?.command?.[0]).to.equal("/home/app/podcli");
                    let status = 0;
                    try {
                        await core.readNamespacedService({ name: "notifier", namespace });
                    } catch (e) {
                        status = Number((e as { code?: number }).code ?? 0);
                    }
                    expect(status, "no Service for the port-less notifier").to.equal(404);
                    const frontendSvc = await core.readNamespacedService({ name: "frontend", namespace });
                    expect(frontendSvc.spec?.ports?.map((p) => [p.port, p.targetPort])).to.deep.equal([[80, "http"]]);
                    const frontend = (await podsOf("frontend"))[0];
                    expect(frontend.spec?.containers[0].ports?.find((p) => p.name === "http")?.containerPort).to.equal(3000);
                    const agent = (await podsOf("ai-agent"))[0];
                    const sidecar = agent.spec?.initContainers?.find((c) => c.name === "embeddings");
                    expect(sidecar?.restartPolicy, "native sidecar admitted").to.equal("Always");
                    expect(sidecar?.securityContext?.capabilities?.drop).to.deep.equal(["ALL"]);
                    const memory =
                        (await apps.listNamespacedStatefulSet({ namespace })).items.find((w) => w.metadata?.name === "agent-memory") ??
                        (await apps.listNamespacedDeployment({ namespace })).items.find((w) => w.metadata?.name === "agent-memory");
                    expect(memory, "the extra chart's workload").to.not.equal(undefined);
                    for (const k of REQUIRED_LABELS) expect(memory?.metadata?.labels?.[k], `agent-memory ${k}`).to.be.a("string");
                    const memoryPods = (await core.listNamespacedPod({ namespace })).items.filter((p) => p.metadata?.name?.startsWith("agent-memory-"));
                    expect(memoryPods.length, "agent-memory pods admitted").to.be.at.least(1);
                });
            }

            if (t.name === "market-spine") {
                it("renders the extra chart (the Valkey queue) with the standard labels, its claim bound, and a cleanup with a period per kind of data", async () => {
                    const workloads = [
                        ...(await apps.listNamespacedDeployment({ namespace })).items,
                        ...(await apps.listNamespacedStatefulSet({ namespace })).items,
                    ].filter((w) => w.metadata?.labels?.["app.kubernetes.io/instance"] === "queue" || w.metadata?.name === "queue");
                    expect(workloads.length, "queue workload").to.be.greaterThan(0);
                    for (const w of workloads) for (const k of REQUIRED_LABELS) expect(w.metadata?.labels?.[k], `${w.metadata?.name} ${k}`).to.be.a("string");
                    const cron = await batch.readNamespacedCronJob({ name: "api-cleanup", namespace });
                    const env = cron
                        .spec!.jobTemplate.spec!.template.spec!.containers[0].env!.filter((e) => e.name.startsWith("RETENTION_"))
                        .map((e) => `${e.name}=${e.value}`);
                    expect(env).to.deep.equal(["RETENTION_EVENTS_DAYS=90", "RETENTION_LOGS_DAYS=30", "RETENTION_SESSIONS_DAYS=7"]);
                });
            }

            if (t.name === "sorcha") {
                it("the peer service reads the API with a projected token of its own ServiceAccount (admitted under restricted), bound to a least-privilege Role", async () => {
                    const pod = (await podsOf("peer-service"))[0];
                    expect(pod.spec?.automountServiceAccountToken).to.equal(false);
                    expect(pod.spec?.serviceAccountName).to.equal("peer-service");
                    const token = pod.spec?.volumes
                        ?.find((v) => v.name === "kube-api-access")
                        ?.projected?.sources?.find((s) => s.serviceAccountToken)?.serviceAccountToken;
                    expect(token?.expirationSeconds).to.equal(3600);
                    const role = await rbac.readNamespacedRole({ name: "peer-service", namespace });
                    expect(role.rules?.map((r) => `${r.resources?.join(",")}:${r.verbs.join(",")}`)).to.deep.equal(["endpoints:get,list,watch"]);
                    const binding = await rbac.readNamespacedRoleBinding({ name: "peer-service", namespace });
                    expect(binding.subjects?.map((s) => `${s.kind}/${s.name}`)).to.deep.equal(["ServiceAccount/peer-service"]);
                    const wallet = (await podsOf("wallet-service"))[0];
                    expect(
                        wallet.spec?.volumes?.some((v) => v.projected),
                        "no token for a service without rules",
                    ).to.equal(false);
                    const claim = await core.readNamespacedPersistentVolumeClaim({ name: "register-service-dockets", namespace });
                    expect(claim.status?.phase).to.equal("Bound");
                });
            }

            if (t.name === "traderx") {
                it("routes the WebSocket trade feed with long proxy timeouts and forwards the path prefix per route", async () => {
                    const ingresses = (await net.listNamespacedIngress({ namespace })).items;
                    const feed = ingresses.find((i) => i.spec?.rules?.[0].http?.paths.some((p) => p.backend.service?.name === "trade-feed"));
                    expect(feed?.metadata?.annotations?.["nginx.ingress.kubernetes.io/proxy-read-timeout"]).to.equal("3600");
                    expect(feed?.metadata?.annotations?.["nginx.ingress.kubernetes.io/proxy-send-timeout"]).to.equal("3600");
                    expect(feed?.metadata?.annotations?.["nginx.ingress.kubernetes.io/x-forwarded-prefix"]).to.be.a("string");
                });
            }

            it("destroys everything it created", async () => {
                const r = pulumi(["destroy", "--yes", "--skip-preview", "--stack", stack], { cwd, env });
                stderrLog(`${t.name} destroy: ${(r.ms / 1000).toFixed(1)}s`);
                const exported = JSON.parse(pulumi(["stack", "export", "--stack", stack], { cwd, env }).stdout) as { deployment: { resources?: Obj[] } };
                expect(
                    (exported.deployment.resources ?? []).filter((x) => x.type !== "pulumi:pulumi:Stack" && !String(x.type).startsWith("pulumi:providers:")),
                ).to.deep.equal([]);
                const left = (await apps.listNamespacedDeployment({ namespace })).items
                    .filter((d) => !d.metadata?.deletionTimestamp)
                    .map((d) => d.metadata?.name);
                expect(left, "no Deployment left").to.deep.equal([]);
            });
        });
    }
});
