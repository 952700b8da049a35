// The resolved model: a service with built-in defaults (./defaults) and stack defaults merged in.
import type { ResourceSpec, ServiceConfig, WrittenConfig } from "./schema";
import type { workloadSettings } from "./serviceSchema";
import { OTLP_DEFAULT_PORTS, otelSchema, TAINT_EFFECTS, tolerationSchema, TOLERATION_OPERATORS } from "./workloadSchema";
import type { z } from "zod";

type OtelConfig = z.infer<typeof otelSchema>;
type TolerationConfig = z.infer<typeof tolerationSchema>;
import { ResolvedResources, STARTUP_PROBE_TIMINGS, WORKLOAD_DEFAULTS } from "./defaults";
import {
    containerPortsOf,
    mergeProbe,
    ProbeConfig,
    ProbeTimings,
    resolvableProbe,
    ResolvedInitContainer,
    ResolvedPort,
    ResolvedProbe,
    ResolvedSidecar,
    resolveInitContainer,
    resolvePorts,
    resolveSidecar,
} from "./workloadModel";

export * from "./workloadModel";
export interface AutoscalingSettings {
    enabled: boolean;
    minReplicas: number;
    maxReplicas: number;
    cpuUtilization: number;
    memoryUtilization: number;
}
export interface PodSecuritySettings {
    runAsUser: number;
    runAsGroup: number;
    fsGroup: number;
    runAsNonRoot: boolean;
    readOnlyRootFilesystem: boolean;
}

/** Where Prometheus scrapes; `port` is absent (and `enabled` false) when the service has no port to scrape. */
export interface ResolvedMetrics {
    enabled: boolean;
    path: string;
    /** The scraped port; `separate` when it is not one of the service's declared ports (then named "metrics"). */
    port?: { name: string; port: number; containerPort: number; separate: boolean };
}

/** OpenTelemetry exporter settings with the endpoint's port resolved. */
export interface ResolvedOtel {
    endpoint: string;
    protocol: "grpc" | "http/protobuf";
    /** Port of the endpoint (explicit, else the protocol's OTLP default). */
    port: number;
    /** True for a collector on localhost (a sidecar agent): no egress needed. */
    local: boolean;
    collectorNamespace?: string;
    resourceAttributes: Record<string, string>;
}

/** One toleration with its operator resolved (Kubernetes reads an absent operator as Equal). */
export interface ResolvedToleration {
    key?: string;
    operator: (typeof TOLERATION_OPERATORS)[number];
    value?: string;
    /** Absent: every effect. */
    effect?: (typeof TAINT_EFFECTS)[number];
    tolerationSeconds?: number;
}

/** Where the pods of a service's workloads (Deployment, migration Job, cleanup CronJob) may be scheduled. */
export interface PodPlacement {
    /** Empty when no node labels are required. */
    nodeSelector: Record<string, string>;
    /** Empty when the pods tolerate no taint. */
    tolerations: ResolvedToleration[];
}

/** Name of the extra Service/container port that `metrics.port` adds when it is not a declared port. */
export const METRICS_PORT_NAME = "metrics";

type PodShapeKeys = "port" | "ports" | "startupProbe" | "capabilities" | "sidecars" | "initContainers" | "metrics" | "redis" | "dapr";

/** One service with stack defaults and code defaults merged in: what the Microservice component consumes. */
export interface ResolvedService extends Omit<ServiceConfig, keyof typeof workloadSettings | PodShapeKeys> {
    /** Declared ports, first one primary; empty for a workload without a Service. */
    ports: ResolvedPort[];
    metrics: ResolvedMetrics;
    startupProbe: ResolvedProbe;
    /** Capabilities added back after drop ALL (only NET_BIND_SERVICE is allowed). */
    addCapabilities: "NET_BIND_SERVICE"[];
    sidecars: ResolvedSidecar[];
    initContainers: ResolvedInitContainer[];
    replicas: number;
    logLevel: "debug" | "info" | "warn" | "error";
    /** LOG_FORMAT; undefined leaves the image's own format. */
    logFormat?: "json" | "text";
    /** OTLP exporter settings; undefined when no endpoint is configured. */
    otel?: ResolvedOtel;
    imagePullPolicy: "Always" | "IfNotPresent" | "Never";
    resources: ResolvedResources;
    autoscaling: AutoscalingSettings;
    disruptionBudget: { enabled: boolean; maxUnavailable: number };
    readinessProbe: ResolvedProbe;
    livenessProbe: ResolvedProbe;
    terminationGracePeriodSeconds: number;
    preStopSleepSeconds: number;
    topologySpread: boolean;
    podSecurity: PodSecuritySettings;
    /** sizeLimit of the /tmp emptyDir and of declared emptyDir volumes without a size. */
    tmpSizeLimit: string;
    /** What backs /tmp: the node's default medium, or memory (a tmpfs). */
    tmpMedium: "Disk" | "Memory";
    /** Node labels the pods require: platform:defaults' with the service's keys on top. */
    nodeSelector: PodPlacement["nodeSelector"];
    /** Taints the pods tolerate: the service's list, else platform:defaults'. */
    tolerations: PodPlacement["tolerations"];
    /** Secret config keys this service reads, e.g. ["sessionKey"]. */
    secretKeys: string[];
    /** Its Valkey ACL user: its own command rules or platform:redis.acl.commands, keys under `<service>:` unless set. */
    redis: { commands: string; keys: string[]; channels: string[] };
    /** Its Dapr sidecar; `appId` is the service name unless set. */
    dapr?: { enabled: boolean; appId: string };
    /** The service as written: rules read it to name the key a value came from, components never do. */
    written: Readonly<ServiceConfig>;
}

/** The per-workload settings (everything `platform:defaults` can set), resolved; probes as complete config layers. */
export type WorkloadSettings = Omit<
    ResolvedService,
    Exclude<keyof ResolvedService, keyof typeof workloadSettings> | "readinessProbe" | "livenessProbe" | "written"
> & {
    readinessProbe: ProbeConfig & ProbeTimings;
    livenessProbe: ProbeConfig & ProbeTimings;
};

// The defaults are plain data (defaults.ts imports nothing of the schema); here they are held to the resolved shape.
const workloadDefaults: Readonly<WorkloadSettings> = WORKLOAD_DEFAULTS;

type Defaults = WrittenConfig["defaults"];

const definedOnly = (l: object | undefined) => Object.fromEntries(Object.entries(l ?? {}).filter(([, v]) => v !== undefined));

/** Requests and limits: `base` with each layer's set fields on top, later layers winning. */
export function resolveResources(base: ResolvedResources, ...layers: (ResourceSpec | undefined)[]): ResolvedResources {
    return {
        requests: Object.assign({ ...base.requests }, ...layers.map((l) => definedOnly(l?.requests))),
        limits: Object.assign({ ...base.limits }, ...layers.map((l) => definedOnly(l?.limits))),
    };
}

/** The stack-wide settings a service's own ones fall back to, outside platform:defaults. */
export interface StackFallbacks {
    /** platform:redis.acl.commands. */
    redisAclCommands: string;
}

/** Merges code defaults, stack defaults and the service's own settings, field by field. */
export function resolveService(svc: ServiceConfig, defaults: Defaults, stack: StackFallbacks): ResolvedService {
    const pick = <K extends keyof Defaults>(k: K) => svc[k] ?? defaults[k];
    const merged = <T extends object>(base: T, ...layers: (Partial<T> | undefined)[]): T => Object.assign({}, base, ...layers.map(definedOnly));
    const ports = resolvePorts(svc);
    const mainPorts = containerPortsOf(ports);
    const { port: _port, capabilities: _caps, otel: _otel, logFormat: _logFormat, redis, dapr, ...rest } = svc;
    return {
        ...rest,
        redis: { commands: redis.commands ?? stack.redisAclCommands, keys: redis.keys ?? [`${svc.name}:*`], channels: redis.channels },
        ...(dapr ? { dapr: { enabled: dapr.enabled, appId: dapr.appId ?? svc.name } } : {}),
        replicas: pick("replicas") ?? workloadDefaults.replicas,
        logLevel: pick("logLevel") ?? workloadDefaults.logLevel,
        ...(pick("logFormat") ? { logFormat: pick("logFormat") } : {}),
        ...resolveOtel(defaults.otel, svc.otel),
        imagePullPolicy: pick("imagePullPolicy") ?? workloadDefaults.imagePullPolicy,
        resources: resolveResources(workloadDefaults.resources, defaults.resources, svc.resources),
        autoscaling: merged({ ...workloadDefaults.autoscaling }, defaults.autoscaling, svc.autoscaling),
        disruptionBudget: merged({ ...workloadDefaults.disruptionBudget }, defaults.disruptionBudget, svc.disruptionBudget),
        ports,
        metrics: resolveMetrics(svc, ports),
        readinessProbe: resolvableProbe(
            mergeProbe(workloadDefaults.readinessProbe, defaults.readinessProbe, svc.readinessProbe),
            workloadDefaults.readinessProbe,
            mainPorts,
        ),
        livenessProbe: resolvableProbe(
            mergeProbe(workloadDefaults.livenessProbe, defaults.livenessProbe, svc.livenessProbe),
            workloadDefaults.livenessProbe,
            mainPorts,
        ),
        // A startup probe is per service only: it holds liveness back while a slow process starts.
        startupProbe: svc.startupProbe ? resolvableProbe(svc.startupProbe, STARTUP_PROBE_TIMINGS, mainPorts) : { type: "none" },
        addCapabilities: svc.capabilities?.add ?? [],
        sidecars: svc.sidecars.map((c) => resolveSidecar(c, ports)),
        initContainers: svc.initContainers.map(resolveInitContainer),
        terminationGracePeriodSeconds: pick("terminationGracePeriodSeconds") ?? workloadDefaults.terminationGracePeriodSeconds,
        preStopSleepSeconds: pick("preStopSleepSeconds") ?? workloadDefaults.preStopSleepSeconds,
        topologySpread: pick("topologySpread") ?? workloadDefaults.topologySpread,
        podSecurity: merged({ ...workloadDefaults.podSecurity }, defaults.podSecurity, svc.podSecurity),
        tmpSizeLimit: pick("tmpSizeLimit") ?? workloadDefaults.tmpSizeLimit,
        tmpMedium: pick("tmpMedium") ?? workloadDefaults.tmpMedium,
        ...resolvePlacement(defaults, svc),
        secretKeys: serviceSecretKeys(svc),
        written: svc,
    };
}

/**
 * Node placement: nodeSelector merges key by key (code default, then platform:defaults, then the service), while a
 * tolerations list replaces the one below it whole — a toleration list is read as one decision ("these taints"), and
 * a service that must not land on the defaults' dedicated nodes clears it with `[]`.
 */
export function resolvePlacement(
    defaults: Pick<Defaults, "nodeSelector" | "tolerations">,
    svc: Pick<ServiceConfig, "nodeSelector" | "tolerations">,
): PodPlacement {
    const tolerations = svc.tolerations ?? defaults.tolerations ?? workloadDefaults.tolerations;
    return {
        nodeSelector: { ...workloadDefaults.nodeSelector, ...defaults.nodeSelector, ...svc.nodeSelector },
        tolerations: tolerations.map(resolveToleration),
    };
}

function resolveToleration(t: TolerationConfig | ResolvedToleration): ResolvedToleration {
    return {
        ...(t.key !== undefined ? { key: t.key } : {}),
        operator: t.operator ?? "Equal",
        ...(t.value !== undefined ? { value: t.value } : {}),
        ...(t.effect !== undefined ? { effect: t.effect } : {}),
        ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: t.tolerationSeconds } : {}),
    };
}

/** The OTLP settings, service fields over platform:defaults.otel; absent without an endpoint. */
export function resolveOtel(...layers: (OtelConfig | undefined)[]): { otel?: ResolvedOtel } {
    const m = Object.assign({}, ...layers.map(definedOnly)) as OtelConfig;
    if (!m.endpoint) return {};
    const url = new URL(m.endpoint);
    const protocol = m.protocol ?? "grpc";
    // The port as written: URL drops a scheme's default port (":80" on http), which is still the port the SDK dials.
    const written = /^[a-z]+:\/\/[^/:]+:([0-9]+)/i.exec(m.endpoint)?.[1];
    return {
        otel: {
            endpoint: m.endpoint,
            protocol,
            port: written !== undefined ? Number(written) : OTLP_DEFAULT_PORTS[protocol],
            local: ["localhost", "127.0.0.1"].includes(url.hostname),
            ...(m.collectorNamespace ? { collectorNamespace: m.collectorNamespace } : {}),
            resourceAttributes: { ...(m.resourceAttributes ?? {}) },
        },
    };
}

/** Secret config keys read by the service's containers (main, sidecars, init containers), in order, without repeats. */
export function serviceSecretKeys(svc: Pick<ServiceConfig, "secretEnv" | "sidecars" | "initContainers">): string[] {
    const all = [svc.secretEnv, ...svc.sidecars.map((c) => c.secretEnv), ...svc.initContainers.map((c) => c.secretEnv)].flat().map((e) => e.secret);
    return [...new Set(all)];
}

/** The scraped port: `metrics.port` (a declared container port, or a separate "metrics" port), else the first http port. */
export function resolveMetrics(svc: Pick<ServiceConfig, "metrics">, ports: readonly ResolvedPort[]): ResolvedMetrics {
    const main = containerPortsOf(ports);
    const m = svc.metrics;
    if (m.port !== undefined) {
        const declared = main.find((p) => p.containerPort === m.port);
        const port = declared
            ? { name: declared.name, port: declared.port, containerPort: declared.containerPort, separate: false }
            : { name: METRICS_PORT_NAME, port: m.port, containerPort: m.port, separate: true };
        return { enabled: m.enabled, path: m.path, port };
    }
    const http = main.find((p) => p.protocol === "http");
    if (!http) return { enabled: false, path: m.path };
    return { enabled: m.enabled, path: m.path, port: { name: http.name, port: http.port, containerPort: http.containerPort, separate: false } };
}
