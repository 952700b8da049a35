// PostgreSQL through CloudNativePG: the operator chart (optional per stack) and the `cluster` chart.
// The credentials Secret is created by AppSecrets and reaches the chart by name only; no password is ever a value.
// Values and specs: cnpgOperator.ts, postgresCluster.ts (+ postgresBackups.ts), postgresNetworkPolicy.ts, postgresClient.ts.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartChildrenTransform, chartLocation, chartVersionLabel, installStoreOperator } from "../charts";
import { ApiServerEndpoint, ClientConnection, FORCE_APPLY_ANNOTATIONS, instanceName, MonitoringSettings, standardAnnotations, standardLabels } from "../k8s";
import { StoreComponent, StoreComponentArgs } from "../stores";
import { cnpgOperatorValues } from "./cnpgOperator";
import { backupEgressPort, objectStoreResource } from "./postgresBackups";
import { PostgresClientCredentials, postgresClientConnection } from "./postgresClient";
import { clusterChartPolicy, cnpgClusterValues, PostgresConfig, POSTGRES_PORT, postgresRetainOnDelete, PostgresRole } from "./postgresCluster";
import { postgresNetworkPolicySpec } from "./postgresNetworkPolicy";

/** Arguments of the Postgres component. */
export interface PostgresArgs extends StoreComponentArgs<PostgresConfig> {
    /** The validated `platform:postgres` settings (instances, storage, backups, isolation, chart coordinates…). */
    config: PostgresConfig;
    /** Every service role (owners and runtime roles), each with its password Secret. */
    roles: PostgresRole[];
    /** Pod labels of the services that may connect on 5432; one matchLabels selector per client. */
    clientSelectors?: Record<string, string>[];
    /** Where the instance managers reach the Kubernetes API (`platform:network.apiServer`). */
    apiServer: ApiServerEndpoint;
    /** Name of the CNPG `Cluster` (and prefix of its `-rw`/`-ro`/`-r` Services). Default "postgres". */
    name?: string;
    /** PodMonitors for the operator and the instances, and scraping admitted on the metrics port; off when absent. */
    monitoring?: MonitoringSettings;
}

/** PostgreSQL on CloudNativePG: optional operator (own namespace), the cluster chart, and its NetworkPolicy. */
export class Postgres extends StoreComponent<PostgresConfig> {
    /** Namespace created for the operator (only when installOperator). */
    public readonly operatorNamespace?: k8s.core.v1.Namespace;
    /** The `cloudnative-pg` operator chart (only when installOperator). */
    public readonly operator?: k8s.helm.v4.Chart;
    /** The `cluster` chart: the `Cluster` CR and its scheduled backups. */
    public readonly cluster: k8s.helm.v4.Chart;
    /** The Barman Cloud plugin's ObjectStore (only with backups.method "plugin"). */
    public readonly objectStore?: k8s.apiextensions.CustomResource;
    /** Ingress/egress rules of the instance pods. */
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
    /** Name of the `Cluster` CR. */
    public readonly clusterName: string;
    /** Read-write Service of the cluster (`<name>-rw`), in the platform namespace. */
    public readonly host: string;
    /** PostgreSQL port. */
    public readonly port: number = POSTGRES_PORT;
    /** Bootstrap database (the shared one in "schema" isolation). */
    public readonly database: string;
    /** Role names by service. */
    public readonly roles: Record<string, string[]> = {};

    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Postgres", name, args, opts);
        const { cfg, ctx } = this;
        this.clusterName = args.name ?? "postgres";
        this.host = `${this.clusterName}-rw`;
        this.database = cfg.database;
        for (const r of args.roles) (this.roles[r.user.service] ??= []).push(r.user.username);

        const labels = standardLabels(ctx.labels, { name: this.clusterName, component: "database", version: chartVersionLabel(cfg.clusterChart) });
        const annotations = standardAnnotations(ctx.ownership, "PostgreSQL cluster managed by CloudNativePG");

        if (cfg.installOperator) {
            const op = installStoreOperator(
                name,
                ctx,
                {
                    name: "cnpg-operator",
                    description: "CloudNativePG operator",
                    namespace: cfg.operatorNamespace,
                    chart: cfg.operatorChart,
                    releaseName: "cnpg",
                    values: (opLabels) =>
                        cnpgOperatorValues({
                            labels: opLabels,
                            monitoring: args.monitoring,
                            webhookFailurePolicy: cfg.webhookFailurePolicy,
                            image: cfg.operatorImage,
                            placement: { nodeSelector: cfg.nodeSelector, tolerations: cfg.tolerations },
                        }),
                },
                this,
            );
            this.operatorNamespace = op.namespace;
            this.operator = op.chart;
        }

        const backups = cfg.backups;
        if (backups.enabled && backups.method === "plugin") {
            // The cluster chart renders its ObjectStore as a Helm hook, which helm.v4.Chart skips: register it here.
            this.objectStore = new k8s.apiextensions.CustomResource(
                `${name}-objectstore`,
                objectStoreResource({
                    clusterName: this.clusterName,
                    namespace: ctx.namespace,
                    labels,
                    annotations: postgresRetainOnDelete(cfg) ? { ...annotations, ...FORCE_APPLY_ANNOTATIONS } : annotations,
                    backups,
                }),
                { parent: this, dependsOn: this.operator ? [this.operator] : [], retainOnDelete: postgresRetainOnDelete(cfg) },
            );
        }

        this.cluster = new k8s.helm.v4.Chart(
            `${name}-cluster`,
            {
                ...chartLocation(cfg.clusterChart),
                // Release name = the standard app.kubernetes.io/instance value, which the chart uses for that label.
                name: instanceName(this.clusterName, ctx.labels.environment),
                namespace: ctx.namespace,
                values: cnpgClusterValues({ name: this.clusterName, labels, annotations, config: cfg, roles: args.roles, monitoring: args.monitoring }),
            },
            {
                parent: this,
                // The Cluster CRD and the operator's webhooks (and the plugin's ObjectStore) must exist before the chart's CRs apply.
                dependsOn: [...(this.operator ? [this.operator] : []), ...(this.objectStore ? [this.objectStore] : [])],
                transforms: [chartChildrenTransform(clusterChartPolicy(cfg, labels, annotations))],
            },
        );

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
            `${name}-netpol`,
            {
                metadata: { name: `${this.clusterName}-instances`, namespace: ctx.namespace, labels, annotations },
                spec: postgresNetworkPolicySpec({
                    clusterName: this.clusterName,
                    operatorNamespace: cfg.operatorNamespace,
                    clientSelectors: args.clientSelectors ?? [],
                    apiServer: args.apiServer,
                    backup: cfg.backups.enabled ? { cidrs: cfg.backups.egressCidrs, port: backupEgressPort(cfg.backups.endpointURL) } : undefined,
                    monitoringNamespace: args.monitoring?.namespace,
                }),
            },
            { parent: this },
        );

        this.registerOutputs({
            host: this.host,
            port: this.port,
            database: this.database,
            roles: this.roles,
            clusterName: this.clusterName,
        });
    }

    /** Env of one client service (host, port, its database/schema; its logins by Secret reference) and the peer. */
    clientConnection(service: string, creds: PostgresClientCredentials): ClientConnection {
        return postgresClientConnection(this.clusterName, this.cfg, service, creds);
    }
}
