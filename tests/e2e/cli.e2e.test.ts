// L3: what an operator sees at the real Pulumi CLI: a config refusal prints the problem list and nothing else (no
// "unhandled exception", no stack frames) and exits non-zero for preview and up; and two concurrent `pulumi up` on
// one stack: the backend lock refuses the second, the first completes, nothing is lost.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as yaml from "js-yaml";
import { freshCluster } from "../../e2e/harness/freshCluster";
import { prepareWorkdir, pulumi, REPO, runVisible, selectStack, STATE, stderrLog } from "../../e2e/harness/localCluster";

const STACK = "e2e-cli";
const NS = "shop-e2e-cli";
const IMAGE = "ghcr.io/stefanprodan/podinfo:6.9.2";

// A small stack (two services, no data stores) so an update is quick but still takes the lock for a while.
const OVERRIDES = {
    "platform:namespace": { name: NS },
    "platform:services": [
        { name: "web", image: IMAGE, port: 9898, public: true, pathPrefix: "/", dependsOn: ["worker"] },
        { name: "worker", image: IMAGE, port: 9898 },
    ],
    "platform:postgres": { enabled: false },
    "platform:redis": { enabled: false },
    "platform:kafka": { enabled: false, topics: [] },
};

type Obj = Record<string, unknown>;
interface Exported {
    deployment: { resources?: Obj[]; pending_operations?: unknown[] };
}

describe("real CLI: config refusals and concurrent updates", function () {
    let env: NodeJS.ProcessEnv;
    let cwd: string;
    const stackFile = () => path.join(cwd, `Pulumi.${STACK}.yaml`);
    const editServices = (edit: (services: Obj[]) => void) => {
        const doc = yaml.load(fs.readFileSync(stackFile(), "utf8")) as { config: Obj };
        edit(doc.config["platform:services"] as Obj[]);
        fs.writeFileSync(stackFile(), yaml.dump(doc, { lineWidth: 140 }));
    };
    const exported = () => JSON.parse(pulumi(["stack", "export", "--stack", STACK], { cwd, env }).stdout) as Exported;
    const managed = (e: Exported) =>
        (e.deployment.resources ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack" && !String(r.type).startsWith("pulumi:providers:"));

    before(async () => {
        env = await freshCluster();
        cwd = prepareWorkdir("cli", STACK, { base: "dev", overrides: OVERRIDES, fresh: true });
        selectStack(STACK, cwd, env);
    });

    after(async () => {
        if (process.env.PLATFORM_E2E_KEEP === "1" || !env) return;
        await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down"], env);
    });

    it("prints a config refusal as the problem list only, exits non-zero, for preview and up, and registers nothing", () => {
        const original = fs.readFileSync(stackFile(), "utf8");
        try {
            editServices((s) => {
                s[0].replicas = "3";
                s[1].readinessProbe = { pahth: "/ready" };
            });
            for (const args of [["preview"], ["up", "--yes", "--skip-preview"]]) {
                const r = pulumi([...args, "--stack", STACK], { cwd, env, allowFailure: true });
                const out = r.stdout + r.stderr;
                expect(r.status, out).to.not.equal(0);
                expect(out).to.include("invalid stack configuration (2 problems)");
                expect(out).to.include('platform:services[0].replicas: must be a number: write `replicas: 3`, not `"3"`');
                expect(out).to.include('platform:services[1].readinessProbe.pahth: is not a known setting; did you mean "path"?');
                expect(out, "no unhandled-exception banner").to.not.match(/unhandled exception/i);
                expect(out, "no stack frames").to.not.match(/^\s+at .+[:(]\S+\.[jt]s:\d+/m);
            }
            expect(managed(exported()), "nothing registered").to.deep.equal([]);
        } finally {
            fs.writeFileSync(stackFile(), original);
        }
    });

    it("refuses a second concurrent `pulumi up` on the same stack through the backend lock, and loses nothing", async () => {
        pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], { cwd, env });
        const before = managed(exported())
            .map((r) => String(r.urn))
            .sort();
        expect(before.length).to.be.greaterThan(5);
        editServices((s) => {
            s[1].env = { CONCURRENCY_PROBE: "1" };
        });

        const locks = path.join(STATE, "pulumi-state", ".pulumi", "locks");
        const first = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", STACK, "--non-interactive"], { cwd, env, stdio: "pipe" });
        let firstOut = "";
        first.stdout.on("data", (d: Buffer) => {
            firstOut += d.toString();
        });
        first.stderr.on("data", (d: Buffer) => {
            firstOut += d.toString();
        });
        const firstDone = new Promise<number>((res) => first.on("close", (code) => res(code ?? 1)));
        // The first update holds the stack's lock file from its start to its end: start the second while it exists.
        const lockFiles = () =>
            fs.existsSync(locks)
                ? fs
                      .readdirSync(locks, { recursive: true })
                      .map(String)
                      .filter((f) => f.endsWith(".json"))
                : [];
        const deadline = Date.now() + 60_000;
        while (lockFiles().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(lockFiles(), "the first update took the lock").to.have.length.greaterThan(0);

        const second = pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], { cwd, env, allowFailure: true });
        stderrLog(`second up exited ${second.status} after ${(second.ms / 1000).toFixed(1)}s`);
        expect(second.status, second.stdout + second.stderr).to.not.equal(0);
        expect(second.stdout + second.stderr).to.match(/currently locked/);

        const code = await firstDone;
        expect(code, firstOut.slice(-3000)).to.equal(0);
        const after = exported();
        expect(after.deployment.pending_operations ?? []).to.deep.equal([]);
        expect(
            managed(after)
                .map((r) => String(r.urn))
                .sort(),
            "same resources, none lost or duplicated",
        ).to.deep.equal(before);
        const cm = managed(after).find((r) => r.type === "kubernetes:core/v1:ConfigMap" && String(r.urn).endsWith("worker-config"));
        expect((cm?.outputs as { data?: Obj } | undefined)?.data?.CONCURRENCY_PROBE, "the first update's change landed").to.equal("1");
        expect(lockFiles(), "the lock is released").to.deep.equal([]);
        pulumi(["preview", "--expect-no-changes", "--stack", STACK], { cwd, env });
    });
});
