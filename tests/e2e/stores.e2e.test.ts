// L4, a store running: PostgreSQL on the real node (e2e/node.sh), run by the CloudNativePG operator built from its Go
// module (toolchain component cnpg-manager), with the instance image assembled from Debian's postgresql packages
// (store-images). The stack is the program's own: the operator chart and the cluster chart from the chart mirror,
// the images and node placement given through config (platform:postgres.image, .operatorImage, .nodeSelector,
// .tolerations) with no code change. The apiserver runs without webhook admission, so the operator's defaulting
// webhook never runs: the operator's cluster controller applies the defaults itself (cluster_controller.go setDefaults).
// Shown here: each service logs in with its own role (SCRAM) to its own database and cannot read another service's
// data; a pod that does not `use` postgres is refused by NetworkPolicy, and without the policies the same call connects.
import * as path from "path";
import { expect } from "chai";
import * as k8s from "@kubernetes/client-node";
import { freshCluster, kubeApis } from "../../e2e/harness/freshCluster";
import { kubectl, policyArgs, prepareWorkdir, pulumi, REPO, runVisible, selectStack, stderrLog } from "../../e2e/harness/localCluster";
import {
    callerPod,
    ExecResult,
    execIn,
    localVolume,
    podOf as runningPod,
    RealNode,
    realNode,
    realNodePlacement,
    show as showResult,
    pgLoginCommand,
} from "../../e2e/harness/realNode";

const STACK = "stores";
const NS = "shop-stores";
const OTHER_NS = "stores-outsider";
const CLUSTER = "postgres";
const STORAGE_CLASS = "real-node-local";
const PG = `${CLUSTER}-rw.${NS}.svc.cluster.local:5432`;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- custom resources read as JSON

/** Two services with a database each (orders, billing) and one that does not use PostgreSQL (web). */
function services(image: string): Record<string, unknown>[] {
    const http = { name: "http", port: 80, containerPort: 8080 };
    const probes = { readinessProbe: { type: "http", path: "/readyz" }, livenessProbe: { type: "http", path: "/healthz" } };
    const pg = (name: string) => ({
        name,
        description: `${name}, with a database of its own`,
        component: "backend",
        image,
        ports: [http],
        uses: ["postgres"],
        env: { SERVICE_NAME: name },
        ...probes,
    });
    return [
        pg("orders"),
        pg("billing"),
        { name: "web", description: "Uses no store", component: "frontend", image, ports: [http], env: { SERVICE_NAME: "web" }, ...probes },
    ];
}

const show = (r: ExecResult) => showResult(r, 600);

describe("runtime stores: PostgreSQL (CloudNativePG 1.30, Debian's PostgreSQL) on the real node", function () {
    let env: NodeJS.ProcessEnv;
    let cwd: string;
    let node: RealNode;
    let core: k8s.CoreV1Api;
    let custom: k8s.CustomObjectsApi;
    /** Role and database of each service, as the Cluster and Database objects name them. */
    const logins: Record<string, { role: string; db: string }> = {};

    const podOf = (namespace: string, selector: string) => runningPod(core, namespace, selector);
    /** `testsvc pg` from a service's pod, with that pod's own password (POSTGRES_PASSWORD, from its Secret). */
    const pgFrom = async (svc: string, user: string, db: string, query?: string) =>
        execIn(env, NS, await podOf(NS, `app.kubernetes.io/name=${svc}`), pgLoginCommand(PG, user, db, query));
    const tcpFrom = async (namespace: string, pod: string) => execIn(env, namespace, pod, ["/testsvc", "tcp", PG, "--timeout", "3s"]);
    const diagnostics = () =>
        [
            kubectl(["get", "pods,pvc,pv,clusters.postgresql.cnpg.io,databases.postgresql.cnpg.io", "-A", "-o", "wide"], env).stdout,
            kubectl(["logs", "-n", "cnpg-system", "-l", "app.kubernetes.io/name=cloudnative-pg", "--tail=40"], env).stdout,
            kubectl(["logs", "-n", NS, "-l", `cnpg.io/cluster=${CLUSTER}`, "--all-containers", "--tail=40", "--prefix"], env).stdout,
            kubectl(["get", "events", "-n", NS, "--sort-by=.lastTimestamp"], env).stdout.split("\n").slice(-25).join("\n"),
        ].join("\n---\n");

    before(async () => {
        env = await freshCluster();
        node = realNode(env);
        if (!node.cnpgImage || !node.postgresImage)
            throw new Error("the toolchain has no store images; run e2e/toolchain.sh (components cnpg-manager, store-images)");
        const placement = realNodePlacement(node);
        ({ core, custom } = kubeApis(env));

        // The real node has no volume provisioner: one local PersistentVolume on it, owned by PostgreSQL's uid 26.
        localVolume(env, node, { name: "postgres-1", storageClass: STORAGE_CLASS, uid: 26 });

        cwd = prepareWorkdir("stores", STACK, {
            base: "dev",
            fresh: true,
            overrides: {
                "platform:namespace": { name: NS },
                "platform:postgres": {
                    enabled: true,
                    installOperator: true,
                    instances: 1,
                    pvcRetention: "delete",
                    // The images the toolchain built, imported into the node's containerd; the operator and the
                    // instances on the real node. All of it is config.
                    image: node.postgresImage,
                    operatorImage: node.cnpgImage,
                    ...placement,
                    storage: { size: "1Gi", storageClass: STORAGE_CLASS },
                },
                "platform:redis": { enabled: false },
                "platform:kafka": { enabled: false, topics: [] },
                "platform:edge": { mode: "none" },
                // Pods reach the apiserver through the `kubernetes` Service, DNATed to the node's apiserver bridge.
                "platform:network": { apiServer: { cidrs: [`${node.hostIp}/32`], ports: [Number(env.PLATFORM_E2E_APISERVER_PORT ?? "16443")] } },
                "platform:defaults": { imagePullPolicy: "Never", ...placement },
                "platform:services": services(node.testImage),
            },
        });
        selectStack(STACK, cwd, env);

        kubectl(["create", "namespace", OTHER_NS], env);
        const r = kubectl(["apply", "-f", "-"], env, JSON.stringify(callerPod(node, OTHER_NS)));
        if (r.status !== 0) throw new Error(`test pod in ${OTHER_NS}: ${r.stderr}`);
    });

    after(async () => {
        if (process.env.PLATFORM_E2E_KEEP === "1" || !env) return;
        await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down"], env);
    });

    it("brings the stack up with the policy pack; the operator runs on the real node from the project's image", async () => {
        const r = pulumi(["up", "--yes", "--skip-preview", "--stack", STACK, ...policyArgs("dev")], { cwd, env });
        stderrLog(`stores up: ${(r.ms / 1000).toFixed(1)}s`);
        const ready = kubectl(["wait", "--for=condition=Available", "deployment", "-n", "cnpg-system", "--all", "--timeout=240s"], env);
        expect(ready.status, `operator Available\n${ready.stderr}\n${diagnostics()}`).to.equal(0);
        const ops = (await core.listNamespacedPod({ namespace: "cnpg-system" })).items;
        expect(ops.map((p) => [p.spec?.nodeName, p.spec?.containers[0].image])).to.deep.equal([[node.name, node.cnpgImage]]);
    });

    it("the Cluster becomes ready: initdb ran and PostgreSQL serves from the Debian-built image on the real node", async () => {
        const t0 = Date.now();
        let cluster: Obj | undefined;
        while (Date.now() - t0 < 420_000) {
            cluster = (await custom.getNamespacedCustomObject({
                group: "postgresql.cnpg.io",
                version: "v1",
                namespace: NS,
                plural: "clusters",
                name: CLUSTER,
            })) as Obj;
            if (cluster.status?.readyInstances === 1 && cluster.status?.phase === "Cluster in healthy state") break;
            await new Promise((res) => setTimeout(res, 5000));
        }
        stderrLog(`stores: Cluster ready after ${((Date.now() - t0) / 1000).toFixed(0)}s (phase ${cluster?.status?.phase})`);
        expect(cluster?.status?.readyInstances, `ready instances\n${JSON.stringify(cluster?.status ?? {}).slice(0, 1500)}\n${diagnostics()}`).to.equal(1);
        // The defaults the webhook would have set were applied by the controller (no webhook ran).
        expect(cluster?.spec?.postgresUID).to.equal(26);
        const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: `cnpg.io/cluster=${CLUSTER},cnpg.io/podRole=instance` })).items;
        expect(pods.map((p) => [p.spec?.nodeName, p.spec?.containers[0].image, p.status?.phase])).to.deep.equal([[node.name, node.postgresImage, "Running"]]);
        // Shared memory: CloudNativePG gives the instance a memory-backed /dev/shm, and PostgreSQL uses POSIX segments there.
        expect(pods[0].spec?.volumes?.find((v) => v.name === "shm")?.emptyDir?.medium).to.equal("Memory");

        for (const role of (cluster?.spec?.managed?.roles ?? []) as Obj[]) {
            const m = /role of service ([a-z0-9-]+)/.exec(role.comment ?? "");
            if (m) logins[m[1]] = { role: role.name, db: "" };
        }
        const dbs = ((await custom.listNamespacedCustomObject({ group: "postgresql.cnpg.io", version: "v1", namespace: NS, plural: "databases" })) as Obj)
            .items as Obj[];
        for (const d of dbs) for (const l of Object.values(logins)) if (l.role === d.spec.owner) l.db = d.spec.name;
        expect(Object.keys(logins).sort(), "managed roles by service").to.deep.equal(["billing", "orders"]);
        // The operator reconciles roles and databases after the instance is up: wait until each one is applied.
        const t1 = Date.now();
        while (Date.now() - t1 < 180_000) {
            const c = (await custom.getNamespacedCustomObject({
                group: "postgresql.cnpg.io",
                version: "v1",
                namespace: NS,
                plural: "clusters",
                name: CLUSTER,
            })) as Obj;
            const listed = (await custom.listNamespacedCustomObject({ group: "postgresql.cnpg.io", version: "v1", namespace: NS, plural: "databases" })) as Obj;
            const rolesDone = ((c.status?.managedRolesStatus?.byStatus?.reconciled ?? []) as string[]).length === 2;
            const dbsDone = (listed.items as Obj[]).every((d) => d.status?.applied === true);
            if (rolesDone && dbsDone) break;
            await new Promise((res) => setTimeout(res, 3000));
        }
        for (const [svc, l] of Object.entries(logins)) {
            const r = await pgFrom(svc, l.role, l.db, "select current_user, current_database(), current_setting('dynamic_shared_memory_type'), version()");
            expect(r.status, `${svc} logs in as ${l.role} to ${l.db}: ${show(r)}\n${diagnostics()}`).to.equal(0);
            expect(r.stdout).to.include(`${l.role}\t${l.db}\tposix\tPostgreSQL 15.`);
        }
    });

    it("each service logs in with its own role and cannot read another service's data", async () => {
        const { orders, billing } = logins;
        const created = await pgFrom(
            "billing",
            billing.role,
            billing.db,
            "create table invoices (id int primary key, total int); insert into invoices values (1, 4200)",
        );
        expect(created.status, show(created)).to.equal(0);
        const own = await pgFrom("billing", billing.role, billing.db, "select total from invoices");
        expect(own.status, show(own)).to.equal(0);
        expect(own.stdout).to.match(/^4200$/m);
        // orders, with its own login, in billing's database: PostgreSQL lets it connect (PUBLIC keeps CONNECT on a new
        // database) but refuses the read: SQLSTATE 42501.
        const read = await pgFrom("orders", orders.role, billing.db, "select total from invoices");
        expect(read.status, `orders reading billing's table: ${show(read)}`).to.equal(3);
        expect(read.stdout).to.match(/denied: .*42501/);
        // orders' password is not billing's: logging in as billing's role with it is refused (SQLSTATE 28P01).
        const impersonate = await pgFrom("orders", billing.role, billing.db);
        expect(impersonate.status, `orders as billing's role: ${show(impersonate)}`).to.equal(3);
        expect(impersonate.stdout).to.match(/denied: .*28P01/);
    });

    it("a pod that does not use postgres is refused by NetworkPolicy (the same service's pod and another namespace's); without the policies it connects", async () => {
        const user = await podOf(NS, "app.kubernetes.io/name=orders");
        const web = await podOf(NS, "app.kubernetes.io/name=web");
        const allowed = await tcpFrom(NS, user);
        expect(allowed.status, `orders → postgres: ${show(allowed)}`).to.equal(0);
        const refusedWeb = await tcpFrom(NS, web);
        expect(refusedWeb.status, `web → postgres: ${show(refusedWeb)}`).to.equal(2);
        const refusedOutsider = await tcpFrom(OTHER_NS, "caller");
        expect(refusedOutsider.status, `${OTHER_NS}/caller → postgres: ${show(refusedOutsider)}`).to.equal(2);

        // Control: without the namespace's NetworkPolicies the very same calls connect, so the refusals above are the
        // policies' doing. The saved policies are put back as they were.
        const saved = (JSON.parse(kubectl(["get", "networkpolicy", "-n", NS, "-o", "json"], env).stdout) as Obj).items as Obj[];
        expect(saved.map((p) => p.metadata.name)).to.include(`${CLUSTER}-instances`);
        expect(kubectl(["delete", "networkpolicy", "--all", "-n", NS], env).status).to.equal(0);
        try {
            for (const [ns, pod] of [
                [NS, web],
                [OTHER_NS, "caller"],
            ]) {
                let r: ExecResult = { status: 1, stdout: "", stderr: "" };
                for (let i = 0; i < 10 && r.status !== 0; i++) {
                    r = await tcpFrom(ns, pod);
                    if (r.status !== 0) await new Promise((res) => setTimeout(res, 1000)); // kube-router's sync of the deletion
                }
                expect(r.status, `${ns}/${pod} → postgres without NetworkPolicies: ${show(r)}`).to.equal(0);
            }
        } finally {
            for (const p of saved) {
                delete p.metadata.resourceVersion;
                delete p.metadata.uid;
                delete p.metadata.creationTimestamp;
                delete p.metadata.managedFields;
                delete p.metadata.generation;
            }
            const restore = kubectl(["create", "-f", "-"], env, JSON.stringify({ apiVersion: "v1", kind: "List", items: saved }));
            expect(restore.status, restore.stderr).to.equal(0);
        }
        let again: ExecResult = { status: 0, stdout: "", stderr: "" };
        for (let i = 0; i < 10 && again.status !== 2; i++) {
            again = await tcpFrom(NS, web);
            if (again.status !== 2) await new Promise((res) => setTimeout(res, 1000));
        }
        expect(again.status, `web → postgres with the policies restored: ${show(again)}`).to.equal(2);
    });
});
