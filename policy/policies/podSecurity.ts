// Pod security: the Pod Security Standards "restricted" profile, compared exactly as Pod Security admission
// compares it (same fields, same precedence, same exact strings, same Linux-only relaxations for Windows pods),
// for every pod-bearing kind and its Patch kind, and every container list (containers, initContainers,
// ephemeralContainers); plus hardening beyond it (read-only root filesystem, service account tokens, user ids).
import { PodView, extractPod, isPodBearing } from "../lib/k8s";
import { DEFAULT_EXEMPT_NAMESPACES, ExemptConfig, PlatformResourcePolicy, podPolicy, resourcePolicy } from "../lib/policy";
import { PlainObject, arr, bool, cloneForRemediation, editableChild, get, isUnknown, num, rec, str, stringMap } from "../lib/values";

const base: ExemptConfig = { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES] };
const PSS = ["pod-security", "pss-restricted"];

/** A value that is present (not absent, not null). */
function isSet(v: unknown): boolean {
    return v !== undefined && v !== null;
}

/** Pod Security admission relaxes the Linux-only controls (seccomp, privilege escalation, capabilities) for Windows pods. */
function isWindowsPod(pod: PodView): boolean {
    return str(get(pod.spec, "os", "name")) === "windows";
}

/** Applies `edit` to the pod spec and container objects of a raw (remediation) copy; undefined if nothing changed. */
function remediatePod(raw: PlainObject, type: string, edit: (spec: PlainObject, containers: PlainObject[]) => boolean): PlainObject | undefined {
    const copy = cloneForRemediation(raw);
    const e = extractPod(type, copy);
    if (e.status !== "pod" || e.pod.partial || Object.getPrototypeOf(e.pod.spec) !== Object.prototype) return undefined;
    // extractPod returns views into `copy`, so edits land in the copy.
    const containers = e.pod.containers.map((c) => c.spec).filter((c) => Object.getPrototypeOf(c) === Object.prototype);
    return edit(e.pod.spec, containers) ? copy : undefined;
}

export const runAsNonRoot = podPolicy({
    name: "run-as-non-root",
    description: "Containers must run as a non-root user: runAsNonRoot: true on the pod or on every container, and false nowhere.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Set spec.securityContext.runAsNonRoot: true on the pod (or on each container, including init and ephemeral containers), and build the image with a numeric non-root USER. An explicit runAsNonRoot: false is rejected at any level, even when the other level says true.",
    defaults: base,
    validate: ({ pod }, report) => {
        const podValue = get(pod.spec, "securityContext", "runAsNonRoot");
        if (podValue === false) report("pod securityContext.runAsNonRoot is false; set it to true (or remove it and set true on every container)");
        for (const c of pod.containers) {
            const own = get(c.spec, "securityContext", "runAsNonRoot");
            if (isUnknown(own) || (!isSet(own) && isUnknown(podValue))) continue;
            if (own === false) report(`${c.label}: securityContext.runAsNonRoot is false; set it to true`);
            else if (!isSet(own) && podValue !== true && !pod.partial) report(`${c.label}: runAsNonRoot is not set on the container or the pod; set securityContext.runAsNonRoot: true on the pod`);
        }
    },
});

export const runAsUserNotRoot = podPolicy({
    name: "run-as-user-not-root",
    description: "No pod or container may set runAsUser: 0 (root), even together with runAsNonRoot: true.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Remove runAsUser: 0 or set a non-zero UID (for example 65532) at pod and container level. runAsNonRoot: true does not help: the kubelet refuses to start a container whose UID is 0.",
    defaults: base,
    validate: ({ pod }, report) => {
        if (num(get(pod.spec, "securityContext", "runAsUser")) === 0) report("pod securityContext.runAsUser is 0 (root); set a non-zero UID such as 65532");
        for (const c of pod.containers) {
            if (num(get(c.spec, "securityContext", "runAsUser")) === 0) report(`${c.label}: securityContext.runAsUser is 0 (root); set a non-zero UID such as 65532`);
        }
    },
});

interface UserIdConfig extends ExemptConfig {
    allowedUserIds: number[];
    allowedGroupIds: number[];
}

export const expectedUserIds = podPolicy<UserIdConfig>({
    name: "expected-user-ids",
    description: "Pods and containers run with the UIDs/GIDs the stack expects (runAsUser, runAsGroup, fsGroup); a non-default id is reported so it is a deliberate, reviewed choice. No-op while the lists are empty.",
    severity: "low",
    enforcementLevel: "advisory",
    tags: ["hardening"],
    patches: true,
    remediationSteps: "Use the platform's default UID/GID, or add the id the image needs to allowedUserIds/allowedGroupIds in the stack's policy config with the reason in its rationale.",
    defaults: { ...base, allowedUserIds: [], allowedGroupIds: [] },
    schema: {
        allowedUserIds: { type: "array", items: { type: "integer" }, default: [], description: "UIDs pods may set in runAsUser; empty: any non-root UID." },
        allowedGroupIds: { type: "array", items: { type: "integer" }, default: [], description: "GIDs pods may set in runAsGroup and fsGroup; empty: any." },
    },
    validate: ({ pod, config }, report) => {
        const scopes: [string, unknown][] = [["pod", pod.spec["securityContext"]], ...pod.containers.map((c): [string, unknown] => [c.label, c.spec["securityContext"]])];
        for (const [where, sc] of scopes) {
            const checks: [string, number[]][] = [["runAsUser", config.allowedUserIds], ["runAsGroup", config.allowedGroupIds], ["fsGroup", config.allowedGroupIds]];
            for (const [field, allowed] of checks) {
                const id = num(get(sc, field));
                if (id === undefined || allowed.length === 0 || allowed.includes(id) || (field === "runAsUser" && id === 0)) continue;
                report(`${where}: securityContext.${field} is ${id}, not one of the expected ids (${allowed.join(", ")}); use an expected id or add it to this policy's allowed list for the stack`);
            }
        }
    },
});

export const noPrivilegeEscalation = podPolicy({
    name: "no-privilege-escalation",
    description: "Every container must set securityContext.allowPrivilegeEscalation: false (Windows pods excepted, as in Pod Security admission).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container. At `remediate` level the pack adds it where it is unset (never where it is explicitly true, and never to privileged or CAP_SYS_ADMIN containers, which the API server would reject).",
    defaults: base,
    validate: ({ pod }, report) => {
        if (isWindowsPod(pod)) return;
        for (const c of pod.containers) {
            const v = get(c.spec, "securityContext", "allowPrivilegeEscalation");
            if (isUnknown(v) || (pod.partial && !isSet(v))) continue;
            if (v !== false) report(`${c.label}: securityContext.allowPrivilegeEscalation is ${v === true ? "true" : "not set (defaults to true)"}; set it to false`);
        }
    },
    remediate: (raw, ctx) =>
        remediatePod(raw, ctx.type, (_spec, containers) => {
            let changed = false;
            for (const c of containers) {
                const scx = editableChild(c, "securityContext");
                const adds = arr(get(c, "securityContext", "capabilities", "add"));
                if (!scx || scx["allowPrivilegeEscalation"] !== undefined || scx["privileged"] === true || adds.includes("SYS_ADMIN") || adds.includes("CAP_SYS_ADMIN")) continue;
                scx["allowPrivilegeEscalation"] = false;
                changed = true;
            }
            return changed;
        }),
});

export const noPrivileged = podPolicy({
    name: "no-privileged-containers",
    description: "No container may run privileged.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Remove securityContext.privileged: true; grant the single capability the process needs instead (only NET_BIND_SERVICE is allowed by default).",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers) if (get(c.spec, "securityContext", "privileged") === true) report(`${c.label}: securityContext.privileged is true; remove it and add only the capability the process needs`);
    },
});

function capList(container: PlainObject, which: "add" | "drop"): string[] {
    return arr(get(container, "securityContext", "capabilities", which)).map((x) => str(x)).filter((x): x is string => x !== undefined);
}

export const dropAllCapabilities = podPolicy({
    name: "drop-all-capabilities",
    description: "Every container must drop ALL Linux capabilities: securityContext.capabilities.drop contains exactly \"ALL\" (case-sensitive, as Pod Security admission compares it).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Add capabilities: { drop: [\"ALL\"] } to every container's securityContext (\"all\" or \"CAP_ALL\" do not count) and add back only NET_BIND_SERVICE if the process binds a port below 1024. At `remediate` level the pack appends \"ALL\" to the drop list; existing add entries are kept and still checked by restrict-added-capabilities.",
    defaults: base,
    validate: ({ pod }, report) => {
        if (isWindowsPod(pod)) return;
        for (const c of pod.containers) {
            const drop = get(c.spec, "securityContext", "capabilities", "drop");
            if (isUnknown(drop) || arr(drop).some(isUnknown) || (pod.partial && !isSet(drop))) continue;
            if (!capList(c.spec, "drop").includes("ALL")) report(`${c.label}: securityContext.capabilities.drop does not contain "ALL"; add "ALL" to the drop list`);
        }
    },
    remediate: (raw, ctx) =>
        remediatePod(raw, ctx.type, (spec, containers) => {
            if (str(get(spec, "os", "name")) === "windows") return false;
            let changed = false;
            for (const c of containers) {
                const scx = editableChild(c, "securityContext");
                const caps = scx && editableChild(scx, "capabilities");
                if (!caps) continue;
                const drop = caps["drop"];
                if (drop === undefined || drop === null) caps["drop"] = ["ALL"];
                else if (Array.isArray(drop) && !drop.some(isUnknown)) {
                    if (drop.includes("ALL")) continue;
                    caps["drop"] = [...drop, "ALL"];
                } else continue;
                changed = true;
            }
            return changed;
        }),
});

/** Capabilities the baseline profile lets any pod add (the only limit on Windows pods, which restricted relaxes). */
const BASELINE_CAPABILITIES = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

interface CapConfig extends ExemptConfig {
    allowedCapabilities: string[];
}

export const restrictAddedCapabilities = podPolicy<CapConfig>({
    name: "restrict-added-capabilities",
    description: "Containers may add back only allowed capabilities, compared exactly (default: NET_BIND_SERVICE, the only one the restricted profile admits).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Remove the extra entries from securityContext.capabilities.add; spell capabilities exactly as Pod Security admission does (NET_BIND_SERVICE, not net_bind_service or CAP_NET_BIND_SERVICE). Anything beyond NET_BIND_SERVICE is rejected by a restricted namespace; listing it in allowedCapabilities only makes sense for namespaces that enforce a weaker level.",
    defaults: { ...base, allowedCapabilities: ["NET_BIND_SERVICE"] },
    schema: {
        allowedCapabilities: { type: "array", items: { type: "string" }, default: ["NET_BIND_SERVICE"], description: "Capabilities containers may add, compared exactly." },
    },
    validate: ({ pod, config }, report) => {
        const allowed = isWindowsPod(pod) ? BASELINE_CAPABILITIES : config.allowedCapabilities;
        for (const c of pod.containers) {
            const bad = capList(c.spec, "add").filter((x) => !allowed.includes(x));
            if (bad.length) report(`${c.label}: securityContext.capabilities.add has ${bad.map((b) => JSON.stringify(b)).join(", ")}, not allowed (allowed: ${allowed.join(", ") || "none"}); remove them`);
        }
    },
});

export const readOnlyRootFilesystem = podPolicy({
    name: "read-only-root-filesystem",
    description: "Containers and init containers mount their root filesystem read-only; a workload that explicitly needs a writable one is reported at this policy's configured level.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["pod-security"],
    patches: true,
    remediationSteps: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir (with a sizeLimit) at the paths the process writes to (for example /tmp). Ephemeral debug containers are not checked.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers) {
            if (c.kind === "ephemeralContainer") continue;
            const v = get(c.spec, "securityContext", "readOnlyRootFilesystem");
            if (isUnknown(v) || (pod.partial && !isSet(v))) continue;
            if (v !== true) report(`${c.label}: securityContext.readOnlyRootFilesystem is ${v === false ? "false (writable root filesystem)" : "not set"}; set it to true and mount an emptyDir where the process writes`);
        }
    },
});

const SECCOMP_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_SECCOMP_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";
const VALID_SECCOMP = ["RuntimeDefault", "Localhost"];

export const seccompProfile = podPolicy({
    name: "seccomp-profile",
    description: "seccompProfile.type is RuntimeDefault or Localhost: set on the pod or on every container, and never anything else at either level (Windows pods excepted, as in Pod Security admission).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Set spec.securityContext.seccompProfile: { type: RuntimeDefault } on the pod (or on every container). A container-level Unconfined is rejected even when the pod sets RuntimeDefault. At `remediate` level the pack adds RuntimeDefault at pod level when the pod sets none; explicit Unconfined profiles are never changed and stay violations.",
    defaults: base,
    validate: ({ pod }, report) => {
        const annotations = stringMap(get(pod.template, "metadata", "annotations")) ?? {};
        for (const [k, v] of Object.entries(annotations)) {
            if ((k === SECCOMP_ANNOTATION || k.startsWith(CONTAINER_SECCOMP_PREFIX)) && v === "unconfined") report(`pod annotation ${k} is unconfined; remove it and set seccompProfile.type: RuntimeDefault`);
        }
        if (isWindowsPod(pod)) return;
        const podProfile = get(pod.spec, "securityContext", "seccompProfile");
        const podType = get(podProfile, "type");
        if (isUnknown(podProfile) || isUnknown(podType)) return;
        let podValid = false;
        if (isSet(podProfile)) {
            if (typeof podType === "string" && VALID_SECCOMP.includes(podType)) podValid = true;
            else report(`pod securityContext.seccompProfile.type is ${String(podType)}; use RuntimeDefault or Localhost`);
        }
        for (const c of pod.containers) {
            const own = get(c.spec, "securityContext", "seccompProfile");
            const type = get(own, "type");
            if (isUnknown(own) || isUnknown(type)) continue;
            if (isSet(own)) {
                if (!(typeof type === "string" && VALID_SECCOMP.includes(type))) report(`${c.label}: securityContext.seccompProfile.type is ${String(type)}; use RuntimeDefault or Localhost`);
            } else if (!podValid && !isSet(podProfile) && !pod.partial) {
                report(`${c.label}: seccompProfile is not set on the container or the pod; set spec.securityContext.seccompProfile.type: RuntimeDefault`);
            }
        }
    },
    remediate: (raw, ctx) =>
        remediatePod(raw, ctx.type, (spec) => {
            const psc = editableChild(spec, "securityContext");
            if (!psc || psc["seccompProfile"] !== undefined) return false;
            psc["seccompProfile"] = { type: "RuntimeDefault" };
            return true;
        }),
});

export const noHostNamespaces = podPolicy({
    name: "no-host-namespaces",
    description: "Pods must not share the host's network, PID or IPC namespaces.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Remove hostNetwork, hostPID and hostIPC (or set them to false). Expose ports through a Service instead of the host network.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const f of ["hostNetwork", "hostPID", "hostIPC"]) if (pod.spec[f] === true) report(`pod spec.${f} is true; remove it (or set false)`);
    },
});

export const noHostPath = podPolicy({
    name: "no-host-path",
    description: "Pods must not mount hostPath volumes.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Replace hostPath volumes with emptyDir, a PersistentVolumeClaim, or a projected ConfigMap/Secret.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const v of arr(pod.spec["volumes"])) {
            const hp = get(v, "hostPath");
            if (isSet(hp)) report(`volume "${str(get(v, "name")) ?? "?"}" is a hostPath; replace it with emptyDir, a PersistentVolumeClaim or a projected volume`);
        }
    },
});

export const noHostPorts = podPolicy({
    name: "no-host-ports",
    description: "Containers must not bind host ports.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Remove ports[].hostPort; publish the port with a Service (ClusterIP) and route external traffic through the edge (Ingress or Gateway).",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers) {
            arr(c.spec["ports"]).forEach((p, i) => {
                const hp = num(get(p, "hostPort"));
                if (hp !== undefined && hp !== 0) report(`${c.label}: ports[${i}].hostPort is ${hp}; remove it and publish the port through a Service`);
            });
        }
    },
});

interface VolumeConfig extends ExemptConfig {
    allowedVolumeTypes: string[];
}
const PSS_RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

export const restrictedVolumeTypes = podPolicy<VolumeConfig>({
    name: "restricted-volume-types",
    description: "Pods may only use the volume types allowed by the restricted Pod Security Standard.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Use configMap, secret, projected, downwardAPI, emptyDir, ephemeral, csi or persistentVolumeClaim volumes. Network and host volume types (nfs, iscsi, hostPath, ...) belong behind a PersistentVolume.",
    defaults: { ...base, allowedVolumeTypes: PSS_RESTRICTED_VOLUMES },
    schema: { allowedVolumeTypes: { type: "array", items: { type: "string" }, default: PSS_RESTRICTED_VOLUMES, description: "Volume source fields pods may use." } },
    validate: ({ pod, config }, report) => {
        for (const v of arr(pod.spec["volumes"])) {
            const vol = rec(v);
            if (!vol) continue;
            const kinds = Object.keys(vol).filter((k) => k !== "name" && isSet(vol[k]));
            const bad = kinds.filter((k) => !config.allowedVolumeTypes.includes(k));
            if (bad.length) report(`volume "${str(vol["name"]) ?? "?"}" uses ${bad.join(", ")}, not allowed by the restricted profile; use a PersistentVolumeClaim, emptyDir, configMap, secret or projected volume`);
        }
    },
});

const SAFE_SYSCTLS = new Set([
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/**
 * The handlers Pod Security admission's baseline check hostProbesAndHostLifecycle (Kubernetes ≥ 1.34) reads a `host`
 * from: the three probes and both lifecycle hooks, each with httpGet or tcpSocket (a tcpSocket hook is deprecated
 * but still checked). Only "" or unset is allowed — localhost and 127.0.0.1 too are refused.
 */
const HOST_HANDLERS: [label: string, path: string[]][] = [
    ["livenessProbe", ["livenessProbe"]], ["readinessProbe", ["readinessProbe"]], ["startupProbe", ["startupProbe"]],
    ["lifecycle.postStart", ["lifecycle", "postStart"]], ["lifecycle.preStop", ["lifecycle", "preStop"]],
];

/** `(field, host)` for every handler of a container that names a host (unknown values are left for `up`). */
function handlerHosts(container: PlainObject): [string, unknown][] {
    const out: [string, unknown][] = [];
    for (const [label, path] of HOST_HANDLERS) {
        for (const action of ["httpGet", "tcpSocket"]) {
            const host = get(container, ...path, action, "host");
            if (isUnknown(host) || !isSet(host) || host === "") continue;
            out.push([`${label}.${action}.host`, host]);
        }
    }
    return out;
}

export const noUnsafePodOptions = podPolicy({
    name: "no-unsafe-pod-options",
    description: "Pods must not use unmasked /proc, unsafe sysctls, AppArmor other than RuntimeDefault/Localhost, custom SELinux users/roles/types, Windows host processes, or a host in probes and lifecycle hooks (httpGet/tcpSocket host: baseline since Kubernetes 1.34).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps: "Remove procMount: Unmasked, sysctls outside the safe set, appArmorProfile types other than RuntimeDefault/Localhost (and legacy container.apparmor annotations other than runtime/default or localhost/…), seLinuxOptions user/role or non-container types, and windowsOptions.hostProcess. Remove httpGet.host and tcpSocket.host from liveness/readiness/startup probes and postStart/preStop hooks of every container (init and ephemeral too): the kubelet then connects to the pod's own IP, so the process must listen there; a check that only works on localhost becomes an exec probe. Any non-empty host is refused, localhost and 127.0.0.1 included (Pod Security baseline, Kubernetes 1.34+).",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const s of arr(get(pod.spec, "securityContext", "sysctls"))) {
            const n = str(get(s, "name"));
            if (n && !SAFE_SYSCTLS.has(n)) report(`pod securityContext.sysctls has unsafe sysctl ${n}; remove it (safe: ${[...SAFE_SYSCTLS].join(", ")})`);
        }
        const annotations = stringMap(get(pod.template, "metadata", "annotations")) ?? {};
        for (const [k, v] of Object.entries(annotations)) {
            if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && v !== "runtime/default" && !v.startsWith("localhost/")) report(`pod annotation ${k} is ${v}; use runtime/default or localhost/<profile>, or remove it`);
        }
        const scopes: [string, PlainObject | undefined][] = [["pod", rec(pod.spec["securityContext"])], ...pod.containers.map((c): [string, PlainObject | undefined] => [c.label, rec(c.spec["securityContext"])])];
        for (const [where, s] of scopes) {
            if (!s) continue;
            const pm = str(s["procMount"]);
            if (pm && pm !== "Default") report(`${where}: securityContext.procMount is ${pm}; remove it (Default)`);
            const aa = str(get(s, "appArmorProfile", "type"));
            if (aa !== undefined && aa !== "RuntimeDefault" && aa !== "Localhost") report(`${where}: securityContext.appArmorProfile.type is ${aa}; use RuntimeDefault or Localhost`);
            const se = rec(s["seLinuxOptions"]);
            if (se) {
                const t = str(se["type"]);
                if (t !== undefined && !SELINUX_TYPES.has(t)) report(`${where}: securityContext.seLinuxOptions.type ${t} is not a container type; use container_t or remove it`);
                if (str(se["user"])) report(`${where}: securityContext.seLinuxOptions.user is set; remove it`);
                if (str(se["role"])) report(`${where}: securityContext.seLinuxOptions.role is set; remove it`);
            }
            if (bool(get(s, "windowsOptions", "hostProcess")) === true) report(`${where}: securityContext.windowsOptions.hostProcess is true; remove it`);
        }
        for (const c of pod.containers) {
            for (const [field, host] of handlerHosts(c.spec)) {
                report(`${c.label}: ${field} is ${JSON.stringify(host)}; remove it so the kubelet connects to the pod's IP (listen there, or use an exec probe for a localhost-only check): Pod Security baseline refuses any probe or lifecycle host since Kubernetes 1.34, localhost included`);
            }
        }
    },
});

interface TokenConfig extends ExemptConfig {
    maxTokenExpirationSeconds: number;
}

/** Projected serviceAccountToken sources of a pod: volume name and requested lifetime (undefined: 1 h default). */
function projectedTokens(spec: PlainObject): { volume: string; expirationSeconds: unknown }[] {
    return arr(spec["volumes"]).flatMap((v) => arr(get(v, "projected", "sources"))
        .filter((src) => rec(get(src, "serviceAccountToken")) !== undefined)
        .map((src) => ({ volume: str(get(v, "name")) ?? "?", expirationSeconds: get(src, "serviceAccountToken", "expirationSeconds") })));
}

export const automountServiceAccountToken = resourcePolicy<TokenConfig>({
    name: "automount-service-account-token",
    description: "Service account tokens are never automounted (ServiceAccounts and pods set automountServiceAccountToken: false); a workload that uses the API mounts an explicit projected token of its own ServiceAccount with a short lifetime.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["pod-security"],
    remediationSteps: "Set automountServiceAccountToken: false on every ServiceAccount, and on pods that use the namespace's default ServiceAccount. A workload that talks to the Kubernetes API uses its own ServiceAccount and a projected volume with a serviceAccountToken source whose expirationSeconds is at most maxTokenExpirationSeconds (the platform does this for services with rbac rules), or lives in an exempt operator namespace.",
    defaults: { ...base, maxTokenExpirationSeconds: 3600 },
    schema: {
        maxTokenExpirationSeconds: { type: "integer", minimum: 600, default: 3600, description: "Longest lifetime (seconds) a projected serviceAccountToken may request." },
    },
    appliesTo: (kind, type) => kind === "ServiceAccount" || kind === "ServiceAccountPatch" || isPodBearing(type, true),
    validate: (ctx, report) => {
        if (ctx.kind === "ServiceAccount" || ctx.kind === "ServiceAccountPatch") {
            const v = ctx.props["automountServiceAccountToken"];
            if (isUnknown(v) || (ctx.partial && !isSet(v))) return;
            if (v !== false) report(`ServiceAccount automountServiceAccountToken is ${v === true ? "true" : "not set (defaults to true)"}; set it to false`);
            return;
        }
        const e = extractPod(ctx.type, ctx.props);
        if (e.status !== "pod") return ctx.args.notApplicable(e.status === "unknown" ? e.reason : "not a pod");
        const v = e.pod.spec["automountServiceAccountToken"];
        const sa = e.pod.spec["serviceAccountName"] ?? e.pod.spec["serviceAccount"];
        if (isUnknown(v) || isUnknown(sa)) return;
        if (v === true) report("pod spec.automountServiceAccountToken is true; set it to false or mount a projected token only where the API is used");
        else if (v === undefined && (sa === undefined || sa === "default") && !e.pod.partial) report("pod uses the default ServiceAccount without automountServiceAccountToken: false; set it to false");
        // The explicit alternative to automount: accepted for the workload's own ServiceAccount and a short lifetime.
        const max = ctx.config.maxTokenExpirationSeconds;
        for (const t of projectedTokens(e.pod.spec)) {
            if ((sa === undefined || sa === "default") && !e.pod.partial) report(`volume "${t.volume}" projects a token of the default ServiceAccount; give the workload its own ServiceAccount (and Role) instead`);
            if (isUnknown(t.expirationSeconds)) continue;
            const secs = t.expirationSeconds === undefined ? 3600 : num(t.expirationSeconds);
            if (secs === undefined || secs > max) report(`volume "${t.volume}" requests a token valid for ${secs ?? String(t.expirationSeconds)} s; set serviceAccountToken.expirationSeconds to at most ${max}`);
        }
    },
});

export const podSecurityPolicies: PlatformResourcePolicy[] = [
    runAsNonRoot,
    runAsUserNotRoot,
    expectedUserIds,
    noPrivilegeEscalation,
    noPrivileged,
    dropAllCapabilities,
    restrictAddedCapabilities,
    readOnlyRootFilesystem,
    seccompProfile,
    noHostNamespaces,
    noHostPath,
    noHostPorts,
    restrictedVolumeTypes,
    noUnsafePodOptions,
    automountServiceAccountToken,
];
