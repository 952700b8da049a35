// The resolved model: a service with code defaults and stack defaults merged in.
import type { PlatformConfig, ResourceSpec, ServiceConfig } from "./schema";
import type { workloadSettings } from "./serviceSchema";

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
