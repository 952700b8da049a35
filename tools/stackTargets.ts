// Which stacks the project has: every `Pulumi.<stack>.yaml`, every blueprint (`blueprints/<system>.yaml`, used as
// `pulumi --config-file`) and every example (`examples/<system>.yaml`), and how a command-line argument names one. No Pulumi import: scripts load it cheaply.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/** A stack to evaluate: its name and the config file that holds its `config:` block. */
export interface StackTarget {
    /** Stack name (`dev`, or a blueprint's file name without `.yaml`). */
    name: string;
    /** Absolute path of the config file: `Pulumi.<name>.yaml` or a `--config-file` such as `blueprints/traderx.yaml`. */
    configFile: string;
}

/** The project root (where Pulumi.yaml is), found upward so this also works from compiled output under bin/. */
function findRoot(start: string): string {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${start}`);
    }
}

export const ROOT = findRoot(__dirname);
/** Folder of the blueprints: one `--config-file` per seed system. */
export const BLUEPRINTS_DIR = path.join(ROOT, "blueprints");
/** Folder of the examples: other people's systems (not seeds) as configs of this program, used like blueprints. */
export const EXAMPLES_DIR = path.join(ROOT, "examples");

/**
 * The stack a command-line argument names: a path ending in `.yaml`/`.yml` is a config file (the stack is named
 * after the file), anything else is a stack name whose config is `Pulumi.<name>.yaml`. Throws when the file is absent.
 */
export function stackTarget(arg: string, configFile?: string): StackTarget {
    const isFile = /\.ya?ml$/.test(arg);
    const file = path.resolve(ROOT, configFile ?? (isFile ? arg : `Pulumi.${arg}.yaml`));
    const name = isFile && !configFile ? path.basename(arg).replace(/\.ya?ml$/, "") : arg;
    if (!fs.existsSync(file))
        throw new Error(
            `no config file ${path.relative(ROOT, file)} for stack ${name}; stack files are ${allStackTargets()
                .map((t) => path.relative(ROOT, t.configFile))
                .join(", ")}`,
        );
    return { name, configFile: file };
}

/** Every stack file (`Pulumi.<stack>.yaml`) of the project, sorted by name. */
export function stackFileTargets(): StackTarget[] {
    return fs
        .readdirSync(ROOT)
        .filter((f) => /^Pulumi\.[^.]+\.ya?ml$/.test(f))
        .sort()
        .map((f) => ({ name: f.replace(/^Pulumi\.|\.ya?ml$/g, ""), configFile: path.join(ROOT, f) }));
}

/** Every `<system>.yaml` of a folder as a stack named after the file, sorted by name. */
function configFilesIn(dir: string): StackTarget[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => ({ name: f.replace(/\.ya?ml$/, ""), configFile: path.join(dir, f) }));
}

/** Every blueprint (`blueprints/<system>.yaml`), sorted by name. */
export function blueprintTargets(): StackTarget[] {
    return configFilesIn(BLUEPRINTS_DIR);
}

/** Every example (`examples/<system>.yaml`), sorted by name. */
export function exampleTargets(): StackTarget[] {
    return configFilesIn(EXAMPLES_DIR);
}

/** Every stack file, blueprint and example: what `npm test` evaluates and the policy check covers. */
export function allStackTargets(): StackTarget[] {
    return [...stackFileTargets(), ...blueprintTargets(), ...exampleTargets()];
}

/** Whether the target is a cluster layer stack (`platform:layer: cluster`) rather than an app stack. */
export function isClusterLayer(target: StackTarget): boolean {
    return readStackFile(target.name, target.configFile)["platform:layer"] === "cluster";
}

/** The app stacks and blueprints (services and their data), without the cluster layers. */
export function appStackTargets(): StackTarget[] {
    return allStackTargets().filter((t) => !isClusterLayer(t));
}

/** The stack file's `config:` block, keys as written (`platform:services`, `kubernetes:context`…). */
export function readStackFile(stack: string, configFile?: string): Record<string, unknown> {
    const file = configFile ? path.resolve(ROOT, configFile) : path.join(ROOT, `Pulumi.${stack}.yaml`);
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined;
    return doc?.config ?? {};
}

/** The `platform:environment` a stack's config file declares (it picks the policy enforcement of a blueprint). */
export function stackEnvironment(target: StackTarget): string | undefined {
    const env = readStackFile(target.name, target.configFile)["platform:environment"];
    return typeof env === "string" ? env : undefined;
}

/**
 * The policy enforcement a stack runs with, i.e. which `policy/config/<level>.json`: the stack's own file when it has
 * one (dev, staging, production), else the one of its `platform:environment` (a dev blueprint is enforced like dev).
 */
export function policyEnforcement(target: StackTarget): string {
    if (fs.existsSync(path.join(ROOT, "policy", "config", `${target.name}.json`))) return target.name;
    const env = stackEnvironment(target);
    if (!env)
        throw new Error(
            `stack ${target.name} has no policy/config/${target.name}.json and ${path.relative(ROOT, target.configFile)} sets no platform:environment to pick one by`,
        );
    return env;
}
