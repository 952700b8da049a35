// Builds and runs tools/psa-oracle (Pod Security admission's own evaluator, k8s.io/pod-security-admission at the
// pinned cluster's version) for the pack's differential test. The binary is built on first use with the local Go
// toolchain (a documented prerequisite) and cached by a hash of its sources and the Go version, under
// node_modules/.cache/platform-psa-oracle/ (or ~/.cache/platform-psa-oracle/ without a node_modules).
import { createHash } from "crypto";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ORACLE_DIR = path.resolve(__dirname, "psa-oracle");
const SOURCES = ["go.mod", "go.sum", "main.go"];

export interface OracleInput {
    id: string;
    level: "baseline" | "restricted";
    /** Pod Security policy version, "v1.34". */
    version: string;
    metadata: Record<string, unknown>;
    spec: Record<string, unknown>;
}

export interface OracleVerdict {
    id: string;
    allowed: boolean;
    /** PSA's ForbiddenReasons ("host namespaces", "seccompProfile", …); ["decodeError"] when the spec does not decode. */
    reasons: string[];
    details?: string[];
    error?: string;
}

/** The Go environment of the build: module-mode, local toolchain only, and no checksum-DB lookups the mirror may lack. */
function goEnv(): NodeJS.ProcessEnv {
    const nosum = [process.env.GONOSUMDB, "k8s.io", "sigs.k8s.io"].filter(Boolean).join(",");
    return { ...process.env, GOFLAGS: "-mod=readonly -buildvcs=false", GOTOOLCHAIN: "local", GOWORK: "off", GONOSUMDB: nosum };
}

function goVersion(): string {
    try {
        return execFileSync("go", ["env", "GOVERSION"], { env: goEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    } catch (e) {
        const err = e as NodeJS.ErrnoException & { stderr?: string };
        if (err.code === "ENOENT")
            throw new Error(
                "`go` is not on PATH: the Pod Security oracle (tools/psa-oracle) is built with Go, a prerequisite of this project (README.md, Prerequisites); install Go ≥ 1.24 and run the tests again",
            );
        throw new Error(`go env GOVERSION failed: ${err.stderr ?? err.message}`);
    }
}

function cacheRoot(): string {
    const nm = path.resolve(__dirname, "..", "node_modules");
    return fs.existsSync(nm) ? path.join(nm, ".cache", "platform-psa-oracle") : path.join(os.homedir(), ".cache", "platform-psa-oracle");
}

/** Path of the oracle binary, building it when its sources or the Go version changed. */
export function oracleBinary(log: (line: string) => void = (l) => console.log(l)): string {
    const version = goVersion();
    const h = createHash("sha256").update(`${version} ${process.platform} ${process.arch}\n`);
    for (const f of SOURCES) h.update(`${f}\n`).update(fs.readFileSync(path.join(ORACLE_DIR, f)));
    const dir = path.join(cacheRoot(), h.digest("hex").slice(0, 16));
    const bin = path.join(dir, process.platform === "win32" ? "psa-oracle.exe" : "psa-oracle");
    if (fs.existsSync(bin)) return bin;
    log(
        `      building the Pod Security oracle (tools/psa-oracle, ${version}) into ${dir}; a cold module cache downloads k8s.io/pod-security-admission and its dependencies first`,
    );
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    const r = spawnSync("go", ["build", "-trimpath", "-o", tmp, "."], { cwd: ORACLE_DIR, env: goEnv(), encoding: "utf8" });
    if (r.status !== 0) {
        fs.rmSync(tmp, { force: true });
        throw new Error(
            `building tools/psa-oracle failed (go build -trimpath, GOFLAGS=-mod=readonly -buildvcs=false, GOTOOLCHAIN=local):\n${r.stderr || r.error?.message}`,
        );
    }
    fs.renameSync(tmp, bin);
    return bin;
}

/** Evaluates every input with the oracle (one process, JSON lines in and out); verdicts in input order. */
export function runOracle(bin: string, inputs: OracleInput[]): OracleVerdict[] {
    const r = spawnSync(bin, [], { input: inputs.map((i) => JSON.stringify(i)).join("\n") + "\n", encoding: "utf8", maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`psa-oracle exited ${r.status ?? r.signal}: ${r.stderr || r.error?.message}`);
    const out = r.stdout
        .split("\n")
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as OracleVerdict);
    if (out.length !== inputs.length) throw new Error(`psa-oracle answered ${out.length} lines for ${inputs.length} inputs`);
    out.forEach((v, i) => {
        if (v.id !== inputs[i].id) throw new Error(`psa-oracle answered ${v.id} where ${inputs[i].id} was expected`);
    });
    return out;
}
