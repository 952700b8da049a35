// Pod security: Pod Security Standards "restricted" plus hardening beyond it, for every pod-bearing
// kind and every container list (containers, initContainers, ephemeralContainers).
import { PodView, ContainerView, extractPod, isPodBearing } from "../lib/k8s";
import { DEFAULT_EXEMPT_NAMESPACES, ExemptConfig, PlatformResourcePolicy, podPolicy, resourcePolicy } from "../lib/policy";
import { PlainObject, arr, bool, editableChild, get, isUnknown, num, rec, str, stringMap, cloneForRemediation } from "../lib/values";

const base: ExemptConfig = { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES] };
const PSS = ["pod-security", "pss-restricted"];

function podSc(pod: PodView): PlainObject | undefined {
    return rec(pod.spec["securityContext"]);
}

function sc(c: ContainerView): PlainObject | undefined {
    return rec(c.spec["securityContext"]);
}

/** A field settable at pod and container level: the container's value wins when present. */
function effective(pod: PodView, c: ContainerView, field: string): unknown {
    const own = get(c.spec, "securityContext", field);
    if (own !== undefined && own !== null) return own;
    return get(pod.spec, "securityContext", field);
}

/** Applies `edit` to the pod spec and container objects of a raw (remediation) copy; undefined if nothing changed. */
function remediatePod(raw: PlainObject, type: string, edit: (spec: PlainObject, containers: PlainObject[]) => boolean): PlainObject | undefined {
    const copy = cloneForRemediation(raw);
    const e = extractPod(type, copy);
    if (e.status !== "pod" || Object.getPrototypeOf(e.pod.spec) !== Object.prototype) return undefined;
    // extractPod returns views into `copy`, so edits land in the copy.
    const containers = e.pod.containers.map((c) => c.spec).filter((c) => Object.getPrototypeOf(c) === Object.prototype);
    return edit(e.pod.spec, containers) ? copy : undefined;
}

export const runAsNonRoot = podPolicy({
    name: "run-as-non-root",
    description: "Containers must run as a non-root user (securityContext.runAsNonRoot: true on the pod or on every container).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    remediationSteps: "Set spec.securityContext.runAsNonRoot: true on the pod (or on each container, including init and ephemeral containers), and build the image with a numeric non-root USER. A container-level runAsNonRoot: false overrides the pod and is reported.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers) {
            const v = effective(pod, c, "runAsNonRoot");
            if (isUnknown(v)) continue;
            if (v !== true) report(`${c.label}: runAsNonRoot is ${v === false ? "false" : "not set"} (set securityContext.runAsNonRoot: true on the pod or the container)`);
        }
    },
});

export const runAsUserNotRoot = podPolicy({
    name: "run-as-user-not-root",
    description: "No pod or container may set runAsUser: 0 (root), even together with runAsNonRoot: true.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    remediationSteps: "Remove runAsUser: 0 or set a non-zero UID (for example 65532) at pod and container level. runAsNonRoot: true does not help: the kubelet refuses to start a container whose UID is 0.",
    defaults: base,
    validate: ({ pod }, report) => {
        if (num(get(pod.spec, "securityContext", "runAsUser")) === 0) {
            const nonRoot = get(pod.spec, "securityContext", "runAsNonRoot") === true ? " together with runAsNonRoot: true (the kubelet will refuse to start it)" : "";
            report(`pod securityContext.runAsUser is 0 (root)${nonRoot}`);
        }
        for (const c of pod.containers) {
            if (num(get(c.spec, "securityContext", "runAsUser")) !== 0) continue;
            const nonRoot = effective(pod, c, "runAsNonRoot") === true ? " together with runAsNonRoot: true (the kubelet will refuse to start it)" : "";
            report(`${c.label}: runAsUser is 0 (root)${nonRoot}`);
        }
    },
});

/** Capabilities that make allowPrivilegeEscalation: false invalid (the API server rejects the combination). */
function addsSysAdmin(c: PlainObject): boolean {
    return arr(get(c, "securityContext", "capabilities", "add")).some((x) => /^(CAP_)?SYS_ADMIN$/i.test(str(x) ?? ""));
}

export const noPrivilegeEscalation = podPolicy({
    name: "no-privilege-escalation",
    description: "Every container must set securityContext.allowPrivilegeEscalation: false.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    remediationSteps: "Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container. At `remediate` level the pack adds it where it is unset (never where it is explicitly true, and never to privileged or CAP_SYS_ADMIN containers, which the API server would reject).",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers) {
            const v = get(c.spec, "securityContext", "allowPrivilegeEscalation");
            if (isUnknown(v)) continue;
            if (v !== false) report(`${c.label}: allowPrivilegeEscalation is ${v === true ? "true" : "not set (defaults to true)"}`);
        }
    },
    remediate: (raw, ctx) =>
        remediatePod(raw, ctx.type, (_spec, containers) => {
            let changed = false;
            for (const c of containers) {
                const scx = editableChild(c, "securityContext");
                if (!scx || scx["allowPrivilegeEscalation"] !== undefined || scx["privileged"] === true || addsSysAdmin(c)) continue;
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
    remediationSteps: "Remove securityContext.privileged: true; grant the single capability the process needs instead (only NET_BIND_SERVICE is allowed by default).",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers) if (get(c.spec, "securityContext", "privileged") === true) report(`${c.label}: privileged is true`);
    },
});

function capList(container: PlainObject, which: "add" | "drop"): string[] {
    return arr(get(container, "securityContext", "capabilities", which)).map((x) => str(x)).filter((x): x is string => x !== undefined);
}

export const dropAllCapabilities = podPolicy({
    name: "drop-all-capabilities",
    description: "Every container must drop ALL Linux capabilities (securityContext.capabilities.drop contains ALL).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    remediationSteps: "Add capabilities: { drop: [\"ALL\"] } to every container's securityContext and add back only what is needed (NET_BIND_SERVICE). At `remediate` level the pack appends ALL to the drop list; existing add entries are kept and still checked by restrict-added-capabilities.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers) {
            const drop = get(c.spec, "securityContext", "capabilities", "drop");
            if (isUnknown(drop) || arr(drop).some(isUnknown)) continue;
            if (!capList(c.spec, "drop").some((x) => x.toUpperCase() === "ALL")) report(`${c.label}: capabilities.drop does not contain ALL`);
        }
    },
    remediate: (raw, ctx) =>
        remediatePod(raw, ctx.type, (_spec, containers) => {
            let changed = false;
            for (const c of containers) {
                const scx = editableChild(c, "securityContext");
                const caps = scx && editableChild(scx, "capabilities");
                if (!caps) continue;
                const drop = caps["drop"];
                if (drop === undefined || drop === null) caps["drop"] = ["ALL"];
                else if (Array.isArray(drop) && !drop.some(isUnknown)) {
                    if (drop.some((x) => typeof x === "string" && x.toUpperCase() === "ALL")) continue;
                    caps["drop"] = [...drop, "ALL"];
                } else continue;
                changed = true;
            }
            return changed;
        }),
});

interface CapConfig extends ExemptConfig {
    allowedCapabilities: string[];
}

export const restrictAddedCapabilities = podPolicy<CapConfig>({
    name: "restrict-added-capabilities",
    description: "Containers may add back only allowed capabilities (default: NET_BIND_SERVICE).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    remediationSteps: "Remove the extra entries from securityContext.capabilities.add. If a workload truly needs another capability, add it to this policy's allowedCapabilities for that stack and document why.",
    defaults: { ...base, allowedCapabilities: ["NET_BIND_SERVICE"] },
    schema: {
        allowedCapabilities: { type: "array", items: { type: "string" }, default: ["NET_BIND_SERVICE"], description: "Capabilities containers may add (without the CAP_ prefix)." },
    },
    validate: ({ pod, config }, report) => {
        const allowed = new Set(config.allowedCapabilities.map((x) => x.toUpperCase().replace(/^CAP_/, "")));
        for (const c of pod.containers) {
            const bad = capList(c.spec, "add").filter((x) => !allowed.has(x.toUpperCase().replace(/^CAP_/, "")));
            if (bad.length) report(`${c.label}: adds capabilities not allowed: ${bad.join(", ")} (allowed: ${[...allowed].join(", ") || "none"})`);
        }
    },
});

export const readOnlyRootFilesystem = podPolicy({
    name: "read-only-root-filesystem",
    description: "Containers and init containers must mount their root filesystem read-only.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["pod-security"],
    remediationSteps: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir at the paths the process writes to (for example /tmp). Ephemeral debug containers are not checked.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers) {
            if (c.kind === "ephemeralContainer") continue;
            const v = get(c.spec, "securityContext", "readOnlyRootFilesystem");
            if (isUnknown(v)) continue;
            if (v !== true) report(`${c.label}: readOnlyRootFilesystem is ${v === false ? "false" : "not set"}`);
        }
    },
});

const SECCOMP_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_SECCOMP_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

export const seccompProfile = podPolicy({
    name: "seccomp-profile",
    description: "Pods must use the RuntimeDefault or a Localhost seccomp profile; Unconfined is never allowed.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    remediationSteps: "Set spec.securityContext.seccompProfile: { type: RuntimeDefault } on the pod (or on every container). At `remediate` level the pack adds it at pod level when the pod sets none; explicit Unconfined profiles are never changed and stay violations.",
    defaults: base,
    validate: ({ pod }, report) => {
        const podType = get(pod.spec, "securityContext", "seccompProfile", "type");
        if (podType === "Unconfined") report("pod securityContext.seccompProfile.type is Unconfined");
        const annotations = stringMap(get(pod.template, "metadata", "annotations")) ?? {};
        for (const [k, v] of Object.entries(annotations)) {
            if ((k === SECCOMP_ANNOTATION || k.startsWith(CONTAINER_SECCOMP_PREFIX)) && v === "unconfined") report(`annotation ${k} is unconfined`);
        }
        for (const c of pod.containers) {
            const t = effective(pod, c, "seccompProfile");
            const type = get(t, "type");
            if (isUnknown(t) || isUnknown(type)) continue;
            if (type === "RuntimeDefault" || type === "Localhost") continue;
            if (type === "Unconfined" && podType === "Unconfined" && get(c.spec, "securityContext", "seccompProfile") === undefined) continue; // reported once at pod level
            report(`${c.label}: seccompProfile is ${type === undefined ? "not set" : String(type)} (use RuntimeDefault or Localhost)`);
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
    remediationSteps: "Remove hostNetwork, hostPID and hostIPC (or set them to false). Expose ports through a Service instead of the host network.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const f of ["hostNetwork", "hostPID", "hostIPC"]) if (pod.spec[f] === true) report(`${f} is true`);
    },
});

export const noHostPath = podPolicy({
    name: "no-host-path",
    description: "Pods must not mount hostPath volumes.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: PSS,
    remediationSteps: "Replace hostPath volumes with emptyDir, a PersistentVolumeClaim, or a projected ConfigMap/Secret.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const v of arr(pod.spec["volumes"])) {
            const hp = get(v, "hostPath");
            if (hp !== undefined && hp !== null) report(`volume "${str(get(v, "name")) ?? "?"}" is a hostPath (${str(get(hp, "path")) ?? "unknown path"})`);
        }
    },
});

export const noHostPorts = podPolicy({
    name: "no-host-ports",
    description: "Containers must not bind host ports.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    remediationSteps: "Remove ports[].hostPort; publish the port with a Service (ClusterIP) and route external traffic through the edge (Ingress or Gateway).",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers) {
            for (const p of arr(c.spec["ports"])) {
                const hp = num(get(p, "hostPort"));
                if (hp !== undefined && hp !== 0) report(`${c.label}: hostPort ${hp}`);
            }
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
    remediationSteps: "Use configMap, secret, projected, downwardAPI, emptyDir, ephemeral, csi or persistentVolumeClaim volumes. Network and host volume types (nfs, iscsi, hostPath, ...) belong behind a PersistentVolume.",
    defaults: { ...base, allowedVolumeTypes: PSS_RESTRICTED_VOLUMES },
    schema: { allowedVolumeTypes: { type: "array", items: { type: "string" }, default: PSS_RESTRICTED_VOLUMES, description: "Volume source fields pods may use." } },
    validate: ({ pod, config }, report) => {
        for (const v of arr(pod.spec["volumes"])) {
            const vol = rec(v);
            if (!vol) continue;
            const kinds = Object.keys(vol).filter((k) => k !== "name");
            const bad = kinds.filter((k) => !config.allowedVolumeTypes.includes(k));
            if (bad.length) report(`volume "${str(vol["name"]) ?? "?"}" uses ${bad.join(", ")}`);
        }
    },
});

const SAFE_SYSCTLS = new Set([
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

export const noUnsafePodOptions = podPolicy({
    name: "no-unsafe-pod-options",
    description: "Pods must not use unmasked /proc, unsafe sysctls, Unconfined AppArmor, custom SELinux users/roles/types, or Windows host processes.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    remediationSteps: "Remove procMount: Unmasked, sysctls outside the safe set, appArmorProfile type Unconfined (and the legacy container.apparmor annotation), seLinuxOptions user/role or non-container types, and windowsOptions.hostProcess.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const s of arr(get(pod.spec, "securityContext", "sysctls"))) {
            const n = str(get(s, "name"));
            if (n && !SAFE_SYSCTLS.has(n)) report(`unsafe sysctl ${n}`);
        }
        const annotations = stringMap(get(pod.template, "metadata", "annotations")) ?? {};
        for (const [k, v] of Object.entries(annotations)) {
            if (k.startsWith("container.apparmor.security.beta.kubernetes.io/") && v === "unconfined") report(`annotation ${k} is unconfined`);
        }
        const scopes: [string, PlainObject | undefined][] = [["pod", podSc(pod)], ...pod.containers.map((c): [string, PlainObject | undefined] => [c.label, sc(c)])];
        for (const [where, s] of scopes) {
            if (!s) continue;
            const pm = str(s["procMount"]);
            if (pm && pm !== "Default") report(`${where}: procMount is ${pm}`);
            if (get(s, "appArmorProfile", "type") === "Unconfined") report(`${where}: appArmorProfile is Unconfined`);
            const se = rec(s["seLinuxOptions"]);
            if (se) {
                const t = str(se["type"]);
                if (t !== undefined && !SELINUX_TYPES.has(t)) report(`${where}: seLinuxOptions.type ${t} is not a container type`);
                if (str(se["user"])) report(`${where}: seLinuxOptions.user is set`);
                if (str(se["role"])) report(`${where}: seLinuxOptions.role is set`);
            }
            if (bool(get(s, "windowsOptions", "hostProcess")) === true) report(`${where}: windowsOptions.hostProcess is true`);
        }
    },
});

export const automountServiceAccountToken = resourcePolicy({
    name: "automount-service-account-token",
    description: "Service account tokens are not mounted unless a workload asks for one (ServiceAccounts and pods set automountServiceAccountToken: false).",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["pod-security"],
    remediationSteps: "Set automountServiceAccountToken: false on every ServiceAccount, and on pods that use the namespace's default ServiceAccount. A workload that talks to the Kubernetes API should use its own ServiceAccount with a projected token volume, or live in an exempt operator namespace.",
    defaults: base,
    appliesTo: (kind, type) => kind === "ServiceAccount" || isPodBearing(type),
    validate: (ctx, report) => {
        if (ctx.kind === "ServiceAccount") {
            const v = ctx.props["automountServiceAccountToken"];
            if (!isUnknown(v) && v !== false) report(`ServiceAccount automountServiceAccountToken is ${v === true ? "true" : "not set (defaults to true)"}`);
            return;
        }
        const e = extractPod(ctx.type, ctx.props);
        if (e.status !== "pod") return ctx.args.notApplicable(e.status === "unknown" ? e.reason : "not a pod");
        const v = e.pod.spec["automountServiceAccountToken"];
        const sa = e.pod.spec["serviceAccountName"] ?? e.pod.spec["serviceAccount"];
        if (isUnknown(v) || isUnknown(sa)) return;
        if (v === true) report("pod sets automountServiceAccountToken: true");
        else if (v === undefined && (sa === undefined || sa === "default")) report("pod uses the default ServiceAccount without automountServiceAccountToken: false");
    },
});

export const podSecurityPolicies: PlatformResourcePolicy[] = [
    runAsNonRoot,
    runAsUserNotRoot,
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
