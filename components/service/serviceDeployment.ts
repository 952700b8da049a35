// The Deployment of one service and the ConfigMap it reads: main container, init containers and native sidecars,
// pod features (the Dapr sidecar), checksums that roll the pods when config or secrets change.
import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedService } from "../config";
import { daprPodFeature, MicroserviceDapr } from "../dapr";
import {
    ClientConnection,
    containerPorts,
    LabelContext,
    mergePodFeatures,
    PodFeature,
    SecretRef,
    selectorLabels,
    ServiceWorkloadInputs,
    standardAnnotations,
    standardLabels,
    versionFromImage,
} from "../k8s";
import { apiTokenMounts, apiTokenVolumes } from "./apiToken";
import { initContainer, podVolumes, sidecarContainer, volumeMounts } from "./extraContainers";
import {
    composedEnv,
    containerEnv,
    containerSecurityContext,
    isComposedEnv,
    mergePlainEnv,
    podPlacement,
    podSecurityContext,
    resourceRequirements,
} from "./podTemplate";
import { containerProbes } from "./probes";
import { separateMetricsPort } from "./serviceExposure";
import { telemetryEnv } from "./telemetry";

/** Pod annotation holding the SHA-256 of the ConfigMap data: a config change changes the template and rolls pods. */
export const CONFIG_CHECKSUM_ANNOTATION = "checksum/config";
/** Pod annotation holding a SHA-256 over the Secret values the pod reads: a rotated secret rolls the pods. */
export const SECRET_CHECKSUM_ANNOTATION = "checksum/secrets";

/** Standard labels of everything the service owns. */
export function serviceLabels(labels: LabelContext, svc: ResolvedService): Record<string, string> {
    return standardLabels(labels, { name: svc.name, component: svc.component, version: versionFromImage(svc.image) });
}

/** Every pod feature of the service (today the Dapr sidecar), merged: what its pod template and policy add. */
export function servicePodFeature(svc: ResolvedService, dapr: MicroserviceDapr): PodFeature {
    return mergePodFeatures([daprPodFeature(svc, dapr)].filter((f): f is PodFeature => f !== undefined));
}

/**
 * ConfigMap data: LOG_LEVEL, LOG_FORMAT and OTEL_* (when configured), then the service's literal env (which may
 * override any of them), then the stores' non-secret env.
 */
export function configMapData(svc: ResolvedService, connections: readonly ClientConnection[], labels?: LabelContext): Record<string, pulumi.Input<string>> {
    const literal = Object.fromEntries(Object.entries(svc.env).filter(([, v]) => !isComposedEnv(v)));
    const telemetry = labels ? telemetryEnv(svc, labels) : {};
    return { LOG_LEVEL: svc.logLevel, ...telemetry, ...mergePlainEnv(`service ${svc.name}`, literal, ...connections.map((c) => c.env)) };
}

/** SHA-256 of ConfigMap data, independent of key order. */
export function configChecksum(data: Record<string, string>): string {
    const canonical = JSON.stringify(
        Object.keys(data)
            .sort()
            .map((k) => [k, data[k]]),
    );
    return createHash("sha256").update(canonical).digest("hex");
}

/** Inputs of {@link deploymentSpec}: the resolved service plus names of what the component created. */
export interface DeploymentSpecArgs extends ServiceWorkloadInputs {
    /** Checksum of the ConfigMap data (pod annotation). */
    configChecksum: pulumi.Input<string>;
    /** Checksum of the platform Secret values the pod reads (pod annotation); omitted when it reads none. */
    secretChecksum?: pulumi.Input<string>;
    /** Secret env of each sidecar and init container by container name. */
    containerSecretEnv?: Record<string, Record<string, SecretRef>>;
    dapr: MicroserviceDapr;
}

/** The main container. */
export function serviceContainer(a: DeploymentSpecArgs): k8s.types.input.core.v1.Container {
    const svc = a.service;
    const ports = containerPorts(svc.ports);
    const metrics = separateMetricsPort(svc);
    if (metrics) ports.push({ name: metrics.name, containerPort: metrics.containerPort, protocol: "TCP" });
    const env = containerEnv(a.secretEnv, composedEnv(svc));
    const envFrom: k8s.types.input.core.v1.EnvFromSource[] = [
        { configMapRef: { name: a.configMapName } },
        ...svc.envFrom.map((e) => ({ secretRef: { name: e.secretRef, ...(e.optional ? { optional: true } : {}) }, ...(e.prefix ? { prefix: e.prefix } : {}) })),
    ];
    return {
        name: svc.name,
        image: svc.image,
        imagePullPolicy: svc.imagePullPolicy,
        ...(svc.command ? { command: svc.command } : {}),
        ...(svc.args ? { args: svc.args } : {}),
        ...(ports.length > 0 ? { ports } : {}),
        envFrom,
        ...(env.length > 0 ? { env } : {}),
        ...containerProbes(svc),
        // The sleep handler needs no binary in the image (Kubernetes ≥ 1.30); it lets endpoints drain before SIGTERM.
        ...(svc.preStopSleepSeconds > 0 ? { lifecycle: { preStop: { sleep: { seconds: svc.preStopSleepSeconds } } } } : {}),
        resources: resourceRequirements(svc.resources),
        securityContext: containerSecurityContext(svc.podSecurity, svc.addCapabilities),
        volumeMounts: [...volumeMounts(svc.volumes, undefined, svc.volumeMounts), ...apiTokenMounts(svc)],
    };
}

/** Init containers first, then native sidecars (restartPolicy Always), in declaration order. */
export function podInitContainers(a: DeploymentSpecArgs): k8s.types.input.core.v1.Container[] {
    const svc = a.service;
    const x = (name: string) => ({ service: svc, podSecurity: svc.podSecurity, secretEnv: a.containerSecretEnv?.[name] ?? {} });
    return [...svc.initContainers.map((c) => initContainer(c, x(c.name))), ...svc.sidecars.map((c) => sidecarContainer(c, x(c.name)))];
}

/** True when a volume only one node may mount is attached: a surge pod could not start, so pods are replaced. */
export function needsRecreate(svc: Pick<ResolvedService, "volumes">): boolean {
    return svc.volumes.some((v) => v.type === "persistent" && (v.accessMode ?? "ReadWriteOnce").startsWith("ReadWriteOnce"));
}

/** Spread over zones and nodes, best effort. */
export function topologySpreadConstraints(labels: LabelContext, name: string): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: selectorLabels(labels, name) },
        matchLabelKeys: ["pod-template-hash"],
    }));
}

/** The Deployment spec; `replicas` is omitted when the HPA owns it. */
export function deploymentSpec(a: DeploymentSpecArgs): k8s.types.input.apps.v1.DeploymentSpec {
    const svc = a.service;
    const labels = a.context.labels;
    return {
        ...(svc.autoscaling.enabled ? {} : { replicas: svc.replicas }),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(labels, svc.name) },
        strategy: needsRecreate(svc) ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
            metadata: {
                labels: serviceLabels(labels, svc),
                annotations: {
                    ...standardAnnotations(a.context.ownership, svc.description),
                    ...servicePodFeature(svc, a.dapr).annotations,
                    [CONFIG_CHECKSUM_ANNOTATION]: a.configChecksum,
                    ...(a.secretChecksum !== undefined ? { [SECRET_CHECKSUM_ANNOTATION]: a.secretChecksum } : {}),
                },
            },
            spec: {
                serviceAccountName: a.serviceAccountName,
                // Never automounted: a service with RBAC rules gets its token as an explicit projected volume instead.
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                securityContext: podSecurityContext(svc.podSecurity),
                // The grace period must outlast the preStop sleep, or the kubelet kills the pod mid-drain.
                terminationGracePeriodSeconds: Math.max(svc.terminationGracePeriodSeconds, svc.preStopSleepSeconds + 1),
                ...(svc.topologySpread ? { topologySpreadConstraints: topologySpreadConstraints(labels, svc.name) } : {}),
                ...podPlacement(svc),
                ...(svc.initContainers.length + svc.sidecars.length > 0 ? { initContainers: podInitContainers(a) } : {}),
                containers: [serviceContainer(a)],
                volumes: [...podVolumes(svc.name, svc.volumes, svc.tmpSizeLimit, svc.tmpMedium), ...apiTokenVolumes(svc)],
            },
        },
    };
}
