// Evaluates index.ts under Pulumi mocks with a real Pulumi.<stack>.yaml (or a blueprint), the way `pulumi preview` would, minus the engine.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DependencyRecorder, installMocks, RegisteredResource, resolve, settle } from "./mocks";
import { parsePlatformConfig, TOP_LEVEL_KEYS } from "../components/config";
import { readStackFile } from "./stackTargets";
import { CHART_MIRROR_ENV } from "./chartMirror";

export {
    allStackTargets,
    appStackTargets,
    blueprintTargets,
    isClusterLayer,
    BLUEPRINTS_DIR,
    policyEnforcement,
    readStackFile,
    stackEnvironment,
    stackFileTargets,
    stackTarget,
    StackTarget,
} from "./stackTargets";

export { RegisteredResource } from "./mocks";

export type StackName = "dev" | "staging" | "production";
export const STACKS: readonly StackName[] = ["dev", "staging", "production"];

/** Directory of this file's program: index.ts next to the sources, index.js next to compiled output. */
const PROGRAM_DIR = path.resolve(__dirname, "..");

/** Test value that stands in for every secret; tests grep resources for it to prove secrets travel by reference. */
export function testSecretValue(key: string): string {
    return `canary-${key}-4f9c2b7e`;
}

export interface EvaluateOptions {
    /** Config file to read instead of `Pulumi.<stack>.yaml` (what `pulumi --config-file` does). */
    configFile?: string;
    /** Replaces whole config keys (unqualified keys are put under `platform:`); `undefined` removes a key. */
    configOverrides?: Record<string, unknown>;
    /**
     * Secret config values. "auto" (default): every `secure:` value in the stack file and, when the stack may not
     * generate secrets, every secret the config requires, gets a test value. An object sets exactly those secrets.
     */
    secrets?: "auto" | Record<string, string>;
    /** Run as a preview (unknown values stay unknown). */
    preview?: boolean;
    /** Outputs of the stacks a StackReference may read (e.g. a cluster layer), by fully qualified stack name. Defaults to none. */
    stackOutputs?: Record<string, Record<string, unknown>>;
}

export interface StackEvaluation {
    resources: RegisteredResource[];
    outputs: Record<string, unknown>;
}

function qualify(key: string): string {
    return key.includes(":") ? key : `platform:${key}`;
}

/** Builds the flat string config the Pulumi runtime sees for a stack, plus the list of secret keys. */
export function stackConfig(stack: string, opts: EvaluateOptions = {}): { config: Record<string, string>; secretKeys: string[] } {
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const file = readStackFile(stack, opts.configFile);
    for (const [k, v] of Object.entries(file)) {
        if (v && typeof v === "object" && "secure" in (v as Record<string, unknown>)) {
            config[k] = testSecretValue(k.replace(/^platform:/, ""));
            secretKeys.push(k);
        } else {
            config[k] = typeof v === "string" ? v : JSON.stringify(v);
        }
    }
    for (const [k, v] of Object.entries(opts.configOverrides ?? {})) {
        const key = qualify(k);
        if (v === undefined) delete config[key];
        else config[key] = typeof v === "string" ? v : JSON.stringify(v);
    }
    const secrets = opts.secrets ?? "auto";
    // A cluster layer reads no secrets (and is no app config to parse).
    if (secrets === "auto" && config["platform:layer"] === "cluster") {
        // nothing to supply
    } else if (secrets === "auto") {
        // Supply the secrets a real operator would have set with `pulumi config set --secret`.
        const raw: Record<string, string> = {};
        for (const k of TOP_LEVEL_KEYS) if (config[`platform:${k}`] !== undefined) raw[k] = config[`platform:${k}`];
        try {
            const parsed = parsePlatformConfig(raw, { isSet: () => true, isSecret: () => true });
            if (!parsed.secrets.allowGenerated) {
                for (const { key } of parsed.requiredSecrets) {
                    if (config[`platform:${key}`] === undefined) {
                        config[`platform:${key}`] = testSecretValue(key);
                        secretKeys.push(`platform:${key}`);
                    }
                }
            }
        } catch {
            // An invalid config is the test's subject; the program reports it.
        }
    } else {
        for (const [k, v] of Object.entries(secrets)) {
            config[qualify(k)] = v;
            secretKeys.push(qualify(k));
        }
    }
    return { config, secretKeys };
}

const INDEX = require.resolve(path.join(PROGRAM_DIR, "index"));

/** What a program run produced: its resources, and either its outputs or the error it threw. */
export interface StackOutcome extends StackEvaluation {
    error?: Error;
}

/** Runs index.ts under mocks with the stack's real config and reports everything, including a thrown error. */
export async function runStack(stack: StackName | string, opts: EvaluateOptions = {}): Promise<StackOutcome> {
    const { config, secretKeys } = stackConfig(stack, opts);
    pulumi.runtime.setAllConfig(config, secretKeys);
    const recorder = await installMocks({ stack, preview: opts.preview, stackOutputs: opts.stackOutputs });
    const deps = new DependencyRecorder();
    const finalize = () => recorder.finalize().map((r) => ({ ...r, dependsOn: deps.dependsOn.get(`${r.type}::${r.name}`) ?? [] }));
    delete require.cache[INDEX];
    let exported: Record<string, unknown> = {};
    // The stack's config decides where charts come from: the shell's PLATFORM_CHART_MIRROR (how local tooling finds the
    // mirror) must not change what the program under test registers.
    const shellMirror = process.env[CHART_MIRROR_ENV];
    delete process.env[CHART_MIRROR_ENV];
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            pulumi.runtime.registerStackTransformation(recorder.transformation);
            pulumi.runtime.registerStackTransformation(deps.transformation);
            // The program exports one async function, as Pulumi runs it: its result is the stack's outputs.
            const program = require(INDEX) as () => Promise<Record<string, unknown>>;
            exported = await program();
            return exported;
        });
    } catch (e) {
        await settle();
        return { resources: finalize(), outputs: {}, error: e as Error };
    } finally {
        if (shellMirror !== undefined) process.env[CHART_MIRROR_ENV] = shellMirror;
    }
    await settle();
    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(exported)) {
        outputs[k] = await resolve(v as pulumi.Input<unknown>);
    }
    await settle();
    return { resources: finalize(), outputs };
}

/**
 * Runs index.ts under mocks with the stack's real config. Resolves with every registered resource and the stack
 * outputs; rejects with the program's error (e.g. a ConfigError) when the program throws.
 */
export async function evaluateStack(stack: StackName | string, opts: EvaluateOptions = {}): Promise<StackEvaluation> {
    const outcome = await runStack(stack, opts);
    if (outcome.error) throw outcome.error;
    return { resources: outcome.resources, outputs: outcome.outputs };
}
