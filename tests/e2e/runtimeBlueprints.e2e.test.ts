// L4 for the blueprints, on running pods: the Phase 9 shop and Market Spine brought up by the real CLI with the policy
// pack, their services on the real node (e2e/node.sh) as the project's test service and their PostgreSQL run by the
// CloudNativePG operator from the project's images — all of it through config (tests/e2e/blueprintOnRealNode.ts), no
// program change. Every check is derived from the blueprint's own file: each service's probes pass; each dependsOn
// edge, each URL its env names, the edge's routes and the metrics scrape answer by DNS name through Services; each
// migration Job runs on the real node against its own database before its service rolls out; each service logs in to
// PostgreSQL with its own role and cannot read another's database; and every pair no edge declares is refused (service
// to an undeclared peer, another namespace, the edge to a non-public service, a pod to a store it does not `use`),
// with a control that removes the policies and sees the same calls answered.
// On kwok nodes, as in every other suite: Valkey (platform:redis) and the extra charts (Market Spine's Valkey queue),
// Kafka — no image of them can be built here (Valkey is not in Debian 12; Strimzi and Kafka are Java). Their DNS names
// in the services' env are checked to resolve; a connection to their pods cannot be made.
import * as path from "path";
import { ChildProcess, spawn } from "child_process";
import { randomBytes } from "crypto";
import { expect } from "chai";
import * as k8s from "@kubernetes/client-node";
import { freshCluster, kubeApis } from "../../e2e/harness/freshCluster";
import { kubectl, policyArgs, prepareWorkdir, pulumi, REPO, runVisible, selectStack, stderrLog } from "../../e2e/harness/localCluster";
import {
    answered,
    callerPod,
    ExecResult,
    execInBackground,
    localVolume,
    podOf,
    RealNode,
    realNode,
    refused,
    retryUntil,
    show,
    withoutNetworkPolicies,
    pgLoginCommand,
} from "../../e2e/harness/realNode";
import { blueprintTargets, exampleTargets, policyEnforcement, readStackFile, StackTarget } from "../../tools/stackTargets";
import {
    DeclaredService,
    kafkaCaSecretOf,
    kwokStoresOf,
    MIGRATED_TABLE,
    peerAddressOf,
    persistentVolumesOf,
    postgresVolumes,
    realNodeOverrides,
    topologyOf,
} from "./blueprintOnRealNode";
import { failureLines, operatorsOf, requiredSecrets, STAND_IN_CRDS, STATIC_VOLUMES } from "./blueprintSetup";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- live objects read as JSON

/**
 * The blueprints that run on the real node (their stores allow it: PostgreSQL, HTTP and gRPC services), and one
 * foreign topology (examples/online-boutique.yaml: ten gRPC services, its cart's Valkey on kwok).
 */
const ON_REAL_NODE = ["phase9-shop", "market-spine", "traderx", "sorcha", "cloud-native", "online-boutique"];
const OTHER_NS = "bp-outsider";
const EXEC_SLOTS = 8;
const STORAGE_CLASS = "real-node-local";
/** The services' own persistent volumes: a class apart, so a PostgreSQL claim never binds one of theirs. */
const VOLUME_STORAGE_CLASS = "real-node-service-volumes";
const NAME = "app.kubernetes.io/name";
/** PLATFORM_E2E_BREAK=allow-all adds an allow-all ingress NetworkPolicy before the refusals: they must then fail. */
const BREAK = process.env.PLATFORM_E2E_BREAK ?? "";

describe("runtime blueprints: the seed blueprints' pods running on the real node", function () {
    let env: NodeJS.ProcessEnv;
    let node: RealNode;
    let core: k8s.CoreV1Api;
    let apps: k8s.AppsV1Api;
    let batch: k8s.BatchV1Api;
    let net: k8s.NetworkingV1Api;
    let custom: k8s.CustomObjectsApi;
    let autoscaling: k8s.AutoscalingV2Api;
    const t0 = Date.now();
    // PLATFORM_E2E_BLUEPRINTS=sorcha,online-boutique runs only those (a quicker loop while working on one system).
    const only = (process.env.PLATFORM_E2E_BLUEPRINTS ?? "").split(",").filter(Boolean);
    const targets = ON_REAL_NODE.filter((n) => only.length === 0 || only.includes(n))
        .map((n) => [...blueprintTargets(), ...exampleTargets()].find((t) => t.name === n))
        .filter((t): t is StackTarget => t !== undefined);
    /** Namespaces with a test pod `caller` (the edge controller's, the monitoring one, another namespace). */
    const callers = new Set<string>();

    // At most EXEC_SLOTS client calls at once: a blueprint's refusals are a hundred kubectl execs, more than 2 cores start at once.
    let running = 0;
    const waiting: (() => void)[] = [];
    const exec = async (namespace: string, pod: string, command: string[]): Promise<ExecResult> => {
        if (running < EXEC_SLOTS) running++;
        else await new Promise<void>((res) => waiting.push(res)); // the finishing call hands its slot over
        try {
            return await execInBackground(env, namespace, pod, command);
        } finally {
            const next = waiting.shift();
            if (next) next();
            else running--;
        }
    };
    /** A call a client of that port makes: HTTP GET (of /healthz unless a path is given), a gRPC health check, a TCP connect. */
    const call = (namespace: string, pod: string, hostPort: string, protocol: string, path = "/healthz") =>
        exec(
            namespace,
            pod,
            protocol === "grpc"
                ? ["/testsvc", "grpc-health", hostPort, "--timeout", "3s"]
                : protocol === "tcp"
                  ? ["/testsvc", "tcp", hostPort, "--timeout", "3s"]
                  : ["/testsvc", "get", `http://${hostPort}${path}`, "--timeout", "3s"],
        );
    const decode = (b64: string | undefined) => (b64 === undefined ? undefined : Buffer.from(b64, "base64").toString("utf8"));
    /** The value a variable has in a pod's main container: env (value, ConfigMap or Secret key), else envFrom. Read as admin. */
    const containerEnv = async (pod: k8s.V1Pod, name: string): Promise<string | undefined> => {
        const namespace = pod.metadata!.namespace!;
        const c = pod.spec!.containers[0];
        const e = (c.env ?? []).find((x) => x.name === name);
        if (e?.value !== undefined) return e.value;
        if (e?.valueFrom?.configMapKeyRef)
            return (await core.readNamespacedConfigMap({ name: e.valueFrom.configMapKeyRef.name!, namespace })).data?.[e.valueFrom.configMapKeyRef.key];
        if (e?.valueFrom?.secretKeyRef)
            return decode((await core.readNamespacedSecret({ name: e.valueFrom.secretKeyRef.name!, namespace })).data?.[e.valueFrom.secretKeyRef.key]);
        // An optional source that does not exist gives the container nothing, as the kubelet does.
        const orNothing = async <T>(read: Promise<T>, optional: boolean | undefined): Promise<T | undefined> =>
            read.catch((e: unknown) => {
                if (optional && (e as { code?: number }).code === 404) return undefined;
                throw e;
            });
        for (const from of [...(c.envFrom ?? [])].reverse()) {
            const key = name.slice((from.prefix ?? "").length);
            if (!name.startsWith(from.prefix ?? "")) continue;
            if (from.configMapRef) {
                const v = (await orNothing(core.readNamespacedConfigMap({ name: from.configMapRef.name!, namespace }), from.configMapRef.optional))?.data?.[
                    key
                ];
                if (v !== undefined) return v;
            }
            if (from.secretRef) {
                const v = decode((await orNothing(core.readNamespacedSecret({ name: from.secretRef.name!, namespace }), from.secretRef.optional))?.data?.[key]);
                if (v !== undefined) return v;
            }
        }
        return undefined;
    };
    const ensureCaller = (namespace: string) => {
        if (callers.has(namespace)) return;
        kubectl(["create", "namespace", namespace], env);
        const r = kubectl(["apply", "-f", "-"], env, JSON.stringify(callerPod(node, namespace)));
        if (r.status !== 0) throw new Error(`test pod in ${namespace}: ${r.stderr}`);
        const ready = kubectl(["wait", "--for=condition=Ready", "pod/caller", "-n", namespace, "--timeout=180s"], env);
        if (ready.status !== 0)
            throw new Error(`test pod in ${namespace} not Ready: ${ready.stderr}\n${kubectl(["describe", "pod", "caller", "-n", namespace], env).stdout}`);
        callers.add(namespace);
    };

    before(async () => {
        expect(
            targets.map((t) => t.name),
            "the blueprints this suite runs",
        ).to.deep.equal(ON_REAL_NODE.filter((n) => only.length === 0 || only.includes(n)));
        env = await freshCluster();
        node = realNode(env);
        if (!node.cnpgImage || !node.postgresImage)
            throw new Error("the toolchain has no store images; run e2e/toolchain.sh (components cnpg-manager, store-images)");
        ({ core, apps, batch, net, custom, autoscaling } = kubeApis(env));
        // What the blueprints' kwok side needs, as in the kwok suite: the stand-in CRDs (ServiceMonitor …) and static
        // volumes for the Valkey claims; and the real node's local volumes for each PostgreSQL instance.
        const applied = kubectl(["apply", "-f", "-"], env, JSON.stringify({ apiVersion: "v1", kind: "List", items: [...STAND_IN_CRDS, ...STATIC_VOLUMES] }));
        expect(applied.status, applied.stderr).to.equal(0);
        for (const t of targets) {
            const file = readStackFile(t.name, t.configFile);
            for (const v of postgresVolumes(t.name, file)) localVolume(env, node, { name: v, storageClass: STORAGE_CLASS, uid: 26 });
            // The services' persistent volumes: owned by the pods' UID (the program's default, 10001), as a provisioner's would be writable by fsGroup.
            for (const v of persistentVolumesOf(file)) localVolume(env, node, { name: `${t.name}-${v}`, storageClass: VOLUME_STORAGE_CLASS, uid: 10001 });
        }
        ensureCaller(OTHER_NS);
    });

    after(async () => {
        stderrLog(`runtime blueprints: ${((Date.now() - t0) / 1000).toFixed(0)}s in all`);
        if (process.env.PLATFORM_E2E_KEEP === "1" || !env) return;
        await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down"], env);
    });

    let operatorInstalled = false;
    for (const t of targets) {
        describe(t.name, () => {
            const file = readStackFile(t.name, t.configFile);
            const services = topologyOf(file);
            const namespace = (file["platform:namespace"] as Obj).name as string;
            const edge = file["platform:edge"] as Obj | undefined;
            const edgeNs = edge?.mode && edge.mode !== "none" ? ((edge.controllerNamespace as string | undefined) ?? "ingress-nginx") : undefined;
            const monitoringNs = ((file["platform:observability"] as Obj | undefined)?.monitoringNamespace as string | undefined) ?? "monitoring";
            const pgUsers = services.filter((s) => s.uses.includes("postgres"));
            const withService = services.filter((s) => s.ports.length > 0);
            const kwokStores = kwokStoresOf(file);
            const svcPod = (name: string) => podOf(core, namespace, `${NAME}=${name}`);
            // The program leaves `replicas` to a service's HPA, so its Deployment starts at 1 and the HPA's first sync
            // raises it to minReplicas, possibly after `up` returned: wait (3 min at most) for every replica to be Ready.
            const settledDeployment = async (name: string): Promise<{ d: k8s.V1Deployment; min: number }> => {
                const hpas = (await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace })).items;
                const min = hpas.find((h) => h.spec?.scaleTargetRef.name === name)?.spec?.minReplicas ?? 1;
                const settled = (x: k8s.V1Deployment) => {
                    const want = x.spec?.replicas ?? 1;
                    return want >= min && [x.status?.readyReplicas, x.status?.updatedReplicas, x.status?.replicas].every((n) => n === want);
                };
                const d = await retryUntil(() => apps.readNamespacedDeployment({ name, namespace }), settled, 90, 2000);
                return { d, min };
            };
            // What the conditional checks below run on: a check exists where the blueprint has something of its kind.
            const volumes = ((file["platform:services"] as Obj[]) ?? []).flatMap((s) =>
                ((s.volumes ?? []) as Obj[]).filter((v) => v.type === "persistent" && v.mountPath).map((v) => ({ service: s.name as string, v })),
            );
            const migrated = services.filter((s) => s.migration);
            const cleaned = services.filter((s) => s.cleanup);
            const dns = (s: DeclaredService) => `${s.name}.${namespace}.svc.cluster.local`;
            const tcpTo = (s: DeclaredService) => `${dns(s)}:${s.ports[0].port}`;
            let cwd = "";
            /** POSTGRES_HOST:POSTGRES_PORT as the services' env names it, and each user's login (read from its pod spec and Secret). */
            let pgTarget = "";
            const logins: Record<string, { user: string; db: string }> = {};
            let tBlueprint = 0;
            /** The stand-in for Strimzi's CA Secret, created in the background once `up` has made the namespace. */
            let caStandIn: ChildProcess | undefined;

            before(() => {
                tBlueprint = Date.now();
                const reuse = operatorInstalled && operatorsOf(t).includes("postgres");
                if (operatorsOf(t).includes("postgres")) operatorInstalled = true;
                cwd = prepareWorkdir(`rbp-${t.name}`, t.name, {
                    baseFile: t.configFile,
                    fresh: true,
                    overrides: realNodeOverrides(file, node, {
                        storageClass: STORAGE_CLASS,
                        volumeStorageClass: VOLUME_STORAGE_CLASS,
                        apiServerPort: Number(env.PLATFORM_E2E_APISERVER_PORT ?? "16443"),
                        installOperator: reuse ? false : undefined,
                    }),
                });
                selectStack(t.name, cwd, env);
                const keys = requiredSecrets(t);
                for (const key of keys)
                    pulumi(["config", "set", "--secret", `platform:${key}`, `e2e-${randomBytes(18).toString("hex")}`, "--stack", t.name], { cwd, env });
                stderrLog(
                    `${t.name}: ${services.length} services on the real node, ${keys.length} secrets set, ${!operatorsOf(t).includes("postgres") ? "no PostgreSQL" : reuse ? "CloudNativePG operator reused" : "CloudNativePG operator installed by this stack"}; on kwok: ${kwokStores.join(", ") || "nothing"}`,
                );
                for (const ns of [edgeNs, monitoringNs]) if (ns) ensureCaller(ns);
                const ca = kafkaCaSecretOf(file);
                if (ca) {
                    // `up` blocks this process until the Kafka clients are Ready, which needs the Secret: a shell makes it meanwhile.
                    const create = `kubectl create secret generic ${ca.name} -n ${ca.namespace} --from-literal=ca.crt="stand-in for Strimzi's cluster CA (its operator is on kwok)"`;
                    caStandIn = spawn(
                        "bash",
                        ["-c", `for i in $(seq 600); do kubectl get namespace ${ca.namespace} >/dev/null 2>&1 && ${create} && exit 0; sleep 1; done; exit 1`],
                        {
                            env,
                            stdio: "ignore",
                        },
                    );
                }
            });

            after(() => {
                caStandIn?.kill();
                // The node is freed for the next blueprint; no destroy (the kwok suite proves it), the cluster goes down at the end.
                if (process.env.PLATFORM_E2E_KEEP !== "1") kubectl(["delete", "namespace", namespace, "--wait=false"], env);
                stderrLog(`${t.name}: ${((Date.now() - tBlueprint) / 1000).toFixed(0)}s for up and checks`);
            });

            it(`comes up with the policy pack (${policyEnforcement(t)}): every service Ready on the real node${pgUsers.length > 0 ? ", PostgreSQL from the project's images there" : ""}, ${kwokStores.join(", ") || "no store"} on kwok`, async () => {
                const r = pulumi(["up", "--yes", "--skip-preview", "--stack", t.name, ...policyArgs(policyEnforcement(t))], { cwd, env, allowFailure: true });
                stderrLog(`${t.name} up: ${(r.ms / 1000).toFixed(1)}s`);
                if (r.status !== 0) stderrLog(kubectl(["get", "pods,jobs", "-A", "-o", "wide"], env).stdout);
                expect(r.status, `${failureLines(r)}\n--- tail ---\n${r.stdout.slice(-2500)}`).to.equal(0);
                for (const s of services) {
                    const { d, min } = await settledDeployment(s.name);
                    expect(d.spec?.replicas, `${s.name} replicas (its HPA's minReplicas is ${min})`).to.be.at.least(min);
                    expect(d.status?.readyReplicas, `${s.name} ready replicas`).to.equal(d.spec?.replicas);
                    const pods = (await core.listNamespacedPod({ namespace, labelSelector: `${NAME}=${s.name}` })).items.filter(
                        (p) => !p.metadata?.deletionTimestamp,
                    );
                    expect(pods.length, `${s.name} pods`).to.be.at.least(1);
                    for (const p of pods) {
                        expect(p.spec?.nodeName, `${p.metadata?.name} runs on the real node`).to.equal(node.name);
                        expect(p.spec?.containers[0].image).to.equal(node.testImage);
                        for (const c of p.status?.containerStatuses ?? [])
                            expect(c.ready && c.started && c.state?.running, `${p.metadata?.name}/${c.name} running and ready`).to.be.ok;
                    }
                }
                if (pgUsers.length > 0) {
                    const cluster = (
                        (await custom.listNamespacedCustomObject({ group: "postgresql.cnpg.io", version: "v1", namespace, plural: "clusters" })) as Obj
                    ).items[0] as Obj;
                    const instances = (
                        await core.listNamespacedPod({ namespace, labelSelector: `cnpg.io/cluster=${cluster.metadata.name},cnpg.io/podRole=instance` })
                    ).items;
                    expect(
                        instances.map((p) => [p.spec?.nodeName, p.spec?.containers[0].image]),
                        "PostgreSQL instances",
                    ).to.deep.equal(instances.map(() => [node.name, node.postgresImage]));
                }
                // What stays on kwok: every other pod of the namespace (the stores and charts this machine has no image for).
                const ours = (p: k8s.V1Pod) =>
                    p.metadata?.labels?.["cnpg.io/cluster"] !== undefined ||
                    services.some((x) => [x.name, `${x.name}-migrate`, `${x.name}-cleanup`].includes(p.metadata?.labels?.[NAME] ?? ""));
                const onKwok = (await core.listNamespacedPod({ namespace })).items.filter((p) => !ours(p));
                if (kwokStores.length > 0) expect(onKwok.length, `pods of ${kwokStores.join(", ")}`).to.be.greaterThan(0);
                for (const p of onKwok) expect(p.spec?.nodeName, `${p.metadata?.name} (no image here) on a kwok node`).to.match(/^kwok-node-/);
            });

            it("every service's probes pass on the real node: HTTP probes reach the process, exec probes run in it", async () => {
                for (const s of services) {
                    const d = await apps.readNamespacedDeployment({ name: s.name, namespace });
                    const c = d.spec!.template.spec!.containers[0];
                    for (const probe of [c.readinessProbe, c.livenessProbe])
                        expect(probe, `${s.name} has readiness and liveness probes`).to.not.equal(undefined);
                    const pod = await svcPod(s.name);
                    if (c.readinessProbe?.httpGet) {
                        // The test service logs each request: the kubelet's probe requests reached it on the probe's path.
                        const line = `GET ${c.readinessProbe.httpGet.path}`;
                        // Within one probe period (plus slack) of Ready, the kubelet's request is in the log: read it once a second.
                        const logs = await retryUntil(
                            async () => kubectl(["logs", "-n", namespace, pod], env).stdout,
                            (l) => l.includes(line),
                            (c.readinessProbe.periodSeconds ?? 10) + 5,
                        );
                        expect(logs, `${s.name}: kubelet's ${line}`).to.include(line);
                    }
                    if (c.readinessProbe?.exec) {
                        const r = await exec(namespace, pod, c.readinessProbe.exec.command!);
                        expect(r.status, `${s.name}: its exec probe in the container: ${show(r)}`).to.equal(0);
                    }
                    // A gRPC or TCP probe's port is the process's own (Ready says the kubelet's check passed): the same check from inside answers.
                    for (const [kind, port] of [
                        ["grpc", c.readinessProbe?.grpc?.port],
                        ["tcp", c.readinessProbe?.tcpSocket?.port],
                    ] as const) {
                        if (port === undefined) continue;
                        const number = typeof port === "number" ? port : c.ports?.find((p) => p.name === port)?.containerPort;
                        const r = await call(namespace, pod, `127.0.0.1:${number}`, kind);
                        expect(answered(r), `${s.name}: its ${kind} probe's port ${port} in the container: ${show(r)}`).to.equal(true);
                    }
                }
            });

            if (volumes.length > 0)
                it("each persistent volume is bound to a local volume of the real node and writable in its pods, under a read-only root", async () => {
                    for (const { service, v } of volumes) {
                        const pod = await svcPod(service);
                        const claim = (await core.readNamespacedPod({ name: pod, namespace })).spec!.volumes!.find(
                            (x) => x.name === v.name,
                        )?.persistentVolumeClaim;
                        expect(claim, `${service}'s pod mounts ${v.name} from a claim`).to.not.equal(undefined);
                        const pvc = await core.readNamespacedPersistentVolumeClaim({ name: claim!.claimName, namespace });
                        expect(pvc.status?.phase, `${claim!.claimName} bound`).to.equal("Bound");
                        expect(pvc.spec?.storageClassName).to.equal(VOLUME_STORAGE_CLASS);
                        const write = await exec(namespace, pod, ["/testsvc", "touch", `${v.mountPath}/e2e-written`]);
                        expect(write.status, `${service} writes ${v.mountPath}: ${show(write)}`).to.equal(0);
                        const root = await exec(namespace, pod, ["/testsvc", "touch", "/e2e-written"]);
                        expect(root.status, `${service}'s root filesystem stays read-only: ${show(root)}`).to.not.equal(0);
                    }
                });

            if (migrated.length > 0)
                it("the migration Jobs ran on the real node with the owner's login and gated their services' rollout", async () => {
                    for (const s of migrated) {
                        const job = (await batch.listNamespacedJob({ namespace, labelSelector: `${NAME}=${s.name}-migrate` })).items[0];
                        expect(job?.status?.succeeded, `${s.name}'s migration Job succeeded`).to.equal(1);
                        const jobPods = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${job.metadata!.name}` })).items;
                        expect(
                            jobPods.map((p) => [p.spec?.nodeName, p.status?.phase]),
                            `${s.name}'s migration pods`,
                        ).to.deep.include([node.name, "Succeeded"]);
                        const done = new Date(job.status!.completionTime!).getTime();
                        for (const p of (await core.listNamespacedPod({ namespace, labelSelector: `${NAME}=${s.name}` })).items) {
                            expect(
                                new Date(p.metadata!.creationTimestamp!).getTime(),
                                `${p.metadata?.name} created after its migration completed`,
                            ).to.be.at.least(done);
                        }
                    }
                });

            it("declared edges answer by DNS name through their Services: each dependsOn peer, each service URL in env, the edge's routes, the metrics scrape", async () => {
                const calls: [string, Promise<ExecResult>][] = [];
                for (const s of services) {
                    for (const peer of s.dependsOn.map((d) => services.find((x) => x.name === d)!)) {
                        calls.push([
                            `${s.name} → ${peer.name} (dependsOn)`,
                            call(namespace, await svcPod(s.name), `${dns(peer)}:${peer.ports[0].port}`, peer.ports[0].protocol),
                        ]);
                    }
                    // An address in the env naming another service (a URL or host:port) is how the app finds its peer: it must answer as written.
                    for (const [k, v] of Object.entries(s.env)) {
                        const a = peerAddressOf(v, services);
                        if (!a) continue;
                        const protocol = a.url ? "http" : (a.peer.ports.find((p) => p.port === a.port)?.protocol ?? "tcp");
                        calls.push([`${s.name} → ${k}=${v}`, call(namespace, await svcPod(s.name), `${a.host}:${a.port}`, protocol)]);
                    }
                }
                if (edgeNs) {
                    const ingresses = (await net.listNamespacedIngress({ namespace })).items;
                    const paths = ingresses.flatMap((i) => (i.spec?.rules ?? []).flatMap((r) => r.http?.paths ?? []));
                    expect(paths.map((p) => p.backend.service?.name).sort(), "routes to the public services").to.deep.equal(
                        services
                            .filter((s) => s.public)
                            .map((s) => s.name)
                            .sort(),
                    );
                    for (const p of paths) {
                        const target = services.find((s) => s.name === p.backend.service!.name)!;
                        const port = p.backend.service!.port?.number ?? target.ports.find((x) => x.name === p.backend.service!.port?.name)!.port;
                        calls.push([
                            `${edgeNs} → ${target.name}${p.path} (route)`,
                            exec(edgeNs, "caller", ["/testsvc", "get", `http://${dns(target)}:${port}${p.path}`, "--timeout", "3s"]),
                        ]);
                    }
                }
                for (const s of withService.filter((x) => x.scrape)) {
                    calls.push([
                        `${monitoringNs} → ${s.name}:${s.scrape!.port}${s.scrape!.path} (scrape)`,
                        call(monitoringNs, "caller", `${dns(s)}:${s.scrape!.port}`, "http", s.scrape!.path),
                    ]);
                }
                const declared = services.reduce((n, s) => n + s.dependsOn.length, 0);
                expect(calls.filter(([w]) => w.endsWith("(dependsOn)")).length, "one call per declared dependsOn edge").to.equal(declared);
                for (const [what, pending] of calls) {
                    const r = await pending;
                    expect(answered(r), `${what}: ${show(r)}`).to.equal(true);
                }
                stderrLog(`${t.name}: ${calls.length} declared edges answered (${declared} dependsOn)`);
            });

            if (pgUsers.length > 0)
                it("each service that uses PostgreSQL logs in from its env with its own role and reads its migration's table; another service's database is refused (42501), another's role too (28P01)", async () => {
                    // The login the pod gets: host, port and database by value, user by Secret reference (read as admin), password as its env.
                    for (const s of pgUsers) {
                        const pod = await core.readNamespacedPod({ name: await svcPod(s.name), namespace });
                        const [host, port, db, user] = await Promise.all(
                            ["POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB", "POSTGRES_USER"].map((n) => containerEnv(pod, n)),
                        );
                        expect([host, port, db, user], `${s.name}'s PostgreSQL env`).to.not.include(undefined);
                        logins[s.name] = { user: user!, db: db! };
                        pgTarget = `${host}:${port}`;
                    }
                    const pg = async (from: string, user: string, db: string, query?: string) =>
                        exec(namespace, await svcPod(from), pgLoginCommand(pgTarget, user, db, query));
                    // The operator applies roles and databases after the instance is up (Pulumi does not wait for them): retry a while.
                    for (const s of pgUsers) {
                        const l = logins[s.name];
                        const table = s.migration ? MIGRATED_TABLE : "e2e_own";
                        const own = s.migration
                            ? await retryUntil(
                                  () => pg(s.name, l.user, l.db, `select service from ${MIGRATED_TABLE}`),
                                  (r) => r.status === 0,
                                  30,
                              )
                            : await retryUntil(
                                  () => pg(s.name, l.user, l.db, `create table if not exists e2e_own (n int); select current_user`),
                                  (r) => r.status === 0,
                                  30,
                              );
                        expect(own.status, `${s.name} logs in as ${l.user} to ${l.db} and reads ${table}: ${show(own, 600)}`).to.equal(0);
                        if (s.migration) expect(own.stdout, `${s.name}'s migration wrote its row`).to.match(new RegExp(`^${s.name}$`, "m"));
                    }
                    let pairs = 0;
                    for (const a of pgUsers)
                        for (const b of pgUsers.filter((x) => x !== a)) {
                            const table = b.migration ? MIGRATED_TABLE : "e2e_own";
                            const read = await pg(a.name, logins[a.name].user, logins[b.name].db, `select * from ${table}`);
                            expect(read.status, `${a.name} reading ${b.name}'s ${table}: ${show(read)}`).to.equal(3);
                            expect(read.stdout).to.match(/denied: .*42501/);
                            const as = await pg(a.name, logins[b.name].user, logins[b.name].db);
                            expect(as.status, `${a.name} logging in as ${b.name}'s role with its own password: ${show(as)}`).to.equal(3);
                            expect(as.stdout).to.match(/denied: .*28P01/);
                            pairs++;
                        }
                    stderrLog(`${t.name}: ${pgUsers.length} PostgreSQL logins, ${pairs} cross-service reads refused`);
                });

            if (kwokStores.length > 0)
                it(`the stores left on kwok (${kwokStores.join(", ")}): their names in the services' env resolve to Services (their pods have no image here)`, async () => {
                    for (const s of services.filter((x) => x.uses.some((u) => kwokStores.includes(u)))) {
                        const pod = await core.readNamespacedPod({ name: await svcPod(s.name), namespace });
                        const c = pod.spec!.containers[0];
                        const names = new Set((c.env ?? []).map((e) => e.name));
                        for (const from of c.envFrom ?? []) {
                            const data = from.configMapRef
                                ? (await core.readNamespacedConfigMap({ name: from.configMapRef.name!, namespace })).data
                                : undefined;
                            for (const k of Object.keys(data ?? {})) names.add(`${from.prefix ?? ""}${k}`);
                        }
                        const hosts = [...names].filter((n) => /_HOST$/.test(n) && n !== "POSTGRES_HOST");
                        // Kafka's bootstrap Service is made by the Strimzi operator, which stays on kwok: no name of it resolves here.
                        const named = s.uses.filter((u) => kwokStores.includes(u) && u !== "kafka");
                        expect(hosts.length, `${s.name}: a *_HOST per store on kwok it uses (${named.join(", ")})`).to.be.at.least(named.length);
                        for (const hostVar of hosts) {
                            const host = await containerEnv(pod, hostVar),
                                port = await containerEnv(pod, hostVar.replace(/_HOST$/, "_PORT"));
                            // Exit 2 (connection refused or timed out), not 1 (no such host): CoreDNS answered the name.
                            const r = await exec(namespace, pod.metadata!.name!, ["/testsvc", "tcp", `${host}:${port}`, "--timeout", "2s"]);
                            expect(r.status, `${s.name}: ${hostVar}=${host} resolves (${show(r)})`).to.equal(2);
                        }
                    }
                });

            it("refuses every call no declared edge allows: a service to a peer it does not dependsOn, another namespace, the edge to a non-public service, a pod to PostgreSQL it does not use", async () => {
                // A pod of no service in the blueprint's namespace (restricted like the services, no service labels).
                const ownCaller = kubectl(["apply", "-f", "-"], env, JSON.stringify(callerPod(node, namespace)));
                expect(ownCaller.status, ownCaller.stderr).to.equal(0);
                expect(kubectl(["wait", "--for=condition=Ready", "pod/caller", "-n", namespace, "--timeout=120s"], env).status).to.equal(0);
                const denied: [string, string, string, string][] = []; // what, namespace, pod, host:port
                for (const a of services)
                    for (const b of withService.filter((x) => x !== a && !a.dependsOn.includes(x.name)))
                        denied.push([`${a.name} → ${b.name} (not in dependsOn)`, namespace, await svcPod(a.name), tcpTo(b)]);
                for (const b of withService) {
                    denied.push([`${OTHER_NS} → ${b.name}`, OTHER_NS, "caller", tcpTo(b)]);
                    denied.push([`a pod of no service → ${b.name}`, namespace, "caller", tcpTo(b)]);
                    if (edgeNs && !b.public) denied.push([`${edgeNs} → ${b.name} (not public)`, edgeNs, "caller", tcpTo(b)]);
                }
                if (pgUsers.length > 0) {
                    const rw = pgTarget.replace(/^([^.:]+):/, `$1.${namespace}.svc.cluster.local:`);
                    for (const s of services.filter((x) => !x.uses.includes("postgres")))
                        denied.push([`${s.name} → PostgreSQL (not in uses)`, namespace, await svcPod(s.name), rw]);
                    denied.push([`a pod of no service → PostgreSQL`, namespace, "caller", rw], [`${OTHER_NS} → PostgreSQL`, OTHER_NS, "caller", rw]);
                }
                const tcp = ([, ns, pod, target]: [string, string, string, string]) => exec(ns, pod, ["/testsvc", "tcp", target, "--timeout", "3s"]);
                if (BREAK === "allow-all") {
                    stderrLog(`${t.name}: PLATFORM_E2E_BREAK=allow-all — an allow-all ingress policy is added; the refusals below must fail`);
                    kubectl(
                        ["apply", "-f", "-"],
                        env,
                        JSON.stringify({
                            apiVersion: "networking.k8s.io/v1",
                            kind: "NetworkPolicy",
                            metadata: { name: "e2e-allow-all", namespace },
                            spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] },
                        }),
                    );
                    await new Promise((res) => setTimeout(res, 3000));
                }
                const results = await Promise.all(denied.map(tcp));
                denied.forEach((d, i) => expect(refused(results[i]), `${d[0]} must be refused: ${show(results[i])}`).to.equal(true));
                stderrLog(`${t.name}: ${denied.length} undeclared calls refused`);

                // Control: without the namespace's NetworkPolicies each of the same calls connects.
                const removed = await withoutNetworkPolicies(env, namespace, async () => {
                    const opened = await Promise.all(denied.map((d) => retryUntil(() => tcp(d), answered)));
                    denied.forEach((d, i) => expect(answered(opened[i]), `${d[0]} connects once the policies are gone: ${show(opened[i])}`).to.equal(true));
                });
                expect(removed.length).to.be.greaterThan(0);
                const again = await retryUntil(() => tcp(denied[0]), refused);
                expect(refused(again), `${denied[0][0]} refused again with the policies restored: ${show(again)}`).to.equal(true);
            });

            if (cleaned.length > 0)
                it("the cleanup CronJobs, run once now, complete on the real node with the runtime login", async () => {
                    for (const s of cleaned) {
                        const job = `${s.name}-cleanup-e2e`;
                        expect(kubectl(["create", "job", job, "--from", `cronjob/${s.name}-cleanup`, "-n", namespace], env).status).to.equal(0);
                        const done = kubectl(["wait", "--for=condition=Complete", `job/${job}`, "-n", namespace, "--timeout=120s"], env);
                        expect(done.status, `${job} complete: ${done.stderr}\n${kubectl(["logs", "-n", namespace, `job/${job}`], env).stdout}`).to.equal(0);
                        const pods = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` })).items;
                        expect(pods.map((p) => p.spec?.nodeName)).to.include(node.name);
                    }
                });

            it("no service container restarted while the checks ran: the liveness probes keep passing", async () => {
                for (const s of services) {
                    for (const p of (await core.listNamespacedPod({ namespace, labelSelector: `${NAME}=${s.name}` })).items) {
                        for (const c of p.status?.containerStatuses ?? []) expect(c.restartCount, `${p.metadata?.name}/${c.name} restarts`).to.equal(0);
                    }
                }
            });
        });
    }
});
