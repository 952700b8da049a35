// Pod Security Standard baseline controls, compared exactly as Pod Security admission compares them: no privileged
// containers, no host namespaces, hostPath volumes or host ports, and no unsafe pod options (sysctls, AppArmor, SELinux,
// /proc mount, Windows host processes, probe and lifecycle hosts). The restricted level includes all of them.
import { PSS, base, isSet } from "../lib/podSecurity";
import { podPolicy } from "../lib/policy";
import { PlainObject, arr, bool, get, isUnknown, num, rec, str, stringMap } from "../lib/values";

export const noPrivileged = podPolicy({
    name: "no-privileged-containers",
    description: "No container may run privileged.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps:
        "Remove securityContext.privileged: true; grant the single capability the process needs instead (only NET_BIND_SERVICE is allowed by default).",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers)
            if (get(c.spec, "securityContext", "privileged") === true)
                report(`${c.label}: securityContext.privileged is true; remove it and add only the capability the process needs`);
    },
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
            if (isSet(hp))
                report(`volume "${str(get(v, "name")) ?? "?"}" is a hostPath; replace it with emptyDir, a PersistentVolumeClaim or a projected volume`);
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

/** Pod Security admission's safe sysctls at Kubernetes 1.34 (the 1.0 set, + 1.27, + 1.29, + 1.32); any other name is refused, "" included. */
const SAFE_SYSCTLS = new Set([
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/**
 * The handlers Pod Security admission's baseline check hostProbesAndHostLifecycle (Kubernetes ≥ 1.34) reads a `host`
 * from: the three probes and both lifecycle hooks, each with httpGet or tcpSocket (a tcpSocket hook is deprecated
 * but still checked). Only "" or unset is allowed — localhost and 127.0.0.1 too are refused.
 */
const HOST_HANDLERS: [label: string, path: string[]][] = [
    ["livenessProbe", ["livenessProbe"]],
    ["readinessProbe", ["readinessProbe"]],
    ["startupProbe", ["startupProbe"]],
    ["lifecycle.postStart", ["lifecycle", "postStart"]],
    ["lifecycle.preStop", ["lifecycle", "preStop"]],
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
    description:
        "Pods must not use unmasked /proc, unsafe sysctls, AppArmor other than RuntimeDefault/Localhost, custom SELinux users/roles/types, Windows host processes, or a host in probes and lifecycle hooks (httpGet/tcpSocket host: baseline since Kubernetes 1.34).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps:
        "Remove procMount: Unmasked, sysctls outside the safe set, appArmorProfile types other than RuntimeDefault/Localhost (and legacy container.apparmor annotations other than runtime/default or localhost/…), seLinuxOptions user/role or non-container types, and windowsOptions.hostProcess. Remove httpGet.host and tcpSocket.host from liveness/readiness/startup probes and postStart/preStop hooks of every container (init and ephemeral too): the kubelet then connects to the pod's own IP, so the process must listen there; a check that only works on localhost becomes an exec probe. Any non-empty host is refused, localhost and 127.0.0.1 included (Pod Security baseline, Kubernetes 1.34+).",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const s of arr(get(pod.spec, "securityContext", "sysctls"))) {
            const n = str(get(s, "name"));
            if (n !== undefined && !SAFE_SYSCTLS.has(n))
                report(`pod securityContext.sysctls has unsafe sysctl ${n || '"" (no name)'}; remove it (safe: ${[...SAFE_SYSCTLS].join(", ")})`);
        }
        const annotations = stringMap(get(pod.template, "metadata", "annotations")) ?? {};
        for (const [k, v] of Object.entries(annotations)) {
            // As PSA: empty, runtime/default or localhost/… (an empty value asks for nothing).
            if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && v !== "" && v !== "runtime/default" && !v.startsWith("localhost/"))
                report(`pod annotation ${k} is ${v}; use runtime/default or localhost/<profile>, or remove it`);
        }
        const scopes: [string, PlainObject | undefined][] = [
            ["pod", rec(pod.spec["securityContext"])],
            ...pod.containers.map((c): [string, PlainObject | undefined] => [c.label, rec(c.spec["securityContext"])]),
        ];
        for (const [where, s] of scopes) {
            if (!s) continue;
            // procMount is a container field (PSA reads it there only); any value but Default is refused, "" included.
            const pm = where === "pod" ? undefined : str(s["procMount"]);
            if (pm !== undefined && pm !== "Default") report(`${where}: securityContext.procMount is ${pm || '""'}; remove it (Default)`);
            // A profile that is set needs an allowed type: one without a type is refused too, as PSA refuses it
            // (a Patch that leaves the type alone is not judged on it).
            const aaProfile = s["appArmorProfile"];
            const aa = get(aaProfile, "type");
            if (isSet(aaProfile) && !isUnknown(aaProfile) && !isUnknown(aa) && !(pod.partial && !isSet(aa)) && aa !== "RuntimeDefault" && aa !== "Localhost") {
                report(`${where}: securityContext.appArmorProfile.type is ${isSet(aa) && aa !== "" ? String(aa) : "not set"}; use RuntimeDefault or Localhost`);
            }
            const se = rec(s["seLinuxOptions"]);
            if (se) {
                const t = str(se["type"]);
                if (t !== undefined && !SELINUX_TYPES.has(t))
                    report(`${where}: securityContext.seLinuxOptions.type ${t} is not a container type; use container_t or remove it`);
                if (str(se["user"])) report(`${where}: securityContext.seLinuxOptions.user is set; remove it`);
                if (str(se["role"])) report(`${where}: securityContext.seLinuxOptions.role is set; remove it`);
            }
            if (bool(get(s, "windowsOptions", "hostProcess")) === true) report(`${where}: securityContext.windowsOptions.hostProcess is true; remove it`);
        }
        for (const c of pod.containers) {
            for (const [field, host] of handlerHosts(c.spec)) {
                report(
                    `${c.label}: ${field} is ${JSON.stringify(host)}; remove it so the kubelet connects to the pod's IP (listen there, or use an exec probe for a localhost-only check): Pod Security baseline refuses any probe or lifecycle host since Kubernetes 1.34, localhost included`,
                );
            }
        }
    },
});
