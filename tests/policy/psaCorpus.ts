// The corpus of the Pod Security oracle test (psaOracle.test.ts): a pure, seeded function that builds thousands of
// pod specs from a restricted-compliant and a baseline-compliant base and 1–3 mutations of the fields Pod Security
// admission reads (k8s.io/pod-security-admission v0.34, every check in policy/check_*.go), at pod level and in
// containers, init containers, sidecars and ephemeral containers. Every mutation alone on every target comes first,
// then seeded random combinations fill the corpus up to its size. No Math.random: the same seed gives the same corpus.
import { POD_BEARING_KINDS } from "../../policy/lib/k8s";
import type { FakeResource } from "../../tools/policyRunner";
import { labelsFor } from "./fixtures";

export type Obj = Record<string, unknown>;
export type Base = "restricted" | "baseline";

export interface CorpusEntry {
    /** Stable within a seed: "s00042". */
    id: string;
    base: Base;
    /** What was changed, in order, e.g. `containers[0] "app": capabilities.add=["CAP_SYS_ADMIN"]`. */
    mutations: string[];
    /** Pod (template) metadata: only annotations matter to Pod Security. */
    metadata: Obj;
    spec: Obj;
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const chance = (rng: Rng, p: number): boolean => rng() < p;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const IMAGE = `registry.example.com/platform/app:1.0.0@sha256:${"ab".repeat(32)}`;

function sc(o: Obj): Obj {
    if (typeof o.securityContext !== "object" || o.securityContext === null) o.securityContext = {};
    return o.securityContext as Obj;
}
function caps(c: Obj): Obj {
    const s = sc(c);
    if (typeof s.capabilities !== "object" || s.capabilities === null) s.capabilities = {};
    return s.capabilities as Obj;
}
function annotations(meta: Obj): Record<string, string> {
    if (typeof meta.annotations !== "object" || meta.annotations === null) meta.annotations = {};
    return meta.annotations as Record<string, string>;
}
function vols(spec: Obj): Obj[] {
    if (!Array.isArray(spec.volumes)) spec.volumes = [];
    return spec.volumes as Obj[];
}
/** Sets a field, or deletes it for undefined. */
function put(o: Obj, key: string, v: unknown): void {
    if (v === undefined) delete o[key];
    else o[key] = clone(v);
}

// ---- bases -------------------------------------------------------------------------------------------------------

type ListName = "containers" | "initContainers" | "ephemeralContainers";
const LISTS: ListName[] = ["initContainers", "containers", "ephemeralContainers"];

interface Shape {
    helper: boolean;
    init: boolean;
    sidecar: boolean;
    ephemeral: boolean;
}
const FULL: Shape = { helper: true, init: true, sidecar: true, ephemeral: true };

function container(name: string, probes: boolean): Obj {
    return {
        name,
        image: IMAGE,
        ...(probes
            ? {
                  ports: [{ containerPort: 8080, name: "http" }],
                  readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
                  livenessProbe: { tcpSocket: { port: 8080 } },
              }
            : {}),
    };
}

function skeleton(shape: Shape): Obj {
    const spec: Obj = { containers: [container("app", true)], volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }] };
    if (shape.helper) (spec.containers as Obj[]).push(container("helper", false));
    const init: Obj[] = [];
    if (shape.init) init.push(container("init", false));
    if (shape.sidecar) init.push({ ...container("proxy", true), restartPolicy: "Always" });
    if (init.length) spec.initContainers = init;
    if (shape.ephemeral) spec.ephemeralContainers = [{ name: "debug", image: IMAGE, targetContainerName: "app" }];
    return spec;
}

function everyContainer(spec: Obj): Obj[] {
    return LISTS.flatMap((l) => (Array.isArray(spec[l]) ? (spec[l] as Obj[]) : []));
}

/** A spec restricted admits, in one of several compliant forms (pod- or container-level settings). */
function restrictedBase(rng: Rng, shape: Shape, meta: Obj): { spec: Obj; flavour: string[] } {
    const spec = skeleton(shape);
    const flavour: string[] = [];
    const all = everyContainer(spec);
    for (const c of all) Object.assign(sc(c), { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    const psc = sc(spec);
    const nonRoot = pick(rng, ["pod", "containers", "both"] as const);
    if (nonRoot !== "containers") psc.runAsNonRoot = true;
    if (nonRoot !== "pod") for (const c of all) sc(c).runAsNonRoot = true;
    flavour.push(`runAsNonRoot on ${nonRoot}`);
    const seccomp = pick(rng, ["pod RuntimeDefault", "pod Localhost", "containers RuntimeDefault", "pod RuntimeDefault, containers Localhost"] as const);
    if (seccomp.startsWith("pod"))
        psc.seccompProfile =
            seccomp.includes("Localhost") && !seccomp.includes(",") ? { type: "Localhost", localhostProfile: "profiles/app.json" } : { type: "RuntimeDefault" };
    if (seccomp.includes("containers"))
        for (const c of all)
            sc(c).seccompProfile = seccomp.includes("Localhost") ? { type: "Localhost", localhostProfile: "profiles/app.json" } : { type: "RuntimeDefault" };
    flavour.push(`seccomp ${seccomp}`);
    if (chance(rng, 0.5)) psc.runAsUser = 10001;
    if (chance(rng, 0.3)) {
        caps((spec.containers as Obj[])[0]).add = ["NET_BIND_SERVICE"];
        flavour.push("app adds NET_BIND_SERVICE");
    }
    if (chance(rng, 0.2)) {
        psc.appArmorProfile = { type: "RuntimeDefault" };
        flavour.push("pod AppArmor RuntimeDefault");
    }
    if (chance(rng, 0.2)) {
        psc.seLinuxOptions = { level: "s0:c123,c456" };
        flavour.push("pod SELinux level");
    }
    if (chance(rng, 0.2)) {
        psc.sysctls = [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }];
        flavour.push("safe sysctl");
    }
    if (chance(rng, 0.2)) {
        annotations(meta)["container.apparmor.security.beta.kubernetes.io/app"] = "runtime/default";
        flavour.push("AppArmor annotation runtime/default");
    }
    if (chance(rng, 0.3))
        (spec.volumes as Obj[]).push({ name: "config", configMap: { name: "app" } }, { name: "data", persistentVolumeClaim: { claimName: "data" } });
    return { spec, flavour };
}

/** A spec baseline admits that restricted usually refuses (nothing dropped, root allowed, network volumes, baseline capabilities). */
function baselineBase(rng: Rng, shape: Shape): { spec: Obj; flavour: string[] } {
    const spec = skeleton(shape);
    const flavour: string[] = [];
    const app = (spec.containers as Obj[])[0];
    if (chance(rng, 0.4)) {
        caps(app).add = pick(rng, [
            ["CHOWN"],
            ["SETUID", "SETGID"],
            ["NET_BIND_SERVICE", "KILL"],
            ["AUDIT_WRITE", "DAC_OVERRIDE", "FOWNER", "FSETID", "MKNOD", "SETFCAP", "SETPCAP", "SYS_CHROOT"],
        ]);
        flavour.push(`app adds ${(caps(app).add as string[]).join(",")}`);
    }
    if (chance(rng, 0.3)) {
        sc(app).allowPrivilegeEscalation = true;
        flavour.push("app allowPrivilegeEscalation");
    }
    if (chance(rng, 0.3)) {
        sc(spec).runAsUser = 0;
        flavour.push("pod runAsUser 0");
    }
    if (chance(rng, 0.3)) {
        sc(spec).runAsNonRoot = false;
        flavour.push("pod runAsNonRoot false");
    }
    if (chance(rng, 0.3)) {
        sc(spec).seccompProfile = { type: "RuntimeDefault" };
        flavour.push("pod seccomp RuntimeDefault");
    }
    if (chance(rng, 0.3)) {
        (spec.volumes as Obj[]).push(
            pick(rng, [
                { name: "share", nfs: { server: "nfs.example.com", path: "/export" } },
                { name: "repo", gitRepo: { repository: "https://example.com/r.git" } },
                { name: "disk", awsElasticBlockStore: { volumeID: "vol-1" } },
            ]),
        );
        flavour.push("network volume");
    }
    if (chance(rng, 0.2)) {
        for (const c of everyContainer(spec)) caps(c).drop = ["ALL"];
        flavour.push("every container drops ALL");
    }
    return { spec, flavour };
}

// ---- mutations ---------------------------------------------------------------------------------------------------

interface ContainerMutation {
    name: string;
    apply: (c: Obj, spec: Obj, meta: Obj) => void;
}
interface PodMutation {
    name: string;
    apply: (spec: Obj, meta: Obj) => void;
}

const j = (v: unknown): string => (v === undefined ? "unset" : JSON.stringify(v));

const CAP_ADDS: unknown[] = [
    [],
    ["NET_BIND_SERVICE"],
    ["net_bind_service"],
    ["CAP_NET_BIND_SERVICE"],
    [" NET_BIND_SERVICE"],
    ["Net_Bind_Service"],
    [""],
    ["CHOWN"],
    ["AUDIT_WRITE", "SETUID"],
    ["SYS_CHROOT"],
    ["MKNOD"],
    ["KILL"],
    ["SETPCAP", "SETFCAP"],
    ["DAC_OVERRIDE", "FOWNER", "FSETID", "SETGID"],
    ["NET_RAW"],
    ["SYS_ADMIN"],
    ["CAP_SYS_ADMIN"],
    ["sys_admin"],
    ["NET_ADMIN"],
    ["ALL"],
    ["all"],
    ["BPF"],
    ["SYS_PTRACE"],
    ["CAP_CHOWN"],
    ["NET_BIND_SERVICE", "CHOWN"],
    ["NET_BIND_SERVICE", "NET_BIND_SERVICE"],
];
const CAP_DROPS: unknown[] = [["ALL"], ["all"], ["All"], ["CAP_ALL"], [" ALL"], ["NET_RAW"], [], ["NET_RAW", "ALL"], ["ALL", "all"], undefined];
const SECCOMP: unknown[] = [
    { type: "RuntimeDefault" },
    { type: "Localhost", localhostProfile: "profiles/app.json" },
    { type: "Unconfined" },
    { type: "runtimedefault" },
    {},
    undefined,
];
const APPARMOR: unknown[] = [
    { type: "RuntimeDefault" },
    { type: "Localhost", localhostProfile: "k8s-app" },
    { type: "Unconfined" },
    { type: "unconfined" },
    {},
    undefined,
];
const SELINUX: unknown[] = [
    { type: "container_t" },
    { type: "container_init_t" },
    { type: "container_kvm_t" },
    { type: "container_engine_t" },
    { type: "spc_t" },
    { type: "" },
    { type: "unconfined_t" },
    { user: "system_u" },
    { role: "system_r" },
    { level: "s0:c123,c456" },
    { user: "", role: "", type: "container_t" },
    {},
];
const PROBE_HOSTS = ["", "localhost", "127.0.0.1", "::1", "10.0.0.7", "db.example.com"];
const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"];
const HOOKS = ["postStart", "preStop"];

function handler(action: "httpGet" | "tcpSocket", host: string): Obj {
    return action === "httpGet" ? { httpGet: { path: "/health", port: 8080, host } } : { tcpSocket: { port: 8080, host } };
}

const CONTAINER_MUTATIONS: ContainerMutation[] = [
    ...[true, false, undefined].map((v): ContainerMutation => ({ name: `privileged=${j(v)}`, apply: (c) => put(sc(c), "privileged", v) })),
    ...[true, false, undefined].map((v): ContainerMutation => ({
        name: `allowPrivilegeEscalation=${j(v)}`,
        apply: (c) => put(sc(c), "allowPrivilegeEscalation", v),
    })),
    ...CAP_ADDS.map((v): ContainerMutation => ({ name: `capabilities.add=${j(v)}`, apply: (c) => put(caps(c), "add", v) })),
    ...CAP_DROPS.map((v): ContainerMutation => ({ name: `capabilities.drop=${j(v)}`, apply: (c) => put(caps(c), "drop", v) })),
    { name: "capabilities={}", apply: (c) => (sc(c).capabilities = {}) },
    { name: "capabilities unset", apply: (c) => delete sc(c).capabilities },
    { name: "securityContext unset", apply: (c) => delete c.securityContext },
    { name: "securityContext={}", apply: (c) => (c.securityContext = {}) },
    ...[true, false, undefined].map((v): ContainerMutation => ({ name: `runAsNonRoot=${j(v)}`, apply: (c) => put(sc(c), "runAsNonRoot", v) })),
    ...[0, 1, 65534, undefined].map((v): ContainerMutation => ({ name: `runAsUser=${j(v)}`, apply: (c) => put(sc(c), "runAsUser", v) })),
    { name: "runAsGroup=0", apply: (c) => (sc(c).runAsGroup = 0) },
    ...SECCOMP.map((v): ContainerMutation => ({ name: `seccompProfile=${j(v)}`, apply: (c) => put(sc(c), "seccompProfile", v) })),
    ...APPARMOR.map((v): ContainerMutation => ({ name: `appArmorProfile=${j(v)}`, apply: (c) => put(sc(c), "appArmorProfile", v) })),
    ...SELINUX.map((v): ContainerMutation => ({ name: `seLinuxOptions=${j(v)}`, apply: (c) => put(sc(c), "seLinuxOptions", v) })),
    ...["Default", "Unmasked", ""].map((v): ContainerMutation => ({ name: `procMount=${j(v)}`, apply: (c) => (sc(c).procMount = v) })),
    ...[true, false].map((v): ContainerMutation => ({ name: `windowsOptions.hostProcess=${v}`, apply: (c) => (sc(c).windowsOptions = { hostProcess: v }) })),
    { name: "windowsOptions.runAsUserName", apply: (c) => (sc(c).windowsOptions = { runAsUserName: "ContainerUser" }) },
    { name: "readOnlyRootFilesystem=false", apply: (c) => (sc(c).readOnlyRootFilesystem = false) },
    ...[8080, 80, 0].map((hp): ContainerMutation => ({
        name: `ports[0].hostPort=${hp}`,
        apply: (c) => (c.ports = [{ containerPort: 8080, hostPort: hp, name: "http" }]),
    })),
    {
        name: "ports[1].hostPort=9090",
        apply: (c) =>
            (c.ports = [
                { containerPort: 8080, name: "http" },
                { containerPort: 9090, hostPort: 9090, name: "metrics" },
            ]),
    },
    ...PROBES.flatMap((p) =>
        (["httpGet", "tcpSocket"] as const).flatMap((a) =>
            PROBE_HOSTS.map((h): ContainerMutation => ({ name: `${p}.${a}.host=${j(h)}`, apply: (c) => (c[p] = { ...handler(a, h), periodSeconds: 10 }) })),
        ),
    ),
    ...HOOKS.flatMap((k) =>
        (["httpGet", "tcpSocket"] as const).flatMap((a) =>
            PROBE_HOSTS.map((h): ContainerMutation => ({
                name: `lifecycle.${k}.${a}.host=${j(h)}`,
                apply: (c) => {
                    const lc = (typeof c.lifecycle === "object" && c.lifecycle !== null ? c.lifecycle : (c.lifecycle = {})) as Obj;
                    lc[k] = handler(a, h);
                },
            })),
        ),
    ),
    { name: "readinessProbe grpc", apply: (c) => (c.readinessProbe = { grpc: { port: 9090 } }) },
    { name: "livenessProbe exec", apply: (c) => (c.livenessProbe = { exec: { command: ["/bin/true"] } }) },
    ...["runtime/default", "localhost/k8s-app", "unconfined", "", "localhost", "Runtime/Default", "localhost/"].map((v): ContainerMutation => ({
        name: `annotation container.apparmor.security.beta.kubernetes.io/<name>=${j(v)}`,
        apply: (c, _s, meta) => (annotations(meta)[`container.apparmor.security.beta.kubernetes.io/${String(c.name)}`] = v),
    })),
    ...["runtime/default", "docker/default", "localhost/profiles/app.json", "unconfined"].map((v): ContainerMutation => ({
        name: `annotation container.seccomp.security.alpha.kubernetes.io/<name>=${j(v)}`,
        apply: (c, _s, meta) => (annotations(meta)[`container.seccomp.security.alpha.kubernetes.io/${String(c.name)}`] = v),
    })),
];

/** Every volume source of core/v1 VolumeSource (Kubernetes 1.34), each with the least content its type decodes. */
const VOLUME_SOURCES: Record<string, Obj> = {
    hostPath: { path: "/var/log" },
    emptyDir: {},
    gcePersistentDisk: { pdName: "disk-1" },
    awsElasticBlockStore: { volumeID: "vol-1" },
    gitRepo: { repository: "https://example.com/r.git" },
    secret: { secretName: "app" },
    nfs: { server: "nfs.example.com", path: "/export" },
    iscsi: { targetPortal: "10.0.0.1:3260", iqn: "iqn.2001-04.com.example:storage", lun: 0 },
    glusterfs: { endpoints: "gluster", path: "vol" },
    persistentVolumeClaim: { claimName: "data" },
    rbd: { monitors: ["10.0.0.1:6789"], image: "img" },
    flexVolume: { driver: "example.com/flex" },
    cinder: { volumeID: "vol-1" },
    cephfs: { monitors: ["10.0.0.1:6789"] },
    flocker: { datasetName: "ds" },
    downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] },
    fc: { targetWWNs: ["500a0982991b8dc5"], lun: 2 },
    azureFile: { secretName: "azure", shareName: "share" },
    configMap: { name: "app" },
    vsphereVolume: { volumePath: "[datastore] vol.vmdk" },
    quobyte: { registry: "quobyte:7861", volume: "vol" },
    azureDisk: { diskName: "disk", diskURI: "https://example.blob.core.windows.net/vhds/disk.vhd" },
    photonPersistentDisk: { pdID: "pd-1" },
    projected: { sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3600 } }, { configMap: { name: "app" } }] },
    portworxVolume: { volumeID: "vol-1" },
    scaleIO: { gateway: "https://scaleio.example.com", system: "sio", secretRef: { name: "sio" } },
    storageos: { volumeName: "vol" },
    csi: { driver: "secrets-store.csi.k8s.io", readOnly: true },
    ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } },
    image: { reference: "registry.example.com/data:1.0", pullPolicy: "IfNotPresent" },
};

/** Safe sysctls by the Kubernetes version that admitted them (PSA's sysctls check), and unsafe ones. */
const SYSCTLS_BY_VERSION: Record<string, string[]> = {
    "1.0": [
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    ],
    "1.27": ["net.ipv4.ip_local_reserved_ports"],
    "1.29": ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"],
    "1.32": ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"],
};
const UNSAFE_SYSCTLS = [
    "kernel.msgmax",
    "kernel.sem",
    "net.core.somaxconn",
    "vm.swappiness",
    "net.ipv4.ip_forward",
    "net.ipv6.conf.all.forwarding",
    "kernel.shm_rmid_forced.x",
    "NET.IPV4.TCP_SYNCOOKIES",
    "",
];

const POD_MUTATIONS: PodMutation[] = [
    ...(["hostNetwork", "hostPID", "hostIPC"] as const).flatMap((f) =>
        [true, false].map((v): PodMutation => ({ name: `${f}=${v}`, apply: (s) => (s[f] = v) })),
    ),
    { name: "hostUsers=false", apply: (s) => (s.hostUsers = false) },
    ...["windows", "linux"].map((os): PodMutation => ({ name: `os.name=${os}`, apply: (s) => (s.os = { name: os }) })),
    ...[true, false, undefined].map((v): PodMutation => ({ name: `pod runAsNonRoot=${j(v)}`, apply: (s) => put(sc(s), "runAsNonRoot", v) })),
    ...[0, 1000, undefined].map((v): PodMutation => ({ name: `pod runAsUser=${j(v)}`, apply: (s) => put(sc(s), "runAsUser", v) })),
    { name: "pod runAsGroup=0, fsGroup=0, supplementalGroups=[0]", apply: (s) => Object.assign(sc(s), { runAsGroup: 0, fsGroup: 0, supplementalGroups: [0] }) },
    ...SECCOMP.map((v): PodMutation => ({ name: `pod seccompProfile=${j(v)}`, apply: (s) => put(sc(s), "seccompProfile", v) })),
    ...APPARMOR.map((v): PodMutation => ({ name: `pod appArmorProfile=${j(v)}`, apply: (s) => put(sc(s), "appArmorProfile", v) })),
    ...SELINUX.map((v): PodMutation => ({ name: `pod seLinuxOptions=${j(v)}`, apply: (s) => put(sc(s), "seLinuxOptions", v) })),
    ...[true, false].map((v): PodMutation => ({ name: `pod windowsOptions.hostProcess=${v}`, apply: (s) => (sc(s).windowsOptions = { hostProcess: v }) })),
    { name: "pod securityContext unset", apply: (s) => delete s.securityContext },
    ...Object.entries(SYSCTLS_BY_VERSION).flatMap(([version, names]) =>
        names.map((n): PodMutation => ({ name: `sysctl ${n} (safe since ${version})`, apply: (s) => (sc(s).sysctls = [{ name: n, value: "1" }]) })),
    ),
    ...UNSAFE_SYSCTLS.map((n): PodMutation => ({ name: `sysctl ${j(n)} (unsafe)`, apply: (s) => (sc(s).sysctls = [{ name: n, value: "1" }]) })),
    {
        name: "sysctls safe and unsafe",
        apply: (s) =>
            (sc(s).sysctls = [
                { name: "net.ipv4.tcp_syncookies", value: "1" },
                { name: "kernel.msgmax", value: "65536" },
            ]),
    },
    { name: "sysctls=[]", apply: (s) => (sc(s).sysctls = []) },
    ...Object.entries(VOLUME_SOURCES).map(([type, src]): PodMutation => ({
        name: `volume ${type}`,
        apply: (s) => vols(s).push({ name: `v-${type.toLowerCase()}`, [type]: clone(src) }),
    })),
    { name: "volume hostPath type Directory", apply: (s) => vols(s).push({ name: "host", hostPath: { path: "/", type: "Directory" } }) },
    { name: "volume hostPath {}", apply: (s) => vols(s).push({ name: "host", hostPath: {} }) },
    { name: "volume emptyDir with hostPath null", apply: (s) => vols(s).push({ name: "scratch", emptyDir: {}, hostPath: null }) },
    { name: "volume without a source", apply: (s) => vols(s).push({ name: "nothing" }) },
    { name: "volume emptyDir and hostPath (two sources)", apply: (s) => vols(s).push({ name: "both", emptyDir: {}, hostPath: { path: "/" } }) },
    {
        name: "volume configMap and nfs (two sources)",
        apply: (s) => vols(s).push({ name: "both", configMap: { name: "app" }, nfs: { server: "nfs.example.com", path: "/" } }),
    },
    { name: "volumes unset", apply: (s) => delete s.volumes },
    ...["runtime/default", "docker/default", "localhost/profiles/app.json", "unconfined", ""].map((v): PodMutation => ({
        name: `annotation seccomp.security.alpha.kubernetes.io/pod=${j(v)}`,
        apply: (_s, meta) => (annotations(meta)["seccomp.security.alpha.kubernetes.io/pod"] = v),
    })),
    {
        name: "annotation container.apparmor.security.beta.kubernetes.io/ghost=unconfined (no such container)",
        apply: (_s, meta) => (annotations(meta)["container.apparmor.security.beta.kubernetes.io/ghost"] = "unconfined"),
    },
    {
        name: "annotation apparmor.security.beta.kubernetes.io/app=unconfined (no container. prefix)",
        apply: (_s, meta) => (annotations(meta)["apparmor.security.beta.kubernetes.io/app"] = "unconfined"),
    },
];

/** Containers a mutation can target, labelled for the report: `initContainers[1] "proxy"`. */
function targets(spec: Obj): { label: string; c: Obj }[] {
    return LISTS.flatMap((l) => (Array.isArray(spec[l]) ? (spec[l] as Obj[]) : []).map((c, i) => ({ label: `${l}[${i}] ${JSON.stringify(c.name)}`, c })));
}

type Step = { kind: "pod"; m: PodMutation } | { kind: "container"; m: ContainerMutation; target: number | "every" };

function applyStep(step: Step, spec: Obj, meta: Obj): string {
    if (step.kind === "pod") {
        step.m.apply(spec, meta);
        return step.m.name;
    }
    const ts = targets(spec);
    if (step.target === "every") {
        for (const t of ts) step.m.apply(t.c, spec, meta);
        return `every container: ${step.m.name}`;
    }
    const t = ts[step.target % ts.length];
    step.m.apply(t.c, spec, meta);
    return `${t.label}: ${step.m.name}`;
}

function entry(n: number, base: Base, rng: Rng, shape: Shape, steps: Step[]): CorpusEntry {
    const metadata: Obj = {};
    const { spec, flavour } = base === "restricted" ? restrictedBase(rng, shape, metadata) : baselineBase(rng, shape);
    const mutations = steps.map((s) => applyStep(s, spec, metadata));
    return { id: `s${String(n).padStart(5, "0")}`, base, mutations: [`(${base} base: ${flavour.join("; ") || "plain"})`, ...mutations], metadata, spec };
}

/**
 * The corpus: every mutation alone on every target of a full-shaped spec (app, helper, init, sidecar, ephemeral
 * container, and every container at once) and every mutation on a Windows pod, over both bases, then random
 * 1–3-mutation combinations over random shapes until `size` entries.
 */
export function generateCorpus(seed: number, size: number): CorpusEntry[] {
    const rng = prng(seed);
    const out: CorpusEntry[] = [];
    const fullTargets = targets(skeleton(FULL)).length;
    const windows = POD_MUTATIONS.find((m) => m.name === "os.name=windows")!;
    for (const base of ["restricted", "baseline"] as Base[]) {
        for (const m of POD_MUTATIONS) out.push(entry(out.length, base, rng, FULL, [{ kind: "pod", m }]));
        for (const m of CONTAINER_MUTATIONS) {
            for (let t = 0; t < fullTargets; t++) out.push(entry(out.length, base, rng, FULL, [{ kind: "container", m, target: t }]));
            out.push(entry(out.length, base, rng, FULL, [{ kind: "container", m, target: "every" }]));
            // Windows pods: Pod Security admission relaxes some restricted checks for them (and not their baseline twins).
            out.push(
                entry(out.length, base, rng, FULL, [
                    { kind: "pod", m: windows },
                    { kind: "container", m, target: Math.floor(rng() * fullTargets) },
                ]),
            );
        }
        for (const m of POD_MUTATIONS)
            if (m !== windows)
                out.push(
                    entry(out.length, base, rng, FULL, [
                        { kind: "pod", m: windows },
                        { kind: "pod", m },
                    ]),
                );
    }
    while (out.length < size) {
        const base: Base = chance(rng, 0.5) ? "restricted" : "baseline";
        const shape: Shape = { helper: chance(rng, 0.3), init: chance(rng, 0.5), sidecar: chance(rng, 0.4), ephemeral: chance(rng, 0.4) };
        const n = 1 + Math.floor(rng() * 3);
        const steps: Step[] = [];
        for (let i = 0; i < n; i++) {
            if (chance(rng, 0.4)) steps.push({ kind: "pod", m: pick(rng, POD_MUTATIONS) });
            else steps.push({ kind: "container", m: pick(rng, CONTAINER_MUTATIONS), target: chance(rng, 0.15) ? "every" : Math.floor(rng() * 5) });
        }
        out.push(entry(out.length, base, rng, shape, steps));
    }
    return out;
}

// ---- wrapping for the pack -----------------------------------------------------------------------------------------

const API_VERSION: Record<string, string> = {
    Pod: "v1",
    ReplicationController: "v1",
    Deployment: "apps/v1",
    StatefulSet: "apps/v1",
    DaemonSet: "apps/v1",
    ReplicaSet: "apps/v1",
    Job: "batch/v1",
    CronJob: "batch/v1",
};

/** The pod-bearing kinds the pack handles (policy/lib/k8s.ts), each as the pack receives it. */
export const PACK_KINDS: readonly string[] = POD_BEARING_KINDS;

/** The entry as a resource of `kind`: a Pod, or a workload whose pod template carries the metadata and spec. */
export function wrap(kind: string, e: CorpusEntry): FakeResource {
    const apiVersion = API_VERSION[kind];
    if (!apiVersion) throw new Error(`no wrapper for ${kind}`);
    const name = `psa-${e.id}`;
    const labels = labelsFor("psa");
    const metadata = { name, namespace: "shop", labels };
    const template = { metadata: { ...clone(e.metadata), labels }, spec: clone(e.spec) };
    const selector = { matchLabels: { "app.kubernetes.io/name": "psa" } };
    let props: Obj;
    switch (kind) {
        case "Pod":
            props = { apiVersion, kind, metadata: { ...metadata, ...template.metadata }, spec: template.spec };
            break;
        case "Job":
            props = { apiVersion, kind, metadata, spec: { template } };
            break;
        case "CronJob":
            props = { apiVersion, kind, metadata, spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template } } } };
            break;
        case "ReplicationController":
            props = { apiVersion, kind, metadata, spec: { selector: selector.matchLabels, template } };
            break;
        case "StatefulSet":
            props = { apiVersion, kind, metadata, spec: { serviceName: name, selector, template } };
            break;
        default:
            props = { apiVersion, kind, metadata, spec: { selector, template } };
    }
    const group = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
    return { type: `kubernetes:${group}:${kind}`, name, props };
}
