// The real node of the local cluster (e2e/node.sh), as the runtime suites use it: its facts, commands run in its pods,
// and a test host "outside the cluster" in a network namespace of the test's own.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { CoreV1Api, V1Pod } from "@kubernetes/client-node";
import { REPO, STATE } from "./localCluster";

/** What e2e/node.sh says of the node (`node.sh env`). */
export interface RealNode {
    name: string;
    netns: string;
    ip: string;
    podCidr: string;
    outsideCidr: string;
    taintKey: string;
    /** The project's test service image, imported into the node's containerd. */
    testImage: string;
    /** The same test service as a host binary (for the outside test host). */
    testBinary: string;
    /** The host's end of the node's veth: where the `kubernetes` Service's EndpointSlice (the apiserver bridge) points. */
    hostIp: string;
    /** The CloudNativePG manager image (operator + instance manager), when the toolchain built the store images. */
    cnpgImage?: string;
    /** The PostgreSQL image assembled from Debian's packages, when the toolchain built the store images. */
    postgresImage?: string;
}

/** Reads the node's facts for the slot `env` points at. */
export function realNode(env: NodeJS.ProcessEnv): RealNode {
    const r = spawnSync("bash", [path.join(REPO, "e2e", "node.sh"), "env"], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`e2e/node.sh env failed: ${r.stderr}`);
    const vars: Record<string, string> = {};
    for (const line of r.stdout.split("\n")) {
        const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
        if (m) vars[m[1]] = m[2];
    }
    const need = (k: string) =>
        vars[k] ??
        (() => {
            throw new Error(`e2e/node.sh env did not print ${k}`);
        })();
    return {
        name: need("NODE_NAME"),
        netns: need("NODE_NETNS"),
        ip: need("NODE_IP"),
        podCidr: need("NODE_POD_CIDR"),
        outsideCidr: need("NODE_OUTSIDE_CIDR"),
        taintKey: need("NODE_TAINT_KEY"),
        testImage: need("TESTSVC_IMAGE"),
        testBinary: need("TESTSVC_BINARY"),
        hostIp: need("NODE_HOST_IP"),
        ...(vars.CNPG_IMAGE ? { cnpgImage: vars.CNPG_IMAGE } : {}),
        ...(vars.POSTGRES_IMAGE ? { postgresImage: vars.POSTGRES_IMAGE } : {}),
    };
}

/** Stack config that puts a workload on the real node: its label and a toleration of its taint. */
export function realNodePlacement(node: RealNode): { nodeSelector: Record<string, string>; tolerations: Record<string, string>[] } {
    return {
        nodeSelector: { [node.taintKey]: "true" },
        tolerations: [{ key: node.taintKey, operator: "Exists", effect: "NoSchedule" }],
    };
}

/**
 * A pod `caller` on the real node running the test service, restricted like the platform's own (non-root, read-only
 * root, no capabilities, RuntimeDefault seccomp): the suites' caller from another namespace or an edge controller.
 */
export function callerPod(node: RealNode, namespace: string): Record<string, unknown> {
    const placement = realNodePlacement(node);
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "caller", namespace },
        spec: {
            nodeSelector: placement.nodeSelector,
            tolerations: placement.tolerations,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
                {
                    name: "caller",
                    image: node.testImage,
                    imagePullPolicy: "Never",
                    env: [{ name: "SERVICE_NAME", value: "caller" }],
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                },
            ],
        },
    };
}

export interface ExecResult {
    status: number;
    stdout: string;
    stderr: string;
}

/** Runs a command in a pod's container (kubectl exec), never throwing: callers assert on the status. */
export function execIn(env: NodeJS.ProcessEnv, namespace: string, pod: string, command: string[], container?: string): ExecResult {
    const args = ["exec", "-n", namespace, pod, ...(container ? ["-c", container] : []), "--", ...command];
    const r = spawnSync("kubectl", args, { env, encoding: "utf8", timeout: 60_000 });
    return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** A command in a pod that runs while the test does something else; resolves with its output when it exits. */
export function execInBackground(env: NodeJS.ProcessEnv, namespace: string, pod: string, command: string[]): Promise<ExecResult> {
    return new Promise((resolve) => {
        const child = spawn("kubectl", ["exec", "-n", namespace, pod, "--", ...command], { env });
        let stdout = "",
            stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code) => resolve({ status: code ?? 1, stdout, stderr }));
    });
}

/**
 * A test host outside the cluster: its own network namespace, joined to the node's by a veth pair, serving HTTP with the
 * test service binary. Pods reach it only through the node's routing (the guard table lets this range through, so a
 * refusal comes from NetworkPolicy, not from the guard). `close()` removes the netns, the veth and the server.
 */
export class OutsideHost {
    readonly netns: string;
    readonly address: string;
    readonly port = 8080;
    private server?: ReturnType<typeof spawn>;

    constructor(private readonly node: RealNode) {
        this.netns = `${node.netns}-out`;
        const base = node.outsideCidr.split("/")[0].split(".").slice(0, 3).join(".");
        this.address = `${base}.10`;
    }

    async open(): Promise<void> {
        const base = this.address.split(".").slice(0, 3).join(".");
        this.close();
        const steps: string[][] = [
            ["ip", "netns", "add", this.netns],
            ["ip", "link", "add", "out0", "netns", this.netns, "type", "veth", "peer", "name", "outside0", "netns", this.node.netns],
            ["ip", "-n", this.netns, "addr", "add", `${this.address}/24`, "dev", "out0"],
            ["ip", "-n", this.netns, "link", "set", "out0", "up"],
            ["ip", "-n", this.netns, "link", "set", "lo", "up"],
            ["ip", "-n", this.node.netns, "addr", "add", `${base}.1/24`, "dev", "outside0"],
            ["ip", "-n", this.node.netns, "link", "set", "outside0", "up"],
            // Replies go back the way they came: to the node, which routes them to its pods.
            ["ip", "-n", this.netns, "route", "add", this.node.podCidr, "via", `${base}.1`],
        ];
        for (const s of steps) {
            const r = spawnSync(s[0], s.slice(1), { encoding: "utf8" });
            if (r.status !== 0) throw new Error(`${s.join(" ")} failed: ${r.stderr}`);
        }
        if (!fs.existsSync(this.node.testBinary)) throw new Error(`no test service binary at ${this.node.testBinary}`);
        this.server = spawn("nsenter", [`--net=/run/netns/${this.netns}`, this.node.testBinary, "serve"], {
            env: { PATH: process.env.PATH ?? "", HTTP_PORT: String(this.port), SERVICE_NAME: "outside" },
            stdio: "ignore",
            detached: true,
        });
        for (let i = 0; i < 50; i++) {
            if (this.fromNode().status === 0) return;
            await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`the outside test host did not answer on ${this.address}:${this.port}`);
    }

    /** A GET from the node's own network namespace: the host is there and answers (the control of a refusal). */
    fromNode(): ExecResult {
        const r = spawnSync(
            "nsenter",
            [`--net=/run/netns/${this.node.netns}`, this.node.testBinary, "get", `http://${this.address}:${this.port}/`, "--timeout", "2s"],
            { encoding: "utf8" },
        );
        return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
    }

    close(): void {
        if (this.server?.pid) {
            try {
                process.kill(-this.server.pid, "SIGKILL");
            } catch {
                /* already gone */
            }
        }
        this.server = undefined;
        spawnSync("ip", ["netns", "del", this.netns]);
        spawnSync("ip", ["-n", this.node.netns, "link", "del", "outside0"]);
    }
}

/** A client call answered (`testsvc get`/`tcp`: exit 0, "ok …"). */
/** `testsvc pg` as a service's pod runs it: its own password from POSTGRES_PASSWORD (its Secret), a short timeout, an optional query. */
export const pgLoginCommand = (target: string, user: string, db: string, query?: string): string[] => [
    "/testsvc",
    "pg",
    target,
    "--user",
    user,
    "--db",
    db,
    "--password-env",
    "POSTGRES_PASSWORD",
    "--timeout",
    "5s",
    ...(query ? ["--query", query] : []),
];

export const answered = (r: ExecResult): boolean => r.status === 0 && /^ok /m.test(r.stdout);
/** A client call refused at the connection (`testsvc`: exit 2, RST or dropped packets): what a NetworkPolicy causes. */
export const refused = (r: ExecResult): boolean => r.status === 2 && /^(refused|timeout):/m.test(r.stdout);
/** A call's outcome for an assertion message. */
export const show = (r: ExecResult, max = 400): string => `exit ${r.status}: ${r.stdout.trim()} ${r.stderr.trim()}`.slice(0, max);

/** The name of one Running pod (not being deleted) of a label selector in a namespace. */
export async function podOf(core: CoreV1Api, namespace: string, selector: string): Promise<string> {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter(
        (p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp,
    );
    if (pods.length === 0) throw new Error(`no running pod for ${selector} in ${namespace}`);
    // The pod Ready longest: an HPA or rollout may have just added one whose probes have not run yet.
    const readySince = (p: V1Pod) => {
        const c = p.status?.conditions?.find((x) => x.type === "Ready" && x.status === "True");
        return c?.lastTransitionTime ? new Date(c.lastTransitionTime).getTime() : Number.POSITIVE_INFINITY;
    };
    return [...pods].sort((a, b) => readySince(a) - readySince(b))[0].metadata!.name!;
}

/**
 * A local PersistentVolume on the real node (it has no volume provisioner), in the slot's state dir (node.sh down
 * unmounts it; `down --purge` removes it), owned by `uid`, in `storageClass` (created with WaitForFirstConsumer).
 */
export function localVolume(env: NodeJS.ProcessEnv, node: RealNode, opts: { name: string; storageClass: string; uid: number; size?: string }): void {
    const dir = path.join(STATE, "node", "local-pv", opts.name);
    fs.mkdirSync(dir, { recursive: true });
    fs.chownSync(dir, opts.uid, opts.uid);
    fs.chmodSync(dir, 0o700);
    const objects = [
        {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: opts.storageClass },
            provisioner: "kubernetes.io/no-provisioner",
            volumeBindingMode: "WaitForFirstConsumer",
        },
        {
            apiVersion: "v1",
            kind: "PersistentVolume",
            metadata: { name: `real-node-${opts.name}` },
            spec: {
                capacity: { storage: opts.size ?? "1Gi" },
                accessModes: ["ReadWriteOnce"],
                persistentVolumeReclaimPolicy: "Retain",
                storageClassName: opts.storageClass,
                local: { path: dir },
                nodeAffinity: {
                    required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node.name] }] }] },
                },
            },
        },
    ];
    for (const o of objects) {
        const r = spawnSync("kubectl", ["apply", "-f", "-"], { env, encoding: "utf8", input: JSON.stringify(o) });
        if (r.status !== 0) throw new Error(`${o.kind} ${o.metadata.name}: ${r.stderr}`);
    }
}

/**
 * Runs `body` with the namespace's NetworkPolicies deleted, then creates them again as they were: the control of a
 * refusal (the same call answered without them shows the refusal was the policies' doing, not a broken network).
 * Returns the names of the policies it removed and put back.
 */
export async function withoutNetworkPolicies(env: NodeJS.ProcessEnv, namespace: string, body: () => Promise<void>): Promise<string[]> {
    const kubectl = (args: string[], input?: string) => spawnSync("kubectl", args, { env, encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024 });
    const saved = kubectl(["get", "networkpolicy", "-n", namespace, "-o", "json"]);
    if (saved.status !== 0) throw new Error(`networkpolicies of ${namespace}: ${saved.stderr}`);
    const items = (JSON.parse(saved.stdout) as { items: Record<string, any>[] }).items; // eslint-disable-line @typescript-eslint/no-explicit-any -- live JSON
    if (items.length === 0) throw new Error(`${namespace} has no NetworkPolicy to remove`);
    const del = kubectl(["delete", "networkpolicy", "--all", "-n", namespace]);
    if (del.status !== 0) throw new Error(`deleting the NetworkPolicies of ${namespace}: ${del.stderr}`);
    try {
        await body();
    } finally {
        for (const p of items) for (const k of ["resourceVersion", "uid", "creationTimestamp", "managedFields", "generation"]) delete p.metadata[k];
        const restore = kubectl(["create", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items }));
        if (restore.status !== 0) throw new Error(`restoring the NetworkPolicies of ${namespace}: ${restore.stderr}`);
    }
    return items.map((p) => p.metadata.name as string);
}

/** Calls `call` up to `tries` times, `everyMs` apart (a second: kube-router syncs a policy change in ~1 s), until `done` holds. */
export async function retryUntil<T = ExecResult>(call: () => Promise<T>, done: (r: T) => boolean, tries = 10, everyMs = 1000): Promise<T> {
    let r = await call();
    for (let i = 1; i < tries && !done(r); i++) {
        await new Promise((res) => setTimeout(res, everyMs));
        r = await call();
    }
    return r;
}
