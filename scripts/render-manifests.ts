// Renders what every stack file and blueprint registers under mocks (inputs, parents, options, outputs) into one JSON
// file per target, so a refactor can be proven output-neutral with `diff -r` of two renders.
//   npx ts-node --transpile-only scripts/render-manifests.ts <out dir>
import * as fs from "fs";
import * as path from "path";
import { allStackTargets, runStack } from "../tools/stackEvaluator";

/** Object keys sorted at every depth, so the text depends on the values only, not on insertion order. */
function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value as object)
                .sort()
                .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

async function main(): Promise<void> {
    const out = process.argv[2];
    if (!out) {
        console.error("usage: render-manifests.ts <out dir>");
        process.exit(2);
    }
    fs.mkdirSync(out, { recursive: true });
    for (const target of allStackTargets()) {
        const outcome = await runStack(target.name, { configFile: target.configFile });
        const resources = outcome.resources
            .map((r) => ({
                type: r.type,
                name: r.name,
                parent: r.parent,
                custom: r.custom,
                dependsOn: r.dependsOn,
                retainOnDelete: r.retainOnDelete,
                transforms: r.transforms.length,
                inputs: r.inputs,
            }))
            .sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
        const file = path.join(out, `${path.basename(path.dirname(target.configFile)) === "blueprints" ? "blueprint-" : ""}${target.name}.json`);
        fs.writeFileSync(file, JSON.stringify(canonical({ error: outcome.error?.message, outputs: outcome.outputs, resources }), null, 1) + "\n");
        console.log(`${target.name}: ${resources.length} resources${outcome.error ? ` (error: ${outcome.error.message.split("\n")[0]})` : ""} → ${file}`);
    }
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
