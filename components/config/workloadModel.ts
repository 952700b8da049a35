// The resolved pod model: ports with their Service/container numbers, probes with one handler each, extra
// containers with their resources. Pure functions of the validated config; rules.ts reports what cannot resolve.
import type { z } from "zod";
import { EXTRA_CONTAINER_RESOURCES, ProbeTimings, ResolvedResources, SIDECAR_PROBE_TIMINGS } from "./defaults";
import type { PortProtocol, portSchema, probeSchema, sidecarSchema, initContainerSchema } from "./workloadSchema";

export type PortConfig = z.input<typeof portSchema>;
export type ProbeConfig = z.infer<typeof probeSchema>;
type SidecarConfig = z.infer<typeof sidecarSchema>;
type InitContainerConfig = z.infer<typeof initContainerSchema>;

/** One port, resolved: what the Service exposes, what the container listens on, and how it is spoken. */
export interface ResolvedPort {
    name: string;
    /** Service port (what clients dial). */
    port: number;
    /** Container port (what NetworkPolicies open: they see the pod's port after the Service's DNAT). */
    containerPort: number;
    protocol: PortProtocol;
    /** Service `appProtocol`; undefined for plain tcp/udp. */
    appProtocol?: string;
    /** L4 protocol of the Service, container port and NetworkPolicy rule. */
    transport: "TCP" | "UDP";
    /** The sidecar that listens on it; undefined for the main container. */
    container?: string;
}

export type { ProbeTimings };
export type ProbeHandler =
    | { type: "http"; path: string; port: string | number; scheme: "HTTP" | "HTTPS"; httpHeaders: { name: string; value: string }[] }
    | { type: "grpc"; port: number; service?: string }
    | { type: "tcp"; port: string | number }
    | { type: "exec"; command: string[] };
/** A probe with exactly one handler, or `none` (the container is not probed). */
export type ResolvedProbe = { type: "none" } | (ProbeHandler & ProbeTimings);

type ContainerResources = ResolvedResources;

export interface ResolvedSidecar extends Omit<SidecarConfig, "resources" | "readinessProbe" | "livenessProbe" | "startupProbe"> {
    resources: ContainerResources;
    readinessProbe: ResolvedProbe;
    livenessProbe: ResolvedProbe;
    startupProbe: ResolvedProbe;
}
export interface ResolvedInitContainer extends Omit<InitContainerConfig, "resources"> {
    resources: ContainerResources;
}

/** Fields of a probe that choose and configure its handler (the rest are timings). */
const HANDLER_FIELDS = ["type", "path", "port", "scheme", "httpHeaders", "service", "command"] as const;

/** The handler type a probe config means: `type`, else exec when it has a command, else http. */
export function probeType(p: ProbeConfig): NonNullable<ProbeConfig["type"]> {
    return p.type ?? (p.command ? "exec" : "http");
}

/**
 * Merges probe layers (code default, stack default, service): a layer that names a handler (`type`, `path` or
 * `command`) replaces the inherited handler fields; timings and handler details merge field by field.
 */
export function mergeProbe(...layers: (ProbeConfig | undefined)[]): ProbeConfig {
    let out: Record<string, unknown> = {};
    for (const layer of layers) {
        if (!layer) continue;
        if (layer.type !== undefined || layer.path !== undefined || layer.command !== undefined) {
            out = Object.fromEntries(Object.entries(out).filter(([k]) => !(HANDLER_FIELDS as readonly string[]).includes(k)));
        }
        for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k] = v;
    }
    return out as ProbeConfig;
}

const APP_PROTOCOL: Record<PortProtocol, string | undefined> = {
    http: "http",
    https: "https",
    h2c: "kubernetes.io/h2c",
    grpc: "grpc",
    tcp: undefined,
    udp: undefined,
};

/** `port: N` is shorthand for one http port named "http"; no port and no ports means no Service. */
export function resolvePorts(svc: { port?: number; ports?: PortConfig[] }): ResolvedPort[] {
    const list: PortConfig[] = svc.ports ?? (svc.port !== undefined ? [{ name: "http", port: svc.port, protocol: "http" }] : []);
    return list.map((p) => {
        const protocol = p.protocol ?? "http";
        const appProtocol = p.appProtocol ?? APP_PROTOCOL[protocol];
        return {
            name: p.name,
            port: p.port,
            containerPort: p.containerPort ?? p.port,
            protocol,
            ...(appProtocol ? { appProtocol } : {}),
            transport: protocol === "udp" ? "UDP" : "TCP",
            ...(p.container ? { container: p.container } : {}),
        };
    });
}

/** URL scheme of a port in outputs: never http:// for a gRPC or raw TCP port. */
export function portScheme(p: Pick<ResolvedPort, "protocol">): string {
    return p.protocol === "h2c" ? "http" : p.protocol;
}

/** The ports a container declares: `container` undefined selects the main container's. */
export function containerPortsOf(ports: readonly ResolvedPort[], container?: string): ResolvedPort[] {
    return ports.filter((p) => p.container === container);
}

/** Why a probe cannot be resolved against the container's ports, or undefined when it can. */
export function probeProblem(p: ProbeConfig, ports: readonly { name: string; containerPort: number; transport?: "TCP" | "UDP" }[]): string | undefined {
    const type = probeType(p);
    if (type === "none" || type === "exec") return undefined;
    if (p.port === undefined && ports.length === 0) {
        return `a ${type} probe needs a port and the container declares none; set type: exec (with command) or a port number`;
    }
    if (typeof p.port === "string" && !ports.some((x) => x.name === p.port)) {
        return `port "${p.port}" is not a port of this container (declared: ${ports.map((x) => x.name).join(", ") || "none"}); name one of its ports, a port number, or declare "${p.port}" on this container`;
    }
    // The kubelet's http, grpc and tcp probes connect over TCP: on a UDP port they fail on every attempt.
    const target = typeof p.port === "string" ? ports.find((x) => x.name === p.port) : p.port === undefined ? ports[0] : undefined;
    if (target?.transport === "UDP") {
        const tcp = ports.filter((x) => x.transport !== "UDP").map((x) => x.name);
        return (
            `${p.port === undefined ? "defaults to" : "names"} port "${target.name}", a UDP port, but a ${type} probe connects over TCP and would fail every time; ` +
            (tcp.length > 0 ? `set port to a TCP port (${tcp.join(", ")})` : "use type: exec with a command")
        );
    }
    return undefined;
}

/** Resolves a merged probe against the container's ports; call after {@link probeProblem} reported nothing. */
export function resolveProbe(
    p: ProbeConfig,
    timings: ProbeTimings,
    ports: readonly ResolvedPort[] | readonly { name: string; containerPort: number; protocol?: string }[],
): ResolvedProbe {
    const type = probeType(p);
    if (type === "none") return { type };
    const t: ProbeTimings = {
        initialDelaySeconds: p.initialDelaySeconds ?? timings.initialDelaySeconds,
        periodSeconds: p.periodSeconds ?? timings.periodSeconds,
        timeoutSeconds: p.timeoutSeconds ?? timings.timeoutSeconds,
        failureThreshold: p.failureThreshold ?? timings.failureThreshold,
    };
    if (type === "exec") return { type, command: p.command!, ...t };
    const problem = probeProblem(p, ports);
    if (problem) throw new Error(`unresolvable probe: ${problem}`);
    const named = typeof p.port === "string" ? ports.find((x) => x.name === p.port)! : p.port === undefined ? ports[0] : undefined;
    if (type === "grpc") {
        // The kubelet's gRPC probe takes a number only, so a port name resolves to its container port.
        return { type, port: named ? named.containerPort : (p.port as number), ...(p.service !== undefined ? { service: p.service } : {}), ...t };
    }
    const port = named ? named.name : (p.port as number);
    if (type === "tcp") return { type, port, ...t };
    const tls = named && "protocol" in named && named.protocol === "https";
    return { type, path: p.path ?? "/health", port, scheme: p.scheme ?? (tls ? "HTTPS" : "HTTP"), httpHeaders: p.httpHeaders ?? [], ...t };
}

/**
 * {@link resolveProbe} for the resolver, which runs before the rules: a probe that cannot resolve becomes `none`, and
 * the probe rule refuses that config, so such a model is never handed to a component.
 */
export function resolvableProbe(
    p: ProbeConfig,
    timings: ProbeTimings,
    ports: readonly { name: string; containerPort: number; protocol?: string; transport?: "TCP" | "UDP" }[],
): ResolvedProbe {
    return probeProblem(p, ports) === undefined ? resolveProbe(p, timings, ports) : { type: "none" };
}

/** Requests/limits of an extra container: its own, else {@link EXTRA_CONTAINER_RESOURCES}, field by field. */
export function extraContainerResources(
    r: { requests?: Partial<ContainerResources["requests"]>; limits?: Partial<ContainerResources["limits"]> } | undefined,
): ContainerResources {
    const d = EXTRA_CONTAINER_RESOURCES;
    return {
        requests: {
            cpu: r?.requests?.cpu ?? d.requests.cpu,
            memory: r?.requests?.memory ?? d.requests.memory,
            ephemeralStorage: r?.requests?.ephemeralStorage ?? d.requests.ephemeralStorage,
        },
        limits: {
            cpu: r?.limits?.cpu ?? d.limits.cpu,
            memory: r?.limits?.memory ?? d.limits.memory,
            ephemeralStorage: r?.limits?.ephemeralStorage ?? d.limits.ephemeralStorage,
        },
    };
}

/**
 * The ports a sidecar listens on, as its container declares them: its own `ports`, then the service ports that name
 * it as their `container`. Its probes resolve against exactly these (the config check, the resolved model and the
 * pod builder all use this list, so a probe the check accepts always resolves).
 */
export function sidecarPorts(
    s: Pick<SidecarConfig, "name" | "ports">,
    servicePorts: readonly ResolvedPort[],
): { name: string; containerPort: number; protocol?: string; transport: "TCP" | "UDP" }[] {
    return [
        ...s.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, transport: p.protocol ?? "TCP" })),
        ...servicePorts
            .filter((p) => p.container === s.name)
            .map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol, transport: p.transport })),
    ];
}

/** A sidecar with resources and probes resolved against {@link sidecarPorts}; a probe it does not declare is `none`. */
export function resolveSidecar(s: SidecarConfig, servicePorts: readonly ResolvedPort[]): ResolvedSidecar {
    const ports = sidecarPorts(s, servicePorts);
    const probe = (p: ProbeConfig | undefined): ResolvedProbe => (p ? resolvableProbe(p, SIDECAR_PROBE_TIMINGS, ports) : { type: "none" });
    return {
        ...s,
        resources: extraContainerResources(s.resources),
        readinessProbe: probe(s.readinessProbe),
        livenessProbe: probe(s.livenessProbe),
        startupProbe: probe(s.startupProbe),
    };
}

export function resolveInitContainer(c: InitContainerConfig): ResolvedInitContainer {
    return { ...c, resources: extraContainerResources(c.resources) };
}
