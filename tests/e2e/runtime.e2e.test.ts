// L4, on running pods: a stack deployed by the real CLI with its services on the real node (e2e/node.sh: containerd,
// kubelet, kube-proxy, kube-router, CoreDNS), the project's test service as their image. What kwok could only admit is
// shown here as it runs: probes pass, the security context holds in the process, declared edges answer by DNS name
// through Services, and every edge the NetworkPolicies do not declare is refused — with a control that removes the
// policies and sees the same call answered, so a refusal is the policy's doing and not a broken network.
import * as crypto from "crypto";
import { expect } from "chai";
import * as k8s from "@kubernetes/client-node";
import { freshCluster, kubeApis } from "../../e2e/harness/freshCluster";
import { kubectl, policyArgs, prepareWorkdir, pulumi, REPO, runVisible, selectStack, stderrLog } from "../../e2e/harness/localCluster";
import {
    answered,
    callerPod,
    ExecResult,
    execIn,
    execInBackground,
    OutsideHost,
    podOf as runningPod,
    RealNode,
    realNode,
    realNodePlacement,
    refused,
    show,
} from "../../e2e/harness/realNode";
import * as path from "path";

const STACK = "runtime";
const NS = "shop-runtime";
const OTHER_NS = "runtime-outsider";
/** The edge controller's namespace (platform:edge.controllerNamespace of the dev stack). */
const EDGE_NS = "ingress-nginx";
const CANARY = `canary-runtime-${process.pid}-3e9b1f`;
const ROTATED = `${CANARY}-rotated`;

/** The services of the runtime stack: every probe type the config offers, a gRPC port, a migration, a secret. */
function services(image: string): Record<string, unknown>[] {
    const http = { name: "http", port: 80, containerPort: 8080 };
    return [
        {
            name: "web",
            description: "Public front, calls api",
            component: "frontend",
            image,
            ports: [http],
            public: true,
            pathPrefix: "/",
            dependsOn: ["api"],
            env: { SERVICE_NAME: "web" },
            readinessProbe: { type: "http", path: "/readyz" },
            livenessProbe: { type: "http", path: "/healthz" },
        },
        {
            name: "api",
            description: "API with a gRPC port, a migration and a secret",
            component: "backend",
            image,
            replicas: 2,
            public: true,
            pathPrefix: "/api",
            ports: [http, { name: "grpc", port: 9090, protocol: "grpc" }],
            env: { SERVICE_NAME: "api", GRPC_PORT: "9090" },
            readinessProbe: { type: "grpc", port: "grpc" },
            livenessProbe: { type: "http", path: "/healthz" },
            secretEnv: [{ name: "SESSION_SIGNING_KEY", secret: "sessionSigningKey" }],
            migration: { command: ["/testsvc", "sleep"] },
        },
        {
            name: "worker",
            description: "TCP listener with an exec liveness probe",
            component: "worker",
            image,
            dependsOn: ["api"],
            ports: [{ name: "tcp", port: 7000, protocol: "tcp" }],
            env: { SERVICE_NAME: "worker", TCP_PORT: "7000" },
            readinessProbe: { type: "tcp", port: "tcp" },
            livenessProbe: { type: "exec", command: ["/testsvc", "get", "http://127.0.0.1:8080/healthz"] },
        },
    ];
}

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

describe("runtime: the platform's pods running on a real node", function () {
    let env: NodeJS.ProcessEnv;
    let cwd: string;
    let node: RealNode;
    let core: k8s.CoreV1Api;
    let apps: k8s.AppsV1Api;
    let batch: k8s.BatchV1Api;
    let outside: OutsideHost;

    const up = () => pulumi(["up", "--yes", "--skip-preview", "--stack", STACK, ...policyArgs("dev")], { cwd, env });
    /** The name of one Running pod of a service (or of a label selector). */
    const podOf = (namespace: string, selector: string) => runningPod(core, namespace, selector);
    const svcPod = (name: string) => podOf(NS, `app.kubernetes.io/name=${name}`);
    /** `testsvc get URL` from a service's pod. */
    const getFrom = async (from: string, url: string, namespace = NS) =>
        execIn(env, namespace, namespace === NS ? await svcPod(from) : from, ["/testsvc", "get", url, "--timeout", "3s"]);
    const svcUrl = (name: string, pathName = "/", port = 80) => `http://${name}.${NS}.svc.cluster.local:${port}${pathName}`;

    before(async () => {
        env = await freshCluster();
        node = realNode(env);
        const placement = realNodePlacement(node);
        cwd = prepareWorkdir("runtime", STACK, {
            base: "dev",
            fresh: true,
            overrides: {
                "platform:namespace": { name: NS },
                // PostgreSQL, Valkey and Kafka images cannot be built here (see e2e/README.md): this stack runs without stores.
                "platform:postgres": { enabled: false },
                "platform:redis": { enabled: false },
                "platform:kafka": { enabled: false, topics: [] },
                "platform:edge": { mode: "ingress" },
                // The images are imported into the node's containerd; nothing is pulled.
                "platform:defaults": { imagePullPolicy: "Never", ...placement },
                "platform:services": services(node.testImage),
            },
        });
        selectStack(STACK, cwd, env);
        pulumi(["config", "set", "--secret", "platform:sessionSigningKey", CANARY, "--stack", STACK], { cwd, env });
        ({ core, apps, batch } = kubeApis(env));
        // A pod of another namespace on the real node, to call the platform's services from outside their namespace.
        kubectl(["create", "namespace", OTHER_NS], env);
        const outsider = callerPod(node, OTHER_NS);
        // The same test pod stands in for the edge controller, in the namespace the stack names for it.
        kubectl(["create", "namespace", EDGE_NS], env);
        const controller = callerPod(node, EDGE_NS);
        for (const [ns, pod] of [
            [OTHER_NS, outsider],
            [EDGE_NS, controller],
        ] as const) {
            const r = kubectl(["apply", "-f", "-"], env, JSON.stringify(pod));
            if (r.status !== 0) throw new Error(`test pod in ${ns}: ${r.stderr}`);
        }
        for (const ns of [OTHER_NS, EDGE_NS]) {
            const ready = kubectl(["wait", "--for=condition=Ready", "pod/caller", "-n", ns, "--timeout=180s"], env);
            if (ready.status !== 0)
                throw new Error(`test pod in ${ns} not Ready: ${ready.stderr}\n${kubectl(["describe", "pod", "caller", "-n", ns], env).stdout}`);
        }
        outside = new OutsideHost(node);
        await outside.open();
    });

    after(async () => {
        outside?.close();
        if (process.env.PLATFORM_E2E_KEEP === "1" || !env) return;
        await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down"], env);
    });

    it("brings the stack up with the policy pack: the migration Job ran to completion on the real node before api rolled out", async () => {
        const r = up();
        stderrLog(`runtime up: ${(r.ms / 1000).toFixed(1)}s`);
        const jobs = (await batch.listNamespacedJob({ namespace: NS })).items;
        const migrate = jobs.find((j) => j.metadata?.labels?.["app.kubernetes.io/name"] === "api-migrate");
        expect(migrate?.status?.succeeded, "migration Job succeeded").to.equal(1);
        const jobPods = (await core.listNamespacedPod({ namespace: NS, labelSelector: `job-name=${migrate!.metadata!.name}` })).items;
        expect(jobPods.map((p) => [p.spec?.nodeName, p.status?.phase])).to.deep.include([node.name, "Succeeded"]);
        const done = new Date(migrate!.status!.completionTime!).getTime();
        const apiPods = (await core.listNamespacedPod({ namespace: NS, labelSelector: "app.kubernetes.io/name=api" })).items;
        expect(apiPods.length).to.be.at.least(2);
        for (const p of apiPods)
            expect(new Date(p.metadata!.creationTimestamp!).getTime(), `${p.metadata?.name} created after the migration`).to.be.at.least(done);
    });

    it("every service's pods are Running and Ready on the real node, with their HTTP, gRPC, TCP and exec probes passing", async () => {
        for (const name of ["web", "api", "worker"]) {
            const d = await apps.readNamespacedDeployment({ name, namespace: NS });
            expect(d.status?.readyReplicas, `${name} ready replicas`).to.equal(d.spec?.replicas);
            const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: `app.kubernetes.io/name=${name}` })).items;
            for (const p of pods) {
                expect(p.spec?.nodeName, `${p.metadata?.name} runs on the real node`).to.equal(node.name);
                expect(p.status?.podIP, `${p.metadata?.name} has a pod IP`).to.match(new RegExp(`^${node.podCidr.split(".").slice(0, 3).join("\\.")}\\.`));
                for (const c of p.status?.containerStatuses ?? []) {
                    expect(c.ready, `${p.metadata?.name}/${c.name} ready`).to.equal(true);
                    expect(c.started && c.state?.running, `${p.metadata?.name}/${c.name} running`).to.be.ok;
                }
            }
        }
        const api = (await apps.readNamespacedDeployment({ name: "api", namespace: NS })).spec!.template.spec!.containers[0];
        expect(api.readinessProbe?.grpc?.port, "api: gRPC readiness").to.equal(9090);
        const worker = (await apps.readNamespacedDeployment({ name: "worker", namespace: NS })).spec!.template.spec!.containers[0];
        expect(worker.readinessProbe?.tcpSocket, "worker: TCP readiness").to.be.an("object");
        expect(worker.livenessProbe?.exec?.command?.[0], "worker: exec liveness").to.equal("/testsvc");
        // The probes really ran: the kubelet's HTTP probes reached the process (it logs each request).
        const logs = kubectl(["logs", "-n", NS, await svcPod("web")], env).stdout;
        expect(logs).to.match(/GET \/readyz/);
    });

    it("the security context holds in the running process: non-root UID, read-only root filesystem, no capabilities, no new privileges, seccomp", async () => {
        for (const name of ["web", "api", "worker"]) {
            const r = execIn(env, NS, await svcPod(name), ["/testsvc", "selfcheck"]);
            expect(r.status, show(r)).to.equal(0);
            const s = JSON.parse(r.stdout) as {
                uid: number;
                rootWritable: boolean;
                etcWritable: boolean;
                tmpWritable: boolean;
                capEff: string;
                capPrm: string;
                noNewPrivs: string;
                seccomp: string;
            };
            expect(s.uid, `${name} uid`).to.not.equal(0);
            expect(s.rootWritable, `${name}: / is read-only`).to.equal(false);
            expect(s.etcWritable, `${name}: /etc is read-only`).to.equal(false);
            expect(s.tmpWritable, `${name}: /tmp is the writable emptyDir`).to.equal(true);
            expect(BigInt(`0x${s.capEff}`), `${name}: no effective capability`).to.equal(0n);
            expect(BigInt(`0x${s.capPrm}`), `${name}: no permitted capability`).to.equal(0n);
            expect(s.noNewPrivs, `${name}: NoNewPrivs`).to.equal("1");
            expect(s.seccomp, `${name}: seccomp filter (RuntimeDefault)`).to.equal("2");
        }
    });

    it("declared edges answer by DNS name through their Services: web → api (HTTP and gRPC), worker → api, the edge controller's namespace → each public path", async () => {
        for (const [from, url] of [
            ["web", svcUrl("api", "/healthz")],
            ["worker", svcUrl("api", "/healthz")],
        ]) {
            const r = await getFrom(from, url);
            expect(answered(r), `${from} → ${url}: ${show(r)}`).to.equal(true);
        }
        const grpc = execIn(env, NS, await svcPod("web"), ["/testsvc", "grpc-health", `api.${NS}.svc.cluster.local:9090`, "--timeout", "3s"]);
        expect(grpc.stdout, `web → api gRPC health: ${show(grpc)}`).to.match(/SERVING/);
    });

    it("the edge's backend paths work: from the edge controller's namespace each Ingress path reaches its Service; from another namespace it does not", async () => {
        const ing = JSON.parse(kubectl(["get", "ingress", "-n", NS, "-o", "json"], env).stdout) as {
            items: {
                spec: { rules: { http: { paths: { path: string; backend: { service: { name: string; port: { number?: number; name?: string } } } }[] } }[] };
            }[];
        };
        const paths = ing.items.flatMap((i) => i.spec.rules.flatMap((r) => r.http.paths));
        expect(paths.map((p) => p.path).sort()).to.deep.equal(["/", "/api"]);
        for (const p of paths) {
            const port = p.backend.service.port.number ?? 80;
            const url = svcUrl(p.backend.service.name, p.path, port);
            const fromEdge = execIn(env, EDGE_NS, "caller", ["/testsvc", "get", url, "--timeout", "3s"]);
            expect(answered(fromEdge), `edge → ${url}: ${show(fromEdge)}`).to.equal(true);
            const fromOther = execIn(env, OTHER_NS, "caller", ["/testsvc", "get", url, "--timeout", "3s"]);
            expect(refused(fromOther), `${OTHER_NS} → ${url} must be refused: ${show(fromOther)}`).to.equal(true);
        }
    });

    it("refuses every call no declared edge allows: api → web, web → worker, another namespace → api, a pod → outside the cluster", async () => {
        const denied: [string, () => Promise<ExecResult>][] = [
            ["api → web (undeclared)", () => getFrom("api", svcUrl("web", "/"))],
            [
                "web → worker (undeclared)",
                async () => execIn(env, NS, await svcPod("web"), ["/testsvc", "tcp", `worker.${NS}.svc.cluster.local:7000`, "--timeout", "3s"]),
            ],
            ["outsider namespace → api", () => getFrom("caller", svcUrl("api", "/healthz"), OTHER_NS)],
            ["web → outside test host", () => getFrom("web", `http://${outside.address}:${outside.port}/`)],
        ];
        const outsiderToOutside = execIn(env, OTHER_NS, "caller", ["/testsvc", "get", `http://${outside.address}:${outside.port}/`, "--timeout", "3s"]);
        expect(answered(outsiderToOutside), `a namespace without policies reaches the outside test host: ${show(outsiderToOutside)}`).to.equal(true);
        expect(answered(outside.fromNode()), "the outside test host answers the node").to.equal(true);
        for (const [what, call] of denied) {
            const r = await call();
            expect(refused(r), `${what} must be refused: ${show(r)}`).to.equal(true);
        }

        // Control: without the namespace's NetworkPolicies, the very same calls are answered.
        const saved = kubectl(["get", "networkpolicy", "-n", NS, "-o", "json"], env);
        expect(saved.status).to.equal(0);
        const list = JSON.parse(saved.stdout) as { items: Record<string, any>[] }; // eslint-disable-line @typescript-eslint/no-explicit-any -- live JSON
        expect(list.items.length, "the stack has NetworkPolicies").to.be.greaterThan(0);
        expect(kubectl(["delete", "networkpolicy", "--all", "-n", NS], env).status).to.equal(0);
        try {
            for (const [what, call] of denied) {
                let r: ExecResult = { status: 1, stdout: "", stderr: "" };
                for (let i = 0; i < 10 && !answered(r); i++) {
                    r = await call();
                    if (!answered(r)) await new Promise((res) => setTimeout(res, 1000));
                }
                expect(answered(r), `${what} is answered once the policies are gone: ${show(r)}`).to.equal(true);
            }
        } finally {
            for (const p of list.items) {
                delete p.metadata.resourceVersion;
                delete p.metadata.uid;
                delete p.metadata.creationTimestamp;
                delete p.metadata.managedFields;
                delete p.metadata.generation;
            }
            const restore = kubectl(["create", "-f", "-"], env, JSON.stringify({ apiVersion: "v1", kind: "List", items: list.items }));
            expect(restore.status, restore.stderr).to.equal(0);
        }
        // Restored: refused again.
        let again: ExecResult = { status: 0, stdout: "ok", stderr: "" };
        for (let i = 0; i < 10 && !refused(again); i++) {
            again = await denied[0][1]();
            if (!refused(again)) await new Promise((res) => setTimeout(res, 1000));
        }
        expect(refused(again), `api → web refused again after the policies are restored: ${show(again)}`).to.equal(true);
    });

    it("cluster DNS answers cluster names only: no upstream resolver", async () => {
        const r = execIn(env, OTHER_NS, "caller", ["/testsvc", "get", "http://example.com/", "--timeout", "3s"]);
        expect(r.status, show(r)).to.not.equal(0);
        expect(r.stdout + r.stderr).to.match(/no such host|server misbehaving|refused/i);
    });

    it("the secret reaches the process as the promised env variable, and never appears in describe, logs or ConfigMaps", async () => {
        const pod = await svcPod("api");
        // The process answers with the variable's sha256, never its value.
        const hash = execIn(env, NS, pod, ["/testsvc", "get", "--body", "http://127.0.0.1:8080/env/SESSION_SIGNING_KEY"]);
        expect(hash.stdout.split("\n")[1]?.trim(), `sha256 of SESSION_SIGNING_KEY in the api process: ${show(hash)}`).to.equal(sha256(CANARY));
        const describe = kubectl(["describe", "pod", "-n", NS, pod], env).stdout;
        expect(describe).to.include("SESSION_SIGNING_KEY");
        expect(describe).to.not.include(CANARY);
        for (const name of ["web", "api", "worker"])
            expect(kubectl(["logs", "-n", NS, await svcPod(name), "--all-containers"], env).stdout).to.not.include(CANARY);
        const cms = kubectl(["get", "configmap", "-n", NS, "-o", "json"], env).stdout;
        expect(cms).to.not.include(CANARY);
    });

    it("a rolling update keeps api answering (maxUnavailable 0): a changed env variable and a rotated secret replace every pod, and no call fails", async () => {
        const before = (await core.listNamespacedPod({ namespace: NS, labelSelector: "app.kubernetes.io/name=api" })).items.map((p) => p.metadata!.name!);
        const web = await svcPod("web");
        // A bounded loop in the web pod: 1 call every 200 ms for at most 120 s, stopped when the update is done.
        const loop = execInBackground(env, NS, web, [
            "/testsvc",
            "poll",
            svcUrl("api", "/healthz"),
            "--interval",
            "200ms",
            "--duration",
            "120s",
            "--stop-file",
            "/tmp/stop",
        ]);
        pulumi(["config", "set", "--path", "platform:services[1].env.ROLLOUT", `r${Date.now()}`, "--stack", STACK], { cwd, env });
        pulumi(["config", "set", "--secret", "platform:sessionSigningKey", ROTATED, "--stack", STACK], { cwd, env });
        up();
        execIn(env, NS, web, ["/testsvc", "touch", "/tmp/stop"]);
        const result = await loop;
        if (process.env.PLATFORM_E2E_DEBUG === "1") {
            stderrLog(
                kubectl(
                    [
                        "get",
                        "events",
                        "-n",
                        NS,
                        "--sort-by=.lastTimestamp",
                        "-o",
                        "custom-columns=T:.lastTimestamp,R:.reason,O:.involvedObject.name,M:.message",
                    ],
                    env,
                ).stdout,
            );
            stderrLog(result.stderr);
        }
        const m = /calls=(\d+) failed=(\d+)/.exec(result.stdout);
        expect(m, `poll summary: ${show(result)}`).to.not.equal(null);
        // The last old pod may still be in its preStop sleep when the rollout is complete: only live pods count.
        const after = (await core.listNamespacedPod({ namespace: NS, labelSelector: "app.kubernetes.io/name=api" })).items
            .filter((p) => !p.metadata?.deletionTimestamp)
            .map((p) => p.metadata!.name!);
        expect(
            after.filter((n) => before.includes(n)),
            "every api pod was replaced",
        ).to.deep.equal([]);
        expect(Number(m![1]), "calls made during the rollout").to.be.greaterThan(20);
        expect(Number(m![2]), `failed calls during the rollout: ${result.stdout} ${result.stderr.split("\n").slice(0, 15).join("; ")}`).to.equal(0);
        // The rotated value reached the new processes (the Secret was updated in place, the pods rolled on its checksum).
        const hash = execIn(env, NS, await svcPod("api"), ["/testsvc", "get", "--body", "http://127.0.0.1:8080/env/SESSION_SIGNING_KEY"]);
        expect(hash.stdout.split("\n")[1]?.trim(), `sha256 of the rotated key in api: ${show(hash)}`).to.equal(sha256(ROTATED));
    });

    it("the PodDisruptionBudget holds while the real node is drained: one api pod is evicted, the last one is not", async () => {
        const pdb = JSON.parse(kubectl(["get", "pdb", "api", "-n", NS, "-o", "json"], env).stdout || "{}") as { spec?: { maxUnavailable?: number } };
        expect(pdb.spec?.maxUnavailable, "api's PDB").to.equal(1);
        const r = kubectl(
            ["drain", node.name, "--pod-selector", "app.kubernetes.io/name=api", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=25s"],
            env,
        );
        try {
            expect(r.status, "drain cannot finish").to.not.equal(0);
            expect(r.stderr + r.stdout).to.match(/disruption budget/i);
            const running = (await core.listNamespacedPod({ namespace: NS, labelSelector: "app.kubernetes.io/name=api" })).items.filter(
                (p) => p.spec?.nodeName === node.name && p.status?.phase === "Running" && !p.metadata?.deletionTimestamp,
            );
            expect(running.length, "api pods left running on the drained node").to.equal(1);
        } finally {
            kubectl(["uncordon", node.name], env);
        }
    });

    it("destroys the stack", () => {
        pulumi(["destroy", "--yes", "--skip-preview", "--stack", STACK], { cwd, env });
    });
});
