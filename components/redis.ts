// Redis-compatible cache: the official Valkey chart (valkey-io/valkey-helm), auth from our Secret by reference.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartLocation, chartVersionLabel } from "./charts";
import { DEFAULTS } from "./config";
import type { PlatformConfig, ResolvedResources } from "./config";
import { ClientConnection, PlatformContext } from "./context";
import { instanceName, LABELS, selectorLabels, standardAnnotations, standardLabels, withoutKeys } from "./labels";
import { podPeers, tcpPorts } from "./networkRules";
import { mergeResources } from "./resources";
import { containerSecurityContext, podSecurityContext } from "./securityContext";

/** The validated `platform:redis` settings. */
export type RedisConfig = PlatformConfig["redis"];

/** Valkey port. */
export const REDIS_PORT = 6379;
/**
 * Key of the password in the credentials Secret created by AppSecrets. The chart reads per-user keys from
 * `auth.usersExistingSecret` (default key = the user name); `aclUsers.default.passwordKey` points it at this key.
 */
export const REDIS_PASSWORD_KEY = "password";
/** The ACL user clients and replicas authenticate as (AUTH <password> uses it). */
export const REDIS_USER = "default";
/** UID/GID of the valkey user in the official image (the chart's default). */
export const VALKEY_UID = 1000;

const INIT_RESOURCES: ResolvedResources = {
    requests: { cpu: "10m", memory: "16Mi" },
    limits: { cpu: "100m", memory: "64Mi" },
};

/** Arguments of the Redis (Valkey) component. */
export interface RedisArgs {
    /** Platform namespace, stack-wide label values and ownership annotations. */
    context: PlatformContext;
    /** The validated `platform:redis` settings (replicas, persistence, resources, chart coordinates). */
    config: RedisConfig;
    /** Name of the Secret created by AppSecrets that holds the password under key `password` (REDIS_PASSWORD_KEY). */
    credentialsSecretName: pulumi.Input<string>;
    /** Pod labels of the services that may connect on 6379; one matchLabels selector per client. */
    clientSelectors?: Record<string, string>[];
    /** Name of the Service clients connect to (and of the chart's objects). Default "redis". */
    name?: string;
}

/** What the Valkey chart's values are built from. */
export interface ValkeyValuesInput {
    /** Name of the chart's objects and its Service (fullnameOverride and nameOverride). */
    name: string;
    /** Standard labels of the cache. */
    labels: Record<string, string>;
    /** The validated `platform:redis` settings. */
    config: RedisConfig;
    /** Name of the credentials Secret (by reference). */
    credentialsSecretName: pulumi.Input<string>;
}

/**
 * Values for the Valkey chart. Auth is ACL-based: the `default` user's password is read from the existing Secret
 * (`auth.usersExistingSecret` + `passwordKey`), so the chart renders no Secret and no password appears in values.
 * replicas = 0 → one standalone Deployment (persistence optional); replicas > 0 → a StatefulSet of 1 primary +
 * N replicas, which the chart always backs with PVCs.
 */
export function valkeyValues(input: ValkeyValuesInput): Record<string, unknown> {
    const cfg = input.config;
    const resources = mergeResources(DEFAULTS.redis.resources, cfg.resources);
    const replicated = cfg.replicas > 0;
    return {
        fullnameOverride: input.name,
        nameOverride: input.name,
        // Every object: the chart's own labels (name, instance, version, managed-by) plus these; the chart adds
        // app.kubernetes.io/component itself on its Services, where it wins as the later key.
        commonLabels: withoutKeys(input.labels, [LABELS.name, LABELS.instance, LABELS.version, LABELS.managedBy]),
        // Pod templates only carry the selector labels and commonLabels; add the remaining standard ones.
        podLabels: { [LABELS.version]: input.labels[LABELS.version], [LABELS.managedBy]: input.labels[LABELS.managedBy] },
        serviceAccount: { create: true, automount: false },
        podSecurityContext: podSecurityContext({ runAsUser: VALKEY_UID, runAsGroup: VALKEY_UID, fsGroup: VALKEY_UID }),
        securityContext: containerSecurityContext({ runAsUser: VALKEY_UID }),
        resources,
        initResources: INIT_RESOURCES,
        livenessProbe: { enabled: true },
        readinessProbe: { enabled: true },
        auth: {
            enabled: true,
            usersExistingSecret: input.credentialsSecretName,
            aclUsers: { [REDIS_USER]: { permissions: "~* &* +@all", passwordKey: REDIS_PASSWORD_KEY } },
        },
        dataStorage: !replicated && cfg.persistence.enabled
            ? { enabled: true, requestedSize: cfg.persistence.size, ...(cfg.persistence.storageClass ? { className: cfg.persistence.storageClass } : {}) }
            : { enabled: false },
        replica: replicated
            ? {
                enabled: true,
                replicas: cfg.replicas,
                replicationUser: REDIS_USER,
                persistence: { size: cfg.persistence.size, ...(cfg.persistence.storageClass ? { storageClass: cfg.persistence.storageClass } : {}) },
                // Keep the replicas' data when the StatefulSet is deleted or scaled down, like a persistent store should.
                persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            }
            : { enabled: false },
        podDisruptionBudget: replicated ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
        metrics: { enabled: false },
    };
}

/** NetworkPolicy spec for the Valkey pods: clients and the other Valkey pods on 6379; replication egress to each other. */
export function redisNetworkPolicySpec(p: { podLabels: Record<string, string>; clientSelectors: readonly Record<string, string>[] }): k8s.types.input.networking.v1.NetworkPolicySpec {
    const self = { podSelector: { matchLabels: { ...p.podLabels } } };
    const clients = podPeers(p.clientSelectors);
    const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
    // A rule with an empty `from` would admit everyone; only add the client rule when there are clients.
    if (clients.length > 0) ingress.push({ from: clients, ports: tcpPorts([REDIS_PORT]) });
    ingress.push({ from: [self], ports: tcpPorts([REDIS_PORT]) });
    return {
        podSelector: { matchLabels: { ...p.podLabels } },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        // Replicas follow the primary through the headless Service (pod to pod).
        egress: [{ to: [self], ports: tcpPorts([REDIS_PORT]) }],
    };
}

/** Connection settings for client services: host/port by value, the password by reference. */
export function redisClientConnection(host: string, podLabels: Record<string, string>, credentialsSecretName: pulumi.Input<string>): ClientConnection {
    return {
        env: { REDIS_HOST: host, REDIS_PORT: String(REDIS_PORT) },
        secretEnv: { REDIS_PASSWORD: { secretName: credentialsSecretName, key: REDIS_PASSWORD_KEY } },
        peer: { podLabels: { ...podLabels }, ports: [REDIS_PORT] },
    };
}

/** Valkey (Redis-compatible) from the official chart, with its NetworkPolicy. */
export class Redis extends pulumi.ComponentResource {
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

    private readonly credentialsSecretName: pulumi.Input<string>;

    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Redis", name, {}, opts);
        const cfg = args.config;
        const ctx = args.context;
        const storeName = args.name ?? "redis";
        this.host = storeName;
        this.credentialsSecretName = args.credentialsSecretName;
        // nameOverride = storeName and release = <storeName>-<env> make the chart's selector labels our standard ones.
        this.podLabels = selectorLabels(ctx.labels, storeName);

        const labels = standardLabels(ctx.labels, { name: storeName, component: "cache", version: chartVersionLabel(cfg.chart) });
        const annotations = standardAnnotations(ctx.ownership, "Valkey (Redis-compatible) cache");

        this.chart = new k8s.helm.v4.Chart(`${name}-valkey`, {
            ...chartLocation(cfg.chart),
            name: instanceName(storeName, ctx.labels.environment),
            namespace: ctx.namespace,
            values: valkeyValues({ name: storeName, labels, config: cfg, credentialsSecretName: args.credentialsSecretName }),
        }, { parent: this });

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, {
            metadata: { name: `${storeName}-valkey`, namespace: ctx.namespace, labels, annotations },
            spec: redisNetworkPolicySpec({ podLabels: this.podLabels, clientSelectors: args.clientSelectors ?? [] }),
        }, { parent: this });

        this.registerOutputs({ host: this.host, port: this.port });
    }

    /** Env for client services (REDIS_HOST, REDIS_PORT; REDIS_PASSWORD by Secret reference) and the peer. */
    clientConnection(): ClientConnection {
        return redisClientConnection(this.host, this.podLabels, this.credentialsSecretName);
    }
}
