// Every malformed config the suite knows, with the key and the words its refusal must carry. Shared by the config
// unit tests (message per case) and the stack tests (each one refused before a single resource is registered).
import { readStackFile } from "../../tools/stackEvaluator";

export type Json = Record<string, unknown>;

/** How the stack's secrets are set for a case: all set with --secret (default), none set, or one in plaintext. */
export type SecretSetup = "none" | { plaintext: string };

export interface RefusalCase {
    title: string;
    /** Stack file the case starts from. Defaults to "dev". */
    stack?: "dev" | "staging" | "production";
    mutate: (c: Json) => void;
    key: string;
    message: string | RegExp;
    secrets?: SecretSetup;
}

/** A stack file's config as unqualified, parsed objects: the base every case mutates. */
export function baseConfig(stack = "dev"): Json {
    const out: Json = {};
    for (const [k, v] of Object.entries(readStackFile(stack))) if (k.startsWith("platform:")) out[k.slice(9)] = v;
    return JSON.parse(JSON.stringify(out)) as Json;
}

export const services = (c: Json) => c.services as Json[];
const svc = (c: Json, i: number) => services(c)[i];
const obj = (c: Json, k: string) => (c[k] ?? (c[k] = {})) as Json;
const LONG = (n: number) => `svc-${"x".repeat(n - 4)}`;

/** Cases that existed before the config check learnt the grammars and invariants below. */
export const BASIC_CASES: RefusalCase[] = [
    { title: "missing environment", mutate: (c) => delete c.environment, key: "platform:environment", message: "is required" },
    {
        title: "unknown environment",
        mutate: (c) => {
            c.environment = "qa";
        },
        key: "platform:environment",
        message: "must be one of dev, staging, production",
    },
    { title: "missing namespace", mutate: (c) => delete c.namespace, key: "platform:namespace", message: /required|object/ },
    {
        title: "namespace not a DNS label",
        mutate: (c) => {
            (c.namespace as Json).name = "Shop_Dev";
        },
        key: "platform:namespace.name",
        message: "must be a DNS label",
    },
    {
        title: "missing team",
        mutate: (c) => {
            delete (c.metadata as Json).team;
        },
        key: "platform:metadata.team",
        message: /required|string/,
    },
    {
        title: "no services",
        mutate: (c) => {
            c.services = [];
        },
        key: "platform:services",
        message: "at least one service",
    },
    {
        title: "services not a list",
        mutate: (c) => {
            c.services = { web: {} };
        },
        key: "platform:services",
        message: "must be a list of services",
    },
    {
        title: "zero replicas",
        mutate: (c) => {
            services(c)[0].replicas = 0;
        },
        key: "platform:services[0].replicas",
        message: "must be at least 1",
    },
    {
        title: "negative replicas",
        mutate: (c) => {
            (c.defaults as Json).replicas = -2;
        },
        key: "platform:defaults.replicas",
        message: "must be at least 1",
    },
    {
        title: "fractional replicas",
        mutate: (c) => {
            services(c)[2].replicas = 1.5;
        },
        key: "platform:services[2].replicas",
        message: "whole number",
    },
    {
        title: "replicas as a string",
        mutate: (c) => {
            services(c)[2].replicas = "three";
        },
        key: "platform:services[2].replicas",
        message: "whole number",
    },
    {
        title: "autoscaling min > max",
        mutate: (c) => {
            services(c)[1].autoscaling = { enabled: true, minReplicas: 5, maxReplicas: 2 };
        },
        key: "platform:services[1].autoscaling.minReplicas",
        message: "must not exceed maxReplicas (2)",
    },
    {
        title: "utilization over 100 %",
        mutate: (c) => {
            (c.defaults as Json).autoscaling = { cpuUtilization: 170 };
        },
        key: "platform:defaults.autoscaling.cpuUtilization",
        message: "percentage",
    },
    {
        title: "image without tag",
        mutate: (c) => {
            services(c)[0].image = "ghcr.io/stefanprodan/podinfo";
        },
        key: "platform:services[0].image",
        message: "has no tag",
    },
    {
        title: "image with latest tag",
        mutate: (c) => {
            services(c)[0].image = "nginx:latest";
        },
        key: "platform:services[0].image",
        message: '"latest" tag',
    },
    {
        title: "malformed image",
        mutate: (c) => {
            services(c)[0].image = "Not An Image!";
        },
        key: "platform:services[0].image",
        message: "not a valid image reference",
    },
    {
        title: "duplicate service names",
        mutate: (c) => {
            services(c)[2].name = "api";
        },
        key: "platform:services[2].name",
        message: 'duplicate service name "api"',
    },
    {
        title: "service name not a DNS label",
        mutate: (c) => {
            services(c)[0].name = "Web";
        },
        key: "platform:services[0].name",
        message: "must be a DNS label",
    },
    {
        title: "unknown dependency",
        mutate: (c) => {
            services(c)[0].dependsOn = ["billing"];
        },
        key: "platform:services[0].dependsOn[0]",
        message: 'unknown service "billing"',
    },
    {
        title: "self dependency",
        mutate: (c) => {
            services(c)[1].dependsOn = ["api"];
        },
        key: "platform:services[1].dependsOn[0]",
        message: "cannot depend on itself",
    },
    {
        title: "port 0",
        mutate: (c) => {
            services(c)[0].port = 0;
        },
        key: "platform:services[0].port",
        message: "between 1 and 65535",
    },
    {
        title: "port too large",
        mutate: (c) => {
            services(c)[0].port = 70000;
        },
        key: "platform:services[0].port",
        message: "between 1 and 65535",
    },
    {
        title: "path prefix without slash",
        mutate: (c) => {
            services(c)[1].pathPrefix = "api";
        },
        key: "platform:services[1].pathPrefix",
        message: "must start with '/'",
    },
    {
        title: "path prefix with spaces",
        mutate: (c) => {
            services(c)[1].pathPrefix = "/my api";
        },
        key: "platform:services[1].pathPrefix",
        message: "must start with '/'",
    },
    {
        title: "duplicate public path prefix",
        mutate: (c) => {
            services(c)[1].pathPrefix = "/";
        },
        key: "platform:services[1].pathPrefix",
        message: 'already routed to service "web"',
    },
    {
        title: "public service without path prefix",
        mutate: (c) => {
            delete services(c)[1].pathPrefix;
        },
        key: "platform:services[1].pathPrefix",
        message: "required for a public service",
    },
    {
        title: "bad topic name",
        mutate: (c) => {
            ((c.kafka as Json).topics as Json[])[0].name = "orders";
        },
        key: "platform:kafka.topics[0].name",
        message: "app.domain.event-type.version",
    },
    {
        title: "topic consumer without kafka",
        mutate: (c) => {
            ((c.kafka as Json).topics as Json[])[0].consumers = ["web"];
        },
        key: "platform:kafka.topics[0].consumers[0]",
        message: "does not declare uses: [kafka]",
    },
    {
        title: "topic replicas above brokers",
        mutate: (c) => {
            ((c.kafka as Json).topics as Json[])[0].replicas = 3;
        },
        key: "platform:kafka.topics[0].replicas",
        message: "exceeds the number of brokers",
    },
    {
        title: "uses a disabled store",
        mutate: (c) => {
            (c.redis as Json).enabled = false;
        },
        key: "platform:services[1].uses[1]",
        message: "platform:redis.enabled is false",
    },
    {
        title: "TLS off in production",
        mutate: (c) => {
            c.environment = "production";
            (c.secrets as Json).allowGenerated = false;
        },
        key: "platform:edge.tls.enabled",
        message: "must be true in production",
    },
    {
        title: "generated secrets requested in production",
        mutate: (c) => {
            c.environment = "production";
            (c.edge as Json).tls = { enabled: true, clusterIssuer: "le" };
        },
        key: "platform:secrets.allowGenerated",
        message: "refused in production",
    },
    {
        title: "missing secret where generation is off",
        mutate: (c) => {
            (c.secrets as Json).allowGenerated = false;
        },
        key: "platform:apiPostgresPassword",
        message: "pulumi config set --secret platform:apiPostgresPassword",
        secrets: "none",
    },
    {
        title: "secret stored in plaintext",
        mutate: () => undefined,
        key: "platform:sessionSigningKey",
        message: "stored in plaintext",
        secrets: { plaintext: "sessionSigningKey" },
    },
    {
        title: "secret-looking env literal",
        mutate: (c) => {
            services(c)[0].env = { DB_PASSWORD: "hunter2" };
        },
        key: "platform:services[0].env.DB_PASSWORD",
        message: "Move it to secretEnv",
    },
    {
        title: "requests above limits",
        mutate: (c) => {
            services(c)[0].resources = { requests: { cpu: "2" }, limits: { cpu: "500m" } };
        },
        key: "platform:services[0].resources.requests.cpu",
        message: "exceeds the CPU limit",
    },
    {
        title: "bad memory quantity",
        mutate: (c) => {
            services(c)[0].resources = { limits: { memory: "512MB" } };
        },
        key: "platform:services[0].resources.limits.memory",
        message: 'write "512M" (×1000²) or "512Mi" (×1024²)',
    },
    {
        title: "PDB that blocks drains",
        mutate: (c) => {
            (c.defaults as Json).disruptionBudget = { maxUnavailable: 0 };
        },
        key: "platform:defaults.disruptionBudget.maxUnavailable",
        message: "block every node drain",
    },
    {
        title: "unknown service setting (typo)",
        mutate: (c) => {
            services(c)[0].replicaz = 2;
        },
        key: "platform:services[0].replicaz",
        message: "is not a known setting",
    },
    {
        title: "unknown top-level key gets a suggestion",
        mutate: (c) => {
            c.servcies = [];
        },
        key: "platform:servcies",
        message: 'did you mean "services"',
    },
    {
        title: "edge without host",
        mutate: (c) => {
            delete (c.edge as Json).host;
        },
        key: "platform:edge.host",
        message: 'required when platform:edge.mode is "ingress"',
    },
    {
        title: "gateway mode without gateway",
        mutate: (c) => {
            (c.edge as Json).mode = "gateway";
        },
        key: "platform:edge.gateway",
        message: "name and namespace of the Gateway",
    },
    {
        title: "public service without edge",
        mutate: (c) => {
            (c.edge as Json).mode = "none";
        },
        key: "platform:services[0].public",
        message: 'platform:edge.mode is "none"',
    },
    {
        title: "chart version range",
        mutate: (c) => {
            (c.postgres as Json).operatorChart = { chart: "cloudnative-pg", version: "^0.26" };
        },
        key: "platform:postgres.operatorChart.version",
        message: "exact chart version",
    },
    {
        title: "operator image by digest",
        mutate: (c) => {
            (c.postgres as Json).operatorImage = "registry.example.com/cloudnative-pg@sha256:" + "a".repeat(64);
        },
        key: "platform:postgres.operatorImage",
        message: "composes repository:tag",
    },
    {
        title: "floating operator image",
        mutate: (c) => {
            (c.postgres as Json).operatorImage = "registry.example.com/cloudnative-pg:latest";
        },
        key: "platform:postgres.operatorImage",
        message: '"latest" tag',
    },
    {
        title: "store toleration with a bad effect",
        mutate: (c) => {
            (c.postgres as Json).tolerations = [{ key: "dedicated", operator: "Exists", effect: "NoSchedul" }];
        },
        key: "platform:postgres.tolerations[0].effect",
        message: "must be one of",
    },
    {
        title: "chart repo not a URL",
        mutate: (c) => {
            (c.kafka as Json).operatorChart = { chart: "strimzi-kafka-operator", repo: "quay.io/strimzi-helm", version: "0.48.0" };
        },
        key: "platform:kafka.operatorChart.repo",
        message: "https:// or oci://",
    },
    {
        title: "bad cron schedule",
        mutate: (c) => {
            (services(c)[1].cleanup as Json).schedule = "daily";
        },
        key: "platform:services[1].cleanup.schedule",
        message: 'a schedule has 5, e.g. "0 3 * * *"',
    },
    {
        title: "zero retention",
        mutate: (c) => {
            (services(c)[1].cleanup as Json).retentionDays = 0;
        },
        key: "platform:services[1].cleanup.retentionDays",
        message: "at least 1 day",
    },
    {
        title: "an OTel collector named only in a literal env var",
        mutate: (c) => {
            services(c)[1].env = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector.observability:4317" };
        },
        key: "platform:services[1].env.OTEL_EXPORTER_OTLP_ENDPOINT",
        message: "no NetworkPolicy lets the pods reach it; set otel.endpoint",
    },
    {
        title: "cleanup without any retention period",
        mutate: (c) => {
            delete (services(c)[1].cleanup as Json).retentionDays;
        },
        key: "platform:services[1].cleanup.retentionDays",
        message: "set retentionDays (one period, e.g. 30) or retention (one per kind of data",
    },
    {
        title: "a retention period of zero days for one kind",
        mutate: (c) => {
            (services(c)[1].cleanup as Json).retention = { events: 90, sessions: 0 };
        },
        key: "platform:services[1].cleanup.retention.sessions",
        message: "at least 1 day",
    },
    {
        title: "a retention kind that is no env-name part",
        mutate: (c) => {
            (services(c)[1].cleanup as Json).retention = { "audit-logs": 30 };
        },
        key: "platform:services[1].cleanup.retention.audit-logs",
        message: "must be a lowercase name such as events or audit_logs",
    },
    {
        title: "an empty retention map",
        mutate: (c) => {
            delete (services(c)[1].cleanup as Json).retentionDays;
            (services(c)[1].cleanup as Json).retention = {};
        },
        key: "platform:services[1].cleanup.retention",
        message: "must name at least one kind of data",
    },
    {
        title: "env var name with a dash",
        mutate: (c) => {
            services(c)[1].secretEnv = [{ name: "SESSION-KEY", secret: "sessionSigningKey" }];
        },
        key: "platform:services[1].secretEnv[0].name",
        message: "environment variable name",
    },
    {
        title: "a service name that is a reserved Valkey user",
        mutate: (c) => {
            services(c)[2].name = "replication";
            services(c)[2].uses = ["redis"];
            obj(c, "kafka").topics = [];
        },
        key: "platform:services[2].name",
        message: "reserved for a Valkey system user",
    },
    {
        title: "two services that would share a PostgreSQL role",
        mutate: (c) => {
            services(c)[1].postgres = { runtimeRole: true };
            services(c)[2].name = "api-runtime";
            services(c)[2].uses = ["postgres"];
            obj(c, "kafka").topics = [];
        },
        key: "platform:services[2].name",
        message: 'gives postgres user "api_runtime", which service "api" already uses',
    },
    {
        title: "an API server range that is not a CIDR",
        mutate: (c) => {
            c.network = { apiServer: { cidrs: ["10.0.0.0"] } };
        },
        key: "platform:network.apiServer.cidrs[0]",
        message: "must be an IPv4 CIDR",
    },
    {
        title: "a Valkey rule that sets a password",
        mutate: (c) => {
            services(c)[1].redis = { commands: "+@read >secret" };
        },
        key: "platform:services[1].redis.commands",
        message: '">secret", which is not a command rule',
    },
    {
        title: "an ephemeral-storage quota without container defaults for it",
        mutate: (c) => {
            obj(c, "namespace").quota = {
                requestsCpu: "4",
                requestsMemory: "8Gi",
                limitsCpu: "8",
                limitsMemory: "16Gi",
                limitsEphemeralStorage: "16Gi",
                pods: 60,
            };
            obj(c, "namespace").containerDefaults = { limits: { cpu: "1" } };
        },
        key: "platform:namespace.containerDefaults.limits.ephemeralStorage",
        message: "the quota refuses containers without it",
    },
    {
        title: "an ephemeral-storage request above its limit",
        mutate: (c) => {
            services(c)[0].resources = { requests: { ephemeralStorage: "2Gi" }, limits: { ephemeralStorage: "1Gi" } };
        },
        key: "platform:services[0].resources.requests.ephemeralStorage",
        message: "the ephemeral-storage request 2Gi (set here) exceeds the ephemeral-storage limit 1Gi (set here)",
    },
    {
        title: "plaintext Kafka in production",
        mutate: (c) => {
            c.environment = "production";
            obj(c, "secrets").allowGenerated = false;
            obj(c, "edge").tls = { enabled: true, clusterIssuer: "le" };
            obj(c, "kafka").tls = false;
        },
        key: "platform:kafka.tls",
        message: "plaintext Kafka is refused in production",
    },
    {
        title: "backups without the object store's address range",
        mutate: (c) => {
            obj(c, "postgres").backups = { enabled: true, destinationPath: "s3://b/p", credentialsSecret: "s3", s3Region: "eu-west-1" };
        },
        key: "platform:postgres.backups.egressCidrs",
        message: "is required when backups are enabled",
    },
    {
        title: "dapr on a service without stack dapr",
        mutate: (c) => {
            services(c)[1].dapr = { enabled: true };
        },
        key: "platform:services[1].dapr.enabled",
        message: "platform:dapr.enabled is false",
    },
    {
        title: "unknown store in uses",
        mutate: (c) => {
            services(c)[1].uses = ["mongodb"];
        },
        key: "platform:services[1].uses[0]",
        message: '"mongodb" is neither a data store (postgres, redis, kafka) nor a platform:charts entry',
    },
];

/** Cases of the grammars, limits and invariants Kubernetes, the operators and the charts would reject mid-`up`. */
export const EARLY_CASES: RefusalCase[] = [
    // cron: field ranges as the CronJob controller (robfig/cron) checks them
    {
        title: "cron minute 60",
        mutate: (c) => {
            (svc(c, 1).cleanup as Json).schedule = "60 3 * * *";
        },
        key: "platform:services[1].cleanup.schedule",
        message: "minute 60 is out of range; use 0-59 in the minute field",
    },
    {
        title: "cron hour 24",
        mutate: (c) => {
            (svc(c, 1).cleanup as Json).schedule = "0 24 * * *";
        },
        key: "platform:services[1].cleanup.schedule",
        message: "hour 24 is out of range; use 0-23 in the hour field",
    },
    {
        title: "cron day of month 0",
        mutate: (c) => {
            (svc(c, 1).cleanup as Json).schedule = "0 3 0 * *";
        },
        key: "platform:services[1].cleanup.schedule",
        message: "day of month 0 is out of range; use 1-31 in the day of month field",
    },
    {
        title: "cron month 13",
        mutate: (c) => {
            (svc(c, 1).cleanup as Json).schedule = "0 3 1 13 *";
        },
        key: "platform:services[1].cleanup.schedule",
        message: "month 13 is out of range; use 1-12 in the month field",
    },
    {
        title: "cron day of week 7",
        mutate: (c) => {
            (svc(c, 1).cleanup as Json).schedule = "0 3 * * 7";
        },
        key: "platform:services[1].cleanup.schedule",
        message: "day of week 7 is out of range; use 0-6 in the day of week field",
    },
    {
        title: "cron range backwards",
        mutate: (c) => {
            (svc(c, 1).cleanup as Json).schedule = "0 5-2 * * *";
        },
        key: "platform:services[1].cleanup.schedule",
        message: 'the range "5-2" in the hour field runs backwards',
    },
    {
        title: "cron step 0",
        mutate: (c) => {
            (svc(c, 1).cleanup as Json).schedule = "*/0 * * * *";
        },
        key: "platform:services[1].cleanup.schedule",
        message: "has a step of 0",
    },
    {
        title: "cron unknown day name",
        mutate: (c) => {
            (svc(c, 1).cleanup as Json).schedule = "0 3 * * MON-FRY";
        },
        key: "platform:services[1].cleanup.schedule",
        message: '"FRY" is not a valid day of week',
    },
    {
        title: "cron with a time zone prefix",
        mutate: (c) => {
            (svc(c, 1).cleanup as Json).schedule = "TZ=UTC 0 3 * * *";
        },
        key: "platform:services[1].cleanup.schedule",
        message: "time zones are not allowed in the schedule",
    },
    {
        title: "backup schedule without the seconds field",
        mutate: (c) => {
            obj(c, "postgres").backups = { schedule: "0 2 * * *" };
        },
        key: "platform:postgres.backups.schedule",
        message: 'has 5 fields; a schedule has 6, e.g. "0 0 2 * * *"',
    },
    // quantities: the apiserver's grammar, with the unit to write instead
    {
        title: "memory 512K (uppercase K)",
        mutate: (c) => {
            svc(c, 0).resources = { limits: { memory: "512K" } };
        },
        key: "platform:services[0].resources.limits.memory",
        message: '"K" is not a Kubernetes unit; write "512k" (×1000) or "512Ki" (×1024)',
    },
    {
        title: "memory in GB",
        mutate: (c) => {
            obj(c, "redis").resources = { limits: { memory: "2GB" } };
        },
        key: "platform:redis.resources.limits.memory",
        message: 'write "2G" (×1000³) or "2Gi" (×1024³)',
    },
    {
        title: "quantity with a space",
        mutate: (c) => {
            (obj(c, "kafka").storage as Json).size = "100 Gi";
        },
        key: "platform:kafka.storage.size",
        message: 'contains spaces; write "100Gi"',
    },
    {
        title: "negative CPU",
        mutate: (c) => {
            svc(c, 2).resources = { requests: { cpu: "-1" } };
        },
        key: "platform:services[2].resources.requests.cpu",
        message: "must not be negative",
    },
    {
        title: "quota in lowercase gi",
        mutate: (c) => {
            obj(c, "namespace").quota = { requestsCpu: "4", requestsMemory: "8gi", limitsCpu: "8", limitsMemory: "16Gi", pods: 50 };
        },
        key: "platform:namespace.quota.requestsMemory",
        message: 'write "8Gi"',
    },
    // durations: Prometheus' grammar
    {
        title: "scrape interval with a fraction",
        mutate: (c) => {
            obj(c, "observability").scrapeInterval = "1.5m";
        },
        key: "platform:observability.scrapeInterval",
        message: 'Prometheus durations take whole numbers, e.g. "90s"',
    },
    {
        title: "scrape interval with a space",
        mutate: (c) => {
            obj(c, "observability").scrapeInterval = "1m 30s";
        },
        key: "platform:observability.scrapeInterval",
        message: 'contains spaces; write the units together, e.g. "1m30s"',
    },
    {
        title: "scrape interval in words",
        mutate: (c) => {
            obj(c, "observability").scrapeInterval = "30sec";
        },
        key: "platform:observability.scrapeInterval",
        message: "not a Prometheus duration; write whole numbers with the units y, w, d, h, m, s, ms, largest first",
    },
    {
        title: "scrape interval units out of order",
        mutate: (c) => {
            obj(c, "observability").scrapeInterval = "30s1m";
        },
        key: "platform:observability.scrapeInterval",
        message: "largest first",
    },
    {
        title: "backup retention of 0 days",
        mutate: (c) => {
            obj(c, "postgres").backups = { retentionPolicy: "0d" };
        },
        key: "platform:postgres.backups.retentionPolicy",
        message: "whole number of days, weeks or months",
    },
    // requests above limits, naming where each value comes from
    {
        title: "request above a limit inherited from platform:defaults",
        mutate: (c) => {
            svc(c, 0).resources = { requests: { memory: "1Gi" } };
        },
        key: "platform:services[0].resources.requests.memory",
        message: "the memory request 1Gi (set here) exceeds the memory limit 512Mi (inherited from platform:defaults.resources.limits.memory)",
    },
    {
        title: "request above the built-in limit",
        mutate: (c) => {
            delete (c.defaults as Json).resources;
            svc(c, 2).resources = { requests: { cpu: "2" } };
        },
        key: "platform:services[2].resources.requests.cpu",
        message: 'exceeds the CPU limit 500m (the built-in default for service "worker"; set platform:services[2].resources.limits.cpu to change it)',
    },
    {
        title: "request and limit both in platform:defaults",
        mutate: (c) => {
            (c.defaults as Json).resources = { requests: { cpu: "2" }, limits: { cpu: "1" } };
        },
        key: "platform:defaults.resources.requests.cpu",
        message: "the CPU request 2 (set here) exceeds the CPU limit 1 (set here)",
    },
    {
        title: "request above limit in a service with a migration and a cleanup",
        mutate: (c) => {
            svc(c, 1).resources = { requests: { cpu: "750m" } };
        },
        key: "platform:services[1].resources.requests.cpu",
        message: 'service "api" and its migration Job and cleanup CronJob',
    },
    {
        title: "namespace container defaults request above limit",
        mutate: (c) => {
            (c.namespace as Json).containerDefaults = { requests: { memory: "1Gi" }, limits: { memory: "512Mi" } };
        },
        key: "platform:namespace.containerDefaults.requests.memory",
        message: "the default memory request 1Gi exceeds the default memory limit 512Mi",
    },
    {
        title: "PostgreSQL request above its built-in limit",
        mutate: (c) => {
            obj(c, "postgres").resources = { requests: { memory: "4Gi" } };
        },
        key: "platform:postgres.resources.requests.memory",
        message: "exceeds the memory limit 1Gi (the built-in default for PostgreSQL instances; set platform:postgres.resources.limits.memory to change it)",
    },
    {
        title: "Valkey request above its own limit",
        mutate: (c) => {
            obj(c, "redis").resources = { requests: { cpu: "1" }, limits: { cpu: "250m" } };
        },
        key: "platform:redis.resources.requests.cpu",
        message: "the CPU request 1 (set here) exceeds the CPU limit 250m (set here)",
    },
    {
        title: "Kafka request above its built-in limit",
        mutate: (c) => {
            obj(c, "kafka").resources = { requests: { memory: "3Gi" } };
        },
        key: "platform:kafka.resources.requests.memory",
        message: "the built-in default for Kafka brokers",
    },
    {
        title: "Dapr sidecar request above its built-in limit",
        mutate: (c) => {
            c.dapr = { enabled: true, sidecarResources: { requests: { memory: "512Mi" } } };
        },
        key: "platform:dapr.sidecarResources.requests.memory",
        message: "exceeds the memory limit 256Mi (the built-in default for the Dapr sidecar",
    },
    // what the operators and Kubernetes refuse by name or version
    {
        title: "Kafka version the pinned Strimzi does not run",
        mutate: (c) => {
            obj(c, "kafka").version = "3.9.0";
        },
        key: "platform:kafka.version",
        message: '"3.9.0" is not a Kafka version Strimzi 1.2.0 (the pinned operator) runs; write one of 4.2.0, 4.2.1, 4.3.0, 4.3.1',
    },
    {
        title: "service name too long for its cleanup CronJob",
        mutate: (c) => {
            svc(c, 1).name = LONG(46);
            svc(c, 0).dependsOn = [];
        },
        key: "platform:services[1].name",
        message: "over Kubernetes' 52; shorten the service name to at most 44 characters",
    },
    {
        title: "service name too long for its instance label",
        mutate: (c) => {
            svc(c, 2).name = LONG(60);
            (obj(c, "kafka").topics as Json[])[0].consumers = [];
        },
        key: "platform:services[2].name",
        message: "app.kubernetes.io/instance label name",
    },
    {
        title: "Kafka cluster name too long for broker hostnames",
        mutate: (c) => {
            obj(c, "kafka").clusterName = "orders-events-cluster-primary";
        },
        key: "platform:kafka.clusterName",
        message: "over the 63 of a hostname; shorten the cluster name",
    },
    // production invariants the policy pack also checks
    {
        title: "production autoscaling minimum of 1 from platform:defaults",
        stack: "production",
        mutate: (c) => {
            ((c.defaults as Json).autoscaling as Json).minReplicas = 1;
        },
        key: "platform:services[0].autoscaling.minReplicas",
        message: "is 1 (inherited from platform:defaults.autoscaling.minReplicas); production keeps at least 2 replicas",
    },
    {
        title: "production autoscaling minimum of 1 on a service",
        stack: "production",
        mutate: (c) => {
            svc(c, 2).autoscaling = { minReplicas: 1 };
        },
        key: "platform:services[2].autoscaling.minReplicas",
        message: "is 1 (set here)",
    },
    // credentials inside env values
    {
        title: "password in a URL env value",
        mutate: (c) => {
            svc(c, 2).env = { DATABASE_URL: "postgres://app:hunter2@db:5432/app" };
        },
        key: "platform:services[2].env.DATABASE_URL",
        message: "contains credentials in a URL (scheme://user:password@host); plaintext credentials are not allowed in env",
    },
    {
        title: "password in a JDBC query string",
        mutate: (c) => {
            svc(c, 2).env = { JDBC_URL: "jdbc:postgresql://db:5432/app?user=app&password=hunter2" };
        },
        key: "platform:services[2].env.JDBC_URL",
        message: "contains a credential in a connection string (password=…)",
    },
    {
        title: "password in an ADO.NET connection string",
        mutate: (c) => {
            svc(c, 2).env = { DB_CONNECTION: "Server=db;User Id=app;Password=hunter2;" };
        },
        key: "platform:services[2].env.DB_CONNECTION",
        message: "contains a credential in a connection string (Password=…)",
    },
    // variables a store injects
    {
        title: "env name a used store injects",
        mutate: (c) => {
            svc(c, 1).env = { POSTGRES_HOST: "other-db" };
        },
        key: "platform:services[1].env.POSTGRES_HOST",
        message: "is set by platform:postgres for every service that uses it",
    },
    {
        title: "secretEnv name a used store injects",
        mutate: (c) => {
            (svc(c, 1).secretEnv as Json[]).push({ name: "REDIS_PASSWORD", secret: "sessionSigningKey" });
        },
        key: "platform:services[1].secretEnv[1].name",
        message: '"REDIS_PASSWORD" is set by platform:redis',
    },
    // messages in words, "did you mean" at every depth
    {
        title: "quoted number",
        mutate: (c) => {
            svc(c, 0).replicas = "3";
        },
        key: "platform:services[0].replicas",
        message: 'write `replicas: 3`, not `"3"`',
    },
    {
        title: "quoted port",
        mutate: (c) => {
            svc(c, 0).port = "9898";
        },
        key: "platform:services[0].port",
        message: 'write `port: 9898`, not `"9898"`',
    },
    {
        title: "quoted boolean",
        mutate: (c) => {
            (c.edge as Json).tls = { enabled: "true" };
        },
        key: "platform:edge.tls.enabled",
        message: 'write `enabled: true`, not `"true"`',
    },
    {
        title: "number where text is expected",
        mutate: (c) => {
            (c.metadata as Json).costCenter = 1001;
        },
        key: "platform:metadata.costCenter",
        message: /must be (a string|text)/,
    },
    {
        title: "typo in a probe setting",
        mutate: (c) => {
            svc(c, 0).readinessProbe = { pahth: "/ready" };
        },
        key: "platform:services[0].readinessProbe.pahth",
        message: 'is not a known setting; did you mean "path"?',
    },
    {
        title: "typo in TLS settings",
        mutate: (c) => {
            (c.edge as Json).tls = { enable: true };
        },
        key: "platform:edge.tls.enable",
        message: 'did you mean "enabled"?',
    },
    {
        title: "typo in defaults autoscaling",
        mutate: (c) => {
            (c.defaults as Json).autoscaling = { minReplica: 2 };
        },
        key: "platform:defaults.autoscaling.minReplica",
        message: 'did you mean "minReplicas"?',
    },
    {
        title: "typo in a Kafka topic",
        mutate: (c) => {
            (obj(c, "kafka").topics as Json[])[0].partitons = 3;
        },
        key: "platform:kafka.topics[0].partitons",
        message: 'did you mean "partitions"?',
    },
    {
        title: "negative migration Job retention",
        mutate: (c) => {
            (svc(c, 1).migration as Json).ttlSecondsAfterFinished = -1;
        },
        key: "platform:services[1].migration.ttlSecondsAfterFinished",
        message: "must be 0 or more",
    },
    {
        title: "typo in a service's migration",
        mutate: (c) => {
            (svc(c, 1).migration as Json).backofLimit = 2;
        },
        key: "platform:services[1].migration.backofLimit",
        message: 'did you mean "backoffLimit"?',
    },
    {
        title: "unknown nested setting lists the known ones",
        mutate: (c) => {
            (obj(c, "postgres").storage as Json).iops = 3000;
        },
        key: "platform:postgres.storage.iops",
        message: "known settings here: size, storageClass",
    },
    {
        title: "generated secrets too long",
        mutate: (c) => {
            (c.secrets as Json).generatedLength = 200;
        },
        key: "platform:secrets.generatedLength",
        message: "must be at most 128",
    },
    {
        title: "topic with zero partitions",
        mutate: (c) => {
            (obj(c, "kafka").topics as Json[])[0].partitions = 0;
        },
        key: "platform:kafka.topics[0].partitions",
        message: "must be at least 1",
    },
    // node placement: label and toleration rules as the apiserver's pod validation applies them
    {
        title: "a nodeSelector key with a space",
        mutate: (c) => {
            svc(c, 1).nodeSelector = { "node pool": "e2e" };
        },
        key: 'platform:services[1].nodeSelector["node pool"]',
        message: 'the key "node pool" is not a label key',
    },
    {
        title: "an unquoted boolean nodeSelector value in platform:defaults",
        mutate: (c) => {
            (c.defaults as Json).nodeSelector = { "platform.example.com/e2e": true };
        },
        key: 'platform:defaults.nodeSelector["platform.example.com/e2e"]',
        message: 'write `platform.example.com/e2e: "true"` with quotes',
    },
    {
        title: "a toleration with operator Exists and a value",
        mutate: (c) => {
            svc(c, 2).tolerations = [{ key: "dedicated", operator: "Exists", value: "e2e" }];
        },
        key: "platform:services[2].tolerations[0].value",
        message: "must be empty when operator is Exists",
    },
    {
        title: "tolerationSeconds without effect NoExecute",
        mutate: (c) => {
            (c.defaults as Json).tolerations = [{ key: "dedicated", value: "e2e", effect: "NoSchedule", tolerationSeconds: 60 }];
        },
        key: "platform:defaults.tolerations[0].tolerationSeconds",
        message: "applies to effect NoExecute only",
    },
    // Pod Security baseline (Kubernetes 1.34) refuses a probe host, localhost included
    {
        title: "a probe host",
        mutate: (c) => {
            svc(c, 0).livenessProbe = { path: "/healthz", host: "127.0.0.1" };
        },
        key: "platform:services[0].livenessProbe.host",
        message: "is not allowed: the kubelet probes the pod's own IP, and Pod Security baseline (Kubernetes 1.34+) refuses any probe host",
    },
    {
        title: "a probe host in platform:defaults",
        mutate: (c) => {
            (c.defaults as Json).readinessProbe = { host: "localhost" };
        },
        key: "platform:defaults.readinessProbe.host",
        message: "remove it and have the process listen on the pod IP",
    },
    {
        title: "a sidecar probe host",
        mutate: (c) => {
            svc(c, 2).sidecars = [
                {
                    name: "agent",
                    image: "ghcr.io/acme/agent:1.0.0",
                    ports: [{ name: "agent", containerPort: 9000 }],
                    readinessProbe: { type: "tcp", port: "agent", host: "localhost" },
                },
            ];
        },
        key: "platform:services[2].sidecars[0].readinessProbe.host",
        message: "is not allowed",
    },
    {
        title: "quota pods as a word",
        mutate: (c) => {
            obj(c, "namespace").quota = { requestsCpu: "4", requestsMemory: "8Gi", limitsCpu: "8", limitsMemory: "16Gi", pods: "many" };
        },
        key: "platform:namespace.quota.pods",
        message: 'must be a number, not the text "many"',
    },
];

const chart = (name: string, extra: Json = {}): Json => ({ name, chart: { chart: name, path: `/charts/${name}` }, ports: [6379], ...extra });

/**
 * Config the schema accepted but the program could not build (a plain Error mid-run) or Kubernetes would refuse:
 * each is refused up front, with its key and the fix.
 */
export const EXACT_CASES: RefusalCase[] = [
    // env a service gets from two entries of its uses: the pod builder cannot pick one
    {
        title: "two charts a service uses give it one variable",
        mutate: (c) => {
            c.charts = [chart("queue", { clientEnv: { BROKER_HOST: "queue" } }), chart("cache", { clientEnv: { BROKER_HOST: "cache" } })];
            svc(c, 0).uses = ["queue", "cache"];
        },
        key: "platform:services[0].uses[1]",
        message:
            '"cache" gives the service BROKER_HOST, which platform:charts entry "queue" already sets for it; a variable can come from one source only: rename it in platform:charts[1]\'s clientEnv/clientSecretEnv, or drop "cache" from uses',
    },
    {
        title: "a chart's client env that a built-in store already sets",
        mutate: (c) => {
            c.charts = [chart("pgbouncer", { clientEnv: { POSTGRES_HOST: "pgbouncer" } })];
            (svc(c, 1).uses as string[]).push("pgbouncer");
        },
        key: "platform:services[1].uses[3]",
        message: '"pgbouncer" gives the service POSTGRES_HOST, which platform:postgres already sets for it',
    },
    {
        title: "a chart's client secret env that another chart also sets",
        mutate: (c) => {
            c.charts = [
                chart("queue", {
                    secretRefs: [{ path: "auth.existingSecret", secret: "queuePassword" }],
                    clientSecretEnv: [{ name: "BROKER_PASSWORD", secret: "queuePassword" }],
                }),
                chart("cache", { clientEnv: { BROKER_PASSWORD: "$(X)" } }),
            ];
            svc(c, 0).uses = ["cache", "queue"];
        },
        key: "platform:services[0].uses[1]",
        message: '"queue" gives the service BROKER_PASSWORD, which platform:charts entry "cache" already sets',
    },
    {
        title: "a chart variable both plain and secret",
        mutate: (c) => {
            c.charts = [
                chart("queue", {
                    secretRefs: [{ path: "auth.existingSecret", secret: "queuePassword" }],
                    clientEnv: { BROKER_PASSWORD: "none" },
                    clientSecretEnv: [{ name: "BROKER_PASSWORD", secret: "queuePassword" }],
                }),
            ];
        },
        key: "platform:charts[0].clientSecretEnv[0].name",
        message: '"BROKER_PASSWORD" is also in clientEnv; a variable is either plain or secret',
    },
    {
        title: "a chart secret variable listed twice",
        mutate: (c) => {
            c.charts = [
                chart("queue", {
                    secretRefs: [{ path: "auth.existingSecret", secret: "queuePassword" }],
                    clientSecretEnv: [
                        { name: "BROKER_PASSWORD", secret: "queuePassword" },
                        { name: "BROKER_PASSWORD", secret: "queuePassword" },
                    ],
                }),
            ];
        },
        key: "platform:charts[0].clientSecretEnv[1].name",
        message: '"BROKER_PASSWORD" is listed twice',
    },
    // URLs the program reads a port from: a port new URL() refuses threw a TypeError; port 0 became a NetworkPolicy port
    {
        title: "an OTLP endpoint port above 65535",
        mutate: (c) => {
            svc(c, 0).otel = { endpoint: "http://localhost:99999" };
        },
        key: "platform:services[0].otel.endpoint",
        message: "has port 99999; use a port between 1 and 65535",
    },
    {
        title: "an OTLP endpoint on port 0 in platform:defaults",
        mutate: (c) => {
            (c.defaults as Json).otel = { endpoint: "http://otel-collector.observability:0", collectorNamespace: "observability" };
        },
        key: "platform:defaults.otel.endpoint",
        message: "has port 0; use a port between 1 and 65535",
    },
    {
        title: "a backup endpoint port above 65535",
        mutate: (c) => {
            obj(c, "postgres").backups = {
                enabled: true,
                destinationPath: "s3://b/pg",
                credentialsSecret: "backup-creds",
                egressCidrs: ["10.0.0.0/8"],
                endpointURL: "https://minio.backup:90000",
            };
        },
        key: "platform:postgres.backups.endpointURL",
        message: "has port 90000; use a port between 1 and 65535",
    },
    // what the policy pack refuses as mandatory in every environment (policy/config/*.json): refused here first, naming the policy
    {
        title: "a service left without a liveness probe",
        mutate: (c) => {
            svc(c, 0).livenessProbe = { type: "none" };
        },
        key: "platform:services[0].livenessProbe.type",
        message: "is none, but the policy pack's liveness-probe policy refuses a Deployment container without a livenessProbe (mandatory in every environment",
    },
    {
        title: "every service left without a readiness probe by platform:defaults",
        mutate: (c) => {
            (c.defaults as Json).readinessProbe = { type: "none" };
        },
        key: "platform:defaults.readinessProbe.type",
        message: "the policy pack's readiness-probe policy",
    },
    {
        title: "a service running as UID 0",
        mutate: (c) => {
            svc(c, 0).podSecurity = { runAsUser: 0 };
        },
        key: "platform:services[0].podSecurity.runAsUser",
        message:
            'is 0 (root): the kubelet refuses to start a UID-0 container under runAsNonRoot, Pod Security "restricted" refuses the pod, and the policy pack\'s run-as-user-not-root policy is mandatory in every environment',
    },
    {
        title: "UID 0 in platform:defaults",
        mutate: (c) => {
            (c.defaults as Json).podSecurity = { runAsUser: 0, runAsGroup: 0 };
        },
        key: "platform:defaults.podSecurity.runAsUser",
        message: "use the non-root UID the image runs as",
    },
    // what Kubernetes accepts but cannot work: a TCP probe on a UDP port, two containers listening on one port
    {
        title: "a tcp probe on a UDP port",
        mutate: (c) => {
            svc(c, 0).ports = [
                { name: "http", port: 80, containerPort: 9898 },
                { name: "statsd", port: 8125, protocol: "udp" },
            ];
            svc(c, 0).livenessProbe = { type: "tcp", port: "statsd" };
        },
        key: "platform:services[0].livenessProbe",
        message: 'names port "statsd", a UDP port, but a tcp probe connects over TCP and would fail every time; set port to a TCP port (http)',
    },
    {
        title: "a sidecar port the main container already listens on",
        mutate: (c) => {
            svc(c, 0).sidecars = [
                {
                    name: "proxy",
                    image: "ghcr.io/acme/proxy:2.1.0",
                    ports: [{ name: "proxy", containerPort: 9898 }],
                    readinessProbe: { type: "tcp" },
                    livenessProbe: { type: "tcp" },
                },
            ];
        },
        key: "platform:services[0].sidecars[0].ports[0].containerPort",
        message: "container port 9898/TCP is already declared in this pod; its containers share one network namespace",
    },
    // per-container mounts, checked as the apiserver checks a container's volumeMounts
    {
        title: "a mount of an undeclared volume",
        mutate: (c) => {
            svc(c, 0).volumes = [{ name: "data", mountPath: "/data" }];
            svc(c, 0).volumeMounts = [{ volume: "dta", mountPath: "/srv" }];
        },
        key: "platform:services[0].volumeMounts[0].volume",
        message: '"dta" is not one of the service\'s volumes (data); declare it under volumes or fix the name',
    },
    {
        title: "two mounts at one path in an init container",
        mutate: (c) => {
            svc(c, 0).volumes = [{ name: "data" }];
            svc(c, 0).initContainers = [
                {
                    name: "seed",
                    image: "ghcr.io/acme/seed:1.0.0",
                    command: ["/seed"],
                    volumeMounts: [
                        { volume: "data", mountPath: "/seed" },
                        { volume: "data", mountPath: "/seed", subPath: "x" },
                    ],
                },
            ];
        },
        key: "platform:services[0].initContainers[0].volumeMounts[1].mountPath",
        message: '"/seed" is already mounted in init container "seed" (volume "data"); Kubernetes requires one mount per path in a container',
    },
    {
        title: "a subPath that steps out of the volume",
        mutate: (c) => {
            svc(c, 0).volumes = [{ name: "data", mountPath: "/data" }];
            svc(c, 0).volumeMounts = [{ volume: "data", mountPath: "/etc/app", subPath: "../etc" }];
        },
        key: "platform:services[0].volumeMounts[0].subPath",
        message: '"../etc" steps out of the volume with "..", which Kubernetes refuses',
    },
    {
        title: "an absolute subPath",
        mutate: (c) => {
            svc(c, 0).volumes = [{ name: "data", mountPath: "/data" }];
            svc(c, 0).volumeMounts = [{ volume: "data", mountPath: "/etc/app", subPath: "/etc" }];
        },
        key: "platform:services[0].volumeMounts[0].subPath",
        message: '"/etc" is absolute, but a subPath is relative to the volume\'s root',
    },
    // a memory-backed /tmp counts against the memory limit
    {
        title: "a memory-backed /tmp as large as the memory limit",
        mutate: (c) => {
            (c.defaults as Json).tmpMedium = "Memory";
            (c.defaults as Json).tmpSizeLimit = "512Mi";
        },
        key: "platform:services[0].tmpSizeLimit",
        message: "is 512Mi (inherited from platform:defaults.tmpSizeLimit) with tmpMedium: Memory, at least the container's memory limit 512Mi",
    },
    // probe headers: the apiserver's header-name rule, values the kubelet can send, no literal credential (the pack's detector)
    {
        title: "a probe header name the apiserver refuses",
        mutate: (c) => {
            svc(c, 0).readinessProbe = { path: "/readyz", httpHeaders: [{ name: "X_Probe", value: "kubelet" }] };
        },
        key: "platform:services[0].readinessProbe.httpHeaders[0].name",
        message: "must be an HTTP header name as Kubernetes accepts it in a probe: letters, digits and '-' only",
    },
    {
        title: "a literal bearer token in a probe header",
        mutate: (c) => {
            svc(c, 0).livenessProbe = { path: "/healthz", httpHeaders: [{ name: "Authorization", value: "Bearer 9f2c41d07be34a6c8d15e2f0a7b3c9d1" }] };
        },
        key: "platform:services[0].livenessProbe.httpHeaders[0].value",
        message: "probe headers are plaintext in the pod spec and cannot read a Secret",
    },
];

/** Every refusal case of the suite. */
export const REFUSAL_CASES: readonly RefusalCase[] = [...BASIC_CASES, ...EARLY_CASES, ...EXACT_CASES];
