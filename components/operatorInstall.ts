// An operator chart in a namespace of its own (CloudNativePG, Strimzi): the one install block both stores share.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartChildPolicy, chartChildrenTransform } from "./chartChildren";
import { ChartCoordinates, chartLocation, chartVersionLabel } from "./charts";
import type { PlatformContext } from "./context";
import { standardAnnotations, standardLabels } from "./labels";

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

/** Standard labels of a data store's operator (its pods, its namespace, what its chart renders). */
export function operatorLabels(ctx: PlatformContext, name: string, chart: ChartCoordinates): Record<string, string> {
    return standardLabels(ctx.labels, { name, component: "operator", version: chartVersionLabel(chart) });
}

/** A data store's operator as its component declares it; labels, annotations and the chart transform follow. */
export interface StoreOperatorArgs {
    /** The operator's `app.kubernetes.io/name` ("cnpg-operator", "strimzi-operator"). */
    name: string;
    /** Ownership annotation `description` of its namespace. */
    description: string;
    /** Namespace created for the operator. */
    namespace: string;
    /** Chart coordinates. */
    chart: ChartCoordinates;
    /** Helm release name. */
    releaseName: string;
    /** Chart values, given the operator's standard labels. */
    values: (labels: Record<string, string>) => Record<string, unknown>;
    /** Rendered objects `pulumi destroy` must leave (e.g. CRDs that every stack's CRs hang on). */
    retain?: ChartChildPolicy["retain"];
}

/** Installs a data store's operator under `parent`: `<name>-operator-ns` and `<name>-operator`, children labelled. */
export function installStoreOperator(name: string, ctx: PlatformContext, args: StoreOperatorArgs, parent: pulumi.Resource): { namespace: k8s.core.v1.Namespace; chart: k8s.helm.v4.Chart } {
    const labels = operatorLabels(ctx, args.name, args.chart);
    return installOperator(name, {
        namespace: args.namespace, labels, annotations: standardAnnotations(ctx.ownership, args.description),
        chart: args.chart, releaseName: args.releaseName, values: args.values(labels),
        transforms: [chartChildrenTransform({ labels, retain: args.retain })],
    }, parent);
}
