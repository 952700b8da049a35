// Schema of the whole `platform:` namespace (edge, data stores, metadata, namespace, secrets, observability, dapr).
import { z } from "zod";
import { CNPG_CLUSTER_CHART, CNPG_OPERATOR_CHART, STRIMZI_DEFAULT_KAFKA_VERSION, STRIMZI_OPERATOR_CHART, VALKEY_CHART } from "../charts";
import { defaultsSchema, resources, serviceSchema } from "./serviceSchema";
import { HOSTNAME, TOPIC_NAME, chartSource, cpu, cron, dnsLabel, duration, memory, req } from "./validators";

const edgeSchema = z.object({
    mode: z.enum(["ingress", "gateway", "none"], { error: "must be one of ingress, gateway, none" }).default("none"),
    host: z.string().regex(HOSTNAME, { error: "must be a lowercase DNS hostname such as app.example.com" }).optional(),
    ingress: z.object({
        className: z.string().min(1).default("nginx"),
        annotations: z.record(z.string(), z.string()).default({}),
    }).strict().prefault({}),
    gateway: z.object({
        name: dnsLabel("gateway"),
        namespace: dnsLabel("namespace"),
        sectionName: z.string().optional(),
    }).strict().optional(),
    tls: z.object({
        enabled: z.boolean().default(false),
        clusterIssuer: z.string().optional(),
        secretName: dnsLabel("tls-secret", 253).optional(),
    }).strict().prefault({}),
    /** Namespace of the ingress controller / gateway pods that may reach public services. */
    controllerNamespace: dnsLabel("namespace").default("ingress-nginx"),
}).strict().prefault({});

const storage = z.object({
    size: memory,
    storageClass: z.string().optional(),
}).strict();

const postgresSchema = z.object({
    enabled: z.boolean().default(false),
    installOperator: z.boolean().default(true),
    operatorNamespace: dnsLabel("namespace").default("cnpg-system"),
    operatorChart: chartSource(CNPG_OPERATOR_CHART),
    clusterChart: chartSource(CNPG_CLUSTER_CHART),
    instances: z.number().int().min(1, { error: "must be at least 1" }).default(1),
    database: dnsLabel("database").default("app"),
    owner: dnsLabel("owner").default("app"),
    storage: storage.prefault({ size: "1Gi" }),
    resources: resources.optional(),
    backups: z.object({
        enabled: z.boolean().default(false),
        schedule: cron({ seconds: true }).default("0 0 2 * * *"),
        retentionPolicy: z.string().regex(/^[1-9][0-9]*[dwm]$/, { error: "must be a whole number of days, weeks or months, e.g. \"30d\", \"4w\" or \"3m\"" }).default("30d"),
        destinationPath: z.string().optional(),
        endpointURL: z.string().optional(),
        /** Existing Secret (created out of band) that holds the object-store credentials. */
        credentialsSecret: z.string().optional(),
        /** AWS region of the bucket; the cluster chart derives the S3 endpoint from it when endpointURL is absent. */
        s3Region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-[0-9]+$/, { error: "must be an AWS region such as \"eu-west-1\"" }).optional(),
    }).strict().superRefine((b, ctx) => {
        if (!b.enabled) return;
        // The cluster chart needs a destination, the credentials Secret, and an endpoint or the region to derive it.
        for (const k of ["destinationPath", "credentialsSecret"] as const) {
            if (!b[k]) ctx.addIssue({ code: "custom", path: [k], message: "is required when backups are enabled" });
        }
        if (!b.endpointURL && !b.s3Region) {
            ctx.addIssue({ code: "custom", path: ["s3Region"], message: "is required when backups are enabled and no endpointURL is set (e.g. \"eu-west-1\"); or set endpointURL for a non-AWS object store" });
        }
    }).prefault({}),
    pvcRetention: z.enum(["retain", "delete"]).default("retain"),
}).strict().prefault({});

const redisSchema = z.object({
    enabled: z.boolean().default(false),
    chart: chartSource(VALKEY_CHART),
    persistence: z.object({ enabled: z.boolean().default(false), size: memory.default("1Gi"), storageClass: z.string().optional() }).strict().prefault({}),
    replicas: z.number().int().min(0).default(0),
    resources: resources.optional(),
}).strict().prefault({});

const topicSchema = z.object({
    name: z.string().regex(TOPIC_NAME, { error: "must follow app.domain.event-type.version, e.g. \"shop.orders.order-created.v1\"" }),
    partitions: z.number().int().min(1).default(3),
    replicas: z.number().int().min(1).default(1),
    retentionHours: z.number().int().min(1).default(168),
    producers: z.array(z.string()).default([]),
    consumers: z.array(z.string()).default([]),
}).strict();

const kafkaSchema = z.object({
    enabled: z.boolean().default(false),
    installOperator: z.boolean().default(true),
    operatorNamespace: dnsLabel("namespace").default("strimzi-system"),
    operatorChart: chartSource(STRIMZI_OPERATOR_CHART),
    clusterName: dnsLabel("cluster").default("events"),
    version: z.string().regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: "must be a Kafka version such as \"4.3.1\" (one the pinned Strimzi release supports)" }).default(STRIMZI_DEFAULT_KAFKA_VERSION),
    replicas: z.number().int().min(1, { error: "must be at least 1" }).default(1),
    storage: z.object({
        type: z.enum(["ephemeral", "persistent-claim"]).default("ephemeral"),
        size: memory.default("10Gi"),
        deleteClaim: z.boolean().default(false),
    }).strict().prefault({}),
    resources: resources.optional(),
    topics: z.array(topicSchema).default([]),
}).strict().prefault({});

const metadataSchema = z.object({
    team: dnsLabel("team"),
    costCenter: z.string({ error: req("must be a string") }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,61}[A-Za-z0-9]$/, { error: "must be a label-safe cost center id, e.g. \"cc-1234\"" }),
    owner: z.string().min(1).optional(),
    contact: z.string().min(1).optional(),
    documentation: z.string().url({ error: "must be a URL" }).optional(),
    incidentChannel: z.string().min(1).optional(),
    partOf: dnsLabel("product").default("platform"),
}).strict();

const namespaceSchema = z.object({
    name: dnsLabel("namespace"),
    podSecurityLevel: z.enum(["restricted", "baseline"], { error: "must be restricted or baseline" }).default("restricted"),
    quota: z.object({
        requestsCpu: cpu, requestsMemory: memory, limitsCpu: cpu, limitsMemory: memory,
        pods: z.number().int().min(1),
    }).strict().optional(),
    containerDefaults: resources.optional(),
}).strict();

const secretsSchema = z.object({
    /** dev/staging may generate absent secrets with RandomPassword. */
    allowGenerated: z.boolean().default(false),
    /** Production refuses generated secrets unless this explicit opt-in is set. */
    allowGeneratedInProduction: z.boolean().default(false),
    generatedLength: z.number().int().min(16, { error: "must be at least 16" }).max(128).default(32),
}).strict().prefault({});

const observabilitySchema = z.object({
    monitoringNamespace: dnsLabel("namespace").default("monitoring"),
    serviceMonitors: z.boolean().default(false),
    scrapeInterval: duration.default("30s"),
}).strict().prefault({});

const daprSchema = z.object({
    enabled: z.boolean().default(false),
    namespace: dnsLabel("namespace").default("dapr-system"),
    logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
}).strict().prefault({});

/** The whole `platform:` namespace. Each top-level property is one Pulumi config key. */
export const platformSchema = z.object({
    environment: z.enum(["dev", "staging", "production"], { error: req("must be one of dev, staging, production") }),
    namespace: namespaceSchema,
    metadata: metadataSchema,
    defaults: defaultsSchema,
    services: z.array(serviceSchema, { error: req("must be a list of services") }).min(1, { error: "must declare at least one service" }),
    edge: edgeSchema,
    postgres: postgresSchema,
    redis: redisSchema,
    kafka: kafkaSchema,
    secrets: secretsSchema,
    observability: observabilitySchema,
    dapr: daprSchema,
}).strict();

/** The raw shape of the `platform:` namespace after defaults are applied. */
export type PlatformConfig = z.infer<typeof platformSchema>;
export type ServiceConfig = PlatformConfig["services"][number];
export type TopicConfig = PlatformConfig["kafka"]["topics"][number];
export type ChartCoordinates = z.infer<ReturnType<typeof chartSource>>;
export type ResourceSpec = z.infer<typeof resources>;

/** Keys of the schema: each is read from its own Pulumi config key. */
export const TOP_LEVEL_KEYS = Object.keys(platformSchema.shape) as (keyof PlatformConfig)[];
