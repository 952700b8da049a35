// Offline policy check: evaluates a stack under Pulumi mocks and runs the whole CrossGuard pack over every
// registered resource with the stack's --policy-pack-config, like `pulumi preview --policy-pack policy` would.
// Usage: npm run policy:check -- --stack production [--stack dev ...] [--all] [--json]
// Exit code: 1 when any mandatory violation is found, 2 on usage or evaluation errors.
import * as path from "path";
import { FakeResource, PackRunResult, Violation, loadConfigFile, runPack } from "../policy/runner";
import { evaluateStack, RegisteredResource, STACKS, StackName } from "../tools/stackEvaluator";

const ROOT = path.resolve(__dirname, "..");

/** Path of the --policy-pack-config file for a stack. */
export function policyConfigPath(stack: string): string {
    return path.join(ROOT, "policy", "config", `${stack}.json`);
}

/** Registered resources as the analyzer sees them (components carry no Kubernetes inputs but are passed along). */
export function toFakeResources(resources: RegisteredResource[]): FakeResource[] {
    return resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs, parent: r.parent }));
}

export async function checkStack(stack: StackName): Promise<PackRunResult & { resourceCount: number }> {
    const { resources } = await evaluateStack(stack);
    const result = await runPack(toFakeResources(resources), loadConfigFile(policyConfigPath(stack)));
    return { ...result, resourceCount: resources.length };
}

/** Violations grouped by resource, mandatory first. */
export function formatReport(stack: string, result: PackRunResult & { resourceCount: number }): string {
    const lines: string[] = [];
    const byUrn = new Map<string, Violation[]>();
    for (const v of result.violations) byUrn.set(v.urn, [...(byUrn.get(v.urn) ?? []), v]);
    const order = (v: Violation) => (v.level === "mandatory" ? 0 : 1);
    const mandatory = result.violations.filter((v) => v.level === "mandatory").length;
    lines.push(`policy check: stack ${stack}: ${result.resourceCount} resources, ${result.violations.length} violations (${mandatory} mandatory), ${result.remediations.length} remediations`);
    for (const [urn, vs] of [...byUrn.entries()].sort(([, a], [, b]) => Math.min(...a.map(order)) - Math.min(...b.map(order)))) {
        const first = vs[0];
        lines.push(`  ${first.resourceType ?? "stack"} ${first.resourceName ?? urn}`);
        for (const v of vs.sort((a, b) => order(a) - order(b))) lines.push(`    [${v.level}] ${v.policy}: ${v.message}`);
    }
    for (const r of result.remediations) lines.push(`  remediated by ${r.policy}: ${r.urn}`);
    return lines.join("\n");
}

function parseArgs(argv: string[]): { stacks: StackName[]; json: boolean } {
    const stacks: StackName[] = [];
    let json = false;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--all") stacks.push(...STACKS);
        else if (a === "--json") json = true;
        else if (a === "--stack" || a.startsWith("--stack=")) {
            const s = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
            if (!STACKS.includes(s as StackName)) throw new Error(`unknown stack ${s ?? "(missing)"}; expected one of ${STACKS.join(", ")}`);
            stacks.push(s as StackName);
        } else throw new Error(`unknown argument ${a}`);
    }
    if (stacks.length === 0) throw new Error("usage: policy-check --stack <dev|staging|production> [--stack ...] [--all] [--json]");
    return { stacks: [...new Set(stacks)], json };
}

async function main(): Promise<number> {
    let opts: { stacks: StackName[]; json: boolean };
    try {
        opts = parseArgs(process.argv.slice(2));
    } catch (e) {
        console.error((e as Error).message);
        return 2;
    }
    let failed = false;
    for (const stack of opts.stacks) {
        const result = await checkStack(stack);
        if (opts.json) console.log(JSON.stringify({ stack, violations: result.violations, remediations: result.remediations }, null, 2));
        else console.log(formatReport(stack, result));
        if (result.violations.some((v) => v.level === "mandatory")) failed = true;
    }
    return failed ? 1 : 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e: unknown) => {
            console.error(e instanceof Error ? e.stack ?? e.message : String(e));
            process.exit(2);
        },
    );
}
