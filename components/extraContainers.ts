// The pod beyond its main container: init containers, native sidecars and the service's extra volumes, held to the
// same restricted security context, resource rules and by-reference secrets as the main container.
import * as k8s from "@pulumi/kubernetes";
import { PodSecuritySettings, ResolvedInitContainer, ResolvedService, ResolvedSidecar } from "./config";
import { SecretRef } from "./context";
import { containerPorts } from "./ports";
import { containerEnv, containerSecurityContext, resourceRequirements, tmpVolume, tmpVolumeMount } from "./podTemplate";
import { containerProbes } from "./probes";

type VolumeConfig = ResolvedService["volumes"][number];

/** Name of the PersistentVolumeClaim behind a service's persistent volume. */
export function claimName(serviceName: string, volume: string): string {
    return `${serviceName}-${volume}`;
}

/**
 * The pod's volumes: the /tmp scratch volume plus each declared volume (emptyDir or its claim). Every emptyDir is
 * bounded: its own size, else `scratchLimit` (the service's tmpSizeLimit).
 */
export function podVolumes(serviceName: string, volumes: readonly VolumeConfig[], scratchLimit: string): k8s.types.input.core.v1.Volume[] {
    return [tmpVolume(scratchLimit), ...volumes.map((v) => v.type === "persistent"
        ? { name: v.name, persistentVolumeClaim: { claimName: claimName(serviceName, v.name), ...(v.readOnly ? { readOnly: true } : {}) } }
        : { name: v.name, emptyDir: { sizeLimit: v.size ?? scratchLimit } })];
}

/** Mounts of the named volumes (all declared volumes for the main container), after /tmp. */
export function volumeMounts(volumes: readonly VolumeConfig[], names?: readonly string[]): k8s.types.input.core.v1.VolumeMount[] {
    const chosen = names ? volumes.filter((v) => names.includes(v.name)) : volumes;
    return [tmpVolumeMount(), ...chosen.map((v) => ({ name: v.name, mountPath: v.mountPath, ...(v.readOnly ? { readOnly: true } : {}) }))];
}

/** Spec of the claim behind a persistent volume. */
export function claimSpec(v: VolumeConfig): k8s.types.input.core.v1.PersistentVolumeClaimSpec {
    return {
        accessModes: [v.accessMode ?? "ReadWriteOnce"],
        resources: { requests: { storage: v.size! } },
        ...(v.storageClass ? { storageClassName: v.storageClass } : {}),
    };
}

/** What every extra container shares with the main one. */
export interface ExtraContainerContext {
    service: Pick<ResolvedService, "imagePullPolicy" | "volumes" | "ports">;
    podSecurity: PodSecuritySettings;
    /** Secret env of this container by env name (from its `secretEnv` and AppSecrets). */
    secretEnv: Record<string, SecretRef>;
}

function baseContainer(c: ResolvedSidecar | ResolvedInitContainer, x: ExtraContainerContext): k8s.types.input.core.v1.Container {
    const env = containerEnv(x.secretEnv, c.env);
    return {
        name: c.name,
        image: c.image,
        imagePullPolicy: x.service.imagePullPolicy,
        ...(c.command ? { command: c.command } : {}),
        ...(c.args ? { args: c.args } : {}),
        ...(env.length > 0 ? { env } : {}),
        resources: resourceRequirements(c.resources),
        securityContext: containerSecurityContext(x.podSecurity),
        volumeMounts: volumeMounts(x.service.volumes, c.volumeMounts),
    };
}

/** An init container: runs to completion before the sidecars and the main container start. */
export function initContainer(c: ResolvedInitContainer, x: ExtraContainerContext): k8s.types.input.core.v1.Container {
    return baseContainer(c, x);
}

/**
 * A native sidecar (an init container with restartPolicy Always, Kubernetes ≥ 1.29): it starts before the main
 * container, keeps running beside it, and stops after it; its ports are its own plus service ports that name it.
 */
export function sidecarContainer(c: ResolvedSidecar, x: ExtraContainerContext): k8s.types.input.core.v1.Container {
    const ports = [...c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })), ...containerPorts(x.service.ports, c.name)];
    return {
        ...baseContainer(c, x),
        restartPolicy: "Always",
        ...(ports.length > 0 ? { ports } : {}),
        ...containerProbes(c),
    };
}
