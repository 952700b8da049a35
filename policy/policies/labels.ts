// Labels and annotations: the required list and the label grammar are the shared vocabulary's (vocab/labels.ts), which
// the program imports too, so the pack and the components cannot drift apart; stacks override the list with requiredLabels.
import { LABELS, LabelKeyFault, MANAGED_BY, RECOMMENDED_ANNOTATIONS, REQUIRED_LABELS, isValidLabelValue, labelKeyFault, missingLabels } from "../vocab";
import { extractPod, isClusterScoped, isPatchOrList, parseK8sType } from "../lib/k8s";
import { DEFAULT_EXEMPT_NAMESPACES, ExemptConfig, PlatformResourcePolicy, podPolicy, resourcePolicy } from "../lib/policy";
import { PlainObject, cloneForRemediation, editableChild, get, isUnknown, rec, str, stringMap } from "../lib/values";

interface LabelConfig extends ExemptConfig {
    requiredLabels: string[];
    /** Values the remediation may fill in for missing labels (e.g. environment per stack). */
    labelDefaults: Record<string, string>;
}

const labelDefaults: LabelConfig = {
    exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES],
    requiredLabels: [...REQUIRED_LABELS],
    labelDefaults: {},
};

const labelSchema = {
    requiredLabels: {
        type: "array" as const,
        items: { type: "string" as const },
        default: [...REQUIRED_LABELS],
        description: "Label keys every resource must carry (defaults to the pack's standard list, policy/vocab/labels.ts).",
    },
    labelDefaults: {
        type: "object" as const,
        additionalProperties: { type: "string" as const },
        default: {},
        description: 'Values the remediation may add for missing labels, e.g. { "environment": "dev" }.',
    },
};

/** Kinds that carry our labels: everything namespaced, plus Namespaces; not partial Patch/List objects. */
function labelledKind(kind: string, type: string): boolean {
    return !!parseK8sType(type) && !isPatchOrList(kind) && (kind === "Namespace" || !isClusterScoped(kind));
}

/** Keys missing from a label map; keys whose value is unknown during preview count as present. */
function missing(labels: unknown, required: readonly string[]): string[] {
    return missingLabels(rec(labels), required, isUnknown);
}

/** Adds derivable values for missing keys into `target`; never overwrites a present value. */
function fillLabels(target: PlainObject, required: readonly string[], sources: (Record<string, string> | undefined)[]): boolean {
    let changed = false;
    for (const k of required) {
        if (typeof target[k] === "string" && target[k] !== "") continue;
        if (target[k] !== undefined && isUnknown(target[k])) continue;
        const value = k === LABELS.managedBy ? MANAGED_BY : sources.map((s) => s?.[k]).find((v) => typeof v === "string" && v !== "" && !isUnknown(v));
        if (value === undefined) continue;
        target[k] = value;
        changed = true;
    }
    return changed;
}

export const requiredLabels = resourcePolicy<LabelConfig>({
    name: "required-labels",
    description: "Every namespaced resource and Namespace carries the platform's standard labels (app.kubernetes.io/*, environment, team, cost-center).",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["labels"],
    remediationSteps:
        "Set every key of requiredLabels in metadata.labels (the platform program does it with standardLabels()). For chart-rendered resources add the labels with a transform or the chart's commonLabels value. At `remediate` level the pack adds managed-by, values from labelDefaults, and labels copied from the pod template; it never changes a present value.",
    defaults: labelDefaults,
    schema: labelSchema,
    appliesTo: labelledKind,
    validate: ({ props, config }, report) => {
        const labels = get(props, "metadata", "labels");
        if (isUnknown(labels) || isUnknown(get(props, "metadata"))) return;
        const miss = missing(labels, config.requiredLabels);
        if (miss.length) report(`missing required labels: ${miss.join(", ")}; add them to metadata.labels`);
    },
    remediate: (raw, ctx) => {
        const copy = cloneForRemediation(raw);
        const md = editableChild(copy, "metadata");
        const labels = md && editableChild(md, "labels");
        if (!labels) return undefined;
        const e = extractPod(ctx.type, ctx.props);
        const fromTemplate = e.status === "pod" && ctx.kind !== "Pod" ? e.pod.templateLabels : undefined;
        return fillLabels(labels, ctx.config.requiredLabels, [ctx.config.labelDefaults, fromTemplate]) ? copy : undefined;
    },
});

export const podTemplateLabels = podPolicy<LabelConfig>({
    name: "pod-template-labels",
    description: "Pod templates of workloads carry the standard labels too, so pods are attributable (team, cost-center) and selectable.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["labels"],
    kinds: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"],
    remediationSteps:
        "Put standardLabels() on spec.template.metadata.labels (spec.jobTemplate.spec.template for CronJobs). At `remediate` level the pack copies missing ones from the workload's own labels and labelDefaults; adding template labels never breaks the selector.",
    defaults: labelDefaults,
    schema: labelSchema,
    validate: ({ pod, config }, report) => {
        if (pod.templateLabelsUnknown) return;
        const miss = missing(get(pod.template, "metadata", "labels"), config.requiredLabels);
        if (miss.length)
            report(
                `pod template (${pod.specPath.replace(/\.spec$/, "")}) is missing required labels: ${miss.join(", ")}; add them to the template's metadata.labels`,
            );
    },
    remediate: (raw, ctx) => {
        const copy = cloneForRemediation(raw);
        const e = extractPod(ctx.type, copy);
        if (e.status !== "pod" || Object.getPrototypeOf(e.pod.template) !== Object.prototype) return undefined;
        const md = editableChild(e.pod.template, "metadata");
        const labels = md && editableChild(md, "labels");
        if (!labels) return undefined;
        const own = stringMap(get(ctx.props, "metadata", "labels"));
        return fillLabels(labels, ctx.config.requiredLabels, [own, ctx.config.labelDefaults]) ? copy : undefined;
    },
});

/** Key faults that sit before the last '/' (what this message has always called the prefix). */
const PREFIX_FAULTS: readonly LabelKeyFault[] = ["slashes", "empty-prefix", "long-prefix", "prefix"];

function invalidLabel(key: string, value: string): string | undefined {
    const fault = labelKeyFault(key);
    if (fault !== undefined) return PREFIX_FAULTS.includes(fault) ? `label key ${key} has an invalid prefix` : `label key ${key} is invalid`;
    if (!isValidLabelValue(value)) return `label ${key}="${value}" has an invalid value (at most 63 characters, alphanumeric at both ends, only - _ . inside)`;
    return undefined;
}

export const labelValuesValid = resourcePolicy({
    name: "label-values-valid",
    description: "Label keys and values are syntactically valid, so the API server does not reject the resource halfway through an update.",
    severity: "low",
    enforcementLevel: "mandatory",
    tags: ["labels"],
    remediationSteps:
        "Make label values valid: 63 characters at most, alphanumeric at both ends, only - _ . inside (the platform program's toLabelValue() does this).",
    defaults: { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES] },
    appliesTo: (kind, type) => !!parseK8sType(type) && !/List$/.test(kind),
    validate: ({ props, type }, report) => {
        const maps: [string, Record<string, string> | undefined][] = [["metadata", stringMap(get(props, "metadata", "labels"))]];
        const e = extractPod(type, props);
        if (e.status === "pod" && e.pod.template !== props) maps.push(["pod template", e.pod.templateLabels]);
        for (const [where, labels] of maps) {
            for (const [k, v] of Object.entries(labels ?? {})) {
                const why = invalidLabel(k, v);
                if (why) report(`${where}: ${why}; make it a valid label key/value`);
            }
        }
    },
});

interface AnnotationConfig extends ExemptConfig {
    annotations: string[];
}

const ANNOTATED_KINDS = ["Namespace", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];

export const recommendedAnnotations = resourcePolicy<AnnotationConfig>({
    name: "recommended-annotations",
    description: "Namespaces and workloads carry ownership annotations (description, owner, contact, documentation, incident-channel).",
    severity: "low",
    enforcementLevel: "advisory",
    tags: ["labels"],
    remediationSteps:
        "Add the annotations listed in this policy's config to metadata.annotations (the platform program's standardAnnotations() fills owner/contact/documentation/incident-channel from the service's config).",
    defaults: { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES], annotations: [...RECOMMENDED_ANNOTATIONS] },
    schema: { annotations: { type: "array", items: { type: "string" }, default: [...RECOMMENDED_ANNOTATIONS], description: "Annotation keys to recommend." } },
    appliesTo: (kind) => ANNOTATED_KINDS.includes(kind),
    validate: ({ props, config }, report) => {
        const ann = get(props, "metadata", "annotations");
        if (isUnknown(ann)) return;
        const m = rec(ann) ?? {};
        const miss = config.annotations.filter((k) => !isUnknown(m[k]) && !str(m[k]));
        if (miss.length) report(`missing recommended annotations: ${miss.join(", ")}; add them to metadata.annotations`);
    },
});

export const labelPolicies: PlatformResourcePolicy[] = [requiredLabels, podTemplateLabels, labelValuesValid, recommendedAnnotations];
