// Kubernetes probes from resolved probe settings: one handler each (http, grpc, tcp, exec), or none.
import * as k8s from "@pulumi/kubernetes";
import { ResolvedProbe } from "../config";

/** The probe as the kubelet takes it; undefined for `none` (the container is not probed). */
export function probeSpec(p: ResolvedProbe): k8s.types.input.core.v1.Probe | undefined {
    if (p.type === "none") return undefined;
    const timings = {
        initialDelaySeconds: p.initialDelaySeconds,
        periodSeconds: p.periodSeconds,
        timeoutSeconds: p.timeoutSeconds,
        failureThreshold: p.failureThreshold,
    };
    switch (p.type) {
        case "http":
            return {
                httpGet: {
                    path: p.path,
                    port: p.port,
                    scheme: p.scheme,
                    ...(p.httpHeaders.length > 0 ? { httpHeaders: p.httpHeaders.map((h) => ({ ...h })) } : {}),
                },
                ...timings,
            };
        case "grpc":
            return { grpc: { port: p.port, ...(p.service !== undefined ? { service: p.service } : {}) }, ...timings };
        case "tcp":
            return { tcpSocket: { port: p.port }, ...timings };
        case "exec":
            return { exec: { command: [...p.command] }, ...timings };
    }
}

/** readinessProbe / livenessProbe / startupProbe fields of a container, each omitted when it is `none`. */
export function containerProbes(p: {
    readinessProbe: ResolvedProbe;
    livenessProbe: ResolvedProbe;
    startupProbe: ResolvedProbe;
}): Pick<k8s.types.input.core.v1.Container, "readinessProbe" | "livenessProbe" | "startupProbe"> {
    const out: Pick<k8s.types.input.core.v1.Container, "readinessProbe" | "livenessProbe" | "startupProbe"> = {};
    for (const kind of ["readinessProbe", "livenessProbe", "startupProbe"] as const) {
        const spec = probeSpec(p[kind]);
        if (spec) out[kind] = spec;
    }
    return out;
}
