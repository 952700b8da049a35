// The fleet file and its plan: which stacks, what each depends on (its cluster layer, the stacks listed in dependsOn),
// and the waves that order them — a stack's wave is one after the latest of its dependencies, so independent stacks
// share a wave and run in parallel. Pure: no engine, no files beyond what the caller hands in.
import * as yaml from "yaml";
import { z } from "zod";

/** A fleet file refused: every problem with its place in the file. */
export class FleetError extends Error {
    constructor(
        public readonly file: string,
        public readonly problems: string[],
    ) {
        super(`${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "FleetError";
    }
}

const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

const fleetSchema = z
    .object({
        stacks: z
            .array(
                z
                    .object({
                        /** Stack name (`Pulumi.<name>.yaml` unless configFile says otherwise). */
                        name: z.string({ error: "must be a stack name" }).regex(STACK_NAME, { error: "must be a stack name: letters, digits, '_', '.', '-'" }),
                        /** Stacks that must have succeeded (and passed the health gate) first. Defaults to none. */
                        dependsOn: z.array(z.string({ error: "must be a stack name" })).default([]),
                        /** Config file of the stack (`pulumi --config-file`), relative to the project. Defaults to Pulumi.<name>.yaml. */
                        configFile: z.string().min(1).optional(),
                        /** Seconds the health gate waits for Deployments to be available and Jobs complete. Defaults to 300. */
                        healthTimeoutSeconds: z.number().int().min(1, { error: "must be at least 1 second" }).default(300),
                    })
                    .strict(),
                { error: "must be a list of stacks" },
            )
            .min(1, { error: "must list at least one stack" }),
    })
    .strict();

/** One stack of a fleet, with every dependency (its own dependsOn and the cluster layer its config names). */
export interface FleetStack {
    name: string;
    configFile?: string;
    dependsOn: string[];
    healthTimeoutSeconds: number;
    /** A cluster layer stack (platform:layer: cluster). */
    layer: boolean;
    /** The kubeconfig context its stack file pins (`kubernetes:context`), which the health gate reads with. */
    kubernetesContext?: string;
}

/** What the planner knows of a stack from its config file. */
export interface StackFacts {
    /** The config file exists. */
    exists: boolean;
    /** It is a cluster layer (`platform:layer: cluster`). */
    layer: boolean;
    /** The stack name of the cluster layer it names in platform:clusterLayer (the last part of `<org>/<project>/<stack>`). */
    clusterLayer?: string;
    /** Its `kubernetes:context`. */
    kubernetesContext?: string;
}

/** The fleet in order: waves, each a set of independent stacks. */
export interface FleetPlan {
    waves: FleetStack[][];
}

/** "; did you mean …" for a close name. */
function hint(name: string, names: string[]): string {
    const close = names.find((n) => n.toLowerCase() === name.toLowerCase() || n.startsWith(name) || name.startsWith(n));
    return close ? `; did you mean "${close}"?` : "";
}

/** Parses and plans a fleet file; `facts` reads a stack's config file. Throws a FleetError listing every problem. */
export function planFleet(text: string, file: string, facts: (name: string, configFile?: string) => StackFacts): FleetPlan {
    let doc: unknown;
    try {
        doc = yaml.parse(text);
    } catch (e) {
        throw new FleetError(file, [`is not YAML: ${(e as Error).message.split("\n")[0]}`]);
    }
    const parsed = fleetSchema.safeParse(doc ?? {});
    if (!parsed.success) {
        throw new FleetError(
            file,
            parsed.error.issues.map(
                (i) =>
                    `${
                        i.path
                            .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
                            .join("")
                            .replace(/^\./, "") || "(top level)"
                    }: ${i.code === "unrecognized_keys" ? `${i.keys.join(", ")} is not a fleet setting (known: name, dependsOn, configFile, healthTimeoutSeconds)` : i.message}`,
            ),
        );
    }
    const problems: string[] = [];
    const names = parsed.data.stacks.map((s) => s.name);
    const stacks: FleetStack[] = parsed.data.stacks.map((s, i) => {
        if (names.indexOf(s.name) !== i) problems.push(`stacks[${i}].name: "${s.name}" is listed twice; list each stack once`);
        const f = facts(s.name, s.configFile);
        if (!f.exists)
            problems.push(
                `stacks[${i}].name: "${s.name}" has no config file (${s.configFile ?? `Pulumi.${s.name}.yaml`}); create the stack file or set configFile`,
            );
        const deps = [...s.dependsOn];
        s.dependsOn.forEach((d, j) => {
            if (!names.includes(d))
                problems.push(`stacks[${i}].dependsOn[${j}]: "${d}" is not a stack of this fleet${hint(d, names)}; add it to stacks or remove it`);
            if (d === s.name) problems.push(`stacks[${i}].dependsOn[${j}]: "${d}" is the stack itself; remove it`);
        });
        if (f.clusterLayer !== undefined) {
            if (!names.includes(f.clusterLayer))
                problems.push(
                    `stacks[${i}]: "${s.name}" runs on cluster layer "${f.clusterLayer}" (its platform:clusterLayer), which this fleet does not list; add the layer to stacks so it rolls first`,
                );
            else if (!deps.includes(f.clusterLayer)) deps.push(f.clusterLayer);
        }
        return {
            name: s.name,
            configFile: s.configFile,
            dependsOn: deps,
            healthTimeoutSeconds: s.healthTimeoutSeconds,
            layer: f.layer,
            ...(f.kubernetesContext ? { kubernetesContext: f.kubernetesContext } : {}),
        };
    });
    if (problems.length > 0) throw new FleetError(file, problems);
    return { waves: waves(stacks, file) };
}

/** Topological levels of the dependency graph; a cycle is a FleetError naming it. */
function waves(stacks: FleetStack[], file: string): FleetStack[][] {
    const byName = new Map(stacks.map((s) => [s.name, s]));
    const level = new Map<string, number>();
    const visiting: string[] = [];
    const visit = (s: FleetStack): number => {
        const known = level.get(s.name);
        if (known !== undefined) return known;
        if (visiting.includes(s.name)) {
            const cycle = [...visiting.slice(visiting.indexOf(s.name)), s.name];
            throw new FleetError(file, [`dependsOn: the stacks depend on each other in a circle (${cycle.join(" → ")}); remove one of these dependencies`]);
        }
        visiting.push(s.name);
        const l = s.dependsOn.reduce((max, d) => Math.max(max, visit(byName.get(d)!) + 1), 0);
        visiting.pop();
        level.set(s.name, l);
        return l;
    };
    stacks.forEach(visit);
    const out: FleetStack[][] = [];
    for (const s of stacks) (out[level.get(s.name)!] ??= []).push(s);
    return out;
}
