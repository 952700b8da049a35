// The platform's standard label and annotation keys. The pack owns this list (it must publish without the program);
// the program's components/k8s/labels.ts imports it from here, and stacks can override it with requiredLabels.

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
export const LABEL_KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** The prefix of a label key: a lowercase RFC 1123 DNS subdomain, at most 253 characters. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True when the string is a valid Kubernetes label value (at most 63 characters, alphanumeric at both ends). */
export function isValidLabelValue(v: string): boolean {
    return v.length <= 63 && LABEL_VALUE.test(v);
}
