// What the platform imposes on every object a chart renders, through a `transforms` entry on the helm.v4.Chart:
// the standard labels (charts reach only some objects through values), retention on `pulumi destroy`, CRD schemas in
// their stored form (crdSchema.ts), and no redundant wait on ClusterIP Services.
import * as pulumi from "@pulumi/pulumi";
import { FORCE_APPLY_ANNOTATIONS, LABELS } from "../k8s";
import { normalizeCrd } from "./crdSchema";

/** A rendered Kubernetes object as a transform sees it (plain values; unknown fields pass through untouched). */
export interface RenderedObject {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
    spec?: Record<string, unknown>;
    [k: string]: unknown;
}

/**
 * Labels a chart's selectors are built from: the chart keeps its value where it set one (overriding them would
 * detach Services, PodMonitors and Deployment selectors from their pods); ours fill them in where it did not.
 */
export const CHART_IDENTITY_LABELS: readonly string[] = [LABELS.name, LABELS.instance, LABELS.component];

/** Whether the chart's own value of label `key` stays over ours: only its identity labels, where it set them. */
export function chartLabelStays(key: string, chartValue: unknown): boolean {
    return !!chartValue && CHART_IDENTITY_LABELS.includes(key);
}

/** Chart labels merged with ours: ours win (managed-by, part-of, version…), except the chart's identity labels. */
export function mergeChartLabels(chart: Record<string, string> | undefined, ours: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = { ...(chart ?? {}) };
    for (const [k, v] of Object.entries(ours)) if (!chartLabelStays(k, chart?.[k])) out[k] = v;
    return out;
}

type Obj = Record<string, unknown>;

/** Copy of a pod template with the labels merged into its metadata. */
function labelTemplate(tpl: unknown, labels: Record<string, string>): unknown {
    if (!tpl || typeof tpl !== "object") return tpl;
    const t = tpl as { metadata?: { labels?: Record<string, string> } };
    return { ...t, metadata: { ...(t.metadata ?? {}), labels: mergeChartLabels(t.metadata?.labels, labels) } };
}

/**
 * Returns a copy of `obj` with the standard labels on its metadata and on the pod template it holds
 * (spec.template of Deployments, StatefulSets, DaemonSets and Jobs; spec.jobTemplate.spec.template of CronJobs).
 * Only the touched path is copied, so secret and unknown values elsewhere pass through as they came.
 */
export function labelRenderedObject(obj: RenderedObject, labels: Record<string, string>): RenderedObject {
    const out: RenderedObject = { ...obj, metadata: { ...(obj.metadata ?? {}), labels: mergeChartLabels(obj.metadata?.labels, labels) } };
    const spec = obj.spec as Obj | undefined;
    if (!spec || typeof spec !== "object") return out;
    if (POD_TEMPLATE_KINDS.includes(obj.kind ?? "") && spec.template) out.spec = { ...spec, template: labelTemplate(spec.template, labels) };
    const jobTemplate = spec.jobTemplate as { spec?: Obj } | undefined;
    if (obj.kind === "CronJob" && jobTemplate?.spec?.template) {
        out.spec = { ...spec, jobTemplate: { ...jobTemplate, spec: { ...jobTemplate.spec, template: labelTemplate(jobTemplate.spec.template, labels) } } };
    }
    return out;
}

/** The provider's annotation that skips its readiness wait for one object. */
export const SKIP_AWAIT = "pulumi.com/skipAwait";

/**
 * A chart's ClusterIP Services skip the provider's wait: it waits for endpoints (pods the chart's own workloads
 * already wait to be ready) and then 10 s more, and whatever depends on the chart depends on those workloads too.
 * A LoadBalancer's wait (for its address) is kept; a value the chart set itself is left alone.
 */
export function skipClusterIpServiceAwait(obj: RenderedObject): RenderedObject {
    if (!isClusterIpService(obj.kind, (obj.spec as { type?: unknown } | undefined)?.type) || obj.metadata?.annotations?.[SKIP_AWAIT] !== undefined) return obj;
    return { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata?.annotations ?? {}), [SKIP_AWAIT]: "true" } } };
}

/** A Service of type ClusterIP (the type when none is given): the chart objects whose wait is skipped. */
export function isClusterIpService(kind: unknown, type: unknown): boolean {
    return kind === "Service" && (type ?? "ClusterIP") === "ClusterIP";
}

/** Kinds whose spec.template is a pod template. */
export const POD_TEMPLATE_KINDS: readonly string[] = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"];

/** What the transform of one chart does to its children. */
export interface ChartChildPolicy {
    /** Standard labels of the chart's objects. */
    labels: Record<string, string>;
    /** Kind-specific edits no chart value reaches (e.g. the CNPG Cluster's inheritedMetadata). */
    edit?: (obj: RenderedObject) => RenderedObject;
    /** Objects `pulumi destroy` must leave in place (retainOnDelete). */
    retain?: (obj: RenderedObject) => boolean;
}

/** True for a Kubernetes object rendered by a chart (not the Chart component itself). */
function isRenderedObject(args: pulumi.ResourceTransformArgs): boolean {
    return args.custom && args.type.startsWith("kubernetes:") && typeof (args.props as RenderedObject).kind === "string";
}

/**
 * A transform for `helm.v4.Chart`: labels (and edits, and retains) every object the chart renders; CRDs as stored;
 * ClusterIP Services without the provider's wait.
 */
export function chartChildrenTransform(policy: ChartChildPolicy): pulumi.ResourceTransform {
    return (args) => {
        if (!isRenderedObject(args)) return undefined;
        let obj = skipClusterIpServiceAwait(normalizeCrd(labelRenderedObject(args.props as RenderedObject, policy.labels)));
        if (policy.edit) obj = policy.edit(obj);
        const retain = policy.retain?.(obj) ?? false;
        // What destroy leaves is taken back by the next up (a new field manager), not refused as an apply conflict.
        if (retain) obj = { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata?.annotations, ...FORCE_APPLY_ANNOTATIONS } } };
        return { props: obj as pulumi.Inputs, opts: retain ? { ...args.opts, retainOnDelete: true } : args.opts };
    };
}
