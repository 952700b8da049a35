// The platform's standard label and annotation keys and the Kubernetes label grammar: the pack's required-labels and
// label-values-valid policies and the program's labels and config check all read them here (stacks override the
// required list with requiredLabels).

/** Standard label keys every namespaced resource and pod template carries. */
export const LABELS = {
    name: "app.kubernetes.io/name",
    instance: "app.kubernetes.io/instance",
    version: "app.kubernetes.io/version",
    component: "app.kubernetes.io/component",
    partOf: "app.kubernetes.io/part-of",
    managedBy: "app.kubernetes.io/managed-by",
    environment: "environment",
    team: "team",
    costCenter: "cost-center",
} as const;

/** Standard annotation keys (ownership and operations metadata). */
export const ANNOTATIONS = {
    description: "description",
    owner: "owner",
    contact: "contact",
    documentation: "documentation",
    incidentChannel: "incident-channel",
} as const;

/** Labels the pack requires by default on every namespaced resource and pod template. */
export const REQUIRED_LABELS: readonly string[] = Object.values(LABELS);

/** Annotations the pack recommends by default (advisory). */
export const RECOMMENDED_ANNOTATIONS: readonly string[] = Object.values(ANNOTATIONS);

/** The value of app.kubernetes.io/managed-by for everything a Pulumi program creates. */
export const MANAGED_BY = "pulumi";

/** The name part of a label key (after the optional `prefix/`), as apimachinery's IsQualifiedName checks it; at most 63 characters. */
const LABEL_KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** The prefix of a label key: a lowercase RFC 1123 DNS subdomain, at most 253 characters. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True when the string is a valid Kubernetes label value (at most 63 characters, alphanumeric at both ends). */
export function isValidLabelValue(v: string): boolean {
    return v.length <= 63 && LABEL_VALUE.test(v);
}

/** Which part of a label key breaks apimachinery's IsQualifiedName; each side words it for its own readers. */
export type LabelKeyFault = "slashes" | "empty-prefix" | "long-prefix" | "prefix" | "empty-name" | "long-name" | "name";

/** Why `key` is not a label key (an optional DNS-subdomain prefix of at most 253 and '/', then a name of at most 63), or undefined. */
export function labelKeyFault(key: string): LabelKeyFault | undefined {
    const parts = key.split("/");
    if (parts.length > 2) return "slashes";
    const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    if (prefix !== undefined) {
        if (prefix === "") return "empty-prefix";
        if (prefix.length > 253) return "long-prefix";
        if (!DNS_SUBDOMAIN.test(prefix)) return "prefix";
    }
    if (name === "") return "empty-name";
    if (name.length > 63) return "long-name";
    if (!LABEL_KEY_NAME.test(name)) return "name";
    return undefined;
}

/**
 * Keys of `required` that `labels` lacks: absent, not a string, or empty. `present` lets a caller count other values
 * as there (the pack: values unknown during preview).
 */
export function missingLabels(
    labels: Readonly<Record<string, unknown>> | undefined,
    required: readonly string[] = REQUIRED_LABELS,
    present: (v: unknown) => boolean = () => false,
): string[] {
    return required.filter((k) => {
        const v = labels?.[k];
        return !present(v) && (typeof v !== "string" || v === "");
    });
}
