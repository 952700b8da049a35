// An operator chart in a namespace of its own (CloudNativePG, Strimzi): the one install block both stores share.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartCoordinates } from "../config/chartPins";
import { type PlatformContext, standardAnnotations, standardLabels } from "../k8s";
import { chartPostRenderer, PostRenderPolicy } from "./chartPostRender";
import { chartLocation, chartVersionLabel } from "./charts";

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
    /** What the chart's post-renderer does to every object it renders (labels, retention); see chartPostRender.ts. */
    postRender: PostRenderPolicy;
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
export function installOperator(
    name: string,
    args: OperatorInstallArgs,
    parent: pulumi.Resource,
): { namespace: k8s.core.v1.Namespace; chart: k8s.helm.v4.Chart } {
    const namespace = new k8s.core.v1.Namespace(
        `${name}-operator-ns`,
        {
            metadata: { name: args.namespace, labels: operatorNamespaceLabels(args.labels), annotations: args.annotations },
        },
        { parent },
    );
    const chart = new k8s.helm.v4.Chart(
        `${name}-operator`,
        {
            ...chartLocation(args.chart),
            name: args.releaseName,
            namespace: namespace.metadata.name,
            values: args.values,
            // Once per chart in the provider, not a transform per object in the program (docs/benchmarks.md).
            postRenderer: chartPostRenderer(args.postRender),
        },
        { parent },
    );
    return { namespace, chart };
}

/** Standard labels of a data store's operator (its pods, its namespace, what its chart renders). */
export function operatorLabels(ctx: PlatformContext, name: string, chart: ChartCoordinates): Record<string, string> {
    return standardLabels(ctx.labels, { name, component: "operator", version: chartVersionLabel(chart) });
}

/** A data store's operator as its component declares it; labels, annotations and the chart's post-renderer follow. */
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
    /** Kinds of rendered objects `pulumi destroy` must leave (e.g. the CRDs every stack's CRs hang on). Defaults to none. */
    retainKinds?: string[];
}

/** Installs a data store's operator under `parent`: `<name>-operator-ns` and `<name>-operator`, children labelled. */
export function installStoreOperator(
    name: string,
    ctx: PlatformContext,
    args: StoreOperatorArgs,
    parent: pulumi.Resource,
): { namespace: k8s.core.v1.Namespace; chart: k8s.helm.v4.Chart } {
    const labels = operatorLabels(ctx, args.name, args.chart);
    return installOperator(
        name,
        {
            namespace: args.namespace,
            labels,
            annotations: standardAnnotations(ctx.ownership, args.description),
            chart: args.chart,
            releaseName: args.releaseName,
            values: args.values(labels),
            postRender: { labels, ...(args.retainKinds ? { retainKinds: args.retainKinds } : {}) },
        },
        parent,
    );
}
