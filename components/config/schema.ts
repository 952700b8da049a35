// Schema of the whole `platform:` namespace (edge, metadata, namespace, secrets, observability, dapr; stores and
// services in their own files). Every default comes from ./defaults and is documented here once.
import { z } from "zod";
import { DEFAULTS } from "./defaults";
import { defaultsSchema, resources, serviceSchema } from "./serviceSchema";
import { extraChartSchema } from "./chartsSchema";
import { cidr, kafkaSchema, postgresSchema, redisSchema } from "./storeSchema";
import { HOSTNAME, TOPIC_NAME, cpu, dnsLabel, duration, memory, req } from "./validators";

export type { BackupConfig } from "./storeSchema";

const E = DEFAULTS.edge;

const tlsSchema = z
    .object({
        /** Serve HTTPS (mandatory in production). Defaults to false. */
        enabled: z.boolean().default(E.tlsEnabled),
        /** cert-manager ClusterIssuer that issues the certificate (ingress mode). */
        clusterIssuer: z.string().min(1).optional(),
        /** Existing TLS Secret; defaults to "<namespace>-tls" (issued by cert-manager). */
        secretName: dnsLabel("tls-secret", 253).optional(),
    })
    .strict()
    .prefault({});

/** Per-route proxy timeouts of the edge. */
const timeoutsSchema = z
    .object({
        /** Seconds the edge waits on a plain HTTP route (read/send, or the whole request for a Gateway). Defaults to the controller's own (60s for ingress-nginx). */
        requestSeconds: z
            .number()
            .int()
            .min(1, { error: "must be at least 1 second" })
            .max(86400, { error: "must be at most 86400 seconds (one day)" })
            .optional(),
        /** Seconds an idle WebSocket route (a service with `websocket: true`) stays open. Defaults to 3600. */
        websocketSeconds: z
            .number()
            .int()
            .min(1, { error: "must be at least 1 second" })
            .max(86400, { error: "must be at most 86400 seconds (one day)" })
            .default(E.websocketTimeoutSeconds),
    })
    .strict()
    .prefault({});

/** What every edge mode shares: TLS, forwarded headers, timeouts, the public port and the controller namespace. */
interface EdgeCommon {
    tls: z.infer<typeof tlsSchema>;
    forwardedHeaders: boolean;
    timeouts: z.infer<typeof timeoutsSchema>;
    publicPort?: number;
    controllerNamespace: string;
}

/** The edge as components consume it: nothing, an Ingress, or an HTTPRoute on an existing Gateway. */
export type EdgeConfig =
    | { mode: "none"; controllerNamespace: string }
    | ({ mode: "ingress"; host: string; ingress: { className: string; annotations: Record<string, string> } } & EdgeCommon)
    | ({ mode: "gateway"; host: string; gateway: { name: string; namespace: string; sectionName?: string } } & EdgeCommon);

/** The one single-label host the edge accepts: a local blueprint's origin (`http://localhost:8080` through a port-forward). */
export const LOCAL_HOST = "localhost";

const edgeSchema = z
    .object({
        /** How public services are exposed: "ingress", "gateway" (Gateway API) or "none". Defaults to "none". */
        mode: z.enum(["ingress", "gateway", "none"], { error: "must be one of ingress, gateway, none" }).default(E.mode),
        /** Public hostname; required unless mode is "none". */
        host: z
            .string()
            .refine((h) => h === LOCAL_HOST || HOSTNAME.test(h), {
                error: 'must be a lowercase DNS hostname such as app.example.com (or "localhost" for a local origin)',
            })
            .optional(),
        ingress: z
            .object({
                /** IngressClass. Defaults to "nginx". */
                className: z.string().min(1).default(E.ingressClassName),
                /** Extra Ingress annotations. Defaults to none. */
                annotations: z.record(z.string(), z.string()).default({}),
            })
            .strict()
            .prefault({}),
        /** The Gateway the HTTPRoute attaches to; required in mode "gateway". */
        gateway: z
            .object({
                name: dnsLabel("gateway"),
                namespace: dnsLabel("namespace"),
                sectionName: z.string().optional(),
            })
            .strict()
            .optional(),
        tls: tlsSchema,
        /**
         * Send X-Forwarded-Proto/Host/Port and the route's X-Forwarded-Prefix to the services (ingress: controller
         * annotations by class, one Ingress per route; gateway: a RequestHeaderModifier filter per rule). Defaults to false.
         */
        forwardedHeaders: z.boolean().default(E.forwardedHeaders),
        timeouts: timeoutsSchema,
        /** Port clients reach the edge on (X-Forwarded-Port, the `url` output), e.g. 8080 behind a local port-forward. Defaults to 443 with TLS, 80 without. */
        publicPort: z.number().int().min(1, { error: "must be between 1 and 65535" }).max(65535, { error: "must be between 1 and 65535" }).optional(),
        /** Namespace of the ingress controller / gateway pods that may reach public services. Defaults to "ingress-nginx". */
        controllerNamespace: dnsLabel("namespace").default(E.controllerNamespace),
    })
    .strict()
    .superRefine((e, ctx) => {
        if (e.mode !== "none" && !e.host) ctx.addIssue({ code: "custom", path: ["host"], message: `is required when platform:edge.mode is "${e.mode}"` });
        if (e.mode === "gateway" && !e.gateway)
            ctx.addIssue({
                code: "custom",
                path: ["gateway"],
                message: `is required when platform:edge.mode is "gateway" (name and namespace of the Gateway)`,
            });
    })
    .transform((e): EdgeConfig => {
        const common: EdgeCommon = {
            tls: e.tls,
            forwardedHeaders: e.forwardedHeaders,
            timeouts: e.timeouts,
            controllerNamespace: e.controllerNamespace,
            ...(e.publicPort ? { publicPort: e.publicPort } : {}),
        };
        if (e.mode === "ingress") return { mode: "ingress", host: e.host!, ingress: e.ingress, ...common };
        if (e.mode === "gateway") return { mode: "gateway", host: e.host!, gateway: e.gateway!, ...common };
        return { mode: "none", controllerNamespace: e.controllerNamespace };
    })
    .prefault({});

export const metadataSchema = z
    .object({
        team: dnsLabel("team"),
        costCenter: z
            .string({ error: req("must be a string") })
            .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,61}[A-Za-z0-9]$/, { error: 'must be a label-safe cost center id, e.g. "cc-1234"' }),
        owner: z.string().min(1).optional(),
        contact: z.string().min(1).optional(),
        documentation: z.string().url({ error: "must be a URL such as https://docs.example.com/platform" }).optional(),
        incidentChannel: z.string().min(1).optional(),
        /** app.kubernetes.io/part-of of every resource. Defaults to "platform". */
        partOf: dnsLabel("product").default(DEFAULTS.metadata.partOf),
    })
    .strict();

const namespaceSchema = z
    .object({
        name: dnsLabel("namespace"),
        /** Pod Security Admission level enforced on the namespace. Defaults to "restricted". */
        podSecurityLevel: z.enum(["restricted", "baseline"], { error: "must be restricted or baseline" }).default(DEFAULTS.namespace.podSecurityLevel),
        /** ResourceQuota. Defaults to none. */
        quota: z
            .object({
                requestsCpu: cpu,
                requestsMemory: memory,
                limitsCpu: cpu,
                limitsMemory: memory,
                /** Namespace total of ephemeral-storage requests/limits; needs containerDefaults.*.ephemeralStorage. Defaults to no cap. */
                requestsEphemeralStorage: memory.optional(),
                limitsEphemeralStorage: memory.optional(),
                pods: z.number().int().min(1, { error: "must be at least 1" }),
            })
            .strict()
            .optional(),
        /** LimitRange defaults for containers that set no resources (chart pods). Defaults to none. */
        containerDefaults: resources.optional(),
    })
    .strict();

const S = DEFAULTS.secrets;
const secretsSchema = z
    .object({
        /** dev/staging may generate absent secrets with RandomPassword. Defaults to false. */
        allowGenerated: z.boolean().default(S.allowGenerated),
        /** Production refuses generated secrets unless this explicit opt-in is set. Defaults to false. */
        allowGeneratedInProduction: z.boolean().default(S.allowGeneratedInProduction),
        /** Length of generated secrets. Defaults to 32. */
        generatedLength: z.number().int().min(16, { error: "must be at least 16" }).max(128, { error: "must be at most 128" }).default(S.generatedLength),
    })
    .strict()
    .prefault({});

const O = DEFAULTS.observability;
const observabilitySchema = z
    .object({
        /** Namespace of Prometheus, admitted to the metrics ports. Defaults to "monitoring". */
        monitoringNamespace: dnsLabel("namespace").default(O.monitoringNamespace),
        /** Create ServiceMonitors (needs the Prometheus Operator CRDs). Defaults to false. */
        serviceMonitors: z.boolean().default(O.serviceMonitors),
        /** Prometheus duration between scrapes, e.g. "1m30s". Defaults to "30s". */
        scrapeInterval: duration.default(O.scrapeInterval),
    })
    .strict()
    .prefault({});

const D = DEFAULTS.dapr;
const networkSchema = z
    .object({
        /**
         * Where pods that need the Kubernetes API (CNPG instances, the Strimzi entity operator) may connect. NetworkPolicy
         * sees the API server at its real address (after the Service DNAT), which differs per cluster.
         */
        apiServer: z
            .object({
                /** Defaults to the RFC 1918 ranges; narrow to the control plane's address (e.g. ["172.18.0.2/32"]) or widen for a public endpoint. */
                cidrs: z
                    .array(cidr)
                    .min(1, { error: "must list at least one CIDR" })
                    .default([...DEFAULTS.network.apiServerCidrs]),
                /** Defaults to [443, 6443] (the `kubernetes` Service port and the usual apiserver port). */
                ports: z
                    .array(z.number().int().min(1, { error: "must be between 1 and 65535" }).max(65535, { error: "must be between 1 and 65535" }))
                    .min(1)
                    .default([...DEFAULTS.network.apiServerPorts]),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .prefault({});

const daprSchema = z
    .object({
        /** Dapr runs in the cluster and services may opt in. Defaults to false. */
        enabled: z.boolean().default(D.enabled),
        /** Namespace of the Dapr control plane. Defaults to "dapr-system". */
        namespace: dnsLabel("namespace").default(D.namespace),
        /** Log level of the sidecars. Defaults to "info". */
        logLevel: z.enum(["debug", "info", "warn", "error"], { error: "must be one of debug, info, warn, error" }).default(D.logLevel),
        /** Requests/limits of each daprd sidecar; unset fields default to 50m/64Mi requests, 500m/256Mi limits. */
        sidecarResources: resources.optional(),
        /**
         * A `pubsub.kafka` Component on the platform's Kafka for each Dapr app that uses kafka, named `<name>-<app-id>`
         * and logging in as that service. Defaults to none; `name` defaults to "pubsub".
         */
        pubsub: z
            .object({ name: dnsLabel("component").default(D.pubsubName) })
            .strict()
            .optional(),
        /**
         * A `state.redis` Component on the platform's Valkey for each Dapr app that uses redis, named `<name>-<app-id>`
         * and logging in as that service. Defaults to none; `name` defaults to "statestore".
         */
        stateStore: z
            .object({ name: dnsLabel("component").default(D.stateStoreName) })
            .strict()
            .optional(),
        /** Declarative subscriptions (dapr.io/v2alpha1): a declared topic delivered to `route` of each subscriber. Defaults to none. */
        subscriptions: z
            .array(
                z
                    .object({
                        name: dnsLabel("subscription", 40),
                        topic: z.string().regex(TOPIC_NAME, { error: "must be a declared topic name (app.domain.event-type.version)" }),
                        route: z.string().regex(/^\/[A-Za-z0-9._~\/-]*$/, { error: 'must be an HTTP path on the app, e.g. "/events/task-created"' }),
                        subscribers: z.array(dnsLabel("service")).min(1, { error: "must name at least one subscribing service" }),
                    })
                    .strict(),
            )
            .default([]),
    })
    .strict()
    .prefault({});

/** The whole `platform:` namespace. Each top-level property is one Pulumi config key. */
export const platformSchema = z
    .object({
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
        /** Further Helm charts (a broker, a document store …) with labels, Secrets by reference and network rules. Defaults to none. */
        charts: z.array(extraChartSchema).default([]),
        /**
         * Chart mirror directory (air-gapped installs): a pinned chart `<chart>@<version>` is read from
         * `<chartMirror>/<chart>-<version>/`, relative paths from the project directory. Defaults to the
         * PLATFORM_CHART_MIRROR environment variable; when neither is set, charts come from their repositories.
         */
        chartMirror: z.string().min(1, { error: "must be a directory path" }).optional(),
        network: networkSchema,
        /** What this stack is: "app" (services and their data) or "cluster" (a cluster layer, components/cluster/). Defaults to "app". */
        layer: z.literal("app", { error: "must be app or cluster (a cluster layer stack takes only cluster layer settings)" }).optional(),
        /**
         * The cluster layer stack this app stack runs on, read through a StackReference (`<organization>/<project>/<stack>`,
         * e.g. "organization/platform/cluster"): its operators, CRDs and cluster RBAC are used, and this stack installs no
         * operator. Defaults to none (one stack per cluster: the stack installs the operators, per installOperator).
         */
        clusterLayer: z
            .string({ error: "must be a stack name" })
            .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, {
                error: 'must be a fully qualified stack name <organization>/<project>/<stack>, e.g. "organization/platform/cluster"',
            })
            .optional(),
    })
    .strict();

/** The raw shape of the `platform:` namespace after defaults are applied. */
/** The config as written, with the schema's own defaults: the parse's intermediate, which only the resolver reads. */
export type WrittenConfig = z.infer<typeof platformSchema>;
export type ServiceConfig = WrittenConfig["services"][number];
export type { ExtraChartConfig } from "./chartsSchema";
export type TopicConfig = WrittenConfig["kafka"]["topics"][number];
export type { ChartCoordinates } from "./chartPins";
export type ResourceSpec = z.infer<typeof resources>;

/** Keys of the schema: each is read from its own Pulumi config key. */
export const TOP_LEVEL_KEYS = Object.keys(platformSchema.shape) as (keyof WrittenConfig)[];
