// Pod Security Standard restricted controls, compared exactly as Pod Security admission compares them (same fields,
// same pod/container precedence, same exact strings, same Linux-only relaxations for Windows pods): non-root users,
// no privilege escalation, capabilities dropped and added back only from the allowed list, a seccomp profile, and the
// restricted volume types. Each takes `level` (default restricted): at baseline the restricted-only controls are not
// applicable, added capabilities may come from baseline's list and seccomp only refuses an explicit other profile —
// what Pod Security admission's baseline level checks of them.
import { LEVEL_SCHEMA, LevelConfig, PSS, isSet, isWindowsPod, levelDefaults, remediatePod, restrictedOnly } from "../lib/podSecurity";
import { podPolicy } from "../lib/policy";
import { PlainObject, arr, editableChild, get, isUnknown, num, rec, str, stringMap } from "../lib/values";

export const runAsNonRoot = podPolicy<LevelConfig>({
    name: "run-as-non-root",
    description: "Containers must run as a non-root user: runAsNonRoot: true on the pod or on every container, and false nowhere.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps:
        "Set spec.securityContext.runAsNonRoot: true on the pod (or on each container, including init and ephemeral containers), and build the image with a numeric non-root USER. An explicit runAsNonRoot: false is rejected at any level, even when the other level says true.",
    defaults: levelDefaults,
    schema: LEVEL_SCHEMA,
    validate: (ctx, report) => {
        restrictedOnly(ctx);
        const { pod } = ctx;
        const podValue = get(pod.spec, "securityContext", "runAsNonRoot");
        if (podValue === false) report("pod securityContext.runAsNonRoot is false; set it to true (or remove it and set true on every container)");
        for (const c of pod.containers) {
            const own = get(c.spec, "securityContext", "runAsNonRoot");
            if (isUnknown(own) || (!isSet(own) && isUnknown(podValue))) continue;
            if (own === false) report(`${c.label}: securityContext.runAsNonRoot is false; set it to true`);
            else if (!isSet(own) && podValue !== true && !pod.partial)
                report(`${c.label}: runAsNonRoot is not set on the container or the pod; set securityContext.runAsNonRoot: true on the pod`);
        }
    },
});

export const runAsUserNotRoot = podPolicy<LevelConfig>({
    name: "run-as-user-not-root",
    description: "No pod or container may set runAsUser: 0 (root), even together with runAsNonRoot: true.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps:
        "Remove runAsUser: 0 or set a non-zero UID (for example 65532) at pod and container level. runAsNonRoot: true does not help: the kubelet refuses to start a container whose UID is 0.",
    defaults: levelDefaults,
    schema: LEVEL_SCHEMA,
    validate: (ctx, report) => {
        restrictedOnly(ctx);
        const { pod } = ctx;
        if (num(get(pod.spec, "securityContext", "runAsUser")) === 0) report("pod securityContext.runAsUser is 0 (root); set a non-zero UID such as 65532");
        for (const c of pod.containers) {
            if (num(get(c.spec, "securityContext", "runAsUser")) === 0)
                report(`${c.label}: securityContext.runAsUser is 0 (root); set a non-zero UID such as 65532`);
        }
    },
});

export const noPrivilegeEscalation = podPolicy<LevelConfig>({
    name: "no-privilege-escalation",
    description: "Every container must set securityContext.allowPrivilegeEscalation: false (Windows pods excepted, as in Pod Security admission).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps:
        "Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container. At `remediate` level the pack adds it where it is unset (never where it is explicitly true, and never to privileged or CAP_SYS_ADMIN containers, which the API server would reject).",
    defaults: levelDefaults,
    schema: LEVEL_SCHEMA,
    validate: (ctx, report) => {
        restrictedOnly(ctx);
        const { pod } = ctx;
        if (isWindowsPod(pod)) return;
        for (const c of pod.containers) {
            const v = get(c.spec, "securityContext", "allowPrivilegeEscalation");
            if (isUnknown(v) || (pod.partial && !isSet(v))) continue;
            if (v !== false)
                report(`${c.label}: securityContext.allowPrivilegeEscalation is ${v === true ? "true" : "not set (defaults to true)"}; set it to false`);
        }
    },
    remediate: (raw, ctx) =>
        ctx.config.level === "baseline"
            ? undefined
            : remediatePod(raw, ctx.type, (_spec, containers) => {
                  let changed = false;
                  for (const c of containers) {
                      const scx = editableChild(c, "securityContext");
                      const adds = arr(get(c, "securityContext", "capabilities", "add"));
                      if (
                          !scx ||
                          scx["allowPrivilegeEscalation"] !== undefined ||
                          scx["privileged"] === true ||
                          adds.includes("SYS_ADMIN") ||
                          adds.includes("CAP_SYS_ADMIN")
                      )
                          continue;
                      scx["allowPrivilegeEscalation"] = false;
                      changed = true;
                  }
                  return changed;
              }),
});

function capList(container: PlainObject, which: "add" | "drop"): string[] {
    return arr(get(container, "securityContext", "capabilities", which))
        .map((x) => str(x))
        .filter((x): x is string => x !== undefined);
}

export const dropAllCapabilities = podPolicy<LevelConfig>({
    name: "drop-all-capabilities",
    description:
        'Every container must drop ALL Linux capabilities: securityContext.capabilities.drop contains exactly "ALL" (case-sensitive, as Pod Security admission compares it).',
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps:
        'Add capabilities: { drop: ["ALL"] } to every container\'s securityContext ("all" or "CAP_ALL" do not count) and add back only NET_BIND_SERVICE if the process binds a port below 1024. At `remediate` level the pack appends "ALL" to the drop list; existing add entries are kept and still checked by restrict-added-capabilities.',
    defaults: levelDefaults,
    schema: LEVEL_SCHEMA,
    validate: (ctx, report) => {
        restrictedOnly(ctx);
        const { pod } = ctx;
        if (isWindowsPod(pod)) return;
        for (const c of pod.containers) {
            const drop = get(c.spec, "securityContext", "capabilities", "drop");
            if (isUnknown(drop) || arr(drop).some(isUnknown) || (pod.partial && !isSet(drop))) continue;
            if (!capList(c.spec, "drop").includes("ALL"))
                report(`${c.label}: securityContext.capabilities.drop does not contain "ALL"; add "ALL" to the drop list`);
        }
    },
    remediate: (raw, ctx) =>
        ctx.config.level === "baseline"
            ? undefined
            : remediatePod(raw, ctx.type, (spec, containers) => {
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

/** Capabilities the baseline profile lets any pod add (also the pack's limit on Windows pods at restricted). */
export const BASELINE_CAPABILITIES = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

interface CapConfig extends LevelConfig {
    allowedCapabilities: string[];
}

export const restrictAddedCapabilities = podPolicy<CapConfig>({
    name: "restrict-added-capabilities",
    description:
        "Containers may add back only allowed capabilities, compared exactly (default: NET_BIND_SERVICE, the only one the restricted profile admits; with level: baseline, also baseline's list).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps:
        "Remove the extra entries from securityContext.capabilities.add; spell capabilities exactly as Pod Security admission does (NET_BIND_SERVICE, not net_bind_service or CAP_NET_BIND_SERVICE). Anything beyond NET_BIND_SERVICE is rejected by a restricted namespace; listing it in allowedCapabilities only makes sense for namespaces that enforce a weaker level.",
    defaults: { ...levelDefaults, allowedCapabilities: ["NET_BIND_SERVICE"] },
    schema: {
        ...LEVEL_SCHEMA,
        allowedCapabilities: {
            type: "array",
            items: { type: "string" },
            default: ["NET_BIND_SERVICE"],
            description: "Capabilities containers may add, compared exactly.",
        },
    },
    validate: ({ pod, config }, report) => {
        const allowed =
            config.level === "baseline"
                ? [...new Set([...BASELINE_CAPABILITIES, ...config.allowedCapabilities])]
                : isWindowsPod(pod)
                  ? BASELINE_CAPABILITIES
                  : config.allowedCapabilities;
        for (const c of pod.containers) {
            const bad = capList(c.spec, "add").filter((x) => !allowed.includes(x));
            if (bad.length)
                report(
                    `${c.label}: securityContext.capabilities.add has ${bad.map((b) => JSON.stringify(b)).join(", ")}, not allowed (allowed: ${allowed.join(", ") || "none"}); remove them`,
                );
        }
    },
});

const SECCOMP_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_SECCOMP_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";
const VALID_SECCOMP = ["RuntimeDefault", "Localhost"];

export const seccompProfile = podPolicy<LevelConfig>({
    name: "seccomp-profile",
    description:
        "seccompProfile.type is RuntimeDefault or Localhost: set on the pod or on every container, and never anything else at either level (Windows pods excepted, as in Pod Security admission; with level: baseline, only explicit other values are refused).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps:
        "Set spec.securityContext.seccompProfile: { type: RuntimeDefault } on the pod (or on every container). A container-level Unconfined is rejected even when the pod sets RuntimeDefault. At `remediate` level the pack adds RuntimeDefault at pod level when the pod sets none; explicit Unconfined profiles are never changed and stay violations.",
    defaults: levelDefaults,
    schema: LEVEL_SCHEMA,
    validate: ({ pod, config }, report) => {
        const annotations = stringMap(get(pod.template, "metadata", "annotations")) ?? {};
        for (const [k, v] of Object.entries(annotations)) {
            if ((k === SECCOMP_ANNOTATION || k.startsWith(CONTAINER_SECCOMP_PREFIX)) && v === "unconfined")
                report(`pod annotation ${k} is unconfined; remove it and set seccompProfile.type: RuntimeDefault`);
        }
        // Baseline refuses only explicit other profiles, Windows pods included; restricted also requires one, but not on Windows.
        const baseline = config.level === "baseline";
        if (!baseline && isWindowsPod(pod)) return;
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
                if (!(typeof type === "string" && VALID_SECCOMP.includes(type)))
                    report(`${c.label}: securityContext.seccompProfile.type is ${String(type)}; use RuntimeDefault or Localhost`);
            } else if (!baseline && !podValid && !isSet(podProfile) && !pod.partial) {
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

interface VolumeConfig extends LevelConfig {
    allowedVolumeTypes: string[];
}
/** The volume sources Pod Security admission's restrictedVolumes check allows (Kubernetes 1.34: image since 1.31). */
const PSS_RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"];

export const restrictedVolumeTypes = podPolicy<VolumeConfig>({
    name: "restricted-volume-types",
    description: "Pods may only use the volume types allowed by the restricted Pod Security Standard.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: PSS,
    patches: true,
    remediationSteps:
        "Use configMap, secret, projected, downwardAPI, emptyDir, ephemeral, csi, image or persistentVolumeClaim volumes. Network and host volume types (nfs, iscsi, hostPath, ...) belong behind a PersistentVolume. A volume needs a source: one with only a name is refused, as Pod Security admission refuses it.",
    defaults: { ...levelDefaults, allowedVolumeTypes: PSS_RESTRICTED_VOLUMES },
    schema: {
        ...LEVEL_SCHEMA,
        allowedVolumeTypes: { type: "array", items: { type: "string" }, default: PSS_RESTRICTED_VOLUMES, description: "Volume source fields pods may use." },
    },
    validate: (ctx, report) => {
        restrictedOnly(ctx);
        const { pod, config } = ctx;
        for (const v of arr(pod.spec["volumes"])) {
            const vol = rec(v);
            if (!vol) continue;
            const kinds = Object.keys(vol).filter((k) => k !== "name" && isSet(vol[k]));
            // No source at all is no allowed type either (PSA's "unknown"); a Patch may name a volume it leaves alone.
            if (kinds.length === 0 && !pod.partial)
                report(
                    `volume "${str(vol["name"]) ?? "?"}" has no volume source; give it one of the allowed types (emptyDir, configMap, secret, projected, persistentVolumeClaim …) or remove it`,
                );
            const bad = kinds.filter((k) => !config.allowedVolumeTypes.includes(k));
            if (bad.length)
                report(
                    `volume "${str(vol["name"]) ?? "?"}" uses ${bad.join(", ")}, not allowed by the restricted profile; use a PersistentVolumeClaim, emptyDir, configMap, secret or projected volume`,
                );
        }
    },
});
