// The health gate between waves: every Deployment of the stack's namespaces available at its desired replicas, and
// every Job the stack runs itself (migrations; not CronJob runs) complete. Read with kubectl, the way an operator looks.
import { spawnSync } from "child_process";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Why the namespace is not healthy yet ("" when it is), or a failure that waiting cannot mend. */
export interface HealthReading {
    waiting: string[];
    failed: string[];
}

/** Judges kubectl's JSON lists of Deployments and Jobs. Pure. */
export function judgeHealth(deployments: Obj[], jobs: Obj[]): HealthReading {
    const waiting: string[] = [];
    const failed: string[] = [];
    for (const d of deployments) {
        const want = d.spec?.replicas ?? 1;
        const available = d.status?.availableReplicas ?? 0;
        const current = (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
        if (!current || available < want || (d.status?.updatedReplicas ?? 0) < want)
            waiting.push(`Deployment ${d.metadata.name}: ${available}/${want} available`);
    }
    for (const j of jobs.filter((x) => !(x.metadata?.ownerReferences ?? []).some((o: Obj) => o.kind === "CronJob"))) {
        const cond = (type: string) => (j.status?.conditions ?? []).some((c: Obj) => c.type === type && c.status === "True");
        if (cond("Failed")) failed.push(`Job ${j.metadata.name} failed`);
        else if (!cond("Complete")) waiting.push(`Job ${j.metadata.name}: not complete`);
    }
    return { waiting, failed };
}

function kubectlList(kind: string, namespace: string, context?: string): Obj[] {
    const args = ["get", kind, "-n", namespace, "-o", "json", ...(context ? ["--context", context] : [])];
    const r = spawnSync("kubectl", args, { encoding: "utf8" });
    if (r.error) throw new Error(`kubectl could not run (${r.error.message}); the health gate reads the cluster with kubectl: put it on PATH`);
    if (r.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr.trim()}`);
    return (JSON.parse(r.stdout) as { items: Obj[] }).items;
}

/** Waits until every namespace is healthy; rejects with what is still waiting at the timeout, or at once on a failure. */
export async function waitHealthy(
    namespaces: string[],
    timeoutSeconds: number,
    context?: string,
    onWait: (what: string) => void = () => undefined,
): Promise<void> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (;;) {
        const readings = namespaces.map((ns) => judgeHealth(kubectlList("deployments", ns, context), kubectlList("jobs", ns, context)));
        const failed = readings.flatMap((r) => r.failed);
        const waiting = readings.flatMap((r) => r.waiting);
        if (failed.length > 0) throw new Error(`health gate: ${failed.join("; ")}`);
        if (waiting.length === 0) return;
        if (Date.now() > deadline) throw new Error(`health gate: not healthy after ${timeoutSeconds}s: ${waiting.join("; ")}`);
        onWait(waiting[0]);
        await new Promise((r) => setTimeout(r, 2000));
    }
}
