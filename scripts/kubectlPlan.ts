// What a team would script instead of `pulumi up`: the stack's own manifests applied with kubectl in the order the
// program guarantees (namespace and secrets, data stores, migrations, workloads), each stage waiting for what it rolled
// out before the next starts. Pure: the benchmark runs the steps, tests check the order.

/** One Kubernetes object from the stack's state: its URN (ancestry) and the manifest Pulumi sent. */
export interface StateObject {
    urn: string;
    manifest: { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } & Record<string, unknown>;
}

export type Stage = "base" | "stores" | "migrations" | "workloads";
export const STAGES: readonly Stage[] = ["base", "stores", "migrations", "workloads"];

/** The qualified types of a URN's parent chain, outermost first (`urn:pulumi:s::p::a$b$c::name` → [a, b, c]). */
export function typeChain(urn: string): string[] {
    return (urn.split("::")[2] ?? "").split("$");
}

/** Which stage an object belongs to: anything under a data-store component is the store's; Jobs are migrations. */
export function stageOf(o: StateObject): Stage {
    if (typeChain(o.urn).some((t) => t.startsWith("platform:data:"))) return "stores";
    const kind = String(o.manifest.kind);
    if (kind === "Job") return "migrations";
    if (kind === "Deployment" || kind === "StatefulSet" || kind === "DaemonSet" || kind === "CronJob") return "workloads";
    return "base";
}

/** Cluster-scoped definitions every later object may need: applied first, CRDs waited for. */
function isDefinition(o: StateObject): boolean {
    return o.manifest.kind === "CustomResourceDefinition" || o.manifest.kind === "Namespace";
}

export interface Step {
    /** Objects applied by this step (as one `kubectl apply --server-side -f -`). */
    apply: StateObject[];
    /** kubectl argument lists run after the apply, in order, each waiting for part of what was applied. */
    waits: string[][];
}

const TIMEOUT = "--timeout=600s";

function ref(o: StateObject): { ns: string; name: string } {
    return { ns: String(o.manifest.metadata?.namespace ?? ""), name: String(o.manifest.metadata?.name ?? "") };
}

/** The readiness Pulumi awaits for the workloads among `objs`, as kubectl waits grouped by namespace. */
export function waitsFor(objs: StateObject[]): string[][] {
    const waits: string[][] = [];
    const byNs = (kind: string) => {
        const m = new Map<string, string[]>();
        for (const o of objs.filter((x) => x.manifest.kind === kind)) {
            const { ns, name } = ref(o);
            m.set(ns, [...(m.get(ns) ?? []), `${kind.toLowerCase()}/${name}`]);
        }
        return m;
    };
    for (const [ns, names] of byNs("Deployment")) waits.push(["wait", "--for=condition=Available", "-n", ns, TIMEOUT, ...names]);
    for (const [ns, names] of byNs("StatefulSet")) for (const n of names) waits.push(["rollout", "status", "-n", ns, TIMEOUT, n]);
    for (const [ns, names] of byNs("Job")) waits.push(["wait", "--for=condition=Complete", "-n", ns, TIMEOUT, ...names]);
    return waits;
}

/** The staged script: definitions (CRDs established), then base, stores, migrations, workloads, each with its waits. */
export function stagedPlan(objs: StateObject[]): Step[] {
    const defs = objs.filter(isDefinition);
    const crds = defs.filter((o) => o.manifest.kind === "CustomResourceDefinition").map((o) => `crd/${ref(o).name}`);
    const steps: Step[] = [{ apply: defs, waits: crds.length > 0 ? [["wait", "--for=condition=Established", TIMEOUT, ...crds]] : [] }];
    for (const stage of STAGES) {
        const apply = objs.filter((o) => !isDefinition(o) && stageOf(o) === stage);
        if (apply.length > 0) steps.push({ apply, waits: waitsFor(apply) });
    }
    return steps;
}
