// Differential test: the policy pack against the real Pod Security admission of the local kube-apiserver.
// Several hundred generated pod specs (one restricted field varied at pod, container, init container, sidecar or
// ephemeral-container level, for Pod, Deployment, StatefulSet, DaemonSet, Job and CronJob) are submitted with
// server-side dry-run to a namespace that enforces and warns `restricted`, and the pack runs in-process on the same
// objects. Every spec Pod Security admission rejects must be rejected by the pack; specs the pack rejects and PSA
// admits are printed with the pack's reason (they are the pack's deliberate extras, e.g. read-only root filesystem).
import * as https from "https";
import * as path from "path";
import { expect } from "chai";
import * as k8s from "@kubernetes/client-node";
import { policies } from "../../policy/pack";
import { runPack } from "../../tools/policyRunner";
import { REPO, clusterUp, e2eEnv, ensureToolchain, runVisible, stderrLog } from "../../e2e/harness/localCluster";
import { GeneratedSpec, Kind, Obj, generate } from "./psaSpecs";

const NS = "psa-diff";

interface ApiResult {
    status: number;
    body: string;
    warnings: string;
}

/** One HTTPS request to the apiserver with the kubeconfig's credentials; reads the status, body and Warning headers. */
function apiRequest(kc: k8s.KubeConfig, method: string, urlPath: string, body?: unknown, contentType = "application/json"): Promise<ApiResult> {
    const server = new URL(kc.getCurrentCluster()!.server);
    return new Promise((resolve, reject) => {
        const opts: https.RequestOptions = {
            method,
            hostname: server.hostname,
            port: server.port,
            path: urlPath,
            headers: { "Content-Type": contentType, Accept: "application/json" },
        };
        kc.applyToHTTPSOptions(opts).then(() => {
            const req = https.request(opts, (res) => {
                let data = "";
                res.on("data", (d: Buffer) => (data += d.toString()));
                res.on("end", () => {
                    const w = res.headers["warning"];
                    resolve({ status: res.statusCode ?? 0, body: data, warnings: Array.isArray(w) ? w.join("\n") : (w ?? "") });
                });
            });
            req.on("error", reject);
            if (body !== undefined) req.write(JSON.stringify(body));
            req.end();
        }, reject);
    });
}

const RESOURCE_PATH: Record<Kind, string> = {
    Pod: `/api/v1/namespaces/${NS}/pods`,
    Deployment: `/apis/apps/v1/namespaces/${NS}/deployments`,
    StatefulSet: `/apis/apps/v1/namespaces/${NS}/statefulsets`,
    DaemonSet: `/apis/apps/v1/namespaces/${NS}/daemonsets`,
    Job: `/apis/batch/v1/namespaces/${NS}/jobs`,
    CronJob: `/apis/batch/v1/namespaces/${NS}/cronjobs`,
};

const TYPE: Record<Kind, string> = {
    Pod: "kubernetes:core/v1:Pod",
    Deployment: "kubernetes:apps/v1:Deployment",
    StatefulSet: "kubernetes:apps/v1:StatefulSet",
    DaemonSet: "kubernetes:apps/v1:DaemonSet",
    Job: "kubernetes:batch/v1:Job",
    CronJob: "kubernetes:batch/v1:CronJob",
};

type PsaVerdict = { verdict: "rejected"; reason: string } | { verdict: "admitted" } | { verdict: "invalid"; reason: string };

/** What Pod Security admission said: enforce rejects Pods (403), warn reports workload templates (Warning header). */
function psaVerdict(r: ApiResult): PsaVerdict {
    if (r.status === 403 && r.body.includes("violates PodSecurity"))
        return { verdict: "rejected", reason: (JSON.parse(r.body) as { message: string }).message.replace(/^.*violates PodSecurity/, "violates PodSecurity") };
    if (r.status >= 200 && r.status < 300) {
        const w = /would violate PodSecurity[^\n]*/.exec(r.warnings);
        return w ? { verdict: "rejected", reason: w[0] } : { verdict: "admitted" };
    }
    let message = r.body;
    try {
        message = (JSON.parse(r.body) as { message: string }).message;
    } catch {
        // not a Status object; keep the raw body
    }
    return { verdict: "invalid", reason: `${r.status}: ${message.slice(0, 300)}` };
}

/** The pack's verdict: mandatory violations of any resource policy at its default (strictest intended) level. */
async function packVerdict(spec: GeneratedSpec): Promise<string[]> {
    const meta = spec.object.metadata as Obj;
    const res = await runPack(
        [{ type: TYPE[spec.kind], name: String(meta.name), props: spec.object }],
        {},
        policies.filter((p) => "validateResource" in p),
    );
    return res.violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy}: ${v.message}`);
}

/** Runs `fn` over `items` with at most `n` in flight. */
async function pool<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    await Promise.all(
        Array.from({ length: n }, async () => {
            while (next < items.length) {
                const i = next++;
                out[i] = await fn(items[i]);
            }
        }),
    );
    return out;
}

describe("Pod Security admission differential: the pack rejects everything restricted rejects", function () {
    this.timeout(900_000);
    let env: NodeJS.ProcessEnv;
    let kc: k8s.KubeConfig;

    before(async () => {
        const bin = await ensureToolchain();
        env = e2eEnv(bin);
        await clusterUp(env);
        kc = new k8s.KubeConfig();
        kc.loadFromFile(env.KUBECONFIG!);
        const core = kc.makeApiClient(k8s.CoreV1Api);
        await core.deleteNamespace({ name: NS }).catch(() => undefined);
        for (let i = 0; i < 60; i++) {
            const gone = await core.readNamespace({ name: NS }).then(
                () => false,
                () => true,
            );
            if (gone) break;
            await new Promise((r) => setTimeout(r, 1000));
        }
        await core.createNamespace({
            body: {
                metadata: {
                    name: NS,
                    labels: {
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/warn": "restricted",
                        "pod-security.kubernetes.io/warn-version": "latest",
                    },
                },
            },
        });
    });

    after(async () => {
        if (!env) return;
        if (process.env.PLATFORM_E2E_KEEP === "1") return;
        await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down"], env);
    });

    it("admits the base object of every kind, which the pack passes too", async () => {
        const { bases } = generate(NS);
        for (const b of bases) {
            const r = await apiRequest(kc, "POST", `${RESOURCE_PATH[b.kind]}?dryRun=All`, b.object);
            expect(psaVerdict(r), `${b.id}: ${r.body.slice(0, 300)} ${r.warnings}`).to.deep.equal({ verdict: "admitted" });
            expect(await packVerdict(b), b.id).to.deep.equal([]);
        }
    });

    it("every generated spec that Pod Security admission rejects is rejected by the pack", async () => {
        const t0 = Date.now();
        const { specs } = generate(NS);
        // Ephemeral containers can only be added to an existing Pod, through the pods/ephemeralcontainers subresource.
        const target = specs.find((s) => s.ephemeral);
        if (target) {
            const pod = JSON.parse(JSON.stringify(target.object)) as Obj;
            delete (pod.spec as Obj).ephemeralContainers;
            const created = await apiRequest(kc, "POST", RESOURCE_PATH.Pod, pod);
            expect(created.status, created.body.slice(0, 300)).to.equal(201);
        }
        const results = await pool(specs, 6, async (s) => {
            const r = s.ephemeral
                ? await apiRequest(
                      kc,
                      "PATCH",
                      `${RESOURCE_PATH.Pod}/ephemeral-target/ephemeralcontainers?dryRun=All`,
                      { spec: { ephemeralContainers: [s.ephemeral] } },
                      "application/strategic-merge-patch+json",
                  )
                : await apiRequest(kc, "POST", `${RESOURCE_PATH[s.kind]}?dryRun=All`, s.object);
            return { spec: s, psa: psaVerdict(r), pack: await packVerdict(s) };
        });
        const seconds = (Date.now() - t0) / 1000;

        const judged = results.filter((r) => r.psa.verdict !== "invalid");
        const invalid = results.filter((r) => r.psa.verdict === "invalid");
        const psaRejected = judged.filter((r) => r.psa.verdict === "rejected");
        const missed = psaRejected.filter((r) => r.pack.length === 0);
        const packOnly = judged.filter((r) => r.psa.verdict === "admitted" && r.pack.length > 0);
        const bothAdmit = judged.filter((r) => r.psa.verdict === "admitted" && r.pack.length === 0);

        const lines = [
            `differential: ${results.length} specs in ${seconds.toFixed(1)}s (${kindsSummary(results.map((r) => r.spec))})`,
            `  PSA rejected ${psaRejected.length}, pack rejected ${psaRejected.length - missed.length} of them (missed: ${missed.length})`,
            `  PSA admitted ${judged.length - psaRejected.length}: pack admitted ${bothAdmit.length}, pack rejected ${packOnly.length}`,
            `  invalid (API validation, not PSA): ${invalid.length}`,
        ];
        const byReason = new Map<string, string[]>();
        for (const r of packOnly) {
            const reason = [...new Set(r.pack.map((m) => m.split(":")[0]))].join(", ");
            byReason.set(reason, [...(byReason.get(reason) ?? []), r.spec.id]);
        }
        lines.push("  pack rejects, PSA admits (by pack policy):");
        for (const [reason, ids] of byReason) lines.push(`    ${reason}: ${ids.length} (${ids.slice(0, 4).join("; ")}${ids.length > 4 ? "; …" : ""})`);
        const invalidByReason = new Map<string, string[]>();
        for (const r of invalid) {
            // One line per cause, whatever the kind: drop the object name and the template path prefix.
            const reason =
                r.psa.verdict === "invalid"
                    ? r.psa.reason
                          .replace(/"[^"]*"/g, "…")
                          .replace(/^(\d+): \S+ … is invalid: spec\.(jobTemplate\.spec\.)?(template\.spec\.)?/, "$1: spec.")
                          .replace(/(initContainers|containers|ephemeralContainers)\[\d+\]/, "$1[*]")
                          .slice(0, 140)
                    : "";
            invalidByReason.set(reason, [...(invalidByReason.get(reason) ?? []), r.spec.id]);
        }
        lines.push("  invalid specs (excluded):");
        for (const [reason, ids] of invalidByReason) lines.push(`    ${reason}: ${ids.length} (${ids.slice(0, 3).join("; ")}${ids.length > 3 ? "; …" : ""})`);
        for (const m of missed) lines.push(`  MISSED ${m.spec.id}: ${m.psa.verdict === "rejected" ? m.psa.reason : ""}`);
        stderrLog(lines.join("\n"));

        expect(results.length, "a few hundred specs").to.be.greaterThan(300);
        expect(psaRejected.length, "the generator must produce specs PSA rejects").to.be.greaterThan(100);
        expect(bothAdmit.length, "and specs both admit (the comparison is not vacuous)").to.be.greaterThan(30);
        expect(missed.map((m) => `${m.spec.id}: ${m.psa.verdict === "rejected" ? m.psa.reason : ""}`)).to.deep.equal([]);
    });
});

function kindsSummary(specs: GeneratedSpec[]): string {
    const counts = new Map<string, number>();
    for (const s of specs) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
    return [...counts].map(([k, n]) => `${k} ${n}`).join(", ");
}
