// Rolls a planned fleet through the Automation API: wave after wave, the stacks of a wave in parallel, each with the
// policy pack and its stack's pack config; a wave starts only when every stack of the one before succeeded and passed
// the health gate. On a failure the later waves are left untouched and reported as skipped.
import { EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { waitHealthy } from "./health";
import type { FleetPlan, FleetStack } from "./plan";
import { Phase, ProgressView, StackProgress } from "./progress";

export type FleetOperation = "up" | "preview" | "drift" | "destroy";

/** How the fleet runs. */
export interface FleetOptions {
    operation: FleetOperation;
    /** The Pulumi project directory (Pulumi.yaml). */
    workDir: string;
    /** Policy pack directory. */
    policyPack: string;
    /** The pack config file a stack is judged with. */
    policyConfig: (s: FleetStack) => string;
    /** The live view; defaults to one on stderr. */
    view?: (stacks: StackProgress[]) => Pick<ProgressView, "update" | "stop">;
}

/** What happened to one stack. */
export interface StackResult {
    name: string;
    wave: number;
    result: "succeeded" | "failed" | "skipped";
    durationMs: number;
    /** Resources the engine finished, and how many the stack had before (when it existed). */
    resources: { done: number; total?: number };
    /** The engine's change summary (create/update/delete/same …). */
    changes?: Record<string, number>;
    /** drift: the resources whose live state differs from the state file. */
    drifted?: string[];
    error?: string;
}

/** The machine-readable end of a run. */
export interface FleetSummary {
    operation: FleetOperation;
    result: "succeeded" | "failed";
    durationMs: number;
    /** The first stack that failed, and why. */
    failure?: { stack: string; error: string };
    waves: StackResult[][];
}

/** The lines of a CLI error that say what went wrong (the engine's `error:` lines and policy violations), not its banner. */
export function essentialError(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e);
    const lines = text
        .split("\n")
        .map((l) => l.trimEnd())
        .filter((l) => /error:|mandatory|invalid stack configuration|^\s+- platform:|health gate/.test(l));
    return (lines.length > 0 ? lines : text.split("\n").filter(Boolean).slice(-5))
        .map((l) => l.trim().replace(/^(stderr|stdout):\s*/, ""))
        .slice(0, 12)
        .join("\n");
}

/** Namespaces a stack's health gate reads: an app stack's namespace, a cluster layer's operator namespaces. */
export function healthNamespaces(outputs: Record<string, unknown>): string[] {
    const layer = outputs.clusterLayer as { cnpg?: { namespace: string }; strimzi?: { namespace: string } } | undefined;
    if (layer) return [layer.cnpg?.namespace, layer.strimzi?.namespace].filter((n): n is string => n !== undefined);
    return typeof outputs.namespace === "string" ? [outputs.namespace] : [];
}

const PHASE: Record<FleetOperation, Phase> = { up: "updating", preview: "previewing", drift: "refreshing", destroy: "destroying" };

/** What every stack of one run shares: one workspace (one CLI version check), and each stack's resource count before it. */
interface FleetContext {
    workspace: LocalWorkspace;
    counts: Map<string, number>;
}

async function runStack(s: FleetStack, wave: number, opts: FleetOptions, view: Pick<ProgressView, "update">, fleet: FleetContext): Promise<StackResult> {
    const started = Date.now();
    const result: StackResult = { name: s.name, wave, result: "failed", durationMs: 0, resources: { done: 0 } };
    const drifted: string[] = [];
    const onEvent = (e: EngineEvent) => {
        const done = e.resOutputsEvent ?? (opts.operation === "preview" || opts.operation === "drift" ? e.resourcePreEvent : undefined);
        if (done && done.metadata.type !== "pulumi:pulumi:Stack") {
            result.resources.done++;
            view.update(s.name, { done: result.resources.done });
            const m = done.metadata;
            const changed = m.op !== "same" && m.op !== "read" && !(m.op === "refresh" && !m.diffs?.length);
            if (opts.operation === "drift" && changed)
                drifted.push(`${m.type}::${m.urn.split("::").at(-1)} ${m.op}${m.diffs?.length ? ` (${m.diffs.join(", ")})` : ""}`);
        }
    };
    view.update(s.name, { phase: PHASE[opts.operation], startedAt: started });
    try {
        // A stack rolled for the first time is created; one that must exist to be judged or removed is only selected.
        const stack =
            opts.operation === "up" || opts.operation === "preview"
                ? await Stack.createOrSelect(s.name, fleet.workspace)
                : await Stack.select(s.name, fleet.workspace);
        // The resources the stack had before (its own Stack resource not counted); unknown for a first roll.
        const before = fleet.counts.get(s.name);
        result.resources.total = before && before > 1 ? before - 1 : undefined;
        view.update(s.name, { total: result.resources.total });
        const common = { onEvent, color: "never" as const, ...(s.configFile ? { configFile: s.configFile } : {}) };
        const pack = { policyPacks: [opts.policyPack], policyPackConfigs: [opts.policyConfig(s)] };
        if (opts.operation === "preview") {
            result.changes = (await stack.preview({ ...common, ...pack })).changeSummary;
        } else if (opts.operation === "drift") {
            result.changes = (await stack.previewRefresh(common)).changeSummary;
            result.drifted = drifted;
        } else if (opts.operation === "destroy") {
            result.changes = (await stack.destroy(common)).summary.resourceChanges;
        } else {
            const up = await stack.up({ ...common, ...pack });
            result.changes = up.summary.resourceChanges;
            const outputs = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));
            view.update(s.name, { phase: "health" });
            await waitHealthy(healthNamespaces(outputs), s.healthTimeoutSeconds, s.kubernetesContext, (what) => view.update(s.name, { note: what }));
        }
        result.result = "succeeded";
    } catch (e) {
        result.error = essentialError(e);
    }
    result.durationMs = Date.now() - started;
    view.update(s.name, {
        phase: result.result,
        endedAt: Date.now(),
        note: result.error?.split("\n")[0] ?? (result.drifted?.length ? `${result.drifted.length} drifted` : undefined),
    });
    return result;
}

/** Runs the operation over the plan (destroy: in reverse wave order) and returns the summary. */
export async function runFleet(plan: FleetPlan, opts: FleetOptions): Promise<FleetSummary> {
    const started = Date.now();
    const ordered = opts.operation === "destroy" ? [...plan.waves].reverse() : plan.waves;
    const progress: StackProgress[] = ordered.flatMap((w, i) => w.map((s) => ({ name: s.name, wave: i, phase: "waiting" as Phase, done: 0 })));
    const view = opts.view ? opts.view(progress) : new ProgressView(progress);
    const waves: StackResult[][] = [];
    let failure: FleetSummary["failure"];
    // PULUMI_SKIP_CONFIRMATIONS (common in CI) reads as --yes, which the CLI refuses beside refresh --preview-only.
    const envVars: Record<string, string> = {
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        ...(opts.operation === "drift" ? { PULUMI_SKIP_CONFIRMATIONS: "false" } : {}),
    };
    const workspace = await LocalWorkspace.create({ workDir: opts.workDir, envVars });
    // One listing for the whole fleet: with a self-managed backend it reads every stack's state.
    const counts = new Map((await workspace.listStacks()).map((x) => [x.name, x.resourceCount ?? 0]));
    const fleet: FleetContext = { workspace, counts };
    for (const [i, wave] of ordered.entries()) {
        if (failure) {
            // A failed wave leaves every later one untouched.
            waves.push(wave.map((s) => ({ name: s.name, wave: i, result: "skipped", durationMs: 0, resources: { done: 0 } })));
            for (const s of wave) view.update(s.name, { phase: "skipped", note: `after ${failure.stack} failed` });
            continue;
        }
        const results = await Promise.all(wave.map((s) => runStack(s, i, opts, view, fleet)));
        waves.push(results);
        const failed = results.find((r) => r.result === "failed");
        if (failed) failure = { stack: failed.name, error: failed.error ?? "failed" };
    }
    view.stop();
    return { operation: opts.operation, result: failure ? "failed" : "succeeded", durationMs: Date.now() - started, ...(failure ? { failure } : {}), waves };
}
