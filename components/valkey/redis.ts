// Redis-compatible cache: the official Valkey chart (valkey-io/valkey-helm), auth from our Secret by reference.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartChildrenTransform, chartLocation, chartVersionLabel } from "../charts";
import { DEFAULTS, PlatformConfig, ResolvedResources, ResolvedService, VALKEY_REPLICATION_USER } from "../config";
import {
    ClientConnection,
    containerSecurityContext,
    instanceName,
    kubeResources,
    LABELS,
    mergeResources,
    MonitoringSettings,
    namespacePeer,
    podPeers,
    podSecurityContext,
    selectorLabels,
    standardAnnotations,
    standardLabels,
    tcpPorts,
    withoutKeys,
} from "../k8s";
import type { CredentialsRef } from "../secrets";
import { StoreComponent, StoreComponentArgs, StoreConnection } from "../stores";
import { VALKEY_METRICS_PORT, valkeyChartPolicy, valkeyMetricsValues, valkeyPodValues } from "./valkeyPod";

/** The validated `platform:redis` settings. */
export type RedisConfig = PlatformConfig["redis"];

/** Valkey port. */
export const REDIS_PORT = 6379;
/** Commands a replica needs on the primary, and nothing else. */
export const VALKEY_REPLICATION_COMMANDS = "-@all +psync +replconf +ping";
/** UID/GID of the valkey user in the official image (the chart's default). */
export const VALKEY_UID = 1000;

const INIT_RESOURCES: ResolvedResources = {
    requests: { cpu: "10m", memory: "16Mi", ephemeralStorage: "16Mi" },
    limits: { cpu: "100m", memory: "64Mi", ephemeralStorage: "64Mi" },
};

/** One service's Valkey ACL user: what it may run and touch. */
export interface ValkeyUser {
    /** ACL user name (the service name). */
    username: string;
    /** Command rules (`-@all +@read …`). */
    commands: string;
    /** Key patterns. */
    keys: string[];
    /** Pub/Sub channel patterns (none by default). */
    channels: string[];
}

/** The ACL user of a service that uses Valkey (its rules resolved with the config). */
export function valkeyUser(svc: Pick<ResolvedService, "name" | "redis">): ValkeyUser {
    return { username: svc.name, commands: svc.redis.commands, keys: svc.redis.keys, channels: svc.redis.channels };
}

/** Replication user rules; with monitoring it may also run INFO, which the exporter (logged in as it) reads. */
export function replicationPermissions(monitoring: boolean): string {
    return `resetkeys resetchannels ${VALKEY_REPLICATION_COMMANDS}${monitoring ? " +info" : ""}`;
}

/** The ACL rules of a service user: reset, then only its keys, its channels and its commands (after -@all). */
export function valkeyUserPermissions(u: ValkeyUser): string {
    const commands = /^-@all(\s|$)/.test(u.commands) ? u.commands : `-@all ${u.commands}`;
    return ["resetkeys", ...u.keys.map((k) => `~${k}`), "resetchannels", ...u.channels.map((c) => `&${c}`), commands].join(" ");
}

/**
 * The chart's `auth.aclUsers`: every password read from the users Secret by key (= user name). `default` is switched
 * off (clients must AUTH as their own user) and can do nothing; `replication` may only replicate.
 */
export function valkeyAclUsers(users: readonly ValkeyUser[], monitoring = false): Record<string, { permissions: string; passwordKey: string }> {
    const out: Record<string, { permissions: string; passwordKey: string }> = {
        // The chart writes "on #<hash>" before these rules; the later "off" wins, so the default user stays disabled.
        default: { permissions: "off resetkeys resetchannels -@all", passwordKey: VALKEY_REPLICATION_USER },
        [VALKEY_REPLICATION_USER]: { permissions: replicationPermissions(monitoring), passwordKey: VALKEY_REPLICATION_USER },
    };
    for (const u of users) out[u.username] = { permissions: valkeyUserPermissions(u), passwordKey: u.username };
    return out;
}

/** Arguments of the Redis (Valkey) component. */
export interface RedisArgs extends StoreComponentArgs<RedisConfig> {
    /** The validated `platform:redis` settings (replicas, persistence, resources, ACL defaults, chart coordinates). */
    config: RedisConfig;
    /** The Secret (from AppSecrets) with one key per ACL user name, mounted by the Valkey pods only. */
    usersSecretName: pulumi.Input<string>;
    /** One ACL user per service that uses Valkey. */
    users: ValkeyUser[];
    /** Pod labels of the services that may connect on 6379; one matchLabels selector per client. */
    clientSelectors?: Record<string, string>[];
    /** Name of the Service clients connect to (and of the chart's objects). Default "redis". */
    name?: string;
    /** The exporter sidecar, its ServiceMonitor, and scraping admitted on the metrics port; off when absent. */
    monitoring?: MonitoringSettings;
}

/** What the Valkey chart's values are built from. */
export interface ValkeyValuesInput {
    /** Name of the chart's objects and its Service (fullnameOverride and nameOverride). */
    name: string;
    /** Standard labels of the cache. */
    labels: Record<string, string>;
    /** The validated `platform:redis` settings. */
    config: RedisConfig;
    /** Name of the users Secret (by reference). */
    usersSecretName: pulumi.Input<string>;
    /** Service ACL users. */
    users: readonly ValkeyUser[];
    /** Exporter sidecar and ServiceMonitor when set. */
    monitoring?: MonitoringSettings;
}

/**
 * Values for the Valkey chart. Auth is ACL-based, one user per service plus the replication user; every password is
 * read from the existing users Secret (`auth.usersExistingSecret` + `passwordKey`), so the chart renders no Secret
 * and no password appears in values.
 * replicas = 0 → one standalone Deployment (persistence optional); replicas > 0 → a StatefulSet of 1 primary +
 * N replicas, which the chart always backs with PVCs.
 */
export function valkeyValues(input: ValkeyValuesInput): Record<string, unknown> {
    const cfg = input.config;
    const resources = kubeResources(mergeResources(DEFAULTS.redis.resources, cfg.resources));
    const replicated = cfg.replicas > 0;
    return {
        fullnameOverride: input.name,
        nameOverride: input.name,
        // The chart writes name, instance, version and managed-by on every object and component/part-of on some
        // (repeating a key would duplicate it in the YAML); the chart transform sets our values for those.
        commonLabels: withoutKeys(input.labels, [LABELS.name, LABELS.instance, LABELS.version, LABELS.managedBy, LABELS.component, LABELS.partOf]),
        // Pod templates carry only the selector labels and commonLabels; add the remaining standard ones.
        podLabels: Object.fromEntries([LABELS.version, LABELS.managedBy, LABELS.component, LABELS.partOf].map((k) => [k, input.labels[k]])),
        serviceAccount: { create: true, automount: false },
        podSecurityContext: podSecurityContext({ runAsUser: VALKEY_UID, runAsGroup: VALKEY_UID, fsGroup: VALKEY_UID }),
        securityContext: containerSecurityContext({ runAsUser: VALKEY_UID }),
        resources,
        initResources: kubeResources(INIT_RESOURCES),
        ...valkeyPodValues(cfg),
        auth: {
            enabled: true,
            usersExistingSecret: input.usersSecretName,
            aclUsers: valkeyAclUsers(input.users, input.monitoring !== undefined),
        },
        dataStorage:
            !replicated && cfg.persistence.enabled
                ? { enabled: true, requestedSize: cfg.persistence.size, ...(cfg.persistence.storageClass ? { className: cfg.persistence.storageClass } : {}) }
                : { enabled: false },
        replica: replicated
            ? {
                  enabled: true,
                  replicas: cfg.replicas,
                  replicationUser: VALKEY_REPLICATION_USER,
                  persistence: { size: cfg.persistence.size, ...(cfg.persistence.storageClass ? { storageClass: cfg.persistence.storageClass } : {}) },
                  // "retain" keeps the replicas' volumes when the StatefulSet goes (pulumi destroy); scale-downs always keep them.
                  persistentVolumeClaimRetentionPolicy: { whenDeleted: cfg.pvcRetention === "retain" ? "Retain" : "Delete", whenScaled: "Retain" },
              }
            : { enabled: false },
        podDisruptionBudget: replicated ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
        metrics: valkeyMetricsValues(input.monitoring),
    };
}

/** NetworkPolicy spec for the Valkey pods: clients and the other Valkey pods on 6379; replication egress to each other. */
export function redisNetworkPolicySpec(p: {
    podLabels: Record<string, string>;
    clientSelectors: readonly Record<string, string>[];
    monitoringNamespace?: string;
}): k8s.types.input.networking.v1.NetworkPolicySpec {
    const self = { podSelector: { matchLabels: { ...p.podLabels } } };
    const clients = podPeers(p.clientSelectors);
    const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
    // A rule with an empty `from` would admit everyone; only add the client rule when there are clients.
    if (clients.length > 0) ingress.push({ from: clients, ports: tcpPorts([REDIS_PORT]) });
    ingress.push({ from: [self], ports: tcpPorts([REDIS_PORT]) });
    if (p.monitoringNamespace) ingress.push({ from: [namespacePeer(p.monitoringNamespace)], ports: tcpPorts([VALKEY_METRICS_PORT]) });
    return {
        podSelector: { matchLabels: { ...p.podLabels } },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        // Replicas follow the primary through the headless Service (pod to pod).
        egress: [{ to: [self], ports: tcpPorts([REDIS_PORT]) }],
    };
}

/** Connection settings for one client service: host/port by value, its ACL user and password by reference. */
export function redisClientConnection(host: string, podLabels: Record<string, string>, creds: CredentialsRef): StoreConnection<"redis"> {
    return {
        env: { REDIS_HOST: host, REDIS_PORT: String(REDIS_PORT) },
        secretEnv: { REDIS_USERNAME: creds.usernameRef, REDIS_PASSWORD: creds.passwordRef },
        peer: { podLabels: { ...podLabels }, ports: [REDIS_PORT] },
    };
}

/** Valkey (Redis-compatible) from the official chart, with its NetworkPolicy. */
export class Redis extends StoreComponent<RedisConfig> {
    /** The Valkey chart. */
    public readonly chart: k8s.helm.v4.Chart;
    /** Ingress/egress rules of the Valkey pods. */
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
    /** Service clients connect to (the primary), in the platform namespace. */
    public readonly host: string;
    /** Valkey port. */
    public readonly port: number = REDIS_PORT;
    /** Labels of the Valkey pods (the chart's selector labels). */
    public readonly podLabels: Record<string, string>;

    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Redis", name, args, opts);
        const { cfg, ctx } = this;
        const storeName = args.name ?? "redis";
        this.host = storeName;
        // nameOverride = storeName and release = <storeName>-<env> make the chart's selector labels our standard ones.
        this.podLabels = selectorLabels(ctx.labels, storeName);

        const labels = standardLabels(ctx.labels, { name: storeName, component: "cache", version: chartVersionLabel(cfg.chart) });
        const annotations = standardAnnotations(ctx.ownership, "Valkey (Redis-compatible) cache");

        this.chart = new k8s.helm.v4.Chart(
            `${name}-valkey`,
            {
                ...chartLocation(cfg.chart),
                name: instanceName(storeName, ctx.labels.environment),
                namespace: ctx.namespace,
                values: valkeyValues({
                    name: storeName,
                    labels,
                    config: cfg,
                    usersSecretName: args.usersSecretName,
                    users: args.users,
                    monitoring: args.monitoring,
                }),
            },
            { parent: this, transforms: [chartChildrenTransform(valkeyChartPolicy(cfg, labels))] },
        );

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
            `${name}-netpol`,
            {
                metadata: { name: `${storeName}-valkey`, namespace: ctx.namespace, labels, annotations },
                spec: redisNetworkPolicySpec({
                    podLabels: this.podLabels,
                    clientSelectors: args.clientSelectors ?? [],
                    monitoringNamespace: args.monitoring?.namespace,
                }),
            },
            { parent: this },
        );

        this.registerOutputs({ host: this.host, port: this.port });
    }

    /** Env of one client service (REDIS_HOST, REDIS_PORT; REDIS_USERNAME/PASSWORD by Secret reference) and the peer. */
    clientConnection(creds: CredentialsRef): ClientConnection {
        return redisClientConnection(this.host, this.podLabels, creds);
    }
}
