// The resolved model: a service with built-in defaults (./defaults) and stack defaults merged in.
import type { PlatformConfig, ResourceSpec, ServiceConfig } from "./schema";
import type { workloadSettings } from "./serviceSchema";
import { WORKLOAD_DEFAULTS } from "./defaults";

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

/** The resolved per-workload settings (everything `platform:defaults` can set). */
export type WorkloadSettings = Omit<ResolvedService, Exclude<keyof ResolvedService, keyof typeof workloadSettings>>;

type Defaults = PlatformConfig["defaults"];

const definedOnly = (l: object | undefined) => Object.fromEntries(Object.entries(l ?? {}).filter(([, v]) => v !== undefined));

/** Requests and limits: `base` with each layer's set fields on top, later layers winning. */
export function resolveResources(base: ResolvedResources, ...layers: (ResourceSpec | undefined)[]): ResolvedResources {
    return {
        requests: Object.assign({ ...base.requests }, ...layers.map((l) => definedOnly(l?.requests))),
        limits: Object.assign({ ...base.limits }, ...layers.map((l) => definedOnly(l?.limits))),
    };
}

/** Merges code defaults, stack defaults and the service's own settings, field by field. */
export function resolveService(svc: ServiceConfig, defaults: Defaults): ResolvedService {
    const pick = <K extends keyof Defaults>(k: K) => svc[k] ?? defaults[k];
    const merged = <T extends object>(base: T, ...layers: (Partial<T> | undefined)[]): T => Object.assign({}, base, ...layers.map(definedOnly));
    return {
        ...svc,
        replicas: pick("replicas") ?? WORKLOAD_DEFAULTS.replicas,
        logLevel: pick("logLevel") ?? WORKLOAD_DEFAULTS.logLevel,
        imagePullPolicy: pick("imagePullPolicy") ?? WORKLOAD_DEFAULTS.imagePullPolicy,
        resources: resolveResources(WORKLOAD_DEFAULTS.resources, defaults.resources, svc.resources),
        autoscaling: merged({ ...WORKLOAD_DEFAULTS.autoscaling }, defaults.autoscaling, svc.autoscaling),
        disruptionBudget: merged({ ...WORKLOAD_DEFAULTS.disruptionBudget }, defaults.disruptionBudget, svc.disruptionBudget),
        readinessProbe: merged({ ...WORKLOAD_DEFAULTS.readinessProbe }, defaults.readinessProbe, svc.readinessProbe),
        livenessProbe: merged({ ...WORKLOAD_DEFAULTS.livenessProbe }, defaults.livenessProbe, svc.livenessProbe),
        terminationGracePeriodSeconds: pick("terminationGracePeriodSeconds") ?? WORKLOAD_DEFAULTS.terminationGracePeriodSeconds,
        preStopSleepSeconds: pick("preStopSleepSeconds") ?? WORKLOAD_DEFAULTS.preStopSleepSeconds,
        topologySpread: pick("topologySpread") ?? WORKLOAD_DEFAULTS.topologySpread,
        podSecurity: merged({ ...WORKLOAD_DEFAULTS.podSecurity }, defaults.podSecurity, svc.podSecurity),
        secretKeys: svc.secretEnv.map((s) => s.secret),
    };
}
