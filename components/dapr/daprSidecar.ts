// Dapr as one pod feature: the sidecar injector's annotations, the ports other sidecars and Prometheus reach, and
// the traffic to and from the Dapr control plane — everything a Dapr-enabled service adds to its pod and policy.
import { containerPortsOf, DEFAULTS, ResolvedService } from "../config";
import { namespaceSelector, PodFeature, tcpPorts } from "../k8s";

type LogLevel = "debug" | "info" | "warn" | "error";

/** Dapr sidecar ports: HTTP API, gRPC API, internal gRPC (sidecar-to-sidecar service invocation). */
export const DAPR_SIDECAR_PORTS = [3500, 50001, 50002] as const;
/** Port other sidecars use to reach this pod's sidecar. */
export const DAPR_INTERNAL_GRPC_PORT = 50002;
/** Dapr sidecar Prometheus port. */
export const DAPR_METRICS_PORT = 9090;

/** Requests/limits of the injected Dapr sidecar (a namespace ResourceQuota rejects containers without them). */
export interface DaprSidecarResources {
    cpuRequest: string;
    cpuLimit: string;
    memoryRequest: string;
    memoryLimit: string;
}

const SIDECAR = DEFAULTS.dapr.sidecarResources;
/** Sidecar resources when `platform:dapr.sidecarResources` sets none (the value lives in config/defaults.ts). */
export const DEFAULT_DAPR_SIDECAR_RESOURCES: Readonly<DaprSidecarResources> = {
    cpuRequest: SIDECAR.requests.cpu,
    cpuLimit: SIDECAR.limits.cpu,
    memoryRequest: SIDECAR.requests.memory,
    memoryLimit: SIDECAR.limits.memory,
};

/** Stack-wide Dapr settings (`platform:dapr`); a service gets a sidecar only when both this and `service.dapr.enabled` are on. */
export interface MicroserviceDapr {
    enabled: boolean;
    logLevel: LogLevel;
    /** Sidecar requests/limits; defaults to {@link DEFAULT_DAPR_SIDECAR_RESOURCES}. */
    sidecarResources?: DaprSidecarResources;
    /** Namespace of the Dapr control plane (admitted to the sidecar, reached by it); no control-plane rules when undefined. */
    namespace?: string;
}

/** True when the service gets a Dapr sidecar. */
export function daprEnabled(svc: Pick<ResolvedService, "dapr">, dapr: MicroserviceDapr): boolean {
    return dapr.enabled && svc.dapr?.enabled === true;
}

/** The service's Dapr app id: `dapr.appId` or its name. */
export function daprAppId(svc: Pick<ResolvedService, "name" | "dapr">): string {
    return svc.dapr ? svc.dapr.appId : svc.name;
}

/** Dapr sidecar annotations; empty when Dapr is off for the service. */
export function daprAnnotations(svc: ResolvedService, dapr: MicroserviceDapr): Record<string, string> {
    if (!daprEnabled(svc, dapr)) return {};
    const r = dapr.sidecarResources ?? DEFAULT_DAPR_SIDECAR_RESOURCES;
    const appPort = containerPortsOf(svc.ports)[0]?.containerPort;
    return {
        "dapr.io/enabled": "true",
        "dapr.io/app-id": daprAppId(svc),
        ...(appPort !== undefined ? { "dapr.io/app-port": String(appPort) } : {}),
        "dapr.io/log-level": dapr.logLevel,
        // The injected sidecar must pass the namespace's restricted Pod Security level and its quota.
        "dapr.io/sidecar-seccomp-profile-type": "RuntimeDefault",
        "dapr.io/sidecar-cpu-request": r.cpuRequest,
        "dapr.io/sidecar-cpu-limit": r.cpuLimit,
        "dapr.io/sidecar-memory-request": r.memoryRequest,
        "dapr.io/sidecar-memory-limit": r.memoryLimit,
    };
}

/**
 * The Dapr sidecar as a pod feature: its annotations; callers' sidecars reach it on the internal gRPC port and it
 * reaches theirs; Prometheus scrapes its metrics port; the control plane reaches its APIs and it reaches the
 * control plane (operator, sentry, placement, scheduler listen on several ports). Undefined when Dapr is off.
 */
export function daprPodFeature(svc: ResolvedService, dapr: MicroserviceDapr): PodFeature | undefined {
    if (!daprEnabled(svc, dapr)) return undefined;
    const internal = { port: DAPR_INTERNAL_GRPC_PORT, protocol: "TCP" as const };
    const controlPlane = dapr.namespace !== undefined ? [{ namespaceSelector: namespaceSelector(dapr.namespace) }] : undefined;
    return {
        annotations: daprAnnotations(svc, dapr),
        callerPorts: [internal],
        dependencyPorts: [internal],
        metricsPorts: [DAPR_METRICS_PORT],
        ingress: controlPlane ? [{ from: controlPlane, ports: tcpPorts([...DAPR_SIDECAR_PORTS]) }] : [],
        egress: controlPlane ? [{ to: controlPlane }] : [],
    };
}
