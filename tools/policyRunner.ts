// In-process stand-in for the CLI's analyzer loop, used by the tests, the offline check (scripts/policy-check.ts)
// and the e2e differential test. It mirrors @pulumi/policy's server: config reconciliation as the CLI does it
// (schema defaults, then "all", then per-policy), remediation before validation, notApplicable, the unknown-checking
// proxy around props, preview-time unknown errors downgraded to advisory, and no analysis of read resources.
// It lives outside policy/ because publishing the pack does not need it.
import * as fs from "fs";
import * as path from "path";
import type {
    EnforcementLevel,
    PlatformPolicy,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "../policy/lib/policy";
import { policies as packPolicies } from "../policy/pack";

/** The pack's directory: its own node_modules hold @pulumi/policy, which the program does not depend on. */
export const POLICY_DIR = path.resolve(__dirname, "..", "policy");

/** One resource as the analyzer would see it. */
export interface FakeResource {
    type: string;
    name: string;
    urn?: string;
    props: Record<string, unknown>;
    parent?: string;
    /** Provider props (e.g. { namespace: "apps" }) when the resource uses an explicit provider. */
    providerProps?: Record<string, unknown>;
    /** Read with `.get()`: the engine never sends reads to resource policies, and they describe state the stack does not own. */
    read?: boolean;
}

export interface Violation {
    policy: string;
    level: EnforcementLevel;
    severity?: string;
    message: string;
    urn: string;
    resourceType?: string;
    resourceName?: string;
}

export interface Remediation {
    policy: string;
    urn: string;
}

/** A --policy-pack-config file: policy name (or "all") to a level or to { enforcementLevel?, ...properties }. */
export type PolicyPackConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface ResolvedPolicyConfig {
    level: EnforcementLevel;
    properties: Record<string, unknown>;
}

interface ProxyModule {
    unknownCheckingProxy: (o: object) => Record<string, unknown>;
    UnknownValueError: new (...args: never[]) => Error;
}

// The SDK's own proxy (no further imports), so fixtures meet the same unknown handling as under the CLI.
const proxyModule: ProxyModule = require(require.resolve("@pulumi/policy/proxy", { paths: [POLICY_DIR] }));

class NotApplicable extends Error {}

export function urnOf(r: FakeResource, stack = "test"): string {
    return r.urn ?? `urn:pulumi:${stack}::platform::${r.type}::${r.name}`;
}

export function loadConfigFile(path: string): PolicyPackConfigFile {
    return JSON.parse(fs.readFileSync(path, "utf8")) as PolicyPackConfigFile;
}

/** Mirrors the CLI's ReconcilePolicyPackConfig: schema defaults, then "all", then per-policy settings. */
export function resolveConfig(policies: PlatformPolicy[], file: PolicyPackConfigFile = {}): Map<string, ResolvedPolicyConfig> {
    const out = new Map<string, ResolvedPolicyConfig>();
    const all = file["all"];
    const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
    for (const p of policies) {
        const properties: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
            if (s.default !== undefined) properties[k] = JSON.parse(JSON.stringify(s.default));
        }
        let level: EnforcementLevel = allLevel ?? p.enforcementLevel;
        const own = file[p.name];
        if (typeof own === "string") level = own;
        else if (own) {
            const { enforcementLevel, ...rest } = own;
            if (enforcementLevel) level = enforcementLevel;
            Object.assign(properties, rest);
        }
        out.set(p.name, { level, properties });
    }
    return out;
}

/** Resource options and provider as the engine would send them for a plain custom resource. */
function optionsAndProvider(r: FakeResource): Pick<ResourceValidationArgs, "opts" | "provider"> {
    return {
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
            parent: r.parent,
        },
        provider: r.providerProps ? { type: "pulumi:providers:kubernetes", props: r.providerProps, urn: "urn:provider", name: "provider" } : undefined,
    };
}

export function resourceArgs(
    r: FakeResource,
    config: Record<string, unknown>,
    stackTags: ReadonlyMap<string, string> = new Map(),
    wrap = true,
): ResourceValidationArgs {
    const props = wrap ? proxyModule.unknownCheckingProxy(r.props) : r.props;
    return {
        type: r.type,
        props,
        urn: urnOf(r),
        name: r.name,
        ...optionsAndProvider(r),
        stackTags,
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => ({ ...config }) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason ?? "not applicable");
        },
    };
}

function policyResource(r: FakeResource): PolicyResource {
    return {
        type: r.type,
        props: proxyModule.unknownCheckingProxy(r.props),
        urn: urnOf(r),
        name: r.name,
        ...optionsAndProvider(r),
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    };
}

export function stackArgs(resources: FakeResource[], config: Record<string, unknown>, stackTags: ReadonlyMap<string, string> = new Map()): StackValidationArgs {
    return {
        resources: resources.map(policyResource),
        stackTags,
        getConfig: <T extends object>() => ({ ...config }) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason ?? "not applicable");
        },
    };
}

function isResourcePolicy(p: PlatformPolicy): p is PlatformPolicy & ResourceValidationPolicy {
    return "validateResource" in p || "remediateResource" in p;
}

function isStackPolicy(p: PlatformPolicy): p is PlatformPolicy & StackValidationPolicy {
    return "validateStack" in p;
}

/** Result of one policy on one resource: messages, or the notApplicable reason, or a preview-time unknown. */
export interface CheckResult {
    messages: string[];
    notApplicable?: string;
    unknown?: string;
}

async function capture(run: (report: ReportViolation) => Promise<void> | void): Promise<CheckResult> {
    const messages: string[] = [];
    try {
        await run((message) => messages.push(message));
    } catch (e) {
        if (e instanceof NotApplicable) return { messages, notApplicable: e.message };
        if (e instanceof proxyModule.UnknownValueError) return { messages, unknown: e.message };
        throw e;
    }
    return { messages };
}

/** Runs one resource policy's validations against one resource (no remediation). */
export async function checkResource(
    policy: PlatformPolicy,
    r: FakeResource,
    config: Record<string, unknown> = {},
    stackTags?: ReadonlyMap<string, string>,
): Promise<CheckResult> {
    if (!isResourcePolicy(policy) || !policy.validateResource) throw new Error(`${policy.name} is not a resource validation policy`);
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    const merged: CheckResult = { messages: [] };
    for (const v of validations) {
        const res = await capture((report) => v(resourceArgs(r, config, stackTags), report));
        merged.messages.push(...res.messages);
        merged.notApplicable ??= res.notApplicable;
        merged.unknown ??= res.unknown;
    }
    return merged;
}

/** Runs one resource policy's remediation; returns the new props or undefined when it changed nothing. */
export async function remediate(policy: PlatformPolicy, r: FakeResource, config: Record<string, unknown> = {}): Promise<Record<string, unknown> | undefined> {
    if (!isResourcePolicy(policy) || !policy.remediateResource) throw new Error(`${policy.name} has no remediation`);
    try {
        const out = await policy.remediateResource(resourceArgs(r, config, new Map(), false));
        return out ?? undefined;
    } catch (e) {
        if (e instanceof NotApplicable) return undefined;
        throw e;
    }
}

/** Runs one stack policy over a set of resources. */
export async function checkStack(
    policy: PlatformPolicy,
    resources: FakeResource[],
    config: Record<string, unknown> = {},
): Promise<{ messages: { message: string; urn?: string }[]; notApplicable?: string }> {
    if (!isStackPolicy(policy)) throw new Error(`${policy.name} is not a stack policy`);
    const messages: { message: string; urn?: string }[] = [];
    try {
        await policy.validateStack(stackArgs(resources, config), (message, urn) => messages.push({ message, urn }));
    } catch (e) {
        if (e instanceof NotApplicable) return { messages, notApplicable: e.message };
        throw e;
    }
    return { messages };
}

export interface PackRunResult {
    violations: Violation[];
    remediations: Remediation[];
    /** Resources after remediation (what the engine would send to the provider). */
    resources: FakeResource[];
}

/** Runs the whole pack like `pulumi preview --policy-pack policy --policy-pack-config <file>` would. */
export async function runPack(resources: FakeResource[], file: PolicyPackConfigFile = {}, policies: PlatformPolicy[] = packPolicies): Promise<PackRunResult> {
    const cfg = resolveConfig(policies, file);
    const violations: Violation[] = [];
    const remediations: Remediation[] = [];
    const after: FakeResource[] = [];
    for (const original of resources.filter((r) => !r.read)) {
        let r = original;
        for (const p of policies) {
            const c = cfg.get(p.name);
            if (!c || c.level !== "remediate" || !isResourcePolicy(p) || !p.remediateResource) continue;
            const props = await remediate(p, r, c.properties);
            if (props) {
                r = { ...r, props };
                remediations.push({ policy: p.name, urn: urnOf(r) });
            }
        }
        after.push(r);
        for (const p of policies) {
            const c = cfg.get(p.name);
            if (!c || c.level === "disabled" || !isResourcePolicy(p) || !p.validateResource) continue;
            const level: EnforcementLevel = c.level === "remediate" ? "mandatory" : c.level;
            const res = await checkResource(p, r, c.properties);
            for (const m of res.messages)
                violations.push({ policy: p.name, level, severity: p.severity, message: m, urn: urnOf(r), resourceType: r.type, resourceName: r.name });
            if (res.unknown)
                violations.push({
                    policy: p.name,
                    level: "advisory",
                    severity: p.severity,
                    message: `can't run during preview: ${res.unknown}`,
                    urn: urnOf(r),
                    resourceType: r.type,
                    resourceName: r.name,
                });
        }
    }
    for (const p of policies) {
        const c = cfg.get(p.name);
        if (!c || c.level === "disabled" || !isStackPolicy(p)) continue;
        const level: EnforcementLevel = c.level === "remediate" ? "mandatory" : c.level;
        const res = await checkStack(p, after, c.properties);
        for (const m of res.messages) {
            const target = after.find((x) => urnOf(x) === m.urn);
            violations.push({
                policy: p.name,
                level,
                severity: p.severity,
                message: m.message,
                urn: m.urn ?? "(stack)",
                resourceType: target?.type,
                resourceName: target?.name,
            });
        }
    }
    return { violations, remediations, resources: after };
}
