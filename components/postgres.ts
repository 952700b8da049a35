// PostgreSQL through CloudNativePG: the operator chart (optional per stack) and the `cluster` chart.
// The credentials Secret is created by AppSecrets and reaches the chart by name only; no password is ever a value.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartLocation, chartVersionLabel } from "./charts";
import { DEFAULTS } from "./config";
import type { PlatformConfig, ResolvedResources } from "./config";
import { ClientConnection, PlatformContext } from "./context";
import { instanceName, LABELS, standardAnnotations, standardLabels, withoutKeys } from "./labels";
import { kubeApiEgressRule, namespacePeer, podPeers, tcpPorts } from "./networkRules";
import { installOperator } from "./operatorInstall";
import { mergeResources } from "./resources";
import { containerSecurityContext, podSecurityContext } from "./securityContext";

/** The validated `platform:postgres` settings. */
export type PostgresConfig = PlatformConfig["postgres"];

/** PostgreSQL port of the instance pods and the `-rw` Service. */
export const POSTGRES_PORT = 5432;
/** Port of the CNPG instance manager (status, probes) that the operator calls. */
export const CNPG_INSTANCE_MANAGER_PORT = 8000;
/** Key of the password in the kubernetes.io/basic-auth credentials Secret. */
export const POSTGRES_PASSWORD_KEY = "password";
/** Key of the user name in the credentials Secret; its value must equal `platform:postgres.owner`. */
export const POSTGRES_USERNAME_KEY = "username";
/** UID/GID of the postgres user in the CloudNativePG images (the chart's postgresUID/postgresGID default). */
export const CNPG_POSTGRES_UID = 26;

const OPERATOR_RESOURCES: ResolvedResources = {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "500m", memory: "512Mi" },
};

/** Arguments of the Postgres component. */
export interface PostgresArgs {
    /** Platform namespace, stack-wide label values and ownership annotations. */
    context: PlatformContext;
    /** The validated `platform:postgres` settings (instances, storage, backups, chart coordinates…). */
    config: PostgresConfig;
    /**
     * Name of the kubernetes.io/basic-auth Secret created by AppSecrets in the platform namespace:
     * key `username` (= `config.owner`) and key `password`. Only the name reaches the chart.
     */
    credentialsSecretName: pulumi.Input<string>;
    /** Pod labels of the services that may connect on 5432; one matchLabels selector per client. */
    clientSelectors?: Record<string, string>[];
    /** Name of the CNPG `Cluster` (and prefix of its `-rw`/`-ro`/`-r` Services). Default "postgres". */
    name?: string;
}

/** Labels of the CNPG instance pods of one cluster (what the operator puts on them). */
export function cnpgInstanceLabels(clusterName: string): Record<string, string> {
    return { "cnpg.io/cluster": clusterName, "cnpg.io/podRole": "instance" };
}

/** Values for the `cloudnative-pg` operator chart: restricted security contexts, standard labels on its pods. */
export function cnpgOperatorValues(input: { labels: Record<string, string> }): Record<string, unknown> {
    return {
        crds: { create: true },
        // The chart sets app.kubernetes.io/name and /instance on the pods itself; the rest come from podLabels.
        podLabels: withoutKeys(input.labels, [LABELS.name, LABELS.instance]),
        podSecurityContext: podSecurityContext(),
        containerSecurityContext: containerSecurityContext({ runAsUser: 10001 }),
        resources: OPERATOR_RESOURCES,
        monitoring: { podMonitorEnabled: false, grafanaDashboard: { create: false } },
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
    /** Name of the basic-auth credentials Secret (by reference). */
    credentialsSecretName: pulumi.Input<string>;
}

/**
 * Values for the CloudNativePG `cluster` chart. The owner's credentials come from `initdb.secret.name`; the chart
 * renders no Secret (backups read an existing Secret by name too). The superuser is disabled, so the operator
 * generates no superuser password either.
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
            instances: cfg.instances,
            storage,
            resources: mergeResources(DEFAULTS.postgres.resources, cfg.resources),
            initdb: {
                database: cfg.database,
                owner: cfg.owner,
                secret: { name: input.credentialsSecretName },
            },
            enableSuperuserAccess: false,
            // A PDB over a single instance blocks every node drain; CNPG recommends it off for one instance.
            enablePDB: cfg.instances > 1,
            podSecurityContext: podSecurityContext({ runAsUser: CNPG_POSTGRES_UID, runAsGroup: CNPG_POSTGRES_UID, fsGroup: CNPG_POSTGRES_UID }),
            securityContext: containerSecurityContext(),
            // The chart already sets name, instance, part-of and managed-by on what it renders; adding them again
            // would duplicate YAML keys.
            additionalLabels: withoutKeys(input.labels, [LABELS.name, LABELS.instance, LABELS.partOf, LABELS.managedBy]),
            annotations: input.annotations,
        },
        backups: cnpgBackupValues(cfg.backups),
    };
}

/** The chart's `backups` block: barman object store, schedule and retention, credentials from an existing Secret. */
export function cnpgBackupValues(b: PostgresConfig["backups"]): Record<string, unknown> {
    if (!b.enabled) return { enabled: false };
    return {
        enabled: true,
        method: "barmanObjectStore",
        provider: "s3",
        // Without an endpoint the chart derives https://s3.<region>.amazonaws.com from s3.region.
        ...(b.endpointURL ? { endpointURL: b.endpointURL } : {}),
        destinationPath: b.destinationPath,
        s3: { inheritFromIAMRole: false, ...(b.s3Region ? { region: b.s3Region } : {}) },
        // Existing Secret with ACCESS_KEY_ID and ACCESS_SECRET_KEY, created out of band; the chart creates none.
        secret: { create: false, name: b.credentialsSecret },
        scheduledBackups: [{ name: "scheduled", schedule: b.schedule, backupOwnerReference: "self", method: "barmanObjectStore" }],
        retentionPolicy: b.retentionPolicy,
    };
}

/** TCP port of a backup endpoint URL when it is not the default HTTPS port (e.g. MinIO on 9000). */
export function backupEgressPort(endpointURL: string | undefined): number | undefined {
    if (!endpointURL) return undefined;
    try {
        const u = new URL(endpointURL);
        const port = u.port ? Number(u.port) : u.protocol === "http:" ? 80 : 443;
        return port === 443 ? undefined : port;
    } catch {
        return undefined;
    }
}

/** What the Postgres NetworkPolicy is built from. */
export interface PostgresPolicyInput {
    /** Cluster name (`cnpg.io/cluster`). */
    clusterName: string;
    /** Namespace of the CNPG operator. */
    operatorNamespace: string;
    /** Client pod selectors. */
    clientSelectors: readonly Record<string, string>[];
    /** Extra egress port for the backup object store, if not 443. */
    backupPort?: number;
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
    // Streaming replication and instance-manager calls between the instances.
    ingress.push({ from: [self], ports: tcpPorts([POSTGRES_PORT, CNPG_INSTANCE_MANAGER_PORT]) });
    const egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [
        { to: [self], ports: tcpPorts([POSTGRES_PORT, CNPG_INSTANCE_MANAGER_PORT]) },
        // The instance manager watches its Cluster and Secrets through the API server (and uploads backups over
        // HTTPS, which the same 443 rule covers).
        kubeApiEgressRule(),
    ];
    if (p.backupPort !== undefined) egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcpPorts([p.backupPort]) });
    return {
        podSelector: { matchLabels: { "cnpg.io/cluster": p.clusterName } },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        egress,
    };
}

/** Connection settings for client services: host/port/db/user by value, the password by reference. */
export function postgresClientConnection(clusterName: string, cfg: PostgresConfig, credentialsSecretName: pulumi.Input<string>): ClientConnection {
    return {
        env: {
            POSTGRES_HOST: `${clusterName}-rw`,
            POSTGRES_PORT: String(POSTGRES_PORT),
            POSTGRES_DB: cfg.database,
            POSTGRES_USER: cfg.owner,
        },
        secretEnv: { POSTGRES_PASSWORD: { secretName: credentialsSecretName, key: POSTGRES_PASSWORD_KEY } },
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

/** PostgreSQL on CloudNativePG: optional operator (own namespace), the cluster chart, and its NetworkPolicy. */
export class Postgres extends pulumi.ComponentResource {
    /** Namespace created for the operator (only when installOperator). */
    public readonly operatorNamespace?: k8s.core.v1.Namespace;
    /** The `cloudnative-pg` operator chart (only when installOperator). */
    public readonly operator?: k8s.helm.v4.Chart;
    /** The `cluster` chart: the `Cluster` CR and its scheduled backups. */
    public readonly cluster: k8s.helm.v4.Chart;
    /** Ingress/egress rules of the instance pods. */
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
    /** Name of the `Cluster` CR. */
    public readonly clusterName: string;
    /** Read-write Service of the cluster (`<name>-rw`), in the platform namespace. */
    public readonly host: string;
    /** PostgreSQL port. */
    public readonly port: number = POSTGRES_PORT;
    /** Application database. */
    public readonly database: string;
    /** Owner of the application database (the credentials Secret's `username`). */
    public readonly user: string;

    private readonly credentialsSecretName: pulumi.Input<string>;
    private readonly cfg: PostgresConfig;

    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Postgres", name, {}, opts);
        const cfg = args.config;
        const ctx = args.context;
        this.cfg = cfg;
        this.clusterName = args.name ?? "postgres";
        this.host = `${this.clusterName}-rw`;
        this.database = cfg.database;
        this.user = cfg.owner;
        this.credentialsSecretName = args.credentialsSecretName;

        const labels = standardLabels(ctx.labels, { name: this.clusterName, component: "database", version: chartVersionLabel(cfg.clusterChart) });
        const annotations = standardAnnotations(ctx.ownership, "PostgreSQL cluster managed by CloudNativePG");

        if (cfg.installOperator) {
            const opLabels = standardLabels(ctx.labels, { name: "cnpg-operator", component: "operator", version: chartVersionLabel(cfg.operatorChart) });
            const op = installOperator(name, {
                namespace: cfg.operatorNamespace, labels: opLabels, annotations: standardAnnotations(ctx.ownership, "CloudNativePG operator"),
                chart: cfg.operatorChart, releaseName: "cnpg", values: cnpgOperatorValues({ labels: opLabels }),
            }, this);
            this.operatorNamespace = op.namespace;
            this.operator = op.chart;
        }

        this.cluster = new k8s.helm.v4.Chart(`${name}-cluster`, {
            ...chartLocation(cfg.clusterChart),
            // Release name = the standard app.kubernetes.io/instance value, which the chart uses for that label.
            name: instanceName(this.clusterName, ctx.labels.environment),
            namespace: ctx.namespace,
            values: cnpgClusterValues({ name: this.clusterName, labels, annotations, config: cfg, credentialsSecretName: args.credentialsSecretName }),
        }, {
            parent: this,
            // The Cluster CRD and the operator's webhooks must exist before the chart's CRs apply.
            dependsOn: this.operator ? [this.operator] : [],
            retainOnDelete: postgresRetainOnDelete(cfg),
        });

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, {
            metadata: { name: `${this.clusterName}-instances`, namespace: ctx.namespace, labels, annotations },
            spec: postgresNetworkPolicySpec({
                clusterName: this.clusterName,
                operatorNamespace: cfg.operatorNamespace,
                clientSelectors: args.clientSelectors ?? [],
                backupPort: cfg.backups.enabled ? backupEgressPort(cfg.backups.endpointURL) : undefined,
            }),
        }, { parent: this });

        this.registerOutputs({
            host: this.host,
            port: this.port,
            database: this.database,
            user: this.user,
            clusterName: this.clusterName,
        });
    }

    /** Env for client services (POSTGRES_HOST/PORT/DB/USER; POSTGRES_PASSWORD by Secret reference) and the peer. */
    clientConnection(): ClientConnection {
        return postgresClientConnection(this.clusterName, this.cfg, this.credentialsSecretName);
    }
}
