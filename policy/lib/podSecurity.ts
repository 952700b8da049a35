// Helpers shared by the Pod Security policies (policy/policies/podSecurity*.ts and podHardening.ts).
import { PodView, extractPod } from "./k8s";
import { DEFAULT_EXEMPT_NAMESPACES, ExemptConfig, PolicyConfigJSONSchema } from "./policy";
import { PlainObject, cloneForRemediation, get, str } from "./values";

export const base: ExemptConfig = { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES] };
/** Tags of the policies that implement Pod Security Standard controls. */
export const PSS = ["pod-security", "pss-restricted"];

/** A value that is present (not absent, not null). */
export function isSet(v: unknown): boolean {
    return v !== undefined && v !== null;
}

/** Pod Security admission relaxes the Linux-only controls (seccomp, privilege escalation, capabilities) for Windows pods. */
export function isWindowsPod(pod: PodView): boolean {
    return str(get(pod.spec, "os", "name")) === "windows";
}

/** Applies `edit` to the pod spec and container objects of a raw (remediation) copy; undefined if nothing changed. */
export function remediatePod(raw: PlainObject, type: string, edit: (spec: PlainObject, containers: PlainObject[]) => boolean): PlainObject | undefined {
    const copy = cloneForRemediation(raw);
    const e = extractPod(type, copy);
    if (e.status !== "pod" || e.pod.partial || Object.getPrototypeOf(e.pod.spec) !== Object.prototype) return undefined;
    // extractPod returns views into `copy`, so edits land in the copy.
    const containers = e.pod.containers.map((c) => c.spec).filter((c) => Object.getPrototypeOf(c) === Object.prototype);
    return edit(e.pod.spec, containers) ? copy : undefined;
}

/** A Pod Security Standard level, as in a namespace's pod-security.kubernetes.io/enforce label. */
export type PssLevel = "baseline" | "restricted";

/** Config of the policies whose verdict depends on the level (the restricted controls). */
export interface LevelConfig extends ExemptConfig {
    level: PssLevel;
}

export const levelDefaults: LevelConfig = { ...base, level: "restricted" };

export const LEVEL_SCHEMA: Record<string, PolicyConfigJSONSchema> = {
    level: {
        type: "string",
        enum: ["restricted", "baseline"],
        default: "restricted",
        description:
            "Pod Security Standard level to enforce, as the namespace's pod-security.kubernetes.io/enforce label: restricted, or baseline (restricted-only controls then do not apply).",
    },
};

/** Restricted-only controls are not applicable to a stack that configured them for level baseline. */
export function restrictedOnly(ctx: { config: LevelConfig; args: { notApplicable: (reason?: string) => never } }): void {
    if (ctx.config.level === "baseline") ctx.args.notApplicable("a restricted-level control; this stack configures the baseline level");
}
