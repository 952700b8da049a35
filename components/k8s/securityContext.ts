// The restricted Pod Security Standard as security contexts: one home for app pods (service/podTemplate.ts) and chart values.
import type * as k8s from "@pulumi/kubernetes";

/** Identity and hardening knobs; what is left out gets the restricted default (ids unset, non-root, read-only root). */
export interface SecurityIdentity {
    /** UID of the container processes; unset leaves the image's own non-root user. */
    runAsUser?: number;
    /** GID of the container processes. */
    runAsGroup?: number;
    /** Group that owns mounted volumes (pod level only). */
    fsGroup?: number;
    /** Defaults to true; false is refused by PSA `restricted` and the policy pack. */
    runAsNonRoot?: boolean;
    /** Defaults to true (container level only). */
    readOnlyRootFilesystem?: boolean;
}

type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type ContainerSecurityContext = k8s.types.input.core.v1.SecurityContext;

const ids = (s: SecurityIdentity) => ({
    ...(s.runAsUser !== undefined ? { runAsUser: s.runAsUser } : {}),
    ...(s.runAsGroup !== undefined ? { runAsGroup: s.runAsGroup } : {}),
});

/** Pod-level context: non-root identity and the runtime's default seccomp profile. */
export function podSecurityContext(s: SecurityIdentity = {}): PodSecurityContext {
    return {
        runAsNonRoot: s.runAsNonRoot ?? true,
        ...ids(s),
        ...(s.fsGroup !== undefined ? { fsGroup: s.fsGroup } : {}),
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/**
 * Container-level context: no privilege escalation, drop ALL capabilities (adding back only `addCapabilities`, which
 * config limits to NET_BIND_SERVICE), read-only root filesystem, seccomp RuntimeDefault.
 */
export function containerSecurityContext(s: SecurityIdentity = {}, addCapabilities: readonly string[] = []): ContainerSecurityContext {
    return {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: s.readOnlyRootFilesystem ?? true,
        runAsNonRoot: s.runAsNonRoot ?? true,
        ...ids(s),
        capabilities: addCapabilities.length > 0 ? { drop: ["ALL"], add: [...addCapabilities] } : { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}
