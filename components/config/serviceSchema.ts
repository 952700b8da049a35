// Schema of one service and of the per-workload settings that platform:defaults provides.
import { z } from "zod";
import { DEFAULTS } from "./defaults";
import { ENV_NAME, HTTP_PATH, PATH_PREFIX, VALKEY_COMMAND_RULE, VALKEY_PATTERN, cpu, cron, dnsLabel, image, memory, req } from "./validators";
import { nodeSelectorSchema, otelSchema, probeSchema, secretEnvSchema, tolerationSchema, workloadShape } from "./workloadSchema";

/** Requests or limits; `ephemeralStorage` is the container's `ephemeral-storage` (writable layer, logs, emptyDirs). */
const quantities = z.object({ cpu: cpu.optional(), memory: memory.optional(), ephemeralStorage: memory.optional() }).strict();

/** A retention period in whole days. */
const retentionDays = z
    .number({ error: "must be a number of days, e.g. 30" })
    .int({ error: "must be a whole number of days" })
    .min(1, { error: "must be at least 1 day" });
/** Name of a kind of data a cleanup keeps for its own period; it becomes part of an env var name. */
export const RETENTION_KIND = /^[a-z][a-z0-9_]{0,29}$/;

export const resources = z
    .object({
        requests: quantities.optional(),
        limits: quantities.optional(),
    })
    .strict();

/** Valkey ACL command rules, space-separated (`-@all +@read …`). */
export const valkeyCommands = z
    .string()
    .trim()
    .min(1)
    .superRefine((v, ctx) => {
        const bad = v.split(/\s+/).filter((t) => !VALKEY_COMMAND_RULE.test(t));
        if (bad.length > 0)
            ctx.addIssue({
                code: "custom",
                message: `has ${bad.map((b) => `"${b}"`).join(", ")}, which is not a command rule; use only +command, -command, +@category or -@category (passwords, keys and on/off are set by the platform)`,
            });
    });

/** A probe; see {@link probeSchema}. */
export const probe = probeSchema;

export const autoscaling = z
    .object({
        enabled: z.boolean().optional(),
        minReplicas: z.number().int().min(1, { error: "must be at least 1" }).optional(),
        maxReplicas: z.number().int().min(1, { error: "must be at least 1" }).optional(),
        cpuUtilization: z.number().int().min(1).max(100, { error: "must be a percentage between 1 and 100" }).optional(),
        memoryUtilization: z.number().int().min(1).max(100, { error: "must be a percentage between 1 and 100" }).optional(),
    })
    .strict();

export const disruptionBudget = z
    .object({
        enabled: z.boolean().optional(),
        maxUnavailable: z.number().int().min(1, { error: "must be at least 1; 0 would block every node drain" }).optional(),
    })
    .strict();

/** The policy pack's policy that refuses UID 0; mandatory in every shipped policy config (a unit test keeps this true). */
export const ROOT_UID_POLICY = "run-as-user-not-root";

export const podSecurity = z
    .object({
        /**
         * UID of every container. Defaults to 10001. Never 0: with runAsNonRoot the kubelet refuses to start a UID-0
         * container, Pod Security "restricted" refuses it, and so does the pack (mandatory in every environment).
         */
        runAsUser: z
            .number()
            .int()
            .min(0)
            .refine((v) => v !== 0, {
                error: `is 0 (root): the kubelet refuses to start a UID-0 container under runAsNonRoot, Pod Security "restricted" refuses the pod, and the policy pack's ${ROOT_UID_POLICY} policy is mandatory in every environment; use the non-root UID the image runs as (e.g. 1000), or leave it out for the default 10001`,
            })
            .optional(),
        runAsGroup: z.number().int().min(0).optional(),
        fsGroup: z.number().int().min(0).optional(),
        runAsNonRoot: z.boolean().optional(),
        readOnlyRootFilesystem: z.boolean().optional(),
    })
    .strict();

/** Per-workload knobs that stack-wide `platform:defaults` provides and each service may override. */
export const workloadSettings = {
    /** Pod replicas (the HPA owns them when autoscaling is on). Defaults to 1. */
    replicas: z
        .number({ error: "must be a whole number" })
        .int({ error: "must be a whole number" })
        .min(1, { error: "must be at least 1 (use autoscaling to scale, not 0 replicas)" })
        .optional(),
    /** LOG_LEVEL of the container. Defaults to "info". */
    logLevel: z.enum(["debug", "info", "warn", "error"], { error: "must be one of debug, info, warn, error" }).optional(),
    /** LOG_FORMAT of the container ("json" for structured logs). Defaults to unset (the image's own format). */
    logFormat: z.enum(["json", "text"], { error: "must be json or text" }).optional(),
    /** OpenTelemetry exporter env (OTEL_*); fields merge over platform:defaults.otel. Defaults to off (no endpoint). */
    otel: otelSchema.optional(),
    /** Defaults to "IfNotPresent". */
    imagePullPolicy: z.enum(["Always", "IfNotPresent", "Never"], { error: "must be one of Always, IfNotPresent, Never" }).optional(),
    /** Container requests/limits. Defaults to 100m/128Mi requests, 500m/512Mi limits (also for migration and cleanup Jobs). */
    resources: resources.optional(),
    /** HorizontalPodAutoscaler. Defaults to off; when on: 2-5 replicas, 70 % CPU, 80 % memory. */
    autoscaling: autoscaling.optional(),
    /** PodDisruptionBudget. Defaults to on, maxUnavailable 1. */
    disruptionBudget: disruptionBudget.optional(),
    /** Readiness probe (http, grpc, tcp or exec; never none: the pack requires it). Defaults to http GET /health on the first port, 10 s delay, every 5 s, 3 s timeout, 3 failures. */
    readinessProbe: probe.optional(),
    /** Liveness probe (http, grpc, tcp or exec; never none: the pack requires it). Defaults to http GET /health on the first port, 30 s delay, every 10 s, 5 s timeout, 3 failures. */
    livenessProbe: probe.optional(),
    /** Defaults to 30. */
    terminationGracePeriodSeconds: z.number().int().min(1, { error: "must be at least 1" }).optional(),
    /** preStop sleep that lets endpoints drain before SIGTERM. Defaults to 5. */
    preStopSleepSeconds: z.number().int().min(0, { error: "must be 0 or more" }).optional(),
    /** Spread replicas across nodes and zones. Defaults to true. */
    topologySpread: z.boolean().optional(),
    /** Pod/container security context. Defaults to UID/GID/fsGroup 10001, runAsNonRoot, read-only root filesystem. */
    podSecurity: podSecurity.optional(),
    /** sizeLimit of the writable /tmp emptyDir, and of declared emptyDir volumes without a size. Defaults to "64Mi". */
    tmpSizeLimit: memory.optional(),
    /**
     * What backs /tmp: "Disk" (the node's default medium; counts against ephemeral storage) or "Memory" (a tmpfs:
     * what is written counts against the writing container's memory limit, and tmpSizeLimit sizes the tmpfs).
     * Defaults to "Disk".
     */
    tmpMedium: z
        .enum(["Disk", "Memory"], { error: "must be Disk (the node's default medium) or Memory (a tmpfs that counts against the memory limit)" })
        .optional(),
    /**
     * Node labels the pods must run on (pod `nodeSelector`) — the Deployment's, the migration Job's and the cleanup
     * CronJob's. A service's keys merge over platform:defaults.nodeSelector key by key. Defaults to none.
     */
    nodeSelector: nodeSelectorSchema.optional(),
    /**
     * Taints the pods tolerate (pod `tolerations`), on the same workloads. A service's list replaces
     * platform:defaults.tolerations as a whole (`[]` clears it). Defaults to none.
     */
    tolerations: z
        .array(tolerationSchema, { error: "must be a list of tolerations, e.g. [{ key: dedicated, operator: Equal, value: e2e, effect: NoSchedule }]" })
        .optional(),
};

export const defaultsSchema = z.object(workloadSettings).strict().prefault({});

export const secretEnv = secretEnvSchema;

export const serviceSchema = z
    .object({
        name: dnsLabel("service"),
        image,
        description: z.string().optional(),
        /** app.kubernetes.io/component. Defaults to "service". */
        component: z.string().min(1).default(DEFAULTS.service.component),
        /** Shorthand for `ports: [{ name: http, port, protocol: http }]`. Omit both for a workload without a Service. */
        port: z
            .number({ error: req("must be a port number") })
            .int({ error: "must be a whole number" })
            .min(1, { error: "must be between 1 and 65535" })
            .max(65535, { error: "must be between 1 and 65535" })
            .optional(),
        /** Routed from the edge. Defaults to false. */
        public: z.boolean().default(DEFAULTS.service.public),
        pathPrefix: z.string().regex(PATH_PREFIX, { error: "must start with '/' and contain only URL path characters, e.g. \"/api\"" }).optional(),
        /** The public route carries WebSockets: the edge keeps it open for platform:edge.timeouts.websocketSeconds. Defaults to false. */
        websocket: z.boolean().default(false),
        command: z.array(z.string()).optional(),
        args: z.array(z.string()).optional(),
        env: z.record(z.string().regex(ENV_NAME, { error: "must be an environment variable name" }), z.string({ error: "must be a string" })).default({}),
        secretEnv: z.array(secretEnv).default([]),
        dependsOn: z.array(z.string()).default([]),
        /** Data stores (postgres, redis, kafka) and `platform:charts` names the service connects to. Defaults to none. */
        uses: z
            .array(
                z
                    .string({ error: "must be a store name (postgres, redis, kafka) or a platform:charts name" })
                    .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { error: "must be postgres, redis, kafka or the name of a platform:charts entry" }),
            )
            .default([]),
        metrics: z
            .object({
                /** Defaults to true. */
                enabled: z.boolean().default(DEFAULTS.service.metricsEnabled),
                /** Defaults to "/metrics". */
                path: z.string().regex(HTTP_PATH, { error: "must be an HTTP path starting with '/'" }).default(DEFAULTS.service.metricsPath),
                /** Defaults to the service port. */
                port: z.number().int().min(1).max(65535).optional(),
            })
            .strict()
            .prefault({}),
        migration: z
            .object({
                command: z.array(z.string()).min(1, { error: "must list the migration command" }),
                args: z.array(z.string()).optional(),
                image: image.optional(),
                /** Defaults to 3. */
                backoffLimit: z.number().int().min(0, { error: "must be 0 or more" }).default(DEFAULTS.migration.backoffLimit),
                /** Defaults to 600. */
                activeDeadlineSeconds: z.number().int().min(1, { error: "must be at least 1" }).default(DEFAULTS.migration.activeDeadlineSeconds),
                /** Seconds a finished migration Job is kept before Kubernetes deletes it. Defaults to 604800 (7 days). */
                ttlSecondsAfterFinished: z.number().int().min(0, { error: "must be 0 or more" }).default(DEFAULTS.migration.ttlSecondsAfterFinished),
            })
            .strict()
            .optional(),
        cleanup: z
            .object({
                schedule: cron(),
                command: z.array(z.string()).min(1),
                args: z.array(z.string()).optional(),
                /** One retention period for everything the cleanup deletes, as RETENTION_DAYS. Set this or `retention`. */
                retentionDays: retentionDays.optional(),
                /**
                 * One retention period per kind of data, e.g. `{ events: 90, logs: 30, sessions: 7 }`, each as
                 * RETENTION_<KIND>_DAYS (RETENTION_EVENTS_DAYS …). Set this or `retentionDays` (or both: RETENTION_DAYS is then
                 * the period of every kind not listed). Defaults to none.
                 */
                retention: z.record(z.string(), retentionDays).optional(),
                /** Defaults to 3. */
                successfulJobsHistoryLimit: z.number().int().min(0, { error: "must be 0 or more" }).default(DEFAULTS.cleanup.successfulJobsHistoryLimit),
                /** Defaults to 3. */
                failedJobsHistoryLimit: z.number().int().min(0, { error: "must be 0 or more" }).default(DEFAULTS.cleanup.failedJobsHistoryLimit),
            })
            .strict()
            .superRefine((c, ctx) => {
                if (c.retentionDays === undefined && c.retention === undefined) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["retentionDays"],
                        message:
                            "is required: set retentionDays (one period, e.g. 30) or retention (one per kind of data, e.g. { events: 90, logs: 30, sessions: 7 })",
                    });
                } else if (c.retention !== undefined && Object.keys(c.retention).length === 0) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["retention"],
                        message: "must name at least one kind of data with its days, e.g. { events: 90 }, or remove it and set retentionDays",
                    });
                }
                for (const kind of Object.keys(c.retention ?? {}).filter((k) => !RETENTION_KIND.test(k))) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["retention", kind],
                        message: `"${kind}" must be a lowercase name such as events or audit_logs (letters, digits, _; at most 30): it becomes RETENTION_<KIND>_DAYS`,
                    });
                }
            })
            .optional(),
        dapr: z
            .object({
                enabled: z.boolean().default(true),
                appId: dnsLabel("app-id").optional(),
            })
            .strict()
            .optional(),
        ...workloadShape,
        /** How the service uses PostgreSQL (when `uses` lists it). */
        postgres: z
            .object({
                /**
                 * Split the owner role (migration Job) from a runtime role (Deployment, cleanup) that owns nothing; the
                 * migration grants the runtime role what it needs. Defaults to false: one role does both.
                 */
                runtimeRole: z.boolean().default(DEFAULTS.service.postgresRuntimeRole),
            })
            .strict()
            .prefault({}),
        /** The service's Valkey ACL user (when `uses` lists redis). */
        redis: z
            .object({
                /** Command rules; defaults to `platform:redis.acl.commands`. */
                commands: valkeyCommands.optional(),
                /** Key patterns the user may touch. Defaults to `["<service>:*"]`. */
                keys: z
                    .array(z.string().regex(VALKEY_PATTERN, { error: 'must be a key pattern such as "orders:*"' }))
                    .min(1)
                    .optional(),
                /** Pub/Sub channel patterns. Defaults to none. */
                channels: z.array(z.string().regex(VALKEY_PATTERN, { error: 'must be a channel pattern such as "orders.*"' })).default([]),
            })
            .strict()
            .prefault({}),
        ...workloadSettings,
    })
    .strict()
    .superRefine((s, ctx) => {
        if (s.port !== undefined && s.ports !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["port"],
                message: "and ports are both set; keep one (port: N is shorthand for ports: [{ name: http, port: N }])",
            });
        }
    });
