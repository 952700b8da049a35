// The whole platform for one stack: namespace baseline, secrets, data stores, services and edge, wired from config.
import * as pulumi from "@pulumi/pulumi";
import { ExtraChart } from "../charts";
import {
    DEFAULTS,
    envFromReferences,
    envFromReferenceWarning,
    migrationUser,
    probeHeaderReferences,
    probeHeaderReferenceWarning,
    PlatformConfig,
    resolveResources,
    ResolvedService,
    runtimeUser,
    StoreUser,
} from "../config";
import { DaprApp, DaprComponents, DaprSidecarResources } from "../dapr";
import { Edge, edgeRoutes } from "../edge";
import { ClientConnection, LabelContext, MonitoringSettings, OwnershipMetadata, PlatformContext, podPorts } from "../k8s";
import { Kafka } from "../kafka";
import { Postgres } from "../postgres";
import { AppSecrets, SecretEntry } from "../secrets";
import { clientSelectors, Microservice } from "../service";
import { Redis, valkeyUser } from "../valkey";
import { NamespaceBaseline } from "./namespaceBaseline";
import { RetainedData, retainedOnDestroy, retentionNotice } from "./retention";

/** Arguments of {@link Platform}. */
export interface PlatformArgs {
    /** The validated `platform:` config (see parsePlatformConfig). */
    config: PlatformConfig;
    /**
     * Secret config values by unqualified key (`postgresPassword`, `sessionSigningKey`…), undefined when unset.
     * index.ts reads them with `config.getSecret`; values stay Outputs marked secret.
     */
    secretValues: Record<string, pulumi.Output<string> | undefined>;
}

/** Stack-wide label values from config. */
export function labelContext(cfg: PlatformConfig): LabelContext {
    return { partOf: cfg.metadata.partOf, environment: cfg.environment, team: cfg.metadata.team, costCenter: cfg.metadata.costCenter };
}

/** Ownership annotations from config. */
export function ownership(cfg: PlatformConfig): OwnershipMetadata {
    const { owner, contact, documentation, incidentChannel } = cfg.metadata;
    return { owner, contact, documentation, incidentChannel };
}

/** Services that call `name` (list it in dependsOn). */
export function callersOf(services: readonly ResolvedService[], name: string): string[] {
    return services.filter((s) => s.dependsOn.includes(name)).map((s) => s.name);
}

/** Config keys of every platform secret the service's pod reads: its own, its containers', its stores' passwords. */
export function podSecretKeys(svc: Pick<ResolvedService, "name" | "secretKeys">, users: readonly StoreUser[]): string[] {
    return [...svc.secretKeys, ...users.filter((u) => u.service === svc.name).map((u) => u.configKey)];
}

/** Client pod selectors of every service that uses a store. */
export function storeClients(labels: LabelContext, services: readonly ResolvedService[], store: "postgres" | "redis" | "kafka"): Record<string, string>[] {
    return services.filter((s) => s.uses.includes(store)).flatMap((s) => clientSelectors(labels, s));
}

/** Dapr sidecar requests/limits: platform:dapr.sidecarResources over the built-in default. */
export function daprSidecarResources(cfg: PlatformConfig): DaprSidecarResources {
    const r = resolveResources(DEFAULTS.dapr.sidecarResources, cfg.dapr.sidecarResources);
    return { cpuRequest: r.requests.cpu, cpuLimit: r.limits.cpu, memoryRequest: r.requests.memory, memoryLimit: r.limits.memory };
}

/** The platform: everything one stack deploys, parented under one component. */
export class Platform extends pulumi.ComponentResource {
    public readonly baseline: NamespaceBaseline;
    public readonly secrets: AppSecrets;
    public readonly postgres?: Postgres;
    public readonly redis?: Redis;
    public readonly kafka?: Kafka;
    public readonly services: Record<string, Microservice> = {};
    public readonly edge: Edge;
    /** The `platform:charts` releases, by name. */
    public readonly charts: Record<string, ExtraChart> = {};
    /** Dapr Components and Subscriptions, when platform:dapr declares any. */
    public readonly dapr?: DaprComponents;
    /** What `pulumi destroy` leaves in place (the namespace too when this is not empty). */
    public readonly retainedOnDestroy: RetainedData[];
    /** Namespace everything lives in. */
    public readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Platform", name, {}, opts);
        const cfg = args.config;
        const labels = labelContext(cfg);
        const owners = ownership(cfg);
        const services = cfg.services;

        this.retainedOnDestroy = retainedOnDestroy(cfg);
        const notice = retentionNotice(cfg.namespace.name, this.retainedOnDestroy);
        if (notice) void pulumi.log.info(notice, this);
        for (const r of envFromReferences(cfg)) void pulumi.log.warn(envFromReferenceWarning(r), this);
        for (const r of probeHeaderReferences(cfg)) void pulumi.log.warn(probeHeaderReferenceWarning(r), this);
        this.baseline = new NamespaceBaseline(
            "namespace",
            {
                namespace: cfg.namespace,
                labels,
                ownership: owners,
                retainOnDestroy: this.retainedOnDestroy.length > 0,
            },
            { parent: this },
        );
        this.namespace = this.baseline.namespaceName;
        const context: PlatformContext = { namespace: this.namespace, labels, ownership: owners };
        const monitoring: MonitoringSettings | undefined = cfg.observability.serviceMonitors
            ? { namespace: cfg.observability.monitoringNamespace, scrapeInterval: cfg.observability.scrapeInterval }
            : undefined;

        const entry = (key: string): SecretEntry => ({ configKey: key, value: args.secretValues[key] });
        const users = cfg.storeUsers;
        this.secrets = new AppSecrets(
            "secrets",
            {
                context,
                values: cfg.requiredSecrets.map((k) => entry(k.key)),
                // An extra chart's credentials Secret is built like a service's: "<chart>-credentials" with its secretRefs keys.
                services: [
                    ...services.map((s) => ({ service: s.name, configKeys: s.secretKeys })),
                    ...cfg.charts.filter((c) => c.secretRefs.length > 0).map((c) => ({ service: c.name, configKeys: c.secretRefs.map((r) => r.secret) })),
                ],
                users,
                valkey: cfg.redis.enabled,
                allowGenerated: cfg.secrets.allowGenerated,
                generatedLength: cfg.secrets.generatedLength,
            },
            { parent: this },
        );
        const apiServer = cfg.network.apiServer;

        if (cfg.postgres.enabled) {
            this.postgres = new Postgres(
                "postgres",
                {
                    context,
                    config: cfg.postgres,
                    apiServer,
                    roles: users.filter((u) => u.store === "postgres").map((user) => ({ user, passwordSecretName: this.secrets.postgresRoleSecret(user) })),
                    clientSelectors: storeClients(labels, services, "postgres"),
                    monitoring,
                },
                { parent: this },
            );
        }
        if (cfg.redis.enabled) {
            this.redis = new Redis(
                "redis",
                {
                    context,
                    config: cfg.redis,
                    usersSecretName: this.secrets.valkeyUsersSecretName(),
                    users: services.filter((s) => s.uses.includes("redis")).map(valkeyUser),
                    clientSelectors: storeClients(labels, services, "redis"),
                    monitoring,
                },
                { parent: this },
            );
        }
        if (cfg.kafka.enabled) {
            this.kafka = new Kafka(
                "kafka",
                {
                    context,
                    config: cfg.kafka,
                    apiServer,
                    users: users.filter((u) => u.store === "kafka").map((u) => ({ service: u.service, credentials: this.secrets.kafkaCredentials(u) })),
                    clientSelectors: storeClients(labels, services, "kafka"),
                    monitoring,
                },
                { parent: this },
            );
        }

        for (const c of cfg.charts) {
            this.charts[c.name] = new ExtraChart(
                `chart-${c.name}`,
                {
                    context,
                    config: c,
                    secretName: c.secretRefs.length > 0 ? this.secrets.serviceSecretRef(c.name, c.secretRefs[0].secret).secretName : undefined,
                    clientSelectors: services.filter((s) => s.uses.includes(c.name)).flatMap((s) => clientSelectors(labels, s)),
                },
                { parent: this },
            );
        }

        const daprApps: DaprApp[] = [];
        for (const svc of services) {
            const connections: ClientConnection[] = [];
            const daprApp: DaprApp = { service: svc };
            const used: pulumi.Resource[] = [];
            const login = (store: "postgres" | "redis" | "kafka") => {
                const u = runtimeUser(users, svc.name, store);
                if (!u) throw new Error(`service ${svc.name} uses ${store} but has no ${store} user`);
                return u;
            };
            if (svc.uses.includes("postgres") && this.postgres) {
                const migration = migrationUser(users, svc.name, "postgres")!;
                connections.push(
                    this.postgres.clientConnection(svc.name, {
                        runtime: this.secrets.credentials(login("postgres")),
                        migration: this.secrets.credentials(migration),
                    }),
                );
                used.push(this.postgres);
            }
            if (svc.uses.includes("redis") && this.redis) {
                daprApp.redis = this.redis.clientConnection(this.secrets.credentials(login("redis")));
                connections.push(daprApp.redis);
                used.push(this.redis);
            }
            if (svc.uses.includes("kafka") && this.kafka) {
                daprApp.kafka = this.kafka.clientConnection(svc.name, this.secrets.kafkaCredentials(login("kafka")));
                connections.push(daprApp.kafka);
                used.push(this.kafka);
            }
            for (const u of svc.uses.filter((x) => this.charts[x] !== undefined)) {
                connections.push(this.charts[u].clientConnection());
                used.push(this.charts[u]);
            }
            if (cfg.dapr.enabled && svc.dapr?.enabled) daprApps.push(daprApp);
            this.services[svc.name] = new Microservice(
                svc.name,
                {
                    context,
                    service: svc,
                    secretEnv: Object.fromEntries(svc.secretEnv.map((e) => [e.name, this.secrets.serviceSecretRef(svc.name, e.secret)])),
                    containerSecretEnv: Object.fromEntries(
                        [...svc.sidecars, ...svc.initContainers].map((c) => [
                            c.name,
                            Object.fromEntries(c.secretEnv.map((e) => [e.name, this.secrets.serviceSecretRef(svc.name, e.secret)])),
                        ]),
                    ),
                    secretChecksum: this.secrets.checksumOf(podSecretKeys(svc, users)),
                    connections,
                    network: {
                        callers: callersOf(services, svc.name),
                        dependencies: svc.dependsOn.map((d) => ({ name: d, ports: podPorts(services.find((s) => s.name === d)!.ports) })),
                        edgeNamespace: cfg.edge.mode === "none" ? undefined : cfg.edge.controllerNamespace,
                        monitoringNamespace: cfg.observability.monitoringNamespace,
                        apiServer,
                    },
                    observability: { serviceMonitors: cfg.observability.serviceMonitors, scrapeInterval: cfg.observability.scrapeInterval },
                    dapr: {
                        enabled: cfg.dapr.enabled,
                        logLevel: cfg.dapr.logLevel,
                        sidecarResources: daprSidecarResources(cfg),
                        namespace: cfg.dapr.namespace,
                    },
                    // The migration waits for the stores this service uses, not for every store.
                    dependsOn: used,
                },
                { parent: this },
            );
        }

        if (cfg.dapr.enabled && (cfg.dapr.pubsub || cfg.dapr.stateStore || cfg.dapr.subscriptions.length > 0)) {
            this.dapr = new DaprComponents("dapr", { context, config: cfg.dapr, apps: daprApps }, { parent: this });
        }
        this.edge = new Edge("edge", { context, edge: cfg.edge, routes: edgeRoutes(services) }, { parent: this });
        this.registerOutputs({ namespace: this.namespace });
    }
}
