import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { claimClusterSlot, SLOT_LOCK } from "../../e2e/harness/clusterSlot";

const REPO = path.resolve(__dirname, "..", "..");
const VARS = [
    "HOME",
    "PLATFORM_E2E_STATE",
    "PLATFORM_E2E_ETCD_PORT",
    "PLATFORM_E2E_ETCD_PEER_PORT",
    "PLATFORM_E2E_APISERVER_PORT",
    "PLATFORM_E2E_KCM_PORT",
    "PLATFORM_E2E_SCHEDULER_PORT",
    "PLATFORM_E2E_KWOK_PORT",
];

function startTime(pid: number): string {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
}

describe("cluster slots: two runs on one machine never share a cluster", () => {
    let saved: Record<string, string | undefined>;
    let home: string;
    let other: ChildProcess;

    /** Writes a lock for `pid` into a slot, as a run of that process would. */
    const lockSlot = (state: string, pid: number, start = startTime(pid)) => {
        fs.mkdirSync(state, { recursive: true });
        fs.writeFileSync(path.join(state, SLOT_LOCK), JSON.stringify({ pid, start, command: "mocha e2e", since: "2026-01-01T00:00:00Z" }));
    };

    beforeEach(() => {
        saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
        for (const k of VARS) delete process.env[k];
        home = fs.mkdtempSync(path.join(os.tmpdir(), "slot-"));
        process.env.HOME = home;
        other = spawn("sleep", ["60"]);
    });

    afterEach(() => {
        other.kill();
        for (const [k, v] of Object.entries(saved))
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        fs.rmSync(home, { recursive: true, force: true });
    });

    it("takes the default slot when it is free, and locks it with this process", () => {
        const state = claimClusterSlot("e2e-x", 41);
        expect(state).to.equal(path.join(home, ".local", "state", "e2e-x"));
        expect(process.env.PLATFORM_E2E_APISERVER_PORT).to.equal("41443");
        expect(JSON.parse(fs.readFileSync(path.join(state, SLOT_LOCK), "utf8")).pid).to.equal(process.pid);
    });

    it("takes the next free slot (state dir and ports) when another live run holds the default one", () => {
        lockSlot(path.join(home, ".local", "state", "e2e-x"), other.pid!);
        const state = claimClusterSlot("e2e-x", 41);
        expect(state).to.equal(path.join(home, ".local", "state", "e2e-x-1"));
        expect(process.env.PLATFORM_E2E_APISERVER_PORT).to.equal("51443");
        expect(process.env.PLATFORM_E2E_ETCD_PORT).to.equal("51379");
    });

    it("reclaims a slot whose owner is gone (dead pid, or a recycled pid with another start time)", () => {
        const state = path.join(home, ".local", "state", "e2e-x");
        lockSlot(state, other.pid!, "1");
        expect(claimClusterSlot("e2e-x", 41)).to.equal(state);
    });

    it("stops with the owner's pid when an explicitly chosen slot is taken", () => {
        const state = path.join(home, "mine");
        lockSlot(state, other.pid!);
        process.env.PLATFORM_E2E_STATE = state;
        expect(() => claimClusterSlot("e2e-x", 41)).to.throw(`cluster slot ${state} is in use by another live run (pid ${other.pid}`);
    });

    it("e2e/cluster.sh refuses to take down a cluster that another live run holds", () => {
        const state = path.join(home, "held");
        lockSlot(state, other.pid!);
        const r = spawnSync("bash", [path.join(REPO, "e2e", "cluster.sh"), "down", "--purge"], {
            encoding: "utf8",
            env: { ...process.env, PLATFORM_E2E_STATE: state, PLATFORM_E2E_BIN: path.join(home, "no-bin") },
        });
        expect(r.status).to.not.equal(0);
        expect(r.stderr).to.include(`slot ${state} is in use by another live run (pid ${other.pid}: sleep 60`);
        expect(fs.existsSync(path.join(state, SLOT_LOCK))).to.equal(true);
    });
});
