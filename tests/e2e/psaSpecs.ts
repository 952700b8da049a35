// Generates pod specs for the Pod Security admission differential test: a base that passes both the restricted
// profile and the whole policy pack, and variants that change one restricted field (or one coherent group of fields)
// at pod, container, init container, sidecar or ephemeral-container level, for every pod-bearing kind.
import { REQUIRED_LABELS } from "../../policy/vocab";

export type Obj = Record<string, unknown>;
export type Kind = "Pod" | "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob";
export const KINDS: Kind[] = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];
export type Where = "pod" | "container" | "initContainer" | "sidecar" | "ephemeralContainer";

const IMAGE = `registry.example.com/platform/app:1.0.0@sha256:${"ab".repeat(32)}`;

/** Every standard label, so the pack's label policies pass and only the varied field can fail. */
export function labels(app: string): Record<string, string> {
    const values: Record<string, string> = { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": `${app}-psa`, "app.kubernetes.io/version": "1.0.0" };
    const out: Record<string, string> = {};
    for (const k of REQUIRED_LABELS) out[k] = values[k] ?? "psa-diff";
    return out;
}

function hardenedSecurityContext(): Obj {
    return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
}

const RESOURCES = {
    requests: { cpu: "10m", memory: "16Mi", "ephemeral-storage": "16Mi" },
    limits: { cpu: "100m", memory: "64Mi", "ephemeral-storage": "64Mi" },
};
const PROBE = { httpGet: { path: "/health", port: 8080 }, periodSeconds: 10 };

export function container(name: string, opts: { probes?: boolean; ports?: boolean } = {}): Obj {
    return {
        name,
        image: IMAGE,
        ...(opts.ports === false ? {} : { ports: [{ containerPort: 8080, name: "http" }] }),
        securityContext: hardenedSecurityContext(),
        resources: RESOURCES,
        ...(opts.probes === false ? {} : { readinessProbe: PROBE, livenessProbe: PROBE }),
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}

/** An ephemeral (debug) container: the API allows no ports, probes or resources on them. */
export function ephemeralContainer(): Obj {
    return { name: "debug", image: IMAGE, targetContainerName: "app", securityContext: hardenedSecurityContext() };
}

/** A pod spec that restricted admits and the whole pack (at its default levels) passes. */
export function basePodSpec(restartPolicy: "Always" | "Never"): Obj {
    const init = { ...container("init", { probes: false }), ports: undefined };
    delete init.ports;
    const sidecar = { ...container("proxy"), restartPolicy: "Always", ports: [{ containerPort: 8080, name: "http" }] };
    return {
        restartPolicy,
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
        initContainers: [init, sidecar],
        containers: [container("app")],
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
    };
}

export interface Variant {
    /** Stable id, e.g. "caps.add=net_bind_service". */
    id: string;
    where: Where;
    apply: (spec: Obj, target: Obj) => void;
}

function sc(target: Obj): Obj {
    target.securityContext = (target.securityContext as Obj | undefined) ?? {};
    return target.securityContext as Obj;
}

/** Variants of fields settable on one container (applied to containers[0], an init container, the sidecar or an ephemeral container). */
const CONTAINER_VARIANTS: [string, (c: Obj, spec: Obj) => void][] = [
    ["runAsNonRoot=false", (c) => (sc(c).runAsNonRoot = false)],
    ["runAsNonRoot=true", (c) => (sc(c).runAsNonRoot = true)],
    ["runAsUser=0", (c) => (sc(c).runAsUser = 0)],
    ["runAsUser=1000", (c) => (sc(c).runAsUser = 1000)],
    ["allowPrivilegeEscalation=true", (c) => (sc(c).allowPrivilegeEscalation = true)],
    ["allowPrivilegeEscalation unset", (c) => delete sc(c).allowPrivilegeEscalation],
    ["privileged=true", (c) => Object.assign(sc(c), { privileged: true, allowPrivilegeEscalation: true })],
    ["privileged=false", (c) => (sc(c).privileged = false)],
    ["caps.add=NET_BIND_SERVICE", (c) => (sc(c).capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] })],
    ["caps.add=net_bind_service", (c) => (sc(c).capabilities = { drop: ["ALL"], add: ["net_bind_service"] })],
    ["caps.add=CAP_NET_BIND_SERVICE", (c) => (sc(c).capabilities = { drop: ["ALL"], add: ["CAP_NET_BIND_SERVICE"] })],
    ["caps.add=CHOWN", (c) => (sc(c).capabilities = { drop: ["ALL"], add: ["CHOWN"] })],
    ["caps.add=NET_RAW", (c) => (sc(c).capabilities = { drop: ["ALL"], add: ["NET_RAW"] })],
    [
        "caps.add=SYS_ADMIN",
        (c) => {
            sc(c).capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] };
            delete sc(c).allowPrivilegeEscalation;
        },
    ],
    [
        "caps.add=ALL",
        (c) => {
            sc(c).capabilities = { drop: ["ALL"], add: ["ALL"] };
            delete sc(c).allowPrivilegeEscalation;
        },
    ],
    ["caps.drop=all", (c) => (sc(c).capabilities = { drop: ["all"] })],
    ["caps.drop=CAP_ALL", (c) => (sc(c).capabilities = { drop: ["CAP_ALL"] })],
    ["caps.drop=NET_RAW", (c) => (sc(c).capabilities = { drop: ["NET_RAW"] })],
    ["caps.drop=[]", (c) => (sc(c).capabilities = { drop: [] })],
    ["caps unset", (c) => delete sc(c).capabilities],
    ["caps.drop=NET_RAW,ALL", (c) => (sc(c).capabilities = { drop: ["NET_RAW", "ALL"] })],
    ["seccomp=Unconfined", (c) => (sc(c).seccompProfile = { type: "Unconfined" })],
    ["seccomp=RuntimeDefault", (c) => (sc(c).seccompProfile = { type: "RuntimeDefault" })],
    ["seccomp=Localhost", (c) => (sc(c).seccompProfile = { type: "Localhost", localhostProfile: "profiles/app.json" })],
    ["appArmor=Unconfined", (c) => (sc(c).appArmorProfile = { type: "Unconfined" })],
    ["appArmor=RuntimeDefault", (c) => (sc(c).appArmorProfile = { type: "RuntimeDefault" })],
    ["appArmor=Localhost", (c) => (sc(c).appArmorProfile = { type: "Localhost", localhostProfile: "k8s-app" })],
    ["seLinux.type=spc_t", (c) => (sc(c).seLinuxOptions = { type: "spc_t" })],
    ["seLinux.type=container_t", (c) => (sc(c).seLinuxOptions = { type: "container_t" })],
    ["seLinux.user=system_u", (c) => (sc(c).seLinuxOptions = { user: "system_u" })],
    ["seLinux.role=sysadm_r", (c) => (sc(c).seLinuxOptions = { role: "sysadm_r" })],
    [
        "procMount=Unmasked (hostUsers false, which the API requires for it)",
        (c, spec) => {
            sc(c).procMount = "Unmasked";
            spec.hostUsers = false;
        },
    ],
    ["readOnlyRootFilesystem=false", (c) => (sc(c).readOnlyRootFilesystem = false)],
    ["hostPort=8080", (c) => (c.ports = [{ containerPort: 8080, hostPort: 8080, name: "http" }])],
    ["hostPort=0", (c) => (c.ports = [{ containerPort: 8080, hostPort: 0, name: "http" }])],
];

const emptyContainerLevel = (spec: Obj, field: string): void => {
    for (const list of ["initContainers", "containers"]) for (const c of (spec[list] as Obj[] | undefined) ?? []) delete sc(c)[field];
};
const everyContainer = (spec: Obj, edit: (c: Obj) => void): void => {
    for (const list of ["initContainers", "containers"]) for (const c of (spec[list] as Obj[] | undefined) ?? []) edit(c);
};
const podSc = (spec: Obj): Obj => sc(spec);
const addVolume = (spec: Obj, v: Obj): void => {
    (spec.volumes as Obj[]).push(v);
};

/** Variants of pod-level fields (pod securityContext, host namespaces, volumes, OS, annotations). */
const POD_VARIANTS: [string, (spec: Obj, meta: Obj) => void][] = [
    ["pod runAsNonRoot=false", (s) => (podSc(s).runAsNonRoot = false)],
    [
        "pod runAsNonRoot unset",
        (s) => {
            delete podSc(s).runAsNonRoot;
            emptyContainerLevel(s, "runAsNonRoot");
        },
    ],
    [
        "pod runAsNonRoot unset, every container true",
        (s) => {
            delete podSc(s).runAsNonRoot;
            everyContainer(s, (c) => (sc(c).runAsNonRoot = true));
        },
    ],
    [
        "pod runAsNonRoot=false, every container true",
        (s) => {
            podSc(s).runAsNonRoot = false;
            everyContainer(s, (c) => (sc(c).runAsNonRoot = true));
        },
    ],
    ["pod runAsUser=0", (s) => (podSc(s).runAsUser = 0)],
    ["pod runAsGroup=0", (s) => (podSc(s).runAsGroup = 0)],
    ["pod seccomp unset", (s) => delete podSc(s).seccompProfile],
    ["pod seccomp=Unconfined", (s) => (podSc(s).seccompProfile = { type: "Unconfined" })],
    ["pod seccomp=Localhost", (s) => (podSc(s).seccompProfile = { type: "Localhost", localhostProfile: "profiles/app.json" })],
    [
        "pod seccomp unset, every container RuntimeDefault",
        (s) => {
            delete podSc(s).seccompProfile;
            everyContainer(s, (c) => (sc(c).seccompProfile = { type: "RuntimeDefault" }));
        },
    ],
    ["pod seccomp=RuntimeDefault, one container Unconfined", (s) => (sc((s.containers as Obj[])[0]).seccompProfile = { type: "Unconfined" })],
    ["pod sysctl safe", (s) => (podSc(s).sysctls = [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }])],
    ["pod sysctl unsafe", (s) => (podSc(s).sysctls = [{ name: "kernel.msgmax", value: "65536" }])],
    ["pod seLinux.type=spc_t", (s) => (podSc(s).seLinuxOptions = { type: "spc_t" })],
    ["pod seLinux.user=system_u", (s) => (podSc(s).seLinuxOptions = { user: "system_u" })],
    ["pod appArmor=Unconfined", (s) => (podSc(s).appArmorProfile = { type: "Unconfined" })],
    ["pod appArmor=RuntimeDefault", (s) => (podSc(s).appArmorProfile = { type: "RuntimeDefault" })],
    ["hostNetwork=true", (s) => (s.hostNetwork = true)],
    ["hostPID=true", (s) => (s.hostPID = true)],
    ["hostIPC=true", (s) => (s.hostIPC = true)],
    ["hostUsers=false", (s) => (s.hostUsers = false)],
    ["volume hostPath", (s) => addVolume(s, { name: "host", hostPath: { path: "/var/log" } })],
    ["volume nfs", (s) => addVolume(s, { name: "share", nfs: { server: "nfs.example.com", path: "/export" } })],
    ["volume flexVolume", (s) => addVolume(s, { name: "flex", flexVolume: { driver: "example.com/flex" } })],
    ["volume cephfs", (s) => addVolume(s, { name: "ceph", cephfs: { monitors: ["10.0.0.1:6789"] } })],
    ["volume fc", (s) => addVolume(s, { name: "fc", fc: { targetWWNs: ["500a0982991b8dc5"], lun: 2 } })],
    ["volume configMap", (s) => addVolume(s, { name: "cfg", configMap: { name: "app" } })],
    ["volume secret", (s) => addVolume(s, { name: "sec", secret: { secretName: "app" } })],
    ["volume projected", (s) => addVolume(s, { name: "proj", projected: { sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3600 } }] } })],
    ["volume downwardAPI", (s) => addVolume(s, { name: "dapi", downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } })],
    ["volume persistentVolumeClaim", (s) => addVolume(s, { name: "data", persistentVolumeClaim: { claimName: "data" } })],
    ["volume csi", (s) => addVolume(s, { name: "csi", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true } })],
    [
        "volume ephemeral",
        (s) =>
            addVolume(s, {
                name: "scratch",
                ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } },
            }),
    ],
    [
        "annotation seccomp pod unconfined (pod field unset, containers RuntimeDefault)",
        (s, meta) => {
            meta.annotations = { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" };
            delete podSc(s).seccompProfile;
            everyContainer(s, (c) => (sc(c).seccompProfile = { type: "RuntimeDefault" }));
        },
    ],
    ["annotation apparmor unconfined", (_s, meta) => (meta.annotations = { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" })],
    ["annotation apparmor runtime/default", (_s, meta) => (meta.annotations = { "container.apparmor.security.beta.kubernetes.io/app": "runtime/default" })],
];

/** Container-level variants apply at every container location; ephemeral containers only on bare Pods (the API forbids them in templates). */
export function variants(kind: Kind): Variant[] {
    const out: Variant[] = [];
    const locations: Where[] = kind === "Pod" ? ["container", "initContainer", "sidecar", "ephemeralContainer"] : ["container", "initContainer", "sidecar"];
    for (const where of locations) {
        for (const [id, edit] of CONTAINER_VARIANTS) out.push({ id, where, apply: (spec, target) => edit(target, spec) });
    }
    for (const [id, edit] of POD_VARIANTS) out.push({ id, where: "pod", apply: (spec, meta) => edit(spec, meta) });
    return out;
}

export interface GeneratedSpec {
    /** e.g. "Deployment/sidecar/caps.add=net_bind_service". */
    id: string;
    kind: Kind;
    where: Where;
    /** The object to submit (for ephemeral variants: the Pod with the ephemeral container, for the pack). */
    object: Obj;
    /** For ephemeral variants: the container to add through the pods/ephemeralcontainers subresource. */
    ephemeral?: Obj;
}

const API: Record<Kind, string> = { Pod: "v1", Deployment: "apps/v1", StatefulSet: "apps/v1", DaemonSet: "apps/v1", Job: "batch/v1", CronJob: "batch/v1" };

/** Wraps a pod template into the object of a kind. */
export function wrap(kind: Kind, name: string, namespace: string, template: { metadata: Obj; spec: Obj }): Obj {
    const l = labels(name);
    const metadata = { name, namespace, labels: l };
    const tpl = { metadata: { ...template.metadata, labels: l }, spec: template.spec };
    const selector = { matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": `${name}-psa` } };
    switch (kind) {
        case "Pod":
            return {
                apiVersion: API[kind],
                kind,
                metadata: { ...metadata, ...(template.metadata.annotations ? { annotations: template.metadata.annotations } : {}) },
                spec: template.spec,
            };
        case "Deployment":
        case "DaemonSet":
            return { apiVersion: API[kind], kind, metadata, spec: { selector, template: tpl } };
        case "StatefulSet":
            return { apiVersion: API[kind], kind, metadata, spec: { selector, serviceName: name, template: tpl } };
        case "Job":
            return { apiVersion: API[kind], kind, metadata, spec: { backoffLimit: 0, template: tpl } };
        case "CronJob":
            return { apiVersion: API[kind], kind, metadata, spec: { schedule: "*/30 * * * *", jobTemplate: { spec: { backoffLimit: 0, template: tpl } } } };
    }
}

function clone<T>(v: T): T {
    return JSON.parse(JSON.stringify(v)) as T;
}

/** The base objects (one per kind) and every variant, each a complete object ready to submit. */
export function generate(namespace: string): { bases: GeneratedSpec[]; specs: GeneratedSpec[] } {
    const bases: GeneratedSpec[] = [];
    const specs: GeneratedSpec[] = [];
    for (const kind of KINDS) {
        const restart = kind === "Job" || kind === "CronJob" ? "Never" : "Always";
        bases.push({
            id: `${kind}/base`,
            kind,
            where: "pod",
            object: wrap(kind, `base-${kind.toLowerCase()}`, namespace, { metadata: {}, spec: basePodSpec(restart) }),
        });
        variants(kind).forEach((v, i) => {
            const spec = basePodSpec(restart);
            const meta: Obj = {};
            const name = `v-${kind.toLowerCase()}-${i}`;
            if (v.where === "pod") {
                v.apply(spec, meta);
                specs.push({ id: `${kind}/${v.where}/${v.id}`, kind, where: v.where, object: wrap(kind, name, namespace, { metadata: meta, spec }) });
                return;
            }
            if (v.where === "ephemeralContainer") {
                const eph = ephemeralContainer();
                v.apply(spec, eph);
                const object = wrap(kind, "ephemeral-target", namespace, { metadata: {}, spec: { ...clone(spec), ephemeralContainers: [eph] } });
                specs.push({ id: `${kind}/${v.where}/${v.id}`, kind, where: v.where, object, ephemeral: eph });
                return;
            }
            const target = v.where === "container" ? (spec.containers as Obj[])[0] : (spec.initContainers as Obj[])[v.where === "initContainer" ? 0 : 1];
            v.apply(spec, target);
            specs.push({ id: `${kind}/${v.where}/${v.id}`, kind, where: v.where, object: wrap(kind, name, namespace, { metadata: meta, spec }) });
        });
    }
    return { bases, specs };
}
