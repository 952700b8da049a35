// Any further Helm chart a stack lists in `platform:charts`: rendered by helm.v4.Chart with the platform's labels on
// every object (transform), credentials by Secret name only, and a NetworkPolicy that admits exactly the services
// that list it in `uses` (plus its own pods, for clustering) on its declared ports.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExtraChartConfig } from "../config";
import { ClientConnection, podPeers, SecretRef, standardAnnotations, standardLabels, tcpPorts } from "../k8s";
import { StoreComponent, StoreComponentArgs } from "../stores";
import { chartChildrenTransform } from "./chartChildren";
import { chartLocation, chartVersionLabel } from "./charts";

/** Name of an extra chart's credentials Secret (created by AppSecrets like a service's). */
export function chartSecretName(chart: string): string {
    return `${chart}-credentials`;
}

/** The label selector of the chart's server pods: `podSelector`, else its release's instance label. */
export function chartPodSelector(c: Pick<ExtraChartConfig, "name" | "podSelector">): Record<string, string> {
    return c.podSelector ?? { "app.kubernetes.io/instance": c.name };
}

/** Returns a copy of `values` with `value` at the dotted `path` (intermediate objects created or copied). */
export function setValuesPath(values: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
    const [head, ...rest] = path.split(".");
    if (rest.length === 0) return { ...values, [head]: value };
    const inner = values[head];
    const next = inner !== null && typeof inner === "object" && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
    return { ...values, [head]: setValuesPath(next, rest.join("."), value) };
}

/** The chart's values with the credentials Secret's name at every `secretRefs` path. */
export function chartValues(c: Pick<ExtraChartConfig, "values" | "secretRefs">, secretName: pulumi.Input<string>): Record<string, unknown> {
    return c.secretRefs.reduce((v, r) => setValuesPath(v, r.path, secretName), c.values);
}

/** The transforms of an extra chart: the platform's labels on every object it renders and on their pod templates. */
export function extraChartTransforms(labels: Record<string, string>): pulumi.ResourceTransform[] {
    return [chartChildrenTransform({ labels })];
}

/** NetworkPolicy of the chart's pods: clients and its own pods on its ports; egress only among its own pods. */
export function chartNetworkPolicySpec(
    podLabels: Record<string, string>,
    ports: readonly number[],
    clientSelectors: readonly Record<string, string>[],
): k8s.types.input.networking.v1.NetworkPolicySpec {
    const self = { podSelector: { matchLabels: { ...podLabels } } };
    const clients = podPeers(clientSelectors);
    const p = tcpPorts(ports);
    return {
        podSelector: { matchLabels: { ...podLabels } },
        policyTypes: ["Ingress", "Egress"],
        // An empty `from` would admit everyone: the client rule exists only when there are clients.
        ingress: [...(clients.length > 0 ? [{ from: clients, ports: p }] : []), { from: [self], ports: p }],
        egress: [{ to: [self], ports: p }],
    };
}

/** Arguments of {@link ExtraChart}. */
export interface ExtraChartArgs extends StoreComponentArgs<ExtraChartConfig> {
    /** One `platform:charts` entry (coordinates already resolved through the chart mirror). */
    config: ExtraChartConfig;
    /** Name of its credentials Secret, when it has `secretRefs`. */
    secretName?: pulumi.Input<string>;
    /** Pod labels of the services (and their Jobs) that list it in `uses`. */
    clientSelectors: Record<string, string>[];
}

/** One extra chart, labelled and fenced. */
export class ExtraChart extends StoreComponent<ExtraChartConfig> {
    public readonly chart: k8s.helm.v4.Chart;
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
    /** Labels of its server pods. */
    public readonly podLabels: Record<string, string>;
    private readonly secretName?: pulumi.Input<string>;

    constructor(name: string, args: ExtraChartArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:ExtraChart", name, args, opts);
        const { cfg: c, ctx } = this;
        this.secretName = args.secretName;
        this.podLabels = chartPodSelector(c);
        const labels = standardLabels(ctx.labels, { name: c.name, component: c.component, version: chartVersionLabel(c.chart) });
        if (c.secretRefs.length > 0 && args.secretName === undefined) throw new Error(`platform:charts ${c.name}: secretRefs need the credentials Secret`);
        this.chart = new k8s.helm.v4.Chart(
            `${name}-chart`,
            {
                ...chartLocation(c.chart),
                name: c.name,
                namespace: ctx.namespace,
                values: chartValues(c, args.secretName ?? ""),
            },
            { parent: this, transforms: extraChartTransforms(labels) },
        );
        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
            `${name}-netpol`,
            {
                metadata: {
                    name: `${c.name}-chart`,
                    namespace: ctx.namespace,
                    labels,
                    annotations: standardAnnotations(ctx.ownership, c.description ?? `Network rules of chart ${c.chart.chart}`),
                },
                spec: chartNetworkPolicySpec(this.podLabels, c.ports, args.clientSelectors),
            },
            { parent: this },
        );
        this.registerOutputs({});
    }

    /** What a service that lists the chart in `uses` gets: its clientEnv, its clientSecretEnv by reference, egress to its pods. */
    clientConnection(): ClientConnection {
        const secretEnv: Record<string, SecretRef> = {};
        for (const e of this.cfg.clientSecretEnv) secretEnv[e.name] = { secretName: this.secretName ?? chartSecretName(this.cfg.name), key: e.secret };
        return { env: { ...this.cfg.clientEnv }, secretEnv, peer: { podLabels: { ...this.podLabels }, ports: [...this.cfg.ports] } };
    }
}
