// Values of the Strimzi operator chart: watch the platform namespace only, restricted security for it and its operands.
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedResources } from "../config";
import { containerSecurityContext, kubeResources, podSecurityContext } from "../k8s";

/** `app.kubernetes.io/name` of the Strimzi cluster operator. */
export const STRIMZI_OPERATOR_NAME = "strimzi-operator";

const OPERATOR_RESOURCES: ResolvedResources = {
    requests: { cpu: "200m", memory: "384Mi", ephemeralStorage: "64Mi" },
    limits: { cpu: "1", memory: "384Mi", ephemeralStorage: "256Mi" },
};

/**
 * Values for the Strimzi operator chart: watch the platform namespace (one stack), or the namespaces a cluster layer
 * lists ("*": every namespace, through cluster-wide RBAC), restricted security for it and its operands.
 */
export function strimziOperatorValues(
    input:
        { labels: Record<string, string>; watchNamespace: pulumi.Input<string> } | { labels: Record<string, string>; watchNamespaces: readonly string[] | "*" },
): Record<string, unknown> {
    const watch = "watchNamespace" in input ? [input.watchNamespace] : input.watchNamespaces;
    return {
        watchNamespaces: watch === "*" ? [] : [...watch],
        watchAnyNamespace: watch === "*",
        deploymentLabels: { ...input.labels },
        labels: { ...input.labels },
        podSecurityContext: podSecurityContext(),
        securityContext: containerSecurityContext(),
        resources: kubeResources(OPERATOR_RESOURCES),
        // Operands (brokers, controllers, entity operator) get restricted-PSS security contexts from the operator.
        extraEnvs: [{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }],
    };
}
