// The critical path of a `pulumi up` from per-resource step times and the state's dependency graph. Pure (tests call it).

/** A resource as `pulumi stack export` lists it (the fields the dependency graph needs). */
export interface StateResource {
    urn: string;
    custom?: boolean;
    parent?: string;
    dependencies?: string[];
}

/** When a resource's step started and finished, in ms since the up started. */
export interface Step {
    start: number;
    end: number;
}

export interface PathEntry {
    urn: string;
    step: Step;
    waitedFor?: string;
}

/** The resources a dependency on `urn` waits for: the resource itself, or every resource under a component. */
function expand(urn: string, children: Map<string, string[]>): string[] {
    const out = [urn];
    for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
    return out;
}

function childrenOf(resources: StateResource[]): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const r of resources) if (r.parent) m.set(r.parent, [...(m.get(r.parent) ?? []), r.urn]);
    return m;
}

/**
 * From the custom resource that finished last, back through the dependency (expanded through components) that finished
 * last before it: the chain of waits that set the up's duration. Outermost first.
 */
export function criticalPath(resources: StateResource[], steps: Map<string, Step>): PathEntry[] {
    const children = childrenOf(resources);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const timed = resources.filter((r) => r.custom && steps.has(r.urn));
    if (timed.length === 0) return [];
    let cur: StateResource | undefined = timed.reduce((a, b) => (steps.get(a.urn)!.end >= steps.get(b.urn)!.end ? a : b));
    const path: PathEntry[] = [];
    const seen = new Set<string>();
    while (cur && !seen.has(cur.urn)) {
        seen.add(cur.urn);
        const step: Step = steps.get(cur.urn)!;
        // A resource also waits for what its ancestors depend on (dependsOn on a component applies to its children).
        const deps = new Set<string>();
        for (let a: StateResource | undefined = cur; a; a = a.parent ? byUrn.get(a.parent) : undefined) {
            for (const d of a.dependencies ?? []) for (const e of expand(d, children)) deps.add(e);
        }
        const before: string[] = [...deps].filter((d) => steps.has(d) && byUrn.get(d)?.custom && steps.get(d)!.end <= step.start);
        const last: string | undefined = before.length > 0 ? before.reduce((a, b) => (steps.get(a)!.end >= steps.get(b)!.end ? a : b)) : undefined;
        path.push({ urn: cur.urn, step, waitedFor: last });
        cur = last ? byUrn.get(last) : undefined;
    }
    return path.reverse();
}

/** Custom resources whose step took over `minMs` although no other resource depends on them (directly or via a parent). */
export function idleWaits(resources: StateResource[], steps: Map<string, Step>, minMs: number): PathEntry[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    // A dependency on a component is a dependency on everything under it: checked through each resource's ancestors.
    const dependedOn = new Set(resources.flatMap((r) => r.dependencies ?? []));
    const underDependedOn = (r: StateResource): boolean => {
        for (let a: StateResource | undefined = r; a; a = a.parent ? byUrn.get(a.parent) : undefined) if (dependedOn.has(a.urn)) return true;
        return false;
    };
    return resources
        .filter((r) => r.custom && steps.has(r.urn) && !underDependedOn(r))
        .map((r) => ({ urn: r.urn, step: steps.get(r.urn)! }))
        .filter((e) => e.step.end - e.step.start > minMs)
        .sort((a, b) => b.step.end - b.step.start - (a.step.end - a.step.start));
}
