// Offline policy check: evaluates a stack under Pulumi mocks and runs the whole CrossGuard pack over every
// registered resource with the stack's --policy-pack-config, like `pulumi preview --policy-pack policy` would.
// Usage: npm run policy:check -- --stack <name> [--config-file blueprints/<system>.yaml] [--stack ...] [--all] [--json]
//   --stack X                     any Pulumi.X.yaml of the project
//   --config-file F [--stack X]   a config file used as `pulumi --config-file F` (stack named after the file unless --stack)
//   --all                         every stack file and every blueprint
// Exit code: 1 when any mandatory violation is found, 2 on usage or evaluation errors.
import * as path from "path";
import { FakeResource, PackRunResult, Violation, loadConfigFile, runPack } from "../tools/policyRunner";
import { allStackTargets, evaluateStack, policyEnforcement, RegisteredResource, stackTarget, StackTarget } from "../tools/stackEvaluator";

const ROOT = path.resolve(__dirname, "..");

/** Path of the --policy-pack-config file for a stack (see policyEnforcement: its own, else its environment's). */
export function policyConfigPath(stack: string, configFile?: string): string {
    return path.join(ROOT, "policy", "config", `${policyEnforcement(stackTarget(stack, configFile))}.json`);
}

/** Registered resources as the analyzer sees them (components carry no Kubernetes inputs but are passed along). */
export function toFakeResources(resources: RegisteredResource[]): FakeResource[] {
    return resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs, parent: r.parent, read: r.read }));
}

/** Evaluates a stack (or blueprint) under mocks and runs the whole pack over it with its enforcement config. */
export async function checkStack(target: StackTarget | string): Promise<PackRunResult & { resourceCount: number }> {
    const t = typeof target === "string" ? stackTarget(target) : target;
    const { resources } = await evaluateStack(t.name, { configFile: t.configFile });
    const result = await runPack(toFakeResources(resources), loadConfigFile(policyConfigPath(t.name, t.configFile)));
    return { ...result, resourceCount: resources.length };
}

/** Violations grouped by resource, mandatory first. */
export function formatReport(stack: string, result: PackRunResult & { resourceCount: number }): string {
    const lines: string[] = [];
    const byUrn = new Map<string, Violation[]>();
    for (const v of result.violations) byUrn.set(v.urn, [...(byUrn.get(v.urn) ?? []), v]);
    const order = (v: Violation) => (v.level === "mandatory" ? 0 : 1);
    const mandatory = result.violations.filter((v) => v.level === "mandatory").length;
    lines.push(
        `policy check: stack ${stack}: ${result.resourceCount} resources, ${result.violations.length} violations (${mandatory} mandatory), ${result.remediations.length} remediations`,
    );
    for (const [urn, vs] of [...byUrn.entries()].sort(([, a], [, b]) => Math.min(...a.map(order)) - Math.min(...b.map(order)))) {
        const first = vs[0];
        lines.push(`  ${first.resourceType ?? "stack"} ${first.resourceName ?? urn}`);
        for (const v of vs.sort((a, b) => order(a) - order(b))) lines.push(`    [${v.level}] ${v.policy}: ${v.message}`);
    }
    for (const r of result.remediations) lines.push(`  remediated by ${r.policy}: ${r.urn}`);
    return lines.join("\n");
}

const USAGE = "usage: policy-check --stack <name> [--config-file <file.yaml>] [--stack ...] [--all] [--json]";

/** Command-line arguments → the stacks to check; a `--config-file` binds to the `--stack` next to it, if any. */
export function parseArgs(argv: string[]): { stacks: StackTarget[]; json: boolean } {
    const stacks: StackTarget[] = [];
    let json = false;
    const value = (a: string, i: number): [string, number] => {
        if (a.includes("=")) return [a.slice(a.indexOf("=") + 1), i];
        if (argv[i + 1] === undefined || argv[i + 1].startsWith("--")) throw new Error(`${a} needs a value; ${USAGE}`);
        return [argv[i + 1], i + 1];
    };
    let pendingName: string | undefined;
    let pendingFile: string | undefined;
    const flush = () => {
        if (pendingName === undefined && pendingFile === undefined) return;
        stacks.push(pendingFile ? stackTarget(pendingName ?? pendingFile, pendingName ? pendingFile : undefined) : stackTarget(pendingName!));
        pendingName = pendingFile = undefined;
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--all") {
            flush();
            stacks.push(...allStackTargets());
        } else if (a === "--json") json = true;
        else if (a === "--stack" || a.startsWith("--stack=")) {
            if (pendingName !== undefined) flush();
            [pendingName, i] = value(a, i);
        } else if (a === "--config-file" || a.startsWith("--config-file=")) {
            if (pendingFile !== undefined) flush();
            [pendingFile, i] = value(a, i);
        } else throw new Error(`unknown argument ${a}; ${USAGE}`);
    }
    flush();
    if (stacks.length === 0) throw new Error(USAGE);
    const seen = new Set<string>();
    return { stacks: stacks.filter((t) => (seen.has(t.configFile) ? false : (seen.add(t.configFile), true))), json };
}

async function main(): Promise<number> {
    let opts: { stacks: StackTarget[]; json: boolean };
    try {
        opts = parseArgs(process.argv.slice(2));
    } catch (e) {
        console.error((e as Error).message);
        return 2;
    }
    let failed = false;
    for (const stack of opts.stacks) {
        const result = await checkStack(stack);
        if (opts.json)
            console.log(
                JSON.stringify(
                    { stack: stack.name, configFile: path.relative(ROOT, stack.configFile), violations: result.violations, remediations: result.remediations },
                    null,
                    2,
                ),
            );
        else console.log(formatReport(`${stack.name} (${path.relative(ROOT, stack.configFile)})`, result));
        if (result.violations.some((v) => v.level === "mandatory")) failed = true;
    }
    return failed ? 1 : 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e: unknown) => {
            console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
            process.exit(2);
        },
    );
}
