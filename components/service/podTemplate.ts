// Pure building blocks shared by every workload the platform runs (Deployment, migration Job, cleanup CronJob):
// the restricted pod security profile, secret env by reference, the writable /tmp, node placement and NetworkPolicy
// peers.
// Nothing here registers resources, so tests call these functions directly.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PodPlacement, PodSecuritySettings, ResolvedResources } from "../config";
import { containerSecurityContext, egressToPeers, kubeResources, NetworkPeer, podSecurityContext, SecretRef } from "../k8s";

// App pods take their security contexts from the one restricted-profile home; re-exported for their builders.
export { containerSecurityContext, podSecurityContext };

/** Name of the writable scratch volume mounted at /tmp (the root filesystem is read-only). */
export const TMP_VOLUME = "tmp";

/** Requests and limits, always both. */
export function resourceRequirements(r: ResolvedResources): k8s.types.input.core.v1.ResourceRequirements {
    return kubeResources(r);
}

/** Secret environment as `valueFrom.secretKeyRef` only (sorted by name, so the spec is stable). */
export function secretEnvVars(refs: Record<string, SecretRef>): k8s.types.input.core.v1.EnvVar[] {
    return Object.keys(refs)
        .sort()
        .map((name) => ({
            name,
            valueFrom: { secretKeyRef: { name: refs[name].secretName, key: refs[name].key } },
        }));
}

/**
 * Merges secret env maps (service-declared first, then each store connection's). The same variable from two
 * sources is a configuration mistake, so it throws instead of silently letting one win.
 */
export function mergeSecretEnv(owner: string, ...sources: Record<string, SecretRef>[]): Record<string, SecretRef> {
    const out: Record<string, SecretRef> = {};
    for (const src of sources) {
        for (const [name, ref] of Object.entries(src)) {
            if (name in out) throw new Error(`${owner}: secret env ${name} is defined twice (service secretEnv and a data-store connection); define it once`);
            out[name] = ref;
        }
    }
    return out;
}

/**
 * `nodeSelector` and `tolerations` of a pod, each left out when empty, so a service without placement renders
 * exactly as before (no `nodeSelector: {}` or `tolerations: []` on the object). Selector keys are sorted.
 */
export function podPlacement(p: PodPlacement): Pick<k8s.types.input.core.v1.PodSpec, "nodeSelector" | "tolerations"> {
    const keys = Object.keys(p.nodeSelector).sort();
    return {
        ...(keys.length > 0 ? { nodeSelector: Object.fromEntries(keys.map((k) => [k, p.nodeSelector[k]])) } : {}),
        ...(p.tolerations.length > 0 ? { tolerations: p.tolerations.map((t) => ({ ...t })) } : {}),
    };
}

/**
 * The /tmp emptyDir volume, bounded: on the node's default medium it counts against the pod's ephemeral storage; with
 * medium Memory it is a tmpfs of at most `sizeLimit`, and what is written counts against the writer's memory limit.
 */
export function tmpVolume(sizeLimit: string, medium: "Disk" | "Memory" = "Disk"): k8s.types.input.core.v1.Volume {
    return { name: TMP_VOLUME, emptyDir: medium === "Memory" ? { medium: "Memory", sizeLimit } : { sizeLimit } };
}

/** The /tmp mount for the main container. */
export function tmpVolumeMount(): k8s.types.input.core.v1.VolumeMount {
    return { name: TMP_VOLUME, mountPath: "/tmp" };
}

/** Non-secret env of the store connections merged into one map (a name defined twice throws). */
export function mergePlainEnv(owner: string, ...sources: Record<string, pulumi.Input<string>>[]): Record<string, pulumi.Input<string>> {
    const out: Record<string, pulumi.Input<string>> = {};
    for (const src of sources) {
        for (const [name, value] of Object.entries(src)) {
            if (name in out) throw new Error(`${owner}: env ${name} is defined twice (service env and a data-store connection); define it once`);
            out[name] = value;
        }
    }
    return out;
}

/**
 * Env of a container: secrets by reference first, then literals, then values composed with `$(VAR)` (Kubernetes
 * expands a reference only to variables defined before it, so composed values come last).
 */
export function containerEnv(secretEnv: Record<string, SecretRef>, literal: Record<string, string>): k8s.types.input.core.v1.EnvVar[] {
    const composed = (v: string) => /\$\(/.test(v.replace(/\$\$\(/g, ""));
    const names = Object.keys(literal).sort();
    return [
        ...secretEnvVars(secretEnv),
        ...names.filter((n) => !composed(literal[n])).map((name) => ({ name, value: literal[name] })),
        ...names.filter((n) => composed(literal[n])).map((name) => ({ name, value: literal[name] })),
    ];
}

/** True for an env value composed from other variables with `$(VAR)` (it must live in the pod spec, not the ConfigMap). */
export function isComposedEnv(value: string): boolean {
    return /\$\(/.test(value.replace(/\$\$\(/g, ""));
}

/** Env values composed with `$(VAR)` (e.g. a URL around $(POSTGRES_PASSWORD)): they go into the container's env. */
export function composedEnv(svc: { env: Record<string, string> }): Record<string, string> {
    return Object.fromEntries(Object.entries(svc.env).filter(([, v]) => isComposedEnv(v)));
}

/** What a run-to-completion pod (migration Job, cleanup CronJob) needs. */
export interface BatchPodSettings {
    /** Container name. */
    containerName: string;
    /** Pinned image reference. */
    image: string;
    imagePullPolicy: "Always" | "IfNotPresent" | "Never";
    /** Entrypoint. */
    command: string[];
    args?: string[];
    /** ConfigMap with the service's non-secret env (envFrom). */
    configMapName: pulumi.Input<string>;
    /** Env literals in the pod spec (RETENTION_DAYS, values composed with `$(VAR)`), after the secret env. */
    env?: Record<string, string>;
    /** Secret env by reference. */
    secretEnv: Record<string, SecretRef>;
    resources: ResolvedResources;
    podSecurity: PodSecuritySettings;
    /** sizeLimit of its /tmp emptyDir. */
    tmpSizeLimit: string;
    /** What backs its /tmp. Defaults to the node's default medium. */
    tmpMedium?: "Disk" | "Memory";
    /** ServiceAccount (its token is not mounted). */
    serviceAccountName: pulumi.Input<string>;
    /** The service's node placement: its pods go where the service's go. */
    placement: PodPlacement;
}

/** Pod spec of a run-to-completion workload: same restricted profile and env sources as the service, no probes. */
export function batchPodSpec(s: BatchPodSettings): k8s.types.input.core.v1.PodSpec {
    return {
        restartPolicy: "Never",
        serviceAccountName: s.serviceAccountName,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: podSecurityContext(s.podSecurity),
        ...podPlacement(s.placement),
        containers: [
            {
                name: s.containerName,
                image: s.image,
                imagePullPolicy: s.imagePullPolicy,
                command: s.command,
                ...(s.args ? { args: s.args } : {}),
                envFrom: [{ configMapRef: { name: s.configMapName } }],
                env: containerEnv(s.secretEnv, s.env ?? {}),
                resources: resourceRequirements(s.resources),
                securityContext: containerSecurityContext(s.podSecurity),
                volumeMounts: [tmpVolumeMount()],
            },
        ],
        volumes: [tmpVolume(s.tmpSizeLimit, s.tmpMedium)],
    };
}

/** NetworkPolicy of a run-to-completion workload: no ingress, egress only to the given peers (DNS comes from the baseline). */
export function batchNetworkPolicySpec(podLabels: Record<string, string>, peers: readonly NetworkPeer[]): k8s.types.input.networking.v1.NetworkPolicySpec {
    const egress = egressToPeers(peers);
    return {
        podSelector: { matchLabels: { ...podLabels } },
        policyTypes: ["Ingress", "Egress"],
        ...(egress.length > 0 ? { egress } : {}),
    };
}
