// An operator chart in a namespace of its own (CloudNativePG, Strimzi): the one install block both stores share.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartCoordinates, chartLocation } from "./charts";

/** What an operator install needs. */
export interface OperatorInstallArgs {
    /** Namespace created for the operator. */
    namespace: string;
    /** Standard labels of the operator (the namespace gets them plus PSA `restricted`). */
    labels: Record<string, string>;
    /** Standard annotations of the namespace. */
    annotations: Record<string, string>;
    /** Chart coordinates (repository, OCI or path). */
    chart: ChartCoordinates;
    /** Helm release name. */
    releaseName: string;
    /** Chart values. */
    values: Record<string, unknown>;
    /** Transforms applied to every object the chart renders (labels, retention). */
    transforms?: pulumi.ResourceTransform[];
}

/** Labels and PSA enforcement for a namespace the component creates for an operator. */
export function operatorNamespaceLabels(labels: Record<string, string>): Record<string, string> {
    return {
        ...labels,
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
    };
}

/** Registers `<name>-operator-ns` and `<name>-operator` under `parent`; returns both. */
export function installOperator(name: string, args: OperatorInstallArgs, parent: pulumi.Resource): { namespace: k8s.core.v1.Namespace; chart: k8s.helm.v4.Chart } {
    const namespace = new k8s.core.v1.Namespace(`${name}-operator-ns`, {
        metadata: { name: args.namespace, labels: operatorNamespaceLabels(args.labels), annotations: args.annotations },
    }, { parent });
    const chart = new k8s.helm.v4.Chart(`${name}-operator`, {
        ...chartLocation(args.chart),
        name: args.releaseName,
        namespace: namespace.metadata.name,
        values: args.values,
    }, { parent, ...(args.transforms ? { transforms: args.transforms } : {}) });
    return { namespace, chart };
}
