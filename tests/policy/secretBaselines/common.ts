// What every reference detector shares: its shape, and a plain walk over Kubernetes objects that depends on
// nothing in the pack (a baseline must not inherit the pack's own reading of an object).
import type { FakeResource } from "../../../tools/policyRunner";

export type Obj = Record<string, unknown>;

/** A reference detector: where in one object it would raise a finding (empty: nothing found). */
export interface Baseline {
    /** Column name in the comparison table. */
    name: string;
    /** One line: where its rules come from. */
    source: string;
    findings(r: FakeResource): string[];
}

export const asObj = (v: unknown): Obj | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
export const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asStr = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Kind from a Pulumi type string ("kubernetes:apps/v1:Deployment" -> "Deployment"); "" for other types. */
export function kindOf(type: string): string {
    const m = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/.exec(type);
    return m && !m[1].startsWith("helm.sh/") ? m[2] : "";
}

/** The pod spec of a workload, by where each kind keeps it. */
export function podSpec(kind: string, props: Obj): Obj | undefined {
    const spec = asObj(props["spec"]);
    if (kind === "Pod") return spec;
    if (kind === "CronJob") return asObj(asObj(asObj(asObj(spec?.["jobTemplate"])?.["spec"])?.["template"])?.["spec"]);
    return asObj(asObj(spec?.["template"])?.["spec"]);
}

export interface ContainerRef {
    list: "containers" | "initContainers" | "ephemeralContainers";
    index: number;
    c: Obj;
}

export function containersOf(spec: Obj | undefined, lists: ContainerRef["list"][]): ContainerRef[] {
    if (!spec) return [];
    return lists.flatMap((list) => asArr(spec[list]).map((c, index) => ({ list, index, c: asObj(c) ?? {} })));
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
    const counts = new Map<string, number>();
    for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let h = 0;
    for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
    return h;
}
