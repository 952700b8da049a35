// Schema of one service and of the per-workload settings that platform:defaults provides.
import { z } from "zod";
import { CONFIG_KEY, ENV_NAME, HTTP_PATH, PATH_PREFIX, cpu, cron, dnsLabel, image, memory, req } from "./validators";

export const resources = z.object({
    requests: z.object({ cpu: cpu.optional(), memory: memory.optional() }).strict().optional(),
    limits: z.object({ cpu: cpu.optional(), memory: memory.optional() }).strict().optional(),
}).strict();

export const probe = z.object({
    path: z.string().regex(HTTP_PATH, { error: "must be an HTTP path starting with '/'" }).optional(),
    initialDelaySeconds: z.number().int().min(0).optional(),
    periodSeconds: z.number().int().min(1).optional(),
    timeoutSeconds: z.number().int().min(1).optional(),
    failureThreshold: z.number().int().min(1).optional(),
}).strict();

export const autoscaling = z.object({
    enabled: z.boolean().optional(),
    minReplicas: z.number().int().min(1, { error: "must be at least 1" }).optional(),
    maxReplicas: z.number().int().min(1, { error: "must be at least 1" }).optional(),
    cpuUtilization: z.number().int().min(1).max(100, { error: "must be a percentage between 1 and 100" }).optional(),
    memoryUtilization: z.number().int().min(1).max(100, { error: "must be a percentage between 1 and 100" }).optional(),
}).strict();

export const disruptionBudget = z.object({
    enabled: z.boolean().optional(),
    maxUnavailable: z.number().int().min(1, { error: "must be at least 1; 0 would block every node drain" }).optional(),
}).strict();

export const podSecurity = z.object({
    runAsUser: z.number().int().min(0).optional(),
    runAsGroup: z.number().int().min(0).optional(),
    fsGroup: z.number().int().min(0).optional(),
    runAsNonRoot: z.boolean().optional(),
    readOnlyRootFilesystem: z.boolean().optional(),
}).strict();

/** Per-workload knobs that stack-wide `platform:defaults` provides and each service may override. */
export const workloadSettings = {
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

export const defaultsSchema = z.object(workloadSettings).strict().prefault({});

export const secretEnv = z.object({
    name: z.string().regex(ENV_NAME, { error: "must be an environment variable name" }),
    secret: z.string().regex(CONFIG_KEY, { error: "must be a camelCase config key name (the value is read from platform:<secret> with --secret)" }),
}).strict();

export const serviceSchema = z.object({
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
        schedule: cron(),
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
