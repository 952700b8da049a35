// Values of the CloudNativePG operator chart: restricted security contexts, standard labels on its pods, webhooks.
import type { ResolvedResources } from "./config";
import { MonitoringSettings } from "./context";
import { LABELS, withoutKeys } from "./labels";
import { kubeResources } from "./resources";
import { containerSecurityContext, podSecurityContext } from "./securityContext";

const OPERATOR_RESOURCES: ResolvedResources = {
    requests: { cpu: "100m", memory: "128Mi", ephemeralStorage: "64Mi" },
    limits: { cpu: "500m", memory: "512Mi", ephemeralStorage: "256Mi" },
};

/** Values for the `cloudnative-pg` operator chart: restricted security contexts, standard labels on its pods. */
export function cnpgOperatorValues(input: { labels: Record<string, string>; monitoring?: MonitoringSettings; webhookFailurePolicy?: "Fail" | "Ignore" }): Record<string, unknown> {
    const failurePolicy = input.webhookFailurePolicy ?? "Fail";
    return {
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
