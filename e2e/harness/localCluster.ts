// The hermetic real-engine harness shared by `npm run local:up`, `npm run test:e2e` and the real-engine benchmarks:
// builds/reuses the Go toolchain, starts the local cluster, prepares a stack working directory, runs the Pulumi CLI.
import { spawn, spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { requireChartMirror } from "../../tools/chartMirror";

/** The repository root (where Pulumi.yaml is). */
export const REPO = (() => {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml")) && fs.existsSync(path.join(dir, "e2e"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`no project root above ${__dirname}`);
    }
})();

/** State dir of the local cluster and of the file:// Pulumi backend (same default as e2e/env.sh). */
export const STATE = process.env.PLATFORM_E2E_STATE ?? path.join(os.homedir(), ".local", "state", "platform-e2e");

/** Passphrase of the local stacks' secrets provider; local only, never used for a real stack. */
export const PASSPHRASE = process.env.PULUMI_CONFIG_PASSPHRASE ?? "platform-e2e";

export type Log = (line: string) => void;
export const stderrLog: Log = (line) => process.stderr.write(`[platform] ${line}\n`);

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
    return spawnSync(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd ?? REPO, encoding: "utf8", input: opts.input, maxBuffer: 256 * 1024 * 1024 });
}

/** Runs a command with its output streamed to the terminal (long steps show their own progress). */
export function runVisible(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = REPO): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { env, cwd, stdio: ["ignore", "inherit", "inherit"] });
        child.on("error", reject);
        child.on("close", (code) => resolve(code ?? 1));
    });
}

/** Bin dir of the toolchain for the pinned versions (it may not be built yet). */
export function toolchainBinDir(): string {
    const r = run(path.join(REPO, "e2e", "toolchain.sh"), ["--print-bin-dir"]);
    if (r.status !== 0) throw new Error(`e2e/toolchain.sh --print-bin-dir failed: ${r.stderr}`);
    return r.stdout.trim();
}

/** Tools the real-engine path needs, all in the toolchain bin dir. */
export const REQUIRED_TOOLS = [
    "pulumi",
    "pulumi-language-nodejs",
    "pulumi-resource-kubernetes",
    "pulumi-resource-random",
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kubectl",
    "kwok",
];

/** What the real node adds (e2e/node.sh); needed unless PLATFORM_E2E_REAL_NODE=0. */
export const REAL_NODE_TOOLS = ["kubelet", "kube-proxy", "kube-router", "coredns", "../share/images/images.env"];

/** True unless the environment turns the real node off (then the cluster is kwok-only, as before). */
export function realNodeEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
    return (env.PLATFORM_E2E_REAL_NODE ?? "1") !== "0";
}

/** Names of required tools not built yet. */
export function missingTools(bin = toolchainBinDir()): string[] {
    const tools = realNodeEnabled() ? [...REQUIRED_TOOLS, ...REAL_NODE_TOOLS] : REQUIRED_TOOLS;
    return tools.filter((t) => !fs.existsSync(path.join(bin, t)));
}

/**
 * The toolchain's bin dir, or an error saying how to build it. Test hooks call this instead of building: a cold
 * build takes longer than any hook timeout, so it runs as its own step (`bash e2e/toolchain.sh`, which
 * `npm run test:e2e` and .ci/run do first).
 */
export function requireToolchain(): string {
    const bin = toolchainBinDir();
    const missing = missingTools(bin);
    if (missing.length > 0) {
        throw new Error(
            `the e2e toolchain lacks ${missing.join(", ")}: build it first with \`bash e2e/toolchain.sh\` (cold: ~35 min on 2 cores; cached afterwards)`,
        );
    }
    return bin;
}

/** Builds whatever part of the toolchain is missing (cold: long; warm: a second). */
export async function ensureToolchain(log: Log = stderrLog): Promise<string> {
    const bin = toolchainBinDir();
    const missing = missingTools(bin);
    if (missing.length === 0) {
        log(`toolchain: cached in ${bin}`);
        return bin;
    }
    log(`toolchain: building ${missing.join(", ")} from Go modules (cold builds take long; progress below)`);
    const code = await runVisible(path.join(REPO, "e2e", "toolchain.sh"), []);
    if (code !== 0) throw new Error(`e2e/toolchain.sh failed (exit ${code}); see the log it named`);
    const still = missingTools(bin);
    if (still.length > 0) throw new Error(`toolchain still lacks: ${still.join(", ")}`);
    return bin;
}

/**
 * Installs the built providers into a PULUMI_HOME as versioned plugins (so the engine checks versions instead of
 * taking PATH's) and sets the CLI's automatic log there: off unless `automaticLog` (e2e/toolchain.sh says why).
 */
export function preparePulumiHome(pulumiHome: string, automaticLog = process.env.PLATFORM_PULUMI_AUTOMATIC_LOG === "1"): void {
    const link = run(path.join(REPO, "e2e", "toolchain.sh"), ["--link-plugins", pulumiHome], {
        env: { ...process.env, PLATFORM_PULUMI_AUTOMATIC_LOG: automaticLog ? "1" : "0" },
    });
    if (link.status !== 0) throw new Error(`e2e/toolchain.sh --link-plugins failed: ${link.stderr}`);
}

/** The environment of every real-engine command: toolchain first on PATH, local cluster, offline Pulumi. */
export function e2eEnv(bin = toolchainBinDir(), extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const pulumiHome = path.join(STATE, "pulumi-home");
    const backend = path.join(STATE, "pulumi-state");
    fs.mkdirSync(pulumiHome, { recursive: true });
    fs.mkdirSync(backend, { recursive: true });
    preparePulumiHome(pulumiHome);
    return {
        ...process.env,
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        KUBECONFIG: path.join(STATE, "kubeconfig"),
        PLATFORM_E2E_STATE: STATE,
        PLATFORM_E2E_BIN: bin,
        PULUMI_HOME: pulumiHome,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        ...extra,
    };
}

/** Starts the local cluster (or says it is up). */
export async function clusterUp(env: NodeJS.ProcessEnv): Promise<void> {
    const code = await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["up"], env);
    if (code !== 0) throw new Error(`e2e/cluster.sh up failed (exit ${code}); logs in ${path.join(STATE, "logs")}`);
}

/** True when every cluster process runs and the apiserver is ready. */
export function clusterIsUp(env: NodeJS.ProcessEnv): boolean {
    return run(path.join(REPO, "e2e", "cluster.sh"), ["status"], { env }).status === 0;
}

/** Stops the local cluster and frees its ports. */
export async function clusterDown(env: NodeJS.ProcessEnv): Promise<void> {
    const code = await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down"], env);
    if (code !== 0) throw new Error(`e2e/cluster.sh down failed (exit ${code})`);
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep-merges `patch` into `base` (objects merge, everything else replaces). */
export function deepMerge(base: unknown, patch: unknown): unknown {
    if (!isObject(base) || !isObject(patch)) return patch;
    const out: Json = { ...base };
    for (const [k, v] of Object.entries(patch)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
}

/**
 * What the hermetic cluster needs on top of a stack file: charts cannot be pulled, so they come from the chart mirror
 * (`$PLATFORM_CHART_MIRROR`, else `../shared/charts`; an absolute path, since the program runs from its working
 * directory); the CNPG operator never runs, so its webhooks must not block CRs; and no ingress controller runs, so the
 * Ingress never gets an address: Pulumi is told not to wait for one.
 */
export function hermeticOverrides(): Json {
    return {
        "platform:chartMirror": requireChartMirror(),
        // The apiserver here never calls admission webhooks (and most suites keep the CNPG operator's pods on kwok).
        "platform:postgres": { webhookFailurePolicy: "Ignore" },
        "platform:edge": { ingress: { annotations: { "pulumi.com/skipAwait": "true" } } },
    };
}

/**
 * A working directory for one local stack: the program's files linked from the repository (so the code under test
 * is the repository's), and its own `Pulumi.<stack>.yaml` = the base config (`Pulumi.<base>.yaml`, or `baseFile`
 * such as a blueprint) + hermetic overrides + `overrides`.
 * The committed stack files are never touched. An existing stack file (with its encryption salt and secrets set by
 * `pulumi config set`) is kept unless `fresh` is set.
 */
export function prepareWorkdir(name: string, stack: string, opts: { base?: string; baseFile?: string; overrides?: Json; fresh?: boolean } = {}): string {
    const dir = path.join(STATE, "work", name);
    if (opts.fresh) fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const f of [
        "entry.js",
        "chartPostRender.js",
        "index.ts",
        "components",
        "policy",
        "package.json",
        "tsconfig.json",
        "tsconfig.pulumi.json",
        "node_modules",
        "Pulumi.yaml",
    ]) {
        const target = path.join(REPO, f);
        const link = path.join(dir, f);
        if (!fs.existsSync(target)) continue;
        // lstat, not exists: a dangling symlink from an earlier run must go too.
        if (fs.lstatSync(link, { throwIfNoEntry: false })) fs.rmSync(link, { recursive: true, force: true });
        fs.symlinkSync(target, link);
    }
    const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        const baseFile = opts.baseFile ? path.resolve(REPO, opts.baseFile) : path.join(REPO, `Pulumi.${opts.base ?? "dev"}.yaml`);
        const base = yaml.load(fs.readFileSync(baseFile, "utf8")) as { config: Json };
        let config: Json = base.config;
        for (const patch of [hermeticOverrides(), opts.overrides ?? {}]) {
            for (const [k, v] of Object.entries(patch)) config = { ...config, [k]: k in config ? deepMerge(config[k], v) : v };
        }
        fs.writeFileSync(
            stackFile,
            `# Generated for the local hermetic cluster from ${path.relative(REPO, baseFile)}; not committed.\n` + yaml.dump({ config }, { lineWidth: 140 }),
        );
    }
    return dir;
}

export interface CliResult {
    status: number;
    stdout: string;
    stderr: string;
    ms: number;
}

/** Runs the Pulumi CLI in a working directory; throws with its output on failure unless allowFailure. */
export function pulumi(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; allowFailure?: boolean; input?: string }): CliResult {
    const t0 = process.hrtime.bigint();
    const r = run("pulumi", [...args, "--non-interactive"], { cwd: opts.cwd, env: opts.env, input: opts.input });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const result = { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ms };
    if (result.status !== 0 && !opts.allowFailure) {
        throw new Error(`pulumi ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout.slice(-6000)}\n${result.stderr.slice(-4000)}`);
    }
    return result;
}

/** Runs the Pulumi CLI with its output streamed (for the user-facing local:up). */
export async function pulumiVisible(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
    return runVisible("pulumi", [...args, "--non-interactive"], env, cwd);
}

/** Selects a stack in the working directory, creating it with the passphrase secrets provider when new. */
export function selectStack(stack: string, cwd: string, env: NodeJS.ProcessEnv): void {
    const sel = pulumi(["stack", "select", stack], { cwd, env, allowFailure: true });
    if (sel.status !== 0) pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], { cwd, env });
}

/** `--policy-pack` flags for a stack: the repository's pack and its per-stack enforcement config. */
export function policyArgs(enforcement: string = "dev"): string[] {
    return ["--policy-pack", path.join(REPO, "policy"), "--policy-pack-config", path.join(REPO, "policy", "config", `${enforcement}.json`)];
}

/** kubectl from the toolchain against the local cluster. */
export function kubectl(args: string[], env: NodeJS.ProcessEnv, input?: string): SpawnSyncReturns<string> {
    return run("kubectl", args, { env, input });
}
