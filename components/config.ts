// The typed config model: every `platform:*` key, validated once, before any resource is registered.
import { z } from "zod";
import { CNPG_CLUSTER_CHART, CNPG_OPERATOR_CHART, STRIMZI_DEFAULT_KAFKA_VERSION, STRIMZI_OPERATOR_CHART, VALKEY_CHART } from "./charts";

export const CONFIG_NAMESPACE = "platform";

// ---------- leaf validators ----------

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const CPU = /^([0-9]+m|[0-9]+(\.[0-9]+)?)$/;
const MEMORY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONFIG_KEY = /^[a-z][A-Za-z0-9]*$/;
const EXACT_VERSION = /^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/;
const PATH_PREFIX = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;
const HTTP_PATH = /^\/[A-Za-z0-9._~\/-]*$/;
/** Kafka topic names follow `app.domain.event-type.version`, e.g. `shop.orders.order-created.v1`. */
export const TOPIC_NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[0-9]+$/;
// registry/repo[:tag][@sha256:digest]; a tag or a digest is required and `latest` is refused.
const IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const CRON = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;
/** Env names that look like secrets; `_FILE`/`_PATH`/`_NAME`/`_URL` suffixes point at secrets rather than hold them. */
export const SECRET_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|BEARER)/i;
const SECRET_REFERENCE_SUFFIX = /_(FILE|PATH|NAME|URL|URI|REF|KEY_ID|DIR)$/i;

/** Error text for a type mismatch that says "is required" when the key is simply absent. */
const req = (text: string) => (iss: { input?: unknown }) => (iss.input === undefined ? "is required" : text);

const dnsLabel = (what: string, max = 63) =>
    z.string({ error: req(`must be a string (${what})`) }).max(max, { error: `must be at most ${max} characters` })
        .regex(DNS_LABEL, { error: `must be a DNS label (lowercase letters, digits and '-', starting with a letter), e.g. "my-${what}"` });

const cpu = z.string({ error: "must be a CPU quantity string such as \"250m\" or \"1\"" })
    .regex(CPU, { error: "must be a CPU quantity such as \"250m\" or \"1\"" });
const memory = z.string({ error: "must be a memory quantity string such as \"256Mi\"" })
    .regex(MEMORY, { error: "must be a memory quantity such as \"256Mi\" or \"1Gi\"" });

const image = z.string({ error: req("must be an image reference string") }).superRefine((v, ctx) => {
    if (!IMAGE.test(v)) {
        ctx.addIssue({ code: "custom", message: `"${v}" is not a valid image reference; use registry/repository:tag or registry/repository@sha256:<digest>` });
        return;
    }
    const last = v.slice(v.lastIndexOf("/") + 1);
    const hasDigest = v.includes("@sha256:");
    const tag = last.includes(":") ? last.slice(last.indexOf(":") + 1).split("@")[0] : undefined;
    if (!tag && !hasDigest) ctx.addIssue({ code: "custom", message: `"${v}" has no tag; pin a version tag or a digest (untagged means "latest")` });
    if (tag === "latest") ctx.addIssue({ code: "custom", message: `"${v}" uses the "latest" tag; pin a version tag or a digest` });
});

const chartSource = (d: { chart: string; version?: string; repo?: string; path?: string }) =>
    z.object({
        chart: z.string().min(1).default(d.chart),
        version: z.string().regex(EXACT_VERSION, { error: "must be an exact chart version such as \"1.2.3\" (no ranges)" }).optional(),
        repo: z.string().regex(/^(https?|oci):\/\/\S+$/, { error: "must be an https:// or oci:// URL" }).optional(),
        path: z.string().min(1).optional(),
    }).strict().prefault({}).transform((c) => {
        // A local path replaces the repository; otherwise fall back to the pinned default coordinates.
        if (c.path) return { chart: c.chart, path: c.path, version: c.version };
        return { chart: c.chart, repo: c.repo ?? d.repo, version: c.version ?? d.version };
    }).superRefine((c, ctx) => {
        if (!c.path && !c.version) ctx.addIssue({ code: "custom", path: ["version"], message: "is required for a repository chart; pin an exact version" });
    });

const resources = z.object({
    requests: z.object({ cpu: cpu.optional(), memory: memory.optional() }).strict().optional(),
    limits: z.object({ cpu: cpu.optional(), memory: memory.optional() }).strict().optional(),
}).strict();

const probe = z.object({
    path: z.string().regex(HTTP_PATH, { error: "must be an HTTP path starting with '/'" }).optional(),
    initialDelaySeconds: z.number().int().min(0).optional(),
    periodSeconds: z.number().int().min(1).optional(),
    timeoutSeconds: z.number().int().min(1).optional(),
    failureThreshold: z.number().int().min(1).optional(),
}).strict();

const autoscaling = z.object({
    enabled: z.boolean().optional(),
    minReplicas: z.number().int().min(1, { error: "must be at least 1" }).optional(),
    maxReplicas: z.number().int().min(1, { error: "must be at least 1" }).optional(),
    cpuUtilization: z.number().int().min(1).max(100, { error: "must be a percentage between 1 and 100" }).optional(),
    memoryUtilization: z.number().int().min(1).max(100, { error: "must be a percentage between 1 and 100" }).optional(),
}).strict();

const disruptionBudget = z.object({
    enabled: z.boolean().optional(),
    maxUnavailable: z.number().int().min(1, { error: "must be at least 1; 0 would block every node drain" }).optional(),
}).strict();

const podSecurity = z.object({
    runAsUser: z.number().int().min(0).optional(),
    runAsGroup: z.number().int().min(0).optional(),
    fsGroup: z.number().int().min(0).optional(),
    runAsNonRoot: z.boolean().optional(),
    readOnlyRootFilesystem: z.boolean().optional(),
}).strict();

/** Per-workload knobs that stack-wide `platform:defaults` provides and each service may override. */
const workloadSettings = {
    replicas: z.number({ error: "must be a whole number" }).int({ error: "must be a whole number" }).min(1, { error: "must be at least 1 (use autoscaling to scale, not 0 replicas)" }).optional(),
    logLevel: z.enum(["debug", "info", "warn", "error"], { error: "must be one of debug, info, warn, error" }).optional(),
    imagePullPolicy: z.enum(["Always", "IfNotPresent", "Never"], { error: "must be one of Always, IfNotPresent, Never" }).optional(),
    resources: resources.optional(),
    autoscaling: autoscaling.optional(),
    disruptionBudget: disruptionBudget.optional(),
    readinessProbe: probe.optional(),
    livenessProbe: probe.optional(),
    terminationGracePeriodSeconds: z.number().int().min(1).optional(),
    preStopSleepSeconds: z.number().int().min(0).optional(),
    topologySpread: z.boolean().optional(),
    podSecurity: podSecurity.optional(),
};

const defaultsSchema = z.object(workloadSettings).strict().prefault({});

const secretEnv = z.object({
    name: z.string().regex(ENV_NAME, { error: "must be an environment variable name" }),
    secret: z.string().regex(CONFIG_KEY, { error: "must be a camelCase config key name (the value is read from platform:<secret> with --secret)" }),
}).strict();

const serviceSchema = z.object({
    name: dnsLabel("service", 40),
    image,
    description: z.string().optional(),
    component: z.string().min(1).default("service"),
    port: z.number({ error: req("must be a port number") }).int({ error: "must be a whole number" }).min(1, { error: "must be between 1 and 65535" }).max(65535, { error: "must be between 1 and 65535" }),
    public: z.boolean().default(false),
    pathPrefix: z.string().regex(PATH_PREFIX, { error: "must start with '/' and contain only URL path characters, e.g. \"/api\"" }).optional(),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string().regex(ENV_NAME, { error: "must be an environment variable name" }), z.string({ error: "must be a string" })).default({}),
    secretEnv: z.array(secretEnv).default([]),
    dependsOn: z.array(z.string()).default([]),
    uses: z.array(z.enum(["postgres", "redis", "kafka"], { error: "must be one of postgres, redis, kafka" })).default([]),
    metrics: z.object({
        enabled: z.boolean().default(true),
        path: z.string().regex(HTTP_PATH).default("/metrics"),
        port: z.number().int().min(1).max(65535).optional(),
    }).strict().prefault({}),
    migration: z.object({
        command: z.array(z.string()).min(1, { error: "must list the migration command" }),
        args: z.array(z.string()).optional(),
        image: image.optional(),
        backoffLimit: z.number().int().min(0).default(3),
        activeDeadlineSeconds: z.number().int().min(1).default(600),
    }).strict().optional(),
    cleanup: z.object({
        schedule: z.string().regex(CRON, { error: "must be a cron expression such as \"0 3 * * *\"" }),
        command: z.array(z.string()).min(1),
        args: z.array(z.string()).optional(),
        retentionDays: z.number().int().min(1, { error: "must be at least 1 day" }),
        successfulJobsHistoryLimit: z.number().int().min(0).default(3),
        failedJobsHistoryLimit: z.number().int().min(0).default(3),
    }).strict().optional(),
    dapr: z.object({
        enabled: z.boolean().default(true),
        appId: dnsLabel("app-id").optional(),
    }).strict().optional(),
    ...workloadSettings,
}).strict();

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
        schedule: z.string().default("0 0 2 * * *"),
        retentionPolicy: z.string().regex(/^[0-9]+[dwm]$/, { error: "must look like \"30d\", \"4w\" or \"3m\"" }).default("30d"),
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
    scrapeInterval: z.string().regex(/^[0-9]+[smh]$/).default("30s"),
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

// ---------- resolved model ----------

export interface ProbeSettings { path: string; initialDelaySeconds: number; periodSeconds: number; timeoutSeconds: number; failureThreshold: number }
export interface ResolvedResources { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }
export interface AutoscalingSettings { enabled: boolean; minReplicas: number; maxReplicas: number; cpuUtilization: number; memoryUtilization: number }
export interface PodSecuritySettings { runAsUser: number; runAsGroup: number; fsGroup: number; runAsNonRoot: boolean; readOnlyRootFilesystem: boolean }

/** One service with stack defaults and code defaults merged in: what the Microservice component consumes. */
export interface ResolvedService extends Omit<ServiceConfig, keyof typeof workloadSettings> {
    replicas: number;
    logLevel: "debug" | "info" | "warn" | "error";
    imagePullPolicy: "Always" | "IfNotPresent" | "Never";
    resources: ResolvedResources;
    autoscaling: AutoscalingSettings;
    disruptionBudget: { enabled: boolean; maxUnavailable: number };
    readinessProbe: ProbeSettings;
    livenessProbe: ProbeSettings;
    terminationGracePeriodSeconds: number;
    preStopSleepSeconds: number;
    topologySpread: boolean;
    podSecurity: PodSecuritySettings;
    /** Secret config keys this service reads, e.g. ["sessionKey"]. */
    secretKeys: string[];
}

/** Code defaults: the safe baseline a stack file refines. */
/** The resolved per-workload settings (everything `platform:defaults` can set). */
export type WorkloadSettings = Omit<ResolvedService, Exclude<keyof ResolvedService, keyof typeof workloadSettings>>;

export const CODE_DEFAULTS: Readonly<WorkloadSettings> = {
    replicas: 1,
    logLevel: "info",
    imagePullPolicy: "IfNotPresent",
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    autoscaling: { enabled: false, minReplicas: 2, maxReplicas: 5, cpuUtilization: 70, memoryUtilization: 80 },
    disruptionBudget: { enabled: true, maxUnavailable: 1 },
    readinessProbe: { path: "/health", initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
    livenessProbe: { path: "/health", initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    terminationGracePeriodSeconds: 30,
    preStopSleepSeconds: 5,
    topologySpread: true,
    podSecurity: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, runAsNonRoot: true, readOnlyRootFilesystem: true },
};

type Defaults = PlatformConfig["defaults"];

/** Merges code defaults, stack defaults and the service's own settings, field by field. */
export function resolveService(svc: ServiceConfig, defaults: Defaults): ResolvedService {
    const pick = <K extends keyof Defaults>(k: K) => svc[k] ?? defaults[k];
    const merged = <T extends object>(base: T, ...layers: (Partial<T> | undefined)[]): T =>
        Object.assign({}, base, ...layers.map((l) => Object.fromEntries(Object.entries(l ?? {}).filter(([, v]) => v !== undefined))));
    const res = (layer: ResourceSpec | undefined) => layer ?? {};
    const r = [defaults.resources, svc.resources].map(res);
    const resolvedResources: ResolvedResources = {
        requests: merged({ ...CODE_DEFAULTS.resources.requests }, ...r.map((x) => x.requests)),
        limits: merged({ ...CODE_DEFAULTS.resources.limits }, ...r.map((x) => x.limits)),
    };
    return {
        ...svc,
        replicas: pick("replicas") ?? CODE_DEFAULTS.replicas,
        logLevel: pick("logLevel") ?? CODE_DEFAULTS.logLevel,
        imagePullPolicy: pick("imagePullPolicy") ?? CODE_DEFAULTS.imagePullPolicy,
        resources: resolvedResources,
        autoscaling: merged({ ...CODE_DEFAULTS.autoscaling }, defaults.autoscaling, svc.autoscaling),
        disruptionBudget: merged({ ...CODE_DEFAULTS.disruptionBudget }, defaults.disruptionBudget, svc.disruptionBudget),
        readinessProbe: merged({ ...CODE_DEFAULTS.readinessProbe }, defaults.readinessProbe, svc.readinessProbe),
        livenessProbe: merged({ ...CODE_DEFAULTS.livenessProbe }, defaults.livenessProbe, svc.livenessProbe),
        terminationGracePeriodSeconds: pick("terminationGracePeriodSeconds") ?? CODE_DEFAULTS.terminationGracePeriodSeconds,
        preStopSleepSeconds: pick("preStopSleepSeconds") ?? CODE_DEFAULTS.preStopSleepSeconds,
        topologySpread: pick("topologySpread") ?? CODE_DEFAULTS.topologySpread,
        podSecurity: merged({ ...CODE_DEFAULTS.podSecurity }, defaults.podSecurity, svc.podSecurity),
        secretKeys: svc.secretEnv.map((s) => s.secret),
    };
}

// ---------- quantities ----------

/** CPU quantity in millicores. */
export function cpuMillis(q: string): number {
    return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

const MEMORY_UNITS: Record<string, number> = { "": 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** Memory quantity in bytes. */
export function memoryBytes(q: string): number {
    const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q);
    if (!m) return NaN;
    return Number(m[1]) * (MEMORY_UNITS[m[2]] ?? NaN);
}

// ---------- errors ----------

/** One config problem, addressed by its full key. */
export interface ConfigIssue { key: string; message: string }

/** Thrown before any resource is registered; lists every problem with its full key. */
export class ConfigError extends Error {
    constructor(public readonly issues: ConfigIssue[]) {
        super(`invalid stack configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
            issues.map((i) => `  - ${i.key}: ${i.message}`).join("\n"));
        this.name = "ConfigError";
    }
}

/** `["services", 1, "port"]` → `platform:services[1].port`. */
export function formatKey(path: readonly PropertyKey[]): string {
    let out = `${CONFIG_NAMESPACE}:`;
    path.forEach((p, i) => {
        if (typeof p === "number") out += `[${p}]`;
        else out += (i === 0 ? "" : ".") + String(p);
    });
    return out;
}

// ---------- cross-field rules ----------

/** Facts about the stack's secret config keys, read without exposing values. */
export interface SecretPresence {
    /** True when `platform:<key>` is set (as a secret or not). */
    isSet(key: string): boolean;
    /** True when `platform:<key>` is set with --secret. */
    isSecret(key: string): boolean;
}

/** Config keys holding data-store credentials. */
export const STORE_SECRET_KEYS = { postgres: "postgresPassword", redis: "redisPassword" } as const;

/** Every secret config key the stack needs, with where it is needed. */
export function requiredSecretKeys(cfg: PlatformConfig): { key: string; neededBy: string }[] {
    const out: { key: string; neededBy: string }[] = [];
    if (cfg.postgres.enabled) out.push({ key: STORE_SECRET_KEYS.postgres, neededBy: "platform:postgres" });
    if (cfg.redis.enabled) out.push({ key: STORE_SECRET_KEYS.redis, neededBy: "platform:redis" });
    cfg.services.forEach((s, i) => s.secretEnv.forEach((e, j) => out.push({ key: e.secret, neededBy: `platform:services[${i}].secretEnv[${j}]` })));
    const seen = new Set<string>();
    return out.filter((x) => (seen.has(x.key) ? false : (seen.add(x.key), true)));
}

function crossFieldIssues(cfg: PlatformConfig, secrets: SecretPresence): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add = (path: PropertyKey[], message: string) => issues.push({ key: formatKey(path), message });
    const names = cfg.services.map((s) => s.name);
    const production = cfg.environment === "production";

    cfg.services.forEach((s, i) => {
        const at = (...p: PropertyKey[]) => ["services", i, ...p];
        if (names.indexOf(s.name) !== i) add(at("name"), `duplicate service name "${s.name}"; service names must be unique`);
        s.dependsOn.forEach((d, j) => {
            if (d === s.name) add(at("dependsOn", j), `a service cannot depend on itself`);
            else if (!names.includes(d)) add(at("dependsOn", j), `unknown service "${d}"; declared services are: ${names.join(", ")}`);
        });
        s.uses.forEach((u, j) => {
            if (!cfg[u].enabled) add(at("uses", j), `uses ${u} but platform:${u}.enabled is false; enable it or remove "${u}"`);
        });
        if (s.public && !s.pathPrefix) add(at("pathPrefix"), `is required for a public service (e.g. "/api")`);
        if (s.public && cfg.edge.mode === "none") add(at("public"), `is true but platform:edge.mode is "none"; set an edge mode (ingress or gateway) or make the service private`);
        for (const name of Object.keys(s.env)) {
            if (SECRET_ENV_NAME.test(name) && !SECRET_REFERENCE_SUFFIX.test(name)) {
                add(at("env", name), `looks like a secret; plaintext secrets are not allowed in env. Move it to secretEnv ({ name: "${name}", secret: "<configKey>" }) and set it with pulumi config set --secret`);
            }
        }
        const envNames = new Set(Object.keys(s.env));
        s.secretEnv.forEach((e, j) => { if (envNames.has(e.name)) add(at("secretEnv", j, "name"), `"${e.name}" is also set in env; define it once`); });
        const effMin = s.autoscaling?.minReplicas ?? cfg.defaults.autoscaling?.minReplicas ?? CODE_DEFAULTS.autoscaling.minReplicas;
        const effMax = s.autoscaling?.maxReplicas ?? cfg.defaults.autoscaling?.maxReplicas ?? CODE_DEFAULTS.autoscaling.maxReplicas;
        if (effMin > effMax) add(at("autoscaling", "minReplicas"), `(${effMin}) must not exceed maxReplicas (${effMax})`);
        if (s.dapr?.enabled && !cfg.dapr.enabled) add(at("dapr", "enabled"), `is true but platform:dapr.enabled is false; enable Dapr for the stack first`);
    });
    if (cfg.defaults.autoscaling?.minReplicas !== undefined && cfg.defaults.autoscaling.maxReplicas !== undefined &&
        cfg.defaults.autoscaling.minReplicas > cfg.defaults.autoscaling.maxReplicas) {
        add(["defaults", "autoscaling", "minReplicas"], `(${cfg.defaults.autoscaling.minReplicas}) must not exceed maxReplicas (${cfg.defaults.autoscaling.maxReplicas})`);
    }

    // requests must fit inside limits, per resolved service
    cfg.services.forEach((s, i) => {
        const r = resolveService(s, cfg.defaults).resources;
        if (cpuMillis(r.requests.cpu) > cpuMillis(r.limits.cpu)) add(["services", i, "resources", "requests", "cpu"], `(${r.requests.cpu}) exceeds the CPU limit (${r.limits.cpu})`);
        if (memoryBytes(r.requests.memory) > memoryBytes(r.limits.memory)) add(["services", i, "resources", "requests", "memory"], `(${r.requests.memory}) exceeds the memory limit (${r.limits.memory})`);
    });

    // public path prefixes are the routing table: they must be unique
    const prefixes = new Map<string, string>();
    cfg.services.forEach((s, i) => {
        if (!s.public || !s.pathPrefix) return;
        const other = prefixes.get(s.pathPrefix);
        if (other) add(["services", i, "pathPrefix"], `"${s.pathPrefix}" is already routed to service "${other}"`);
        else prefixes.set(s.pathPrefix, s.name);
    });

    if (cfg.edge.mode !== "none") {
        if (!cfg.edge.host) add(["edge", "host"], `is required when platform:edge.mode is "${cfg.edge.mode}"`);
        if (cfg.edge.mode === "gateway" && !cfg.edge.gateway) add(["edge", "gateway"], `is required when platform:edge.mode is "gateway" (name and namespace of the Gateway)`);
        if (production && !cfg.edge.tls.enabled) add(["edge", "tls", "enabled"], `must be true in production; TLS is mandatory for a production edge`);
        if (cfg.edge.tls.enabled && cfg.edge.mode === "ingress" && !cfg.edge.tls.clusterIssuer && !cfg.edge.tls.secretName) {
            add(["edge", "tls", "clusterIssuer"], `is required when TLS is on and no platform:edge.tls.secretName is given (cert-manager issues the certificate)`);
        }
        if (!cfg.services.some((s) => s.public)) add(["edge", "mode"], `is "${cfg.edge.mode}" but no service is public; set public: true on a service or use mode "none"`);
    }

    // Kafka topics: unique names, known producers/consumers that declare kafka
    const topicNames = new Set<string>();
    cfg.kafka.topics.forEach((t, i) => {
        if (topicNames.has(t.name)) add(["kafka", "topics", i, "name"], `duplicate topic "${t.name}"`);
        topicNames.add(t.name);
        if (t.replicas > cfg.kafka.replicas) add(["kafka", "topics", i, "replicas"], `(${t.replicas}) exceeds the number of brokers (platform:kafka.replicas = ${cfg.kafka.replicas})`);
        for (const role of ["producers", "consumers"] as const) {
            t[role].forEach((n, j) => {
                const svc = cfg.services.find((s) => s.name === n);
                if (!svc) add(["kafka", "topics", i, role, j], `unknown service "${n}"; declared services are: ${names.join(", ")}`);
                else if (!svc.uses.includes("kafka")) add(["kafka", "topics", i, role, j], `service "${n}" does not declare uses: [kafka]`);
            });
        }
    });
    if (cfg.kafka.topics.length > 0 && !cfg.kafka.enabled) add(["kafka", "enabled"], `is false but topics are declared; enable Kafka or remove the topics`);

    // Secrets: production refuses generated ones unless explicitly opted in.
    if (production && cfg.secrets.allowGenerated && !cfg.secrets.allowGeneratedInProduction) {
        add(["secrets", "allowGenerated"], `generated secrets are refused in production; set each secret with pulumi config set --secret, or opt in explicitly with platform:secrets.allowGeneratedInProduction: true`);
    }
    for (const { key, neededBy } of requiredSecretKeys(cfg)) {
        if (secrets.isSet(key) && !secrets.isSecret(key)) {
            add([key], `is stored in plaintext; re-set it with: pulumi config set --secret ${CONFIG_NAMESPACE}:${key} <value>`);
        } else if (!secrets.isSet(key) && !cfg.secrets.allowGenerated) {
            add([key], `is required by ${neededBy} and generated secrets are off for this stack (platform:secrets.allowGenerated is false); set it with: pulumi config set --secret ${CONFIG_NAMESPACE}:${key} <value>`);
        }
    }
    return issues;
}

// ---------- entry point ----------

/** Raw config: one JSON-or-string value per `platform:` key, as the Pulumi runtime stores them. */
export type RawConfig = Record<string, string | undefined>;

function parseRawValue(key: string, raw: string): unknown {
    const t = raw.trim();
    if (t.startsWith("{") || t.startsWith("[") || t === "true" || t === "false" || /^-?[0-9]+(\.[0-9]+)?$/.test(t)) {
        try { return JSON.parse(t); } catch { throw new ConfigError([{ key: `${CONFIG_NAMESPACE}:${key}`, message: "is not valid JSON" }]); }
    }
    return raw;
}

/**
 * Validates the whole `platform:` namespace. `raw` maps unqualified keys (e.g. "services") to the strings
 * Pulumi stores. Throws a ConfigError listing every problem; returns the typed model otherwise.
 */
export function parsePlatformConfig(raw: RawConfig, secrets: SecretPresence): PlatformConfig {
    const input: Record<string, unknown> = {};
    const issues: ConfigIssue[] = [];
    const secretKeyNames = new Set<string>();
    for (const [k, v] of Object.entries(raw)) {
        if (v === undefined) continue;
        if ((TOP_LEVEL_KEYS as string[]).includes(k)) input[k] = parseRawValue(k, v);
        else secretKeyNames.add(k);
    }
    const result = platformSchema.safeParse(input);
    if (!result.success) {
        for (const issue of result.error.issues) {
            if (issue.code === "unrecognized_keys") {
                for (const k of issue.keys) issues.push({ key: formatKey([...issue.path, k]), message: `is not a known setting${suggest(k, issue.path.length === 0 ? TOP_LEVEL_KEYS : [])}` });
            } else if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input: expected") && issue.message.endsWith("received undefined")) {
                issues.push({ key: formatKey(issue.path), message: "is required" });
            } else {
                issues.push({ key: formatKey(issue.path), message: issue.message });
            }
        }
        throw new ConfigError(issues);
    }
    const cfg = result.data;
    const cross = crossFieldIssues(cfg, secrets);
    // Non-schema keys must be secrets that the stack actually uses, so a typo never goes unnoticed.
    const needed = new Set(requiredSecretKeys(cfg).map((s) => s.key));
    for (const k of secretKeyNames) {
        if (!needed.has(k)) cross.push({ key: `${CONFIG_NAMESPACE}:${k}`, message: `is not a known setting${suggest(k, [...TOP_LEVEL_KEYS, ...needed])}` });
    }
    if (cross.length > 0) throw new ConfigError(cross);
    return cfg;
}

function suggest(key: string, candidates: readonly string[]): string {
    let best: string | undefined;
    let bestScore = Infinity;
    for (const c of candidates) {
        const d = editDistance(key.toLowerCase(), c.toLowerCase());
        if (d < bestScore) { best = c; bestScore = d; }
    }
    return best !== undefined && bestScore <= 3 ? `; did you mean "${best}"?` : "";
}

function editDistance(a: string, b: string): number {
    const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) dp[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
    }
    return dp[a.length][b.length];
}
