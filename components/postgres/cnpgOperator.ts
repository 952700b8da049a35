// Values of the CloudNativePG operator chart: restricted security contexts, standard labels on its pods, webhooks.
import { imageName, splitImageReference } from "../../policy/vocab";
import type { ResolvedResources } from "../config";
import { containerSecurityContext, kubeResources, LABELS, MonitoringSettings, podSecurityContext, withoutKeys } from "../k8s";

const OPERATOR_RESOURCES: ResolvedResources = {
    requests: { cpu: "100m", memory: "128Mi", ephemeralStorage: "64Mi" },
    limits: { cpu: "500m", memory: "512Mi", ephemeralStorage: "256Mi" },
};

/** Where pods of the PostgreSQL store run (`platform:postgres.nodeSelector` / `.tolerations`); absent fields: anywhere. */
export interface StorePlacement {
    nodeSelector?: Record<string, string>;
    tolerations?: Record<string, unknown>[];
}

/** The chart's `image` value for an operator image reference `registry/repository:tag` (validated: a tag, no digest). */
export function operatorImageValue(ref: string): { repository: string; tag: string } {
    const r = splitImageReference(ref);
    if (r.tag === undefined || r.digest !== undefined) throw new Error(`operator image ${ref}: want registry/repository:tag`);
    return { repository: imageName(r), tag: r.tag };
}

/** nodeSelector/tolerations values (the operator chart's top level, the Cluster's affinity), only those that are set. */
export function placementValues(p: StorePlacement | undefined): Record<string, unknown> {
    return {
        ...(p?.nodeSelector && Object.keys(p.nodeSelector).length > 0 ? { nodeSelector: { ...p.nodeSelector } } : {}),
        ...(p?.tolerations && p.tolerations.length > 0 ? { tolerations: p.tolerations.map((t) => ({ ...t })) } : {}),
    };
}

/** Values for the `cloudnative-pg` operator chart: restricted security contexts, standard labels on its pods. */
export function cnpgOperatorValues(input: {
    labels: Record<string, string>;
    monitoring?: MonitoringSettings;
    webhookFailurePolicy?: "Fail" | "Ignore";
    image?: string;
    placement?: StorePlacement;
}): Record<string, unknown> {
    const failurePolicy = input.webhookFailurePolicy ?? "Fail";
    return {
        // The chart's own image (its appVersion) unless platform:postgres.operatorImage names another.
        ...(input.image ? { image: operatorImageValue(input.image) } : {}),
        ...placementValues(input.placement),
        webhook: { mutating: { create: true, failurePolicy }, validating: { create: true, failurePolicy } },
        crds: { create: true },
        // The chart sets app.kubernetes.io/name and /instance on the pods itself; the rest come from podLabels.
        podLabels: withoutKeys(input.labels, [LABELS.name, LABELS.instance]),
        podSecurityContext: podSecurityContext(),
        containerSecurityContext: containerSecurityContext({ runAsUser: 10001 }),
        resources: kubeResources(OPERATOR_RESOURCES),
        monitoring: { podMonitorEnabled: input.monitoring !== undefined, grafanaDashboard: { create: false } },
    };
}
