// Schema of the data stores: platform:postgres, platform:redis, platform:kafka.
import { z } from "zod";
import { CNPG_CLUSTER_CHART, CNPG_OPERATOR_CHART, STRIMZI_OPERATOR_CHART, VALKEY_CHART } from "./chartPins";
import { DEFAULTS } from "./defaults";
import { resources, valkeyCommands } from "./serviceSchema";
import { nodeSelectorSchema, tolerationSchema } from "./workloadSchema";
import { IPV4_CIDR, TOPIC_NAME, chartSource, cron, dnsLabel, image, memory, urlProblem } from "./validators";

/** An IPv4 CIDR (egress destinations). */
export const cidr = z.string().regex(IPV4_CIDR, { error: 'must be an IPv4 CIDR such as "10.0.0.0/8"' });

const P = DEFAULTS.postgres;
const R = DEFAULTS.redis;
const K = DEFAULTS.kafka;

const backupFields = {
    /** Defaults to false. */
    enabled: z.boolean().default(false),
    /**
     * "plugin": the Barman Cloud plugin (an ObjectStore + the Cluster's plugin entry; the plugin must run in the
     * cluster). "barmanObjectStore": the in-tree path, deprecated since CNPG 1.26; it needs a `system` image.
     * Defaults to "plugin".
     */
    method: z.enum(["plugin", "barmanObjectStore"], { error: "must be plugin or barmanObjectStore" }).default(P.backups.method),
    /** Six-field cron (seconds first) of the ScheduledBackup. Defaults to "0 0 2 * * *". */
    schedule: cron({ seconds: true }).default(P.backups.schedule),
    /** Retention of base backups and WALs. Defaults to "30d". */
    retentionPolicy: z
        .string()
        .regex(/^[1-9][0-9]*[dwm]$/, { error: 'must be a whole number of days, weeks or months, e.g. "30d", "4w" or "3m"' })
        .default(P.backups.retentionPolicy),
    /** Object-store URL, e.g. s3://bucket/postgres. */
    destinationPath: z.string().min(1).optional(),
    /** S3-compatible endpoint; absent means AWS S3 in s3Region. */
    endpointURL: z
        .string()
        .regex(/^https?:\/\/\S+$/, { error: "must be an http(s):// URL" })
        .superRefine((v, ctx) => {
            // The instances' egress opens this URL's port: one the program cannot read must not silently become 443.
            const problem = /^https?:\/\/\S+$/.test(v) ? urlProblem(v, "https://minio.backup.svc:9000") : undefined;
            if (problem) ctx.addIssue({ code: "custom", message: problem });
        })
        .optional(),
    /** Existing Secret (created out of band) that holds the object-store credentials. */
    credentialsSecret: z.string().min(1).optional(),
    /** AWS region of the bucket; the cluster chart derives the S3 endpoint from it when endpointURL is absent. */
    s3Region: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-[0-9]+$/, { error: 'must be an AWS region such as "eu-west-1"' })
        .optional(),
    /** Addresses of the object store the instances may upload to; required with backups (no default: object stores share no range). */
    egressCidrs: z.array(cidr).min(1, { error: "must list at least one CIDR" }).optional(),
};

/** Backups as components consume them: off, or on with everything the cluster chart needs. */
export type BackupConfig =
    | { enabled: false }
    | {
          enabled: true;
          method: "plugin" | "barmanObjectStore";
          schedule: string;
          retentionPolicy: string;
          destinationPath: string;
          credentialsSecret: string;
          endpointURL?: string;
          s3Region?: string;
          egressCidrs: string[];
      };

const backupsSchema = z
    .object(backupFields)
    .strict()
    .superRefine((b, ctx) => {
        if (!b.enabled) return;
        // The cluster chart needs a destination, the credentials Secret, and an endpoint or the region to derive it.
        for (const k of ["destinationPath", "credentialsSecret", "egressCidrs"] as const) {
            if (!b[k]) ctx.addIssue({ code: "custom", path: [k], message: "is required when backups are enabled" });
        }
        if (!b.endpointURL && !b.s3Region) {
            ctx.addIssue({
                code: "custom",
                path: ["s3Region"],
                message: 'is required when backups are enabled and no endpointURL is set (e.g. "eu-west-1"); or set endpointURL for a non-AWS object store',
            });
        }
    })
    .transform((b): BackupConfig =>
        b.enabled
            ? {
                  enabled: true,
                  method: b.method,
                  schedule: b.schedule,
                  retentionPolicy: b.retentionPolicy,
                  destinationPath: b.destinationPath!,
                  credentialsSecret: b.credentialsSecret!,
                  endpointURL: b.endpointURL,
                  s3Region: b.s3Region,
                  egressCidrs: b.egressCidrs!,
              }
            : { enabled: false },
    );

/** The CloudNativePG operator image: registry/repository:tag (its chart composes repository:tag, so no digest). */
export const operatorImageSchema = image.superRefine((v, ctx) => {
    if (v.includes("@"))
        ctx.addIssue({
            code: "custom",
            message: `"${v}" names a digest; the operator chart composes repository:tag, so pin a version tag (e.g. "registry.example.com/cloudnative-pg:1.30.0")`,
        });
});

export const postgresSchema = z
    .object({
        /** Deploy a CloudNativePG cluster. Defaults to false. */
        enabled: z.boolean().default(P.enabled),
        /** Install the CloudNativePG operator chart (false when the cluster already runs it). Defaults to true. */
        installOperator: z.boolean().default(P.installOperator),
        /** Namespace of the operator. Defaults to "cnpg-system". */
        operatorNamespace: dnsLabel("namespace").default(P.operatorNamespace),
        /** Defaults to the pinned cloudnative-pg chart (components/config/chartPins.ts). */
        operatorChart: chartSource(CNPG_OPERATOR_CHART),
        /**
         * failurePolicy of the operator's admission webhooks. "Ignore" only where the API server cannot reach the operator
         * (the hermetic e2e cluster, whose pods never run); CRs then go in unvalidated. Defaults to "Fail".
         */
        webhookFailurePolicy: z.enum(["Fail", "Ignore"], { error: "must be Fail or Ignore" }).default("Fail"),
        /**
         * Image of the operator (registry/repository:tag), e.g. a mirror in an air-gapped registry. The chart composes
         * `repository:tag`, so a digest cannot be given here. It is also the instance manager the operator copies into
         * every PostgreSQL pod. Defaults to the chart's own (ghcr.io/cloudnative-pg/cloudnative-pg:<appVersion>).
         */
        operatorImage: operatorImageSchema.optional(),
        /**
         * Node labels the operator's and the PostgreSQL instances' pods must run on (their `nodeSelector`). Defaults to
         * none. Not merged with platform:defaults.nodeSelector, which is the services'.
         */
        nodeSelector: nodeSelectorSchema.optional(),
        /** Taints the operator's and the instances' pods tolerate. Defaults to none. */
        tolerations: z.array(tolerationSchema).optional(),
        /** Defaults to the pinned cluster chart (components/config/chartPins.ts). */
        clusterChart: chartSource(CNPG_CLUSTER_CHART),
        /** PostgreSQL image (tag or digest; never floating). Defaults to DEFAULTS.postgres.image (PostgreSQL 16.10, standard). */
        image: image.default(P.image),
        /** PostgreSQL instances (1 primary + replicas). Defaults to 1. */
        instances: z.number().int().min(1, { error: "must be at least 1" }).default(P.instances),
        /** Application database. Defaults to "app". */
        database: dnsLabel("database").default(P.database),
        /** Owner role of the database. Defaults to "app". */
        owner: dnsLabel("owner").default(P.owner),
        /** Volume of each instance. Size defaults to "1Gi", storageClass to the cluster's default. */
        storage: z.object({ size: memory, storageClass: z.string().optional() }).strict().prefault({ size: P.storageSize }),
        /** Requests/limits of each instance; unset fields default to 250m/512Mi requests, 1/1Gi limits. */
        resources: resources.optional(),
        /** Barman object-store backups. Defaults to off. */
        backups: backupsSchema.prefault({}),
        /**
         * "retain": `pulumi destroy` leaves the namespace, the Cluster and its PVCs in place; "delete": everything goes.
         * Defaults to "retain".
         */
        pvcRetention: z.enum(["retain", "delete"], { error: "must be retain or delete" }).default(P.pvcRetention),
        /**
         * How services are kept apart: "database" gives each service that uses PostgreSQL its own database, owned by its
         * own role; "schema" gives each its own schema in the shared `database`. Defaults to "database".
         */
        isolation: z.enum(["database", "schema"], { error: "must be database or schema" }).default(P.isolation),
    })
    .strict()
    .superRefine((p, ctx) => {
        // The in-tree path runs barman-cloud inside the instance; minimal/standard images do not ship it.
        if (p.backups.enabled && p.backups.method === "barmanObjectStore" && /-(minimal|standard)-/.test(p.image)) {
            ctx.addIssue({
                code: "custom",
                path: ["image"],
                message: `"${p.image}" has no Barman Cloud tools, which backups.method "barmanObjectStore" needs; use a "-system-" image or backups.method "plugin"`,
            });
        }
    })
    .prefault({});

export const redisSchema = z
    .object({
        /** Deploy Valkey. Defaults to false. */
        enabled: z.boolean().default(R.enabled),
        /** Defaults to the pinned valkey chart (components/config/chartPins.ts). */
        chart: chartSource(VALKEY_CHART),
        /** Persistent volume of each pod. Defaults to off, size "1Gi". */
        persistence: z
            .object({
                enabled: z.boolean().default(R.persistenceEnabled),
                size: memory.default(R.persistenceSize),
                storageClass: z.string().optional(),
            })
            .strict()
            .prefault({}),
        /** Read replicas next to the primary (asynchronous copies; no automatic failover). Defaults to 0. */
        replicas: z.number().int().min(0, { error: "must be 0 or more" }).default(R.replicas),
        /** "retain": `pulumi destroy` leaves the data volumes (and the namespace) in place; "delete": they go. Defaults to "retain". */
        pvcRetention: z.enum(["retain", "delete"], { error: "must be retain or delete" }).default(R.pvcRetention),
        /** Requests/limits of each pod; unset fields default to 100m/128Mi requests, 500m/512Mi limits. */
        resources: resources.optional(),
        acl: z
            .object({
                /**
                 * Command rules of every service's ACL user unless the service sets `redis.commands`. Defaults to
                 * "-@all +@read +@write +@keyspace +@transaction +@connection -@admin -@dangerous".
                 */
                commands: valkeyCommands.default(R.aclCommands),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .prefault({});

const topicSchema = z
    .object({
        name: z.string().regex(TOPIC_NAME, { error: 'must follow app.domain.event-type.version, e.g. "shop.orders.order-created.v1"' }),
        /** Defaults to 3. */
        partitions: z.number().int().min(1, { error: "must be at least 1" }).default(K.topic.partitions),
        /** Defaults to 1. */
        replicas: z.number().int().min(1, { error: "must be at least 1" }).default(K.topic.replicas),
        /** Defaults to 168 (one week). */
        retentionHours: z.number().int().min(1, { error: "must be at least 1" }).default(K.topic.retentionHours),
        /** Services that write the topic. Defaults to none. */
        producers: z.array(z.string()).default([]),
        /** Services that read the topic. Defaults to none. */
        consumers: z.array(z.string()).default([]),
    })
    .strict();

export const kafkaSchema = z
    .object({
        /** Deploy a Strimzi Kafka cluster. Defaults to false. */
        enabled: z.boolean().default(K.enabled),
        /** Install the Strimzi operator chart. Defaults to true. */
        installOperator: z.boolean().default(K.installOperator),
        /** Namespace of the operator. Defaults to "strimzi-system". */
        operatorNamespace: dnsLabel("namespace").default(K.operatorNamespace),
        /** Defaults to the pinned strimzi-kafka-operator chart (components/config/chartPins.ts). */
        operatorChart: chartSource(STRIMZI_OPERATOR_CHART),
        /** Name of the Kafka CR. Defaults to "events". */
        clusterName: dnsLabel("cluster").default(K.clusterName),
        /** Apache Kafka version; must be one the operator supports. Defaults to STRIMZI_DEFAULT_KAFKA_VERSION. */
        version: z
            .string()
            .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: 'must be a Kafka version such as "4.3.1" (one the pinned Strimzi release supports)' })
            .default(K.version),
        /** Brokers (combined broker/controller nodes). Defaults to 1. */
        replicas: z.number().int().min(1, { error: "must be at least 1" }).default(K.replicas),
        /** Broker storage. Defaults to ephemeral; size "10Gi"; deleteClaim false. */
        storage: z
            .object({
                type: z.enum(["ephemeral", "persistent-claim"], { error: "must be ephemeral or persistent-claim" }).default(K.storageType),
                size: memory.default(K.storageSize),
                deleteClaim: z.boolean().default(K.deleteClaim),
            })
            .strict()
            .prefault({}),
        /** Requests/limits of each broker; unset fields default to 250m/1Gi requests, 1/2Gi limits. */
        resources: resources.optional(),
        /**
         * Client listener encryption. true: TLS listener (SASL_SSL, SCRAM-SHA-512). false: plaintext listener with the
         * same SCRAM authentication (SASL_PLAINTEXT), refused in production. Defaults to true.
         */
        tls: z.boolean().default(K.tls),
        /** KafkaTopics. Defaults to none. */
        topics: z.array(topicSchema).default([]),
    })
    .strict()
    .prefault({});
