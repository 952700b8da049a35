// Small builders so every policy gets the same plumbing: type filtering, exempt namespaces,
// config defaults, normalized (proxy-free, unknown-aware) props, and consistent metadata.
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { PodView, baseKind, effectiveNamespace, extractPod, isPatchKind, isPodBearing, kindOf, parseK8sType } from "./k8s";
import { PlainObject, get, plainProps, str, unproxy } from "./values";

export type {
    EnforcementLevel,
    PolicyConfigJSONSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
};

/** Metadata every policy of the pack carries (the SDK makes these optional; we do not). */
export interface PolicyMeta {
    name: string;
    description: string;
    severity: Severity;
    remediationSteps: string;
    /** Level used when no --policy-pack-config overrides it (the strictest intended level). */
    enforcementLevel: EnforcementLevel;
    tags?: string[];
}

export type PlatformResourcePolicy = ResourceValidationPolicy & PolicyMeta;
export type PlatformStackPolicy = StackValidationPolicy & PolicyMeta;
export type PlatformPolicy = PlatformResourcePolicy | PlatformStackPolicy;

/** Namespaces no policy inspects unless a stack config says otherwise (cluster system namespaces). */
export const DEFAULT_EXEMPT_NAMESPACES: readonly string[] = ["kube-system", "kube-public", "kube-node-lease"];

export interface ExemptConfig {
    exemptNamespaces: string[];
}

type SchemaProps = Record<string, PolicyConfigJSONSchema>;

/** Config properties every policy accepts. */
export function baseSchema(): SchemaProps {
    return {
        exemptNamespaces: {
            type: "array",
            items: { type: "string" },
            default: [...DEFAULT_EXEMPT_NAMESPACES],
            description: "Namespaces whose resources this policy skips (system and third-party operator namespaces).",
        },
        rationale: {
            type: "string",
            description: "Why this enforcement level was chosen for this stack; documentation only.",
        },
    };
}

/** Merges config from the CLI (already defaulted by the engine) over our in-code defaults, dropping doc-only keys. */
export function resolveConfig<C extends object>(raw: object, defaults: C): C {
    const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
    for (const [k, v] of Object.entries(raw)) {
        if (k === "enforcementLevel" || k === "rationale" || v === undefined || v === null) continue;
        out[k] = v;
    }
    return out as C;
}

export function schemaOf(props: SchemaProps): PolicyConfigSchema {
    return { properties: { ...baseSchema(), ...props } };
}

/** What a resource validation sees after the common plumbing ran. */
export interface ResourceContext<C> {
    args: ResourceValidationArgs;
    type: string;
    kind: string;
    /** Normalized plain props: no proxies, no secret wrappers, unknowns as the UNKNOWN sentinel. */
    props: PlainObject;
    /** Effective namespace (own, else provider default, else "default"); undefined when unknown. */
    namespace?: string;
    /** True for Patch kinds (DeploymentPatch …): only the fields they set can be judged. */
    partial: boolean;
    config: C;
}

export interface ResourcePolicySpec<C extends ExemptConfig> extends PolicyMeta {
    /** Which resources the policy looks at; everything else is reported as not applicable. */
    appliesTo: (kind: string, type: string) => boolean;
    defaults: C;
    schema?: SchemaProps;
    validate: (ctx: ResourceContext<C>, report: ReportViolation) => void;
    /** Returns remediated raw props, or undefined to leave the resource untouched. */
    remediate?: (raw: PlainObject, ctx: ResourceContext<C>) => PlainObject | undefined;
}

function contextOf<C extends ExemptConfig>(spec: ResourcePolicySpec<C>, args: ResourceValidationArgs): ResourceContext<C> {
    const kind = kindOf(args.type);
    if (!spec.appliesTo(kind, args.type)) args.notApplicable(`not a resource this policy checks (${args.type})`);
    const config = resolveConfig(args.getConfig<Partial<C>>(), spec.defaults);
    const props = plainProps(args.props);
    const namespace =
        kind === "Namespace"
            ? str(get(props, "metadata", "name"))
            : args.type.startsWith("kubernetes:helm.sh/")
              ? (str(props["namespace"]) ?? effectiveNamespace({}, args.provider?.props)) // charts take a top-level namespace
              : effectiveNamespace(props, args.provider?.props);
    if (namespace && config.exemptNamespaces.includes(namespace)) args.notApplicable(`namespace ${namespace} is exempt`);
    return { args, type: args.type, kind, props, namespace, partial: isPatchKind(kind), config };
}

/** The SDK-facing metadata of a policy, without any builder-only fields. */
function metadata(spec: PolicyMeta & { schema?: SchemaProps }): PolicyMeta & { configSchema: PolicyConfigSchema } {
    const { name, description, severity, remediationSteps, enforcementLevel, tags } = spec;
    return { name, description, severity, remediationSteps, enforcementLevel, tags, configSchema: schemaOf(spec.schema ?? {}) };
}

export function resourcePolicy<C extends ExemptConfig>(spec: ResourcePolicySpec<C>): PlatformResourcePolicy {
    const policy: PlatformResourcePolicy = {
        ...metadata(spec),
        validateResource: (args, report) => spec.validate(contextOf(spec, args), report),
    };
    if (spec.remediate) {
        const remediate = spec.remediate;
        policy.remediateResource = (args) => {
            const ctx = contextOf(spec, args);
            const raw = unproxy(args.props);
            if (typeof raw !== "object" || raw === null) return undefined;
            return remediate(raw as PlainObject, ctx);
        };
    }
    return policy;
}

/** Context for policies over pod-bearing workloads. */
export interface PodContext<C> extends ResourceContext<C> {
    pod: PodView;
}

export interface PodPolicySpec<C extends ExemptConfig> extends Omit<ResourcePolicySpec<C>, "appliesTo" | "validate"> {
    /** Restricts the pod-bearing kinds further (default: all of them). */
    kinds?: readonly string[];
    /** Also check Patch kinds (DeploymentPatch …); the policy must then honour pod.partial (absent = unchanged). */
    patches?: boolean;
    validate: (ctx: PodContext<C>, report: ReportViolation) => void;
}

export function podPolicy<C extends ExemptConfig>(spec: PodPolicySpec<C>): PlatformResourcePolicy {
    return resourcePolicy<C>({
        ...spec,
        appliesTo: (kind, type) => isPodBearing(type, spec.patches) && (!spec.kinds || spec.kinds.includes(baseKind(kind))),
        validate: (ctx, report) => {
            const e = extractPod(ctx.type, ctx.props);
            if (e.status !== "pod") return ctx.args.notApplicable(e.status === "unknown" ? e.reason : "not a pod-bearing resource");
            spec.validate({ ...ctx, pod: e.pod }, report);
        },
    });
}

/** A stack resource reduced to what stack policies need. */
export interface StackItem {
    resource: PolicyResource;
    type: string;
    kind: string;
    props: PlainObject;
    name?: string;
    namespace?: string;
}

export interface StackContext<C> {
    args: StackValidationArgs;
    items: StackItem[];
    config: C;
}

export interface StackPolicySpec<C extends ExemptConfig> extends PolicyMeta {
    defaults: C;
    schema?: SchemaProps;
    validate: (ctx: StackContext<C>, report: ReportViolation) => void;
}

export function stackPolicy<C extends ExemptConfig>(spec: StackPolicySpec<C>): PlatformStackPolicy {
    return {
        ...metadata(spec),
        validateStack: (args, report) => {
            const config = resolveConfig(args.getConfig<Partial<C>>(), spec.defaults);
            const items: StackItem[] = [];
            for (const r of args.resources) {
                const t = parseK8sType(r.type);
                if (!t) continue;
                const props = plainProps(r.props);
                const name = str(get(props, "metadata", "name"));
                const namespace = t.kind === "Namespace" ? name : effectiveNamespace(props, r.provider?.props);
                if (namespace && config.exemptNamespaces.includes(namespace)) continue;
                items.push({ resource: r, type: r.type, kind: t.kind, props, name, namespace });
            }
            spec.validate({ args, items, config }, report);
        },
    };
}

/** "Deployment api (namespace shop)" for stack-policy messages. */
export function describe(item: StackItem): string {
    return `${item.kind} ${item.name ?? item.resource.name}${item.namespace ? ` (namespace ${item.namespace})` : ""}`;
}
