// Fixture builders for the policy tests: compliant resources by default, changed through path patches.
import { LabelContext, selectorLabels, standardAnnotations, standardLabels } from "../../components/k8s/labels";
import type { FakeResource } from "../../tools/policyRunner";

export type Patch = Record<string, unknown>;

export const NS = "shop";
export const CTX: LabelContext = { partOf: "platform", environment: "test", team: "platform-team", costCenter: "cc-1" };
export const DIGEST = "sha256:" + "a1".repeat(32);
export const IMAGE = `ghcr.io/acme/api:1.2.3@${DIGEST}`;

export function labelsFor(name: string, component = "backend"): Record<string, string> {
    return standardLabels(CTX, { name, component, version: "1.2.3" });
}

export function annotationsFor(name: string): Record<string, string> {
    return standardAnnotations({ owner: "team@example.com", contact: "#team", documentation: "https://docs", incidentChannel: "#inc" }, `${name} service`);
}

/** Sets (or, with undefined, deletes) a dotted path; numeric segments index arrays. Creates objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
    // Segments are dot-separated; [key.with.dots] brackets a key that contains dots.
    const segs = (path.match(/\[[^\]]+\]|[^.[\]]+/g) ?? []).map((s) => s.replace(/^\[|\]$/g, ""));
    let cur: Record<string, unknown> = obj;
    for (const seg of segs.slice(0, -1)) {
        if (cur[seg] === undefined || cur[seg] === null || typeof cur[seg] !== "object") cur[seg] = {};
        cur = cur[seg] as Record<string, unknown>;
    }
    const last = segs[segs.length - 1];
    if (value === undefined) {
        if (Array.isArray(cur)) cur.splice(Number(last), 1);
        else delete cur[last];
    } else cur[last] = value;
}

export function apply<T extends Record<string, unknown>>(obj: T, patch: Patch = {}): T {
    for (const [k, v] of Object.entries(patch)) setPath(obj, k, v);
    return obj;
}

/** A container that passes every container-level policy. */
export function goodContainer(name = "app"): Record<string, unknown> {
    return {
        name,
        image: IMAGE,
        ports: [{ containerPort: 8080, name: "http" }],
        env: [
            { name: "LOG_LEVEL", value: "info" },
            { name: "DB_PASSWORD_FILE", value: "/var/run/secrets/db/password" },
            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
            { name: "SESSION_SECRET_NAME", value: "session-keys" },
            { name: "TOKEN_URL", value: "https://auth.example.com/oauth/token" },
        ],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        resources: {
            requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" },
            limits: { cpu: "500m", memory: "512Mi", "ephemeral-storage": "256Mi" },
        },
        readinessProbe: { httpGet: { path: "/health", port: 8080 }, initialDelaySeconds: 10, periodSeconds: 5, failureThreshold: 3 },
        livenessProbe: { httpGet: { path: "/health", port: 8080 }, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 5 },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}

/** A pod spec that passes every pod-level policy. */
export function goodPodSpec(): Record<string, unknown> {
    return {
        serviceAccountName: "api",
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
        containers: [goodContainer("app")],
        volumes: [
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
            { name: "db", secret: { secretName: "db" } },
        ],
    };
}

export type PodKind = "Pod" | "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" | "CronJob";
export const POD_KINDS: PodKind[] = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];

const TYPES: Record<PodKind, string> = {
    Pod: "kubernetes:core/v1:Pod",
    Deployment: "kubernetes:apps/v1:Deployment",
    StatefulSet: "kubernetes:apps/v1:StatefulSet",
    DaemonSet: "kubernetes:apps/v1:DaemonSet",
    ReplicaSet: "kubernetes:apps/v1:ReplicaSet",
    Job: "kubernetes:batch/v1:Job",
    CronJob: "kubernetes:batch/v1:CronJob",
};

/** Dotted path of the pod spec for a kind. */
export function podPath(kind: PodKind): string {
    if (kind === "Pod") return "spec";
    if (kind === "CronJob") return "spec.jobTemplate.spec.template.spec";
    return "spec.template.spec";
}

/**
 * A compliant workload of any pod-bearing kind. Patch keys may start with `$pod.` (the pod spec) or
 * `$c0.` (the first container) so one patch applies to every kind.
 */
export function workload(kind: PodKind = "Deployment", patch: Patch = {}, name = "api"): FakeResource {
    const labels = labelsFor(name);
    const metadata = { name, namespace: NS, labels: { ...labels }, annotations: annotationsFor(name) };
    const template = { metadata: { labels: { ...labels } }, spec: goodPodSpec() };
    let props: Record<string, unknown>;
    const selector = { matchLabels: selectorLabels(CTX, name) };
    switch (kind) {
        case "Pod":
            props = { apiVersion: "v1", kind, metadata, spec: goodPodSpec() };
            break;
        case "Job":
            props = { apiVersion: "batch/v1", kind, metadata, spec: { template: { ...template, spec: { ...goodPodSpec(), restartPolicy: "Never" } } } };
            break;
        case "CronJob":
            props = {
                apiVersion: "batch/v1",
                kind,
                metadata,
                spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { ...template, spec: { ...goodPodSpec(), restartPolicy: "Never" } } } } },
            };
            break;
        case "Deployment":
            props = {
                apiVersion: "apps/v1",
                kind,
                metadata,
                spec: { selector, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, template },
            };
            break;
        default:
            props = { apiVersion: "apps/v1", kind, metadata, spec: { selector, template } };
    }
    const resolved: Patch = {};
    for (const [k, v] of Object.entries(patch)) {
        resolved[
            k
                .replace(/^\$pod\./, `${podPath(kind)}.`)
                .replace(/^\$c0\./, `${podPath(kind)}.containers.0.`)
                .replace(/^\$tpl\./, kind === "Pod" ? "" : `${podPath(kind).replace(/\.spec$/, "")}.`)
        ] = v;
    }
    return { type: TYPES[kind], name, props: apply(props, resolved) };
}

/** Any Kubernetes object with standard labels in the test namespace. */
export function object(type: string, name: string, body: Record<string, unknown> = {}, patch: Patch = {}): FakeResource {
    const kind = type.slice(type.lastIndexOf(":") + 1);
    const props = { kind, metadata: { name, namespace: NS, labels: labelsFor(name) }, ...body };
    return { type, name, props: apply(props, patch) };
}

export function namespace(name = NS, patch: Patch = {}): FakeResource {
    const props = {
        kind: "Namespace",
        metadata: { name, labels: { ...labelsFor(name, "namespace"), "pod-security.kubernetes.io/enforce": "restricted" }, annotations: annotationsFor(name) },
    };
    return { type: "kubernetes:core/v1:Namespace", name, props: apply(props, patch) };
}

export function defaultDeny(ns = NS, patch: Patch = {}): FakeResource {
    return object(
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        `default-deny-${ns}`,
        { spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
        { "metadata.namespace": ns, ...patch },
    );
}

export function workloadPolicy(app = "api", patch: Patch = {}): FakeResource {
    return object(
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        `${app}-ingress`,
        {
            spec: {
                podSelector: { matchLabels: selectorLabels(CTX, app) },
                policyTypes: ["Ingress"],
                ingress: [{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "web" } } }] }],
            },
        },
        patch,
    );
}

export function pdb(app = "api", patch: Patch = {}): FakeResource {
    return object(
        "kubernetes:policy/v1:PodDisruptionBudget",
        `${app}-pdb`,
        { spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(CTX, app) } } },
        patch,
    );
}

export function hpa(app = "api", patch: Patch = {}): FakeResource {
    return object(
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        `${app}-hpa`,
        {
            spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: app }, minReplicas: 3, maxReplicas: 10 },
        },
        patch,
    );
}

export function quota(ns = NS): FakeResource[] {
    return [
        object("kubernetes:core/v1:ResourceQuota", `quota-${ns}`, { spec: { hard: { pods: "50" } } }, { "metadata.namespace": ns }),
        object("kubernetes:core/v1:LimitRange", `limits-${ns}`, { spec: { limits: [] } }, { "metadata.namespace": ns }),
    ];
}

export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";
export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
