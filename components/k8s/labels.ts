// The program's labels and annotations, built on the standard key list of the vocabulary it shares with the policy
// pack (policy/vocab/labels.ts), so the program and the pack cannot disagree and the pack publishes on its own.
import {
    ANNOTATIONS,
    LABELS,
    MANAGED_BY,
    RECOMMENDED_ANNOTATIONS,
    REQUIRED_LABELS,
    isValidLabelValue,
    missingLabels,
    splitImageReference,
} from "../../policy/vocab";

export { ANNOTATIONS, LABELS, MANAGED_BY, RECOMMENDED_ANNOTATIONS, REQUIRED_LABELS, isValidLabelValue, missingLabels };

/** Stack-wide facts that every resource's labels and annotations are derived from. */
export interface LabelContext {
    /** app.kubernetes.io/part-of, e.g. "platform". */
    partOf: string;
    /** environment label, e.g. "dev". */
    environment: string;
    /** Owning team. */
    team: string;
    /** Cost center for chargeback. */
    costCenter: string;
}

/** What one workload (or one piece of infrastructure) adds to the stack-wide context. */
export interface WorkloadIdentity {
    /** app.kubernetes.io/name, e.g. "api". */
    name: string;
    /** app.kubernetes.io/component, e.g. "backend", "database". */
    component: string;
    /** app.kubernetes.io/version; derived from the image tag when omitted. */
    version?: string;
}

/** Ownership metadata rendered as annotations. */
export interface OwnershipMetadata {
    owner?: string;
    contact?: string;
    documentation?: string;
    incidentChannel?: string;
}

/** Makes any string a valid label value: allowed characters only, at most 63, alphanumeric at both ends. */
export function toLabelValue(raw: string): string {
    let v = raw.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 63);
    v = v.replace(/^[^A-Za-z0-9]+/, "").replace(/[^A-Za-z0-9]+$/, "");
    return v;
}

/** The version label for an image reference: the first 12 hex digits of its digest, else its tag. */
export function versionFromImage(image: string): string {
    const { tag, digest } = splitImageReference(image);
    if (digest !== undefined) {
        const hex = digest.slice(digest.indexOf(":") + 1); // after the algorithm's name
        return toLabelValue(hex.slice(0, 12)) || "unknown";
    }
    return tag !== undefined ? toLabelValue(tag) || "unknown" : "unknown";
}

/** app.kubernetes.io/instance: unique per workload and environment. */
export function instanceName(name: string, environment: string): string {
    return toLabelValue(`${name}-${environment}`);
}

/** Selector labels: the immutable subset used in Deployment selectors, Services and NetworkPolicies. */
export function selectorLabels(ctx: LabelContext, name: string): Record<string, string> {
    return {
        [LABELS.name]: toLabelValue(name),
        [LABELS.instance]: instanceName(name, ctx.environment),
    };
}

/** The full set of standard labels for a workload or resource. */
export function standardLabels(ctx: LabelContext, id: WorkloadIdentity): Record<string, string> {
    return {
        ...selectorLabels(ctx, id.name),
        [LABELS.version]: toLabelValue(id.version ?? "unversioned") || "unversioned",
        [LABELS.component]: toLabelValue(id.component),
        [LABELS.partOf]: toLabelValue(ctx.partOf),
        [LABELS.managedBy]: MANAGED_BY,
        [LABELS.environment]: toLabelValue(ctx.environment),
        [LABELS.team]: toLabelValue(ctx.team),
        [LABELS.costCenter]: toLabelValue(ctx.costCenter),
    };
}

/** Standard annotations: description plus whatever ownership metadata is known. */
export function standardAnnotations(meta: OwnershipMetadata, description?: string): Record<string, string> {
    const out: Record<string, string> = {};
    if (description) out[ANNOTATIONS.description] = description;
    if (meta.owner) out[ANNOTATIONS.owner] = meta.owner;
    if (meta.contact) out[ANNOTATIONS.contact] = meta.contact;
    if (meta.documentation) out[ANNOTATIONS.documentation] = meta.documentation;
    if (meta.incidentChannel) out[ANNOTATIONS.incidentChannel] = meta.incidentChannel;
    return out;
}

/**
 * On objects the program updates in place (ConfigMaps, Secrets): the provider's apply takes back fields an out-of-band
 * edit claimed, so `up` restores drift instead of failing on a server-side apply conflict.
 */
export const FORCE_APPLY_ANNOTATIONS: Readonly<Record<string, string>> = { "pulumi.com/patchForce": "true" };

/** Returns a copy of `labels` without the given keys (charts that set some standard labels themselves). */
export function withoutKeys(labels: Record<string, string>, keys: readonly string[]): Record<string, string> {
    return Object.fromEntries(Object.entries(labels).filter(([k]) => !keys.includes(k)));
}
