// Kubernetes helpers that work on plain props and Pulumi type strings ("kubernetes:apps/v1:Deployment"),
// so the pack needs no @pulumi/kubernetes dependency.
import { parseQuantity as parseQuantityString } from "../vocab";
import { PlainObject, arr, get, isUnknown, num, rec, str, stringMap } from "./values";

export interface K8sType {
    /** API group; "core" for the legacy group. */
    group: string;
    version: string;
    kind: string;
}

/** Parses "kubernetes:<group>/<version>:<Kind>"; undefined for helm/yaml components and non-Kubernetes types. */
export function parseK8sType(type: string): K8sType | undefined {
    const m = /^kubernetes:([^:/]+)\/([^:/]+):([A-Za-z0-9]+)$/.exec(type);
    if (!m) return undefined;
    if (m[1] === "helm.sh" || m[1] === "yaml" || m[1] === "kustomize") return undefined;
    return { group: m[1], version: m[2], kind: m[3] };
}

/** Kind of a Kubernetes object type; "" when the type is not a Kubernetes object. */
export function kindOf(type: string): string {
    return parseK8sType(type)?.kind ?? "";
}

/** Partial-object (Patch) and List variants that never describe a whole object. */
export function isPatchOrList(kind: string): boolean {
    return /Patch$/.test(kind) || /List$/.test(kind);
}

/** Server-side-apply patch kinds (DeploymentPatch, ConfigMapPatch …): they carry only the fields they set. */
export function isPatchKind(kind: string): boolean {
    return /.Patch$/.test(kind);
}

/** The object kind a patch kind applies to (DeploymentPatch -> Deployment); other kinds unchanged. */
export function baseKind(kind: string): string {
    return isPatchKind(kind) ? kind.slice(0, -"Patch".length) : kind;
}

/** Cluster-scoped kinds we know of; anything else (including custom resources) is treated as namespaced. */
const CLUSTER_SCOPED = new Set([
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "StorageClass",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "PriorityClass",
    "RuntimeClass",
    "IngressClass",
    "GatewayClass",
    "APIService",
    "CertificateSigningRequest",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "ComponentStatus",
    "ClusterIssuer",
    "IPAddress",
    "ServiceCIDR",
    "DeviceClass",
]);

export function isClusterScoped(kind: string): boolean {
    return CLUSTER_SCOPED.has(kind);
}

export const POD_BEARING_KINDS: readonly string[] = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"];
/** Workloads that run continuously (probes and PDBs make sense for them). */
export const LONG_RUNNING_KINDS: readonly string[] = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"];

/** Whole pod-bearing objects; with `patches`, their Patch kinds too. */
export function isPodBearing(type: string, patches = false): boolean {
    const t = parseK8sType(type);
    if (!t) return false;
    return POD_BEARING_KINDS.includes(t.kind) || (patches && isPatchKind(t.kind) && POD_BEARING_KINDS.includes(baseKind(t.kind)));
}

/**
 * The namespace an object lands in: its own metadata.namespace, else the provider's default namespace,
 * else "default". Undefined when it is unknown during preview.
 */
export function effectiveNamespace(obj: unknown, providerProps?: unknown): string | undefined {
    const ns = get(obj, "metadata", "namespace");
    if (isUnknown(ns)) return undefined;
    const own = str(ns);
    if (own) return own;
    const fromProvider = get(providerProps, "namespace");
    if (isUnknown(fromProvider)) return undefined;
    return str(fromProvider) || "default";
}

export type ContainerKind = "container" | "initContainer" | "ephemeralContainer";

export interface ContainerView {
    kind: ContainerKind;
    name: string;
    index: number;
    spec: PlainObject;
    /** Human label used in messages, e.g. `initContainer "migrate"`. */
    label: string;
}

export interface PodView {
    /** Kind of the owning object (Deployment, CronJob, ...). */
    ownerKind: string;
    /** Path of the pod spec inside the object, for messages. */
    specPath: string;
    /** The pod template (metadata + spec); the object itself for a bare Pod. */
    template: PlainObject;
    spec: PlainObject;
    templateLabels?: Record<string, string>;
    templateLabelsUnknown: boolean;
    containers: ContainerView[];
    /** True when a container list is unknown during preview, so "every container" checks are incomplete. */
    containersUnknown: boolean;
    /** True for Patch kinds: an absent field means "left as it is", so only fields that are set can be judged. */
    partial: boolean;
}

export type PodExtraction = { status: "not-pod" } | { status: "unknown"; reason: string } | { status: "pod"; pod: PodView };

const TEMPLATE_PATH: Record<string, string[]> = {
    Pod: [],
    Deployment: ["spec", "template"],
    StatefulSet: ["spec", "template"],
    DaemonSet: ["spec", "template"],
    ReplicaSet: ["spec", "template"],
    ReplicationController: ["spec", "template"],
    Job: ["spec", "template"],
    CronJob: ["spec", "jobTemplate", "spec", "template"],
};

/** Finds the pod template and its containers for every pod-bearing kind. */
export function extractPod(type: string, props: PlainObject): PodExtraction {
    const t = parseK8sType(type);
    const kind = t ? baseKind(t.kind) : "";
    if (!t || !(kind in TEMPLATE_PATH)) return { status: "not-pod" };
    const partial = isPatchKind(t.kind);
    const path = TEMPLATE_PATH[kind];
    const templateRaw = path.length ? get(props, ...path) : props;
    const template = rec(templateRaw);
    if (!template)
        return partial && !isUnknown(templateRaw)
            ? { status: "not-pod" }
            : { status: "unknown", reason: isUnknown(templateRaw) ? "pod template unknown during preview" : "no pod template" };
    const specRaw = get(template, "spec");
    const spec = rec(specRaw) ?? (partial && !isUnknown(specRaw) ? {} : undefined);
    if (!spec) return { status: "unknown", reason: isUnknown(specRaw) ? "pod spec unknown during preview" : "no pod spec" };
    const containers: ContainerView[] = [];
    let containersUnknown = false;
    const lists: [string, ContainerKind][] = [
        ["initContainers", "initContainer"],
        ["containers", "container"],
        ["ephemeralContainers", "ephemeralContainer"],
    ];
    for (const [field, kind] of lists) {
        const list = spec[field];
        if (isUnknown(list)) containersUnknown = true;
        arr(list).forEach((c, index) => {
            const cs = rec(c);
            if (!cs) {
                containersUnknown = true;
                return;
            }
            const name = str(cs["name"]) ?? `#${index}`;
            containers.push({ kind, name, index, spec: cs, label: `${kind} "${name}"` });
        });
    }
    const tl = get(template, "metadata", "labels");
    return {
        status: "pod",
        pod: {
            ownerKind: kind,
            specPath: [...path, "spec"].join("."),
            template,
            spec,
            templateLabels: stringMap(tl),
            templateLabelsUnknown: isUnknown(get(template, "metadata")) || isUnknown(tl) || Object.values(rec(tl) ?? {}).some(isUnknown),
            containers,
            containersUnknown,
            partial,
        },
    };
}

/**
 * Containers that take resource requests and limits (every kind but ephemeral containers, which the API forbids them
 * on), each with its `resources`; a container whose resources are unknown during preview is left out.
 */
export function resourcedContainers(pod: PodView): [ContainerView, unknown][] {
    const out: [ContainerView, unknown][] = [];
    for (const c of pod.containers) {
        const res = c.spec["resources"];
        if (c.kind !== "ephemeralContainer" && !isUnknown(res)) out.push([c, res]);
    }
    return out;
}

/** Pod template labels of a workload (for selector matching in stack policies). */
export function podTemplateLabels(type: string, props: PlainObject): Record<string, string> | undefined {
    const e = extractPod(type, props);
    return e.status === "pod" ? e.pod.templateLabels : undefined;
}

/** Result of matching a label selector: true/false, or undefined when the selector is unknown or malformed. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean | undefined {
    if (isUnknown(selector)) return undefined;
    const sel = rec(selector);
    if (!sel) return undefined;
    const ml = sel["matchLabels"];
    if (isUnknown(ml)) return undefined;
    for (const [k, v] of Object.entries(rec(ml) ?? {})) {
        if (isUnknown(v)) return undefined;
        if (labels[k] !== v) return false;
    }
    const me = sel["matchExpressions"];
    if (isUnknown(me)) return undefined;
    for (const exprRaw of arr(me)) {
        const expr = rec(exprRaw);
        const key = str(get(expr, "key"));
        const op = str(get(expr, "operator"));
        if (!expr || !key || !op) return undefined;
        const values = arr(expr["values"])
            .map(str)
            .filter((x): x is string => x !== undefined);
        const has = Object.prototype.hasOwnProperty.call(labels, key);
        switch (op) {
            case "In":
                if (!has || !values.includes(labels[key])) return false;
                break;
            case "NotIn":
                if (has && values.includes(labels[key])) return false;
                break;
            case "Exists":
                if (!has) return false;
                break;
            case "DoesNotExist":
                if (has) return false;
                break;
            default:
                return undefined;
        }
    }
    return true;
}

/** True when a selector selects every pod (empty or absent matchLabels and matchExpressions). */
export function isEmptySelector(selector: unknown): boolean {
    if (isUnknown(selector)) return false;
    if (selector === undefined || selector === null) return true;
    const sel = rec(selector);
    if (!sel) return false;
    const ml = rec(sel["matchLabels"]);
    const me = sel["matchExpressions"];
    return (!ml || Object.keys(ml).length === 0) && !isUnknown(sel["matchLabels"]) && !isUnknown(me) && arr(me).length === 0;
}

/** Parses a CPU/memory quantity (number or Kubernetes quantity string) into base units; undefined when unparsable. */
export function parseQuantity(q: unknown): number | undefined {
    const n = num(q);
    if (n !== undefined) return n;
    const s = str(q);
    return s === undefined ? undefined : parseQuantityString(s.trim());
}

/** Parses an IntOrString that may be a percentage: {percent} or {count}; undefined when unknown. */
export function parseIntOrPercent(v: unknown): { count: number } | { percent: number } | undefined {
    const n = num(v);
    if (n !== undefined) return { count: n };
    const s = str(v);
    if (!s) return undefined;
    const m = /^(\d+)%$/.exec(s.trim());
    if (m) return { percent: parseInt(m[1], 10) };
    if (/^\d+$/.test(s.trim())) return { count: parseInt(s.trim(), 10) };
    return undefined;
}

/** True when the object looks like live state read back from the cluster (stack policies see outputs). */
export function isLiveObject(obj: unknown): boolean {
    return str(get(obj, "metadata", "uid")) !== undefined || str(get(obj, "metadata", "creationTimestamp")) !== undefined;
}
