// The pod beyond its main container: init containers, native sidecars and the service's extra volumes, held to the
// same restricted security context, resource rules and by-reference secrets as the main container.
import * as k8s from "@pulumi/kubernetes";
import { PodSecuritySettings, ResolvedInitContainer, ResolvedService, ResolvedSidecar } from "../config";
import { containerPorts, SecretRef } from "../k8s";
import { containerEnv, containerSecurityContext, resourceRequirements, tmpVolume, tmpVolumeMount } from "./podTemplate";
import { containerProbes } from "./probes";

type VolumeConfig = ResolvedService["volumes"][number];
/** One explicit mount: a volume at a path of this container, optionally one subPath of it. */
type MountConfig = ResolvedService["volumeMounts"][number];
/** A container's mount entry: a volume name (at the volume's own mountPath) or an explicit mount. */
type MountEntry = string | MountConfig;

/** Name of the PersistentVolumeClaim behind a service's persistent volume. */
export function claimName(serviceName: string, volume: string): string {
    return `${serviceName}-${volume}`;
}

/**
 * The pod's volumes: the /tmp scratch volume (on `tmpMedium`) plus each declared volume (emptyDir or its claim).
 * Every emptyDir is bounded: its own size, else `scratchLimit` (the service's tmpSizeLimit).
 */
export function podVolumes(
    serviceName: string,
    volumes: readonly VolumeConfig[],
    scratchLimit: string,
    tmpMedium: "Disk" | "Memory" = "Disk",
): k8s.types.input.core.v1.Volume[] {
    return [
        tmpVolume(scratchLimit, tmpMedium),
        ...volumes.map((v) =>
            v.type === "persistent"
                ? { name: v.name, persistentVolumeClaim: { claimName: claimName(serviceName, v.name), ...(v.readOnly ? { readOnly: true } : {}) } }
                : { name: v.name, emptyDir: { sizeLimit: v.size ?? scratchLimit } },
        ),
    ];
}

/**
 * A container's mounts after /tmp: the volumes it names (every volume with a mountPath for the main container), at
 * their own mountPath in the order of `volumes`, then its explicit mounts in their order. An explicit mount is
 * read-only when it says so, else when its volume is.
 */
export function volumeMounts(
    volumes: readonly VolumeConfig[],
    entries?: readonly MountEntry[],
    explicitMain: readonly MountConfig[] = [],
): k8s.types.input.core.v1.VolumeMount[] {
    const names = entries?.filter((e): e is string => typeof e === "string");
    const explicit = entries ? entries.filter((e): e is MountConfig => typeof e !== "string") : explicitMain;
    const byName = names ? volumes.filter((v) => names.includes(v.name)) : volumes.filter((v) => v.mountPath !== undefined);
    return [
        tmpVolumeMount(),
        ...byName.map((v) => ({ name: v.name, mountPath: v.mountPath!, ...(v.readOnly ? { readOnly: true } : {}) })),
        ...explicit.map((m) => ({
            name: m.volume,
            mountPath: m.mountPath,
            ...(m.subPath !== undefined ? { subPath: m.subPath } : {}),
            ...((m.readOnly ?? volumes.find((v) => v.name === m.volume)?.readOnly) ? { readOnly: true } : {}),
        })),
    ];
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
