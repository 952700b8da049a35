// A separate local cluster per user of the hermetic toolchain (local:up, e2e, bench): its own state dir and ports.
// Must run before e2e/harness/localCluster.ts is loaded, which reads PLATFORM_E2E_STATE once.
// A run claims its slot with a lock file (pid + process start time), so a second run on the same machine never
// tears down the first one's cluster: it takes the next free slot, or stops with a message naming the owner.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const PORT_VARS: Record<string, string> = {
    PLATFORM_E2E_ETCD_PORT: "379",
    PLATFORM_E2E_ETCD_PEER_PORT: "380",
    PLATFORM_E2E_APISERVER_PORT: "443",
    PLATFORM_E2E_KCM_PORT: "257",
    PLATFORM_E2E_SCHEDULER_PORT: "259",
    PLATFORM_E2E_KWOK_PORT: "250",
};

/** Name of the lock file inside a slot's state dir (e2e/cluster.sh reads it too). */
export const SLOT_LOCK = "slot.lock";

function slotEnv(stateDir: string, portPrefix: number): Record<string, string> {
    const env: Record<string, string> = { PLATFORM_E2E_STATE: path.join(os.homedir(), ".local", "state", stateDir) };
    for (const [k, suffix] of Object.entries(PORT_VARS)) env[k] = `${portPrefix}${suffix}`;
    return env;
}

/** Points the harness at `~/.local/state/<stateDir>` and ports `<prefix>xxx` unless the environment already says. */
export function useClusterSlot(stateDir: string, portPrefix: number): void {
    for (const [k, v] of Object.entries(slotEnv(stateDir, portPrefix))) process.env[k] = process.env[k] ?? v;
}

interface LockContent {
    pid: number;
    start: string;
    command: string;
    since: string;
}

/** Start time of a process (clock ticks since boot), so a recycled pid is not mistaken for the owner. */
function processStart(pid: number): string | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    } catch {
        return undefined;
    }
}

/** The live owner of a slot's lock other than this process, or undefined when the slot is free (or ours). */
export function slotOwner(state: string): LockContent | undefined {
    let lock: LockContent;
    try {
        lock = JSON.parse(fs.readFileSync(path.join(state, SLOT_LOCK), "utf8")) as LockContent;
    } catch {
        return undefined;
    }
    if (lock.pid === process.pid) return undefined;
    return processStart(lock.pid) === lock.start ? lock : undefined;
}

function portsFree(env: Record<string, string>): boolean {
    return Object.keys(PORT_VARS).every((k) => {
        const r = spawnSync("ss", ["-Hltn", `sport = :${env[k]}`], { encoding: "utf8" });
        return r.status !== 0 || r.stdout.trim() === "";
    });
}

function tryLock(state: string): boolean {
    fs.mkdirSync(state, { recursive: true });
    const file = path.join(state, SLOT_LOCK);
    const content: LockContent = {
        pid: process.pid,
        start: processStart(process.pid) ?? "",
        command: process.argv.slice(1).join(" "),
        since: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            fs.writeFileSync(file, JSON.stringify(content), { flag: "wx" });
            process.on("exit", () => {
                try {
                    if ((JSON.parse(fs.readFileSync(file, "utf8")) as LockContent).pid === process.pid) fs.rmSync(file);
                } catch {
                    /* already gone */
                }
            });
            return true;
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            if (slotOwner(state)) return false;
            fs.rmSync(file, { force: true }); // stale: its process is gone
        }
    }
    return false;
}

/**
 * Claims a slot for this process: `<stateDir>` with ports `<prefix>xxx`, or when another live run holds it, the
 * next of `alternatives` free slots (`<stateDir>-1` with ports `<prefix+10>xxx`, …). A slot set explicitly in the
 * environment (PLATFORM_E2E_STATE) is never swapped: if it is taken, this throws naming the owner.
 */
export function claimClusterSlot(stateDir: string, portPrefix: number, alternatives = 4): string {
    if (process.env.PLATFORM_E2E_STATE) {
        useClusterSlot(stateDir, portPrefix);
        const state = process.env.PLATFORM_E2E_STATE;
        if (!tryLock(state)) {
            const o = slotOwner(state);
            throw new Error(
                `cluster slot ${state} is in use by another live run (pid ${o?.pid}, since ${o?.since}: ${o?.command}); ` +
                    "wait for it to finish, or point PLATFORM_E2E_STATE and the PLATFORM_E2E_*_PORT variables at another slot",
            );
        }
        return state;
    }
    const busy: string[] = [];
    for (let i = 0; i <= alternatives; i++) {
        const env = slotEnv(i === 0 ? stateDir : `${stateDir}-${i}`, portPrefix + 10 * i);
        if (slotOwner(env.PLATFORM_E2E_STATE) || (i > 0 && !portsFree(env)) || !tryLock(env.PLATFORM_E2E_STATE)) {
            busy.push(env.PLATFORM_E2E_STATE);
            continue;
        }
        for (const [k, v] of Object.entries(env)) process.env[k] = process.env[k] ?? v;
        if (i > 0)
            process.stderr.write(
                `[platform] cluster slot ${busy[0]} is in use by another run; using ${env.PLATFORM_E2E_STATE} (ports ${portPrefix + 10 * i}xxx)\n`,
            );
        return env.PLATFORM_E2E_STATE;
    }
    throw new Error(`every cluster slot is in use by another live run (${busy.join(", ")}); wait for one to finish`);
}
