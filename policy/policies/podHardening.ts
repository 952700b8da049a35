// Pod hardening beyond the Pod Security Standards: read-only root filesystems, no automounted service-account
// tokens (a short-lived projected token of the workload's own ServiceAccount instead), and the stack's expected ids.
import { extractPod, isPodBearing } from "../lib/k8s";
import { base, isSet } from "../lib/podSecurity";
import { ExemptConfig, podPolicy, resourcePolicy } from "../lib/policy";
import { PlainObject, arr, get, isUnknown, num, rec, str } from "../lib/values";

interface UserIdConfig extends ExemptConfig {
    allowedUserIds: number[];
    allowedGroupIds: number[];
}

export const expectedUserIds = podPolicy<UserIdConfig>({
    name: "expected-user-ids",
    description:
        "Pods and containers run with the UIDs/GIDs the stack expects (runAsUser, runAsGroup, fsGroup); a non-default id is reported so it is a deliberate, reviewed choice. No-op while the lists are empty.",
    severity: "low",
    enforcementLevel: "advisory",
    tags: ["hardening"],
    patches: true,
    remediationSteps:
        "Use the platform's default UID/GID, or add the id the image needs to allowedUserIds/allowedGroupIds in the stack's policy config with the reason in its rationale.",
    defaults: { ...base, allowedUserIds: [], allowedGroupIds: [] },
    schema: {
        allowedUserIds: { type: "array", items: { type: "integer" }, default: [], description: "UIDs pods may set in runAsUser; empty: any non-root UID." },
        allowedGroupIds: { type: "array", items: { type: "integer" }, default: [], description: "GIDs pods may set in runAsGroup and fsGroup; empty: any." },
    },
    validate: ({ pod, config }, report) => {
        const scopes: [string, unknown][] = [
            ["pod", pod.spec["securityContext"]],
            ...pod.containers.map((c): [string, unknown] => [c.label, c.spec["securityContext"]]),
        ];
        for (const [where, sc] of scopes) {
            const checks: [string, number[]][] = [
                ["runAsUser", config.allowedUserIds],
                ["runAsGroup", config.allowedGroupIds],
                ["fsGroup", config.allowedGroupIds],
            ];
            for (const [field, allowed] of checks) {
                const id = num(get(sc, field));
                if (id === undefined || allowed.length === 0 || allowed.includes(id) || (field === "runAsUser" && id === 0)) continue;
                report(
                    `${where}: securityContext.${field} is ${id}, not one of the expected ids (${allowed.join(", ")}); use an expected id or add it to this policy's allowed list for the stack`,
                );
            }
        }
    },
});

export const readOnlyRootFilesystem = podPolicy({
    name: "read-only-root-filesystem",
    description:
        "Containers and init containers mount their root filesystem read-only; a workload that explicitly needs a writable one is reported at this policy's configured level.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["pod-security"],
    patches: true,
    remediationSteps:
        "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir (with a sizeLimit) at the paths the process writes to (for example /tmp). Ephemeral debug containers are not checked.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const c of pod.containers) {
            if (c.kind === "ephemeralContainer") continue;
            const v = get(c.spec, "securityContext", "readOnlyRootFilesystem");
            if (isUnknown(v) || (pod.partial && !isSet(v))) continue;
            if (v !== true)
                report(
                    `${c.label}: securityContext.readOnlyRootFilesystem is ${v === false ? "false (writable root filesystem)" : "not set"}; set it to true and mount an emptyDir where the process writes`,
                );
        }
    },
});

interface TokenConfig extends ExemptConfig {
    maxTokenExpirationSeconds: number;
}

/** Projected serviceAccountToken sources of a pod: volume name and requested lifetime (undefined: 1 h default). */
function projectedTokens(spec: PlainObject): { volume: string; expirationSeconds: unknown }[] {
    return arr(spec["volumes"]).flatMap((v) =>
        arr(get(v, "projected", "sources"))
            .filter((src) => rec(get(src, "serviceAccountToken")) !== undefined)
            .map((src) => ({ volume: str(get(v, "name")) ?? "?", expirationSeconds: get(src, "serviceAccountToken", "expirationSeconds") })),
    );
}

export const automountServiceAccountToken = resourcePolicy<TokenConfig>({
    name: "automount-service-account-token",
    description:
        "Service account tokens are never automounted (ServiceAccounts and pods set automountServiceAccountToken: false); a workload that uses the API mounts an explicit projected token of its own ServiceAccount with a short lifetime.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["pod-security"],
    remediationSteps:
        "Set automountServiceAccountToken: false on every ServiceAccount, and on pods that use the namespace's default ServiceAccount. A workload that talks to the Kubernetes API uses its own ServiceAccount and a projected volume with a serviceAccountToken source whose expirationSeconds is at most maxTokenExpirationSeconds (the platform does this for services with rbac rules), or lives in an exempt operator namespace.",
    defaults: { ...base, maxTokenExpirationSeconds: 3600 },
    schema: {
        maxTokenExpirationSeconds: {
            type: "integer",
            minimum: 600,
            default: 3600,
            description: "Longest lifetime (seconds) a projected serviceAccountToken may request.",
        },
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
        else if (v === undefined && (sa === undefined || sa === "default") && !e.pod.partial)
            report("pod uses the default ServiceAccount without automountServiceAccountToken: false; set it to false");
        // The explicit alternative to automount: accepted for the workload's own ServiceAccount and a short lifetime.
        const max = ctx.config.maxTokenExpirationSeconds;
        for (const t of projectedTokens(e.pod.spec)) {
            if ((sa === undefined || sa === "default") && !e.pod.partial)
                report(`volume "${t.volume}" projects a token of the default ServiceAccount; give the workload its own ServiceAccount (and Role) instead`);
            if (isUnknown(t.expirationSeconds)) continue;
            const secs = t.expirationSeconds === undefined ? 3600 : num(t.expirationSeconds);
            if (secs === undefined || secs > max)
                report(
                    `volume "${t.volume}" requests a token valid for ${secs ?? String(t.expirationSeconds)} s; set serviceAccountToken.expirationSeconds to at most ${max}`,
                );
        }
    },
});
