// Who may open a connection to a pod, read from live NetworkPolicy objects the way a CNI enforces them (no CNI runs
// on the hermetic cluster, so the objects are all e2e can check): a pod selected by no Ingress policy admits anyone;
// otherwise a source is admitted when one rule of one selecting policy matches both the source and the port.
import { selectorMatches } from "../../policy/lib/k8s";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- live objects read as JSON

/** A pod that might connect: its namespace (with that namespace's labels) and its own labels. */
export interface Endpoint {
    namespace: string;
    namespaceLabels: Record<string, string>;
    labels: Record<string, string>;
}

/**
 * A label selector against a label set, by the pack's own matcher; an absent selector matches everything, and one it
 * cannot evaluate (an unknown operator, a malformed expression) fails the test rather than guessing.
 */
export function selects(selector: Obj | undefined, labels: Record<string, string>): boolean {
    if (selector === undefined || selector === null) return true;
    const matched = selectorMatches(selector, labels);
    if (matched === undefined) throw new Error(`cannot evaluate label selector ${JSON.stringify(selector)}`);
    return matched;
}

function peerMatches(peer: Obj, policyNamespace: string, src: Endpoint): boolean {
    if (peer.ipBlock) return false; // pod-to-pod reach only; ipBlocks name addresses outside the pod network here
    if (peer.namespaceSelector) return selects(peer.namespaceSelector, src.namespaceLabels) && selects(peer.podSelector, src.labels);
    return src.namespace === policyNamespace && selects(peer.podSelector, src.labels);
}

/** True when `src` may connect to `target` on container port `port` (TCP). */
export function admits(policies: Obj[], target: Endpoint, port: number, src: Endpoint): boolean {
    const selecting = policies.filter(
        (p) =>
            p.metadata.namespace === target.namespace && selects(p.spec.podSelector, target.labels) && (p.spec.policyTypes ?? ["Ingress"]).includes("Ingress"),
    );
    if (selecting.length === 0) return true;
    return selecting.some((p) =>
        (p.spec.ingress ?? []).some((rule: Obj) => {
            // @kubernetes/client-node names the field `_from` (from is a reserved word); raw JSON says `from`.
            const from = (rule.from ?? rule._from) as Obj[] | undefined;
            const fromOk = !from || from.length === 0 || from.some((peer: Obj) => peerMatches(peer, p.metadata.namespace, src));
            const portOk =
                !rule.ports ||
                rule.ports.length === 0 ||
                rule.ports.some((rp: Obj) => (rp.protocol ?? "TCP") === "TCP" && (rp.port === undefined || rp.port === port));
            return fromOk && portOk;
        }),
    );
}
