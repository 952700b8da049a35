// PostgreSQL through CloudNativePG: the operator chart (optional per stack) and the `cluster` chart.
// The credentials Secret is created by AppSecrets and reaches the chart by name only; no password is ever a value.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CredentialsRef } from "./appSecrets";
import { chartLocation, chartVersionLabel } from "./charts";
import { DEFAULTS, postgresNamespaceName, StoreUser } from "./config";
import type { PlatformConfig, ResolvedResources } from "./config";
import { ChartChildPolicy, chartChildrenTransform, RenderedObject } from "./chartChildren";
import { ClientConnection, MonitoringSettings, PlatformContext } from "./context";
import { instanceName, LABELS, standardAnnotations, standardLabels, withoutKeys } from "./labels";
import { ApiServerEndpoint, cidrEgressRule, kubeApiEgressRule, namespacePeer, podPeers, tcpPorts } from "./networkRules";
import { installOperator } from "./operatorInstall";
import { backupEgressPort, cnpgBackupValues, objectStoreResource } from "./postgresBackups";
import { kubeResources, mergeResources } from "./resources";
import { containerSecurityContext, podSecurityContext } from "./securityContext";

/** The validated `platform:postgres` settings. */
export type PostgresConfig = PlatformConfig["postgres"];

/** PostgreSQL port of the instance pods and the `-rw` Service. */
export const POSTGRES_PORT = 5432;
/** Port of the instances' metrics exporter (scraped by the cluster chart's PodMonitor). */
export const CNPG_METRICS_PORT = 9187;
/** Port of the CNPG instance manager (status, probes) that the operator calls. */
export const CNPG_INSTANCE_MANAGER_PORT = 8000;
/** UID/GID of the postgres user in the CloudNativePG images (the chart's postgresUID/postgresGID default). */
export const CNPG_POSTGRES_UID = 26;

const OPERATOR_RESOURCES: ResolvedResources = {
    requests: { cpu: "100m", memory: "128Mi", ephemeralStorage: "64Mi" },
    limits: { cpu: "500m", memory: "512Mi", ephemeralStorage: "256Mi" },
};

/** One PostgreSQL role of a service, with the CNPG Secret its password comes from. */
export interface PostgresRole {
    /** The store user (service, purpose, role name). */
    user: StoreUser;
    /** basic-auth Secret (username + password) created by AppSecrets; only its name reaches the chart. */
    passwordSecretName: pulumi.Input<string>;
}

/** What one client service gets: its runtime login and, for its migration Job, its owner login. */
export interface PostgresClientCredentials {
    /** Login of the Deployment and cleanup CronJob. */
    runtime: CredentialsRef;
    /** Login of the migration Job (the owner role; the same as runtime when there is no split). */
    migration: CredentialsRef;
}

/** Arguments of the Postgres component. */
export interface PostgresArgs {
    /** Platform namespace, stack-wide label values and ownership annotations. */
    context: PlatformContext;
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

/** Labels of the CNPG instance pods of one cluster (what the operator puts on them). */
export function cnpgInstanceLabels(clusterName: string): Record<string, string> {
    return { "cnpg.io/cluster": clusterName, "cnpg.io/podRole": "instance" };
}

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

/** What the cluster chart's values are built from. */
export interface ClusterValuesInput {
    /** Cluster name (fullnameOverride): the `Cluster` CR and the `<name>-rw` Service. */
    name: string;
    /** Standard labels of the cluster. */
    labels: Record<string, string>;
    /** Standard annotations of the cluster. */
    annotations: Record<string, string>;
    /** The validated `platform:postgres` settings. */
    config: PostgresConfig;
    /** Service roles with their password Secrets (by reference). */
    roles: readonly PostgresRole[];
    /** The instances' PodMonitor (and the chart's alert rules) when set. */
    monitoring?: MonitoringSettings;
}

/** `cluster.roles`: one login role per service user, password from its Secret, no privilege beyond login. */
export function managedRoles(roles: readonly PostgresRole[]): Record<string, unknown>[] {
    return roles.map((r) => ({
        name: r.user.username,
        ensure: "present",
        comment: `${r.user.purpose} role of service ${r.user.service} (managed by the platform)`,
        login: true,
        superuser: false,
        createdb: false,
        createrole: false,
        replication: false,
        bypassrls: false,
        inherit: true,
        passwordSecret: { name: r.passwordSecretName },
    }));
}

/**
 * The chart's `databases` (CNPG `Database` CRs). "database" isolation: one database per service, owned by its owner
 * role. "schema" isolation: the bootstrap database with one schema per service, owned by its owner role.
 */
export function serviceDatabases(cfg: PostgresConfig, roles: readonly PostgresRole[]): Record<string, unknown>[] {
    const owners = roles.filter((r) => r.user.purpose === "owner").map((r) => r.user);
    if (owners.length === 0) return [];
    if (cfg.isolation === "schema") {
        return [{
            name: cfg.database, owner: cfg.owner, ensure: "present", databaseReclaimPolicy: "retain",
            schemas: owners.map((o) => ({ name: postgresNamespaceName(o.service), owner: o.username, ensure: "present" })),
        }];
    }
    // Retained on delete: dropping a service from config must not drop its data.
    return owners.map((o) => ({ name: postgresNamespaceName(o.service), owner: o.username, ensure: "present", databaseReclaimPolicy: "retain" }));
}

/**
 * Values for the CloudNativePG `cluster` chart. Service roles read their passwords from Secrets by name
 * (`cluster.roles[].passwordSecret`); the chart renders no Secret (backups read an existing Secret by name too).
 * The superuser is disabled. initdb creates the bootstrap database (`platform:postgres.database`); its owner's
 * password is generated by the operator into `<cluster>-app`, which no workload reads.
 */
export function cnpgClusterValues(input: ClusterValuesInput): Record<string, unknown> {
    const cfg = input.config;
    const storage: Record<string, string> = { size: cfg.storage.size };
    if (cfg.storage.storageClass) storage.storageClass = cfg.storage.storageClass;
    return {
        // The release is named <name>-<env> (app.kubernetes.io/instance); the objects keep the short name.
        fullnameOverride: input.name,
        nameOverride: input.name,
        type: "postgresql",
        mode: "standalone",
        cluster: {
            // Pinned per stack; the chart's default would float on the major version.
            imageName: cfg.image,
            instances: cfg.instances,
            storage,
            resources: kubeResources(mergeResources(DEFAULTS.postgres.resources, cfg.resources)),
            initdb: { database: cfg.database, owner: cfg.owner },
            roles: managedRoles(input.roles),
            enableSuperuserAccess: false,
            // A PDB over a single instance blocks every node drain; CNPG recommends it off for one instance.
            enablePDB: cfg.instances > 1,
            podSecurityContext: podSecurityContext({ runAsUser: CNPG_POSTGRES_UID, runAsGroup: CNPG_POSTGRES_UID, fsGroup: CNPG_POSTGRES_UID }),
            securityContext: containerSecurityContext(),
            // The chart already sets name, instance, part-of and managed-by on what it renders; adding them again
            // would duplicate YAML keys.
            additionalLabels: withoutKeys(input.labels, [LABELS.name, LABELS.instance, LABELS.partOf, LABELS.managedBy]),
            annotations: input.annotations,
            monitoring: input.monitoring
                ? { enabled: true, podMonitor: { enabled: true }, prometheusRule: { enabled: true } }
                : { enabled: false },
        },
        databases: serviceDatabases(cfg, input.roles),
        backups: cnpgBackupValues(cfg.backups),
    };
}

/** What the Postgres NetworkPolicy is built from. */
export interface PostgresPolicyInput {
    /** Cluster name (`cnpg.io/cluster`). */
    clusterName: string;
    /** Namespace of the CNPG operator. */
    operatorNamespace: string;
    /** Client pod selectors. */
    clientSelectors: readonly Record<string, string>[];
    /** Where the instance managers reach the Kubernetes API. */
    apiServer: ApiServerEndpoint;
    /** The backup object store (`platform:postgres.backups.egressCidrs` and the endpoint's port), when backups are on. */
    backup?: { cidrs: readonly string[]; port: number };
    /** Namespace of Prometheus, admitted to the metrics port only; no scraping rule when absent. */
    monitoringNamespace?: string;
}

/**
 * NetworkPolicy spec for the cluster's pods (instances and the operator's bootstrap/join jobs, which carry the same
 * `cnpg.io/cluster` label). DNS egress comes from the namespace baseline.
 */
export function postgresNetworkPolicySpec(p: PostgresPolicyInput): k8s.types.input.networking.v1.NetworkPolicySpec {
    const self = { podSelector: { matchLabels: { "cnpg.io/cluster": p.clusterName } } };
    const clients = podPeers(p.clientSelectors);
    const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
    // A rule with an empty `from` would admit everyone; only add the client rule when there are clients.
    if (clients.length > 0) ingress.push({ from: clients, ports: tcpPorts([POSTGRES_PORT]) });
    // The operator polls the instance manager (8000) and connects to PostgreSQL (5432).
    ingress.push({ from: [namespacePeer(p.operatorNamespace)], ports: tcpPorts([CNPG_INSTANCE_MANAGER_PORT, POSTGRES_PORT]) });
    if (p.monitoringNamespace) ingress.push({ from: [namespacePeer(p.monitoringNamespace)], ports: tcpPorts([CNPG_METRICS_PORT]) });
    // Streaming replication and instance-manager calls between the instances.
    ingress.push({ from: [self], ports: tcpPorts([POSTGRES_PORT, CNPG_INSTANCE_MANAGER_PORT]) });
    const egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [
        { to: [self], ports: tcpPorts([POSTGRES_PORT, CNPG_INSTANCE_MANAGER_PORT]) },
        // The instance manager watches its Cluster and Secrets through the API server.
        kubeApiEgressRule(p.apiServer),
    ];
    if (p.backup) egress.push(cidrEgressRule(p.backup.cidrs, [p.backup.port]));
    return {
        podSelector: { matchLabels: { "cnpg.io/cluster": p.clusterName } },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        egress,
    };
}

/** POSTGRES_USER and POSTGRES_PASSWORD of one login, both by reference (the migration and the service differ). */
function loginEnv(c: CredentialsRef): ClientConnection["secretEnv"] {
    return { POSTGRES_USER: c.usernameRef, POSTGRES_PASSWORD: c.passwordRef };
}

/**
 * Connection settings for one client service: host, port and its database (or shared database + POSTGRES_SCHEMA)
 * by value; user and password by reference, the owner's for its migration Job and the runtime role's otherwise.
 */
export function postgresClientConnection(clusterName: string, cfg: PostgresConfig, service: string, creds: PostgresClientCredentials): ClientConnection {
    const own = postgresNamespaceName(service);
    const env: Record<string, string> = { POSTGRES_HOST: `${clusterName}-rw`, POSTGRES_PORT: String(POSTGRES_PORT) };
    if (cfg.isolation === "schema") Object.assign(env, { POSTGRES_DB: cfg.database, POSTGRES_SCHEMA: own });
    else env.POSTGRES_DB = own;
    // The migration (owner) grants the runtime role its privileges; it needs the role's name for that.
    if (creds.runtime.username !== creds.migration.username) env.POSTGRES_RUNTIME_USER = creds.runtime.username;
    return {
        env,
        secretEnv: loginEnv(creds.runtime),
        migrationSecretEnv: loginEnv(creds.migration),
        peer: { podLabels: cnpgInstanceLabels(clusterName), ports: [POSTGRES_PORT] },
    };
}

/**
 * Whether `pulumi destroy` must leave the cluster (and with it its PVCs) in place. CNPG has no PVC retention
 * field: the PVCs are owned by the `Cluster` and garbage-collected with it, so "retain" keeps the Cluster.
 */
export function postgresRetainOnDelete(cfg: PostgresConfig): boolean {
    return cfg.pvcRetention === "retain";
}

/**
 * Copies the standard labels and annotations into the `Cluster`'s `spec.inheritedMetadata`, which the operator puts
 * on every pod, PVC and Service it creates (the cluster chart has no value for it).
 */
export function withInheritedMetadata(obj: RenderedObject, labels: Record<string, string>, annotations: Record<string, string>): RenderedObject {
    if (obj.kind !== "Cluster" || !obj.apiVersion?.startsWith("postgresql.cnpg.io/")) return obj;
    return { ...obj, spec: { ...(obj.spec ?? {}), inheritedMetadata: { labels: { ...labels }, annotations: { ...annotations } } } };
}

/** What the transform of the cluster chart does: labels, inheritedMetadata, and (with "retain") a Cluster destroy leaves. */
export function clusterChartPolicy(cfg: PostgresConfig, labels: Record<string, string>, annotations: Record<string, string>): ChartChildPolicy {
    return {
        labels,
        edit: (obj) => withInheritedMetadata(obj, labels, annotations),
        retain: (obj) => postgresRetainOnDelete(cfg) && obj.kind === "Cluster",
    };
}

/** PostgreSQL on CloudNativePG: optional operator (own namespace), the cluster chart, and its NetworkPolicy. */
export class Postgres extends pulumi.ComponentResource {
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

    private readonly cfg: PostgresConfig;

    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Postgres", name, {}, opts);
        const cfg = args.config;
        const ctx = args.context;
        this.cfg = cfg;
        this.clusterName = args.name ?? "postgres";
        this.host = `${this.clusterName}-rw`;
        this.database = cfg.database;
        for (const r of args.roles) (this.roles[r.user.service] ??= []).push(r.user.username);

        const labels = standardLabels(ctx.labels, { name: this.clusterName, component: "database", version: chartVersionLabel(cfg.clusterChart) });
        const annotations = standardAnnotations(ctx.ownership, "PostgreSQL cluster managed by CloudNativePG");

        if (cfg.installOperator) {
            const opLabels = standardLabels(ctx.labels, { name: "cnpg-operator", component: "operator", version: chartVersionLabel(cfg.operatorChart) });
            const op = installOperator(name, {
                namespace: cfg.operatorNamespace, labels: opLabels, annotations: standardAnnotations(ctx.ownership, "CloudNativePG operator"),
                chart: cfg.operatorChart, releaseName: "cnpg", values: cnpgOperatorValues({ labels: opLabels, monitoring: args.monitoring, webhookFailurePolicy: cfg.webhookFailurePolicy }),
                transforms: [chartChildrenTransform({ labels: opLabels })],
            }, this);
            this.operatorNamespace = op.namespace;
            this.operator = op.chart;
        }

        const backups = cfg.backups;
        if (backups.enabled && backups.method === "plugin") {
            // The cluster chart renders its ObjectStore as a Helm hook, which helm.v4.Chart skips: register it here.
            this.objectStore = new k8s.apiextensions.CustomResource(`${name}-objectstore`,
                objectStoreResource({ clusterName: this.clusterName, namespace: ctx.namespace, labels, annotations, backups }),
                { parent: this, dependsOn: this.operator ? [this.operator] : [], retainOnDelete: postgresRetainOnDelete(cfg) });
        }

        this.cluster = new k8s.helm.v4.Chart(`${name}-cluster`, {
            ...chartLocation(cfg.clusterChart),
            // Release name = the standard app.kubernetes.io/instance value, which the chart uses for that label.
            name: instanceName(this.clusterName, ctx.labels.environment),
            namespace: ctx.namespace,
            values: cnpgClusterValues({ name: this.clusterName, labels, annotations, config: cfg, roles: args.roles, monitoring: args.monitoring }),
        }, {
            parent: this,
            // The Cluster CRD and the operator's webhooks (and the plugin's ObjectStore) must exist before the chart's CRs apply.
            dependsOn: [...(this.operator ? [this.operator] : []), ...(this.objectStore ? [this.objectStore] : [])],
            transforms: [chartChildrenTransform(clusterChartPolicy(cfg, labels, annotations))],
        });

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, {
            metadata: { name: `${this.clusterName}-instances`, namespace: ctx.namespace, labels, annotations },
            spec: postgresNetworkPolicySpec({
                clusterName: this.clusterName,
                operatorNamespace: cfg.operatorNamespace,
                clientSelectors: args.clientSelectors ?? [],
                apiServer: args.apiServer,
                backup: cfg.backups.enabled ? { cidrs: cfg.backups.egressCidrs, port: backupEgressPort(cfg.backups.endpointURL) } : undefined,
                monitoringNamespace: args.monitoring?.namespace,
            }),
        }, { parent: this });

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
