// Requests and limits of the data stores: component defaults refined by the stack's `resources` block.
import type { ResolvedResources, ResourceSpec } from "../config";

/** Fills the fields the stack config leaves out with the component's defaults. */
export function mergeResources(defaults: ResolvedResources, override: ResourceSpec | undefined): ResolvedResources {
    const defined = <T extends object>(o: T | undefined): Partial<T> =>
        Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
    return {
        requests: { ...defaults.requests, ...defined(override?.requests) },
        limits: { ...defaults.limits, ...defined(override?.limits) },
    };
}

/** One side (requests or limits) as Kubernetes spells it. */
export type KubeQuantities = Record<"cpu" | "memory" | "ephemeral-storage", string>;

/** Requests and limits as Kubernetes (and every chart and CR that passes them through) spells them. */
export function kubeResources(r: ResolvedResources): { requests: KubeQuantities; limits: KubeQuantities } {
    const side = (q: ResolvedResources["requests"]): KubeQuantities => ({ cpu: q.cpu, memory: q.memory, "ephemeral-storage": q.ephemeralStorage });
    return { requests: side(r.requests), limits: side(r.limits) };
}
