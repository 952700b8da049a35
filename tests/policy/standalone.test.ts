// The pack is publishable on its own (`pulumi policy publish` uploads policy/ alone): nothing in it imports from
// outside policy/, and a copy of policy/ by itself installs from its own lockfile, loads under the analyzer host
// and enforces.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { policies } from "../../policy/pack";
import { AnalyzerInfo, RunningPack, call, startPack } from "./analyzerHost";

const PACK = path.resolve(__dirname, "..", "..", "policy");

/** Every .ts file of the pack (its own sources, not node_modules or build output). */
function packSources(dir = PACK): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        if (e.name === "node_modules" || e.name === "bin") return [];
        const p = path.join(dir, e.name);
        return e.isDirectory() ? packSources(p) : e.name.endsWith(".ts") ? [p] : [];
    });
}

describe("policy pack: publishable on its own", function () {
    this.timeout(600_000);

    it("imports nothing from outside policy/ (relative imports stay inside, bare imports are its own dependencies)", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8")) as {
            dependencies: Record<string, string>;
            devDependencies: Record<string, string>;
        };
        const deps = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies), "fs", "path", "os", "crypto", "util"]);
        const bad: string[] = [];
        for (const file of packSources()) {
            const text = fs.readFileSync(file, "utf8");
            for (const m of text.matchAll(/(?:import|export)\s[^"';]*?from\s+["']([^"']+)["']|require\(["']([^"']+)["']\)|import\(["']([^"']+)["']\)/g)) {
                const spec = m[1] ?? m[2] ?? m[3];
                if (spec.startsWith(".")) {
                    const target = path.resolve(path.dirname(file), spec);
                    if (!target.startsWith(PACK + path.sep)) bad.push(`${path.relative(PACK, file)} imports ${spec}`);
                } else {
                    const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
                    if (!deps.has(name)) bad.push(`${path.relative(PACK, file)} imports ${spec}, not a dependency of the pack`);
                }
            }
        }
        expect(bad).to.deep.equal([]);
    });

    describe("a copy of policy/ alone", () => {
        let dir: string;
        let pack: RunningPack | undefined;

        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
            fs.cpSync(PACK, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|bin)$/.test(src) });
            // `npm ci` from the pack's own lockfile, as the CLI and the Pulumi Cloud do for a published pack.
            const ci = spawnSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], {
                cwd: dir,
                encoding: "utf8",
                env: { ...process.env, npm_config_loglevel: "error" },
            });
            if (ci.status !== 0) throw new Error(`npm ci in the copied pack failed:\n${ci.stdout}\n${ci.stderr}`);
        });

        after(() => {
            pack?.stop();
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        });

        it("type-checks with its own compiler and tsconfig", () => {
            const tsc = spawnSync(process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.check.json", "--noEmit"], {
                cwd: dir,
                encoding: "utf8",
            });
            expect(`${tsc.stdout}${tsc.stderr}`).to.equal("");
            expect(tsc.status).to.equal(0);
        });

        it("loads under the analyzer host and enforces: a privileged Deployment with a literal password is rejected", async () => {
            pack = await startPack(dir);
            const info = await call<AnalyzerInfo>((cb) => pack!.client.getAnalyzerInfo(pack!.empty(), cb));
            expect(info.getPoliciesList().map((p) => p.getName())).to.deep.equal(policies.map((p) => p.name));
            const diags = await pack.analyze("kubernetes:apps/v1:Deployment", "api", {
                metadata: { name: "api", namespace: "shop", labels: {} },
                spec: {
                    selector: { matchLabels: { app: "api" } },
                    template: {
                        metadata: { labels: { app: "api" } },
                        spec: {
                            containers: [
                                {
                                    name: "app",
                                    image: "ghcr.io/acme/api:1.0.0",
                                    securityContext: { privileged: true },
                                    env: [{ name: "DB_PASS", value: "Sup3rS3cret" }],
                                },
                            ],
                        },
                    },
                },
            });
            // The SDK prefixes each message with the policy description on its own line; the finding is the last line.
            const lines = diags.map((d) => `${d.getPolicyname()}: ${d.getMessage().split("\n").pop()}`);
            expect(lines).to.include.members([
                'no-privileged-containers: container "app": securityContext.privileged is true; remove it and add only the capability the process needs',
                'no-secret-env-literals: container "app": env DB_PASS (env[0]) has a literal value; move the value into a Secret and use env[].valueFrom.secretKeyRef (or $(VAR) expansion of a secret-backed variable)',
            ]);
            expect(lines.join("\n")).to.match(
                /required-labels: missing required labels: app\.kubernetes\.io\/name, .*cost-center; add them to metadata\.labels/,
            );
            expect(lines.join("\n")).to.not.include("Sup3rS3cret");
        });
    });
});
