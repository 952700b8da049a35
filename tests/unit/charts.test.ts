import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { applyChartMirror, chartsInUse, mirrorEntry } from "../../components/charts/charts";
import { CNPG_CLUSTER_CHART, CNPG_OPERATOR_CHART, STRIMZI_OPERATOR_CHART, VALKEY_CHART } from "../../components/config/chartPins";
import { ConfigError } from "../../components/config";
import { findChartMirror, requireChartMirror } from "../../tools/chartMirror";
import { runStack } from "../../tools/stackEvaluator";
import { parseConfig, rawPlatform } from "./componentFixtures";

const CHART = "kubernetes:helm.sh/v4:Chart";
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-side access to untyped resource inputs

function allStores(): Record<string, unknown> {
    const raw = rawPlatform();
    raw.postgres = { enabled: true };
    raw.redis = { enabled: true };
    raw.kafka = { enabled: true };
    return raw;
}

describe("chart mirror", () => {
    it("looks a pinned chart up as <mirror>/<chart>-<version>", () => {
        expect(mirrorEntry("/m", CNPG_CLUSTER_CHART)).to.equal("/m/cluster-0.8.1");
        expect(mirrorEntry("/m", STRIMZI_OPERATOR_CHART)).to.equal("/m/strimzi-kafka-operator-1.2.0");
    });

    it("points every chart in use at the mirror, relative mirrors from the project directory", () => {
        const cfg = applyChartMirror(parseConfig(allStores()), "mirror", "/project", () => true);
        expect(cfg.postgres.operatorChart).to.deep.equal({ chart: "cloudnative-pg", version: "0.29.0", path: "/project/mirror/cloudnative-pg-0.29.0" });
        expect(cfg.postgres.clusterChart.path).to.equal("/project/mirror/cluster-0.8.1");
        expect(cfg.redis.chart.path).to.equal("/project/mirror/valkey-0.11.0");
        expect(cfg.kafka.operatorChart.path).to.equal("/project/mirror/strimzi-kafka-operator-1.2.0");
    });

    it("a missing entry is a ConfigError naming the config key, chart and version; disabled stores are not looked up", () => {
        const raw = allStores();
        raw.redis = { enabled: true, chart: { version: "0.10.9" } };
        raw.kafka = { enabled: false };
        const seen: string[] = [];
        const has = (dir: string) => {
            seen.push(path.basename(dir));
            return !dir.endsWith("valkey-0.10.9");
        };
        let err: unknown;
        try {
            applyChartMirror(parseConfig(raw), "/m", "/", has);
        } catch (e) {
            err = e;
        }
        expect(err).to.be.instanceOf(ConfigError);
        expect((err as ConfigError).issues).to.have.length(1);
        expect((err as ConfigError).issues[0].key).to.equal("platform:redis.chart");
        expect((err as ConfigError).message)
            .to.include("valkey@0.10.9")
            .and.include("/m/valkey-0.10.9/Chart.yaml");
        expect(seen).to.not.include("strimzi-kafka-operator-1.2.0");
    });

    it("an explicit chart path wins over the mirror; operators not installed are not looked up", () => {
        const raw = allStores();
        raw.postgres = { enabled: true, installOperator: false, clusterChart: { path: "/own/cluster" } };
        const cfg = parseConfig(raw);
        expect(chartsInUse(cfg).map((c) => c.key)).to.deep.equal(["postgres.clusterChart", "redis.chart", "kafka.operatorChart"]);
        const out = applyChartMirror(cfg, "/m", "/", (dir) => !dir.includes("cloudnative-pg"));
        expect(out.postgres.clusterChart.path).to.equal("/own/cluster");
    });

    it("the real mirror holds every pinned chart", () => {
        const mirror = requireChartMirror();
        for (const c of [CNPG_OPERATOR_CHART, CNPG_CLUSTER_CHART, VALKEY_CHART, STRIMZI_OPERATOR_CHART]) {
            expect(fs.existsSync(path.join(mirrorEntry(mirror, c), "Chart.yaml")), `${c.chart}-${c.version}`).to.equal(true);
        }
    });

    it("local tooling finds the mirror from PLATFORM_CHART_MIRROR, else a shared/charts beside the repository or above", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
        const repo = path.join(tmp, "wt", "repo");
        fs.mkdirSync(repo, { recursive: true });
        expect(findChartMirror({}, repo)).to.equal(undefined);
        expect(() => requireChartMirror({}, repo)).to.throw(/PLATFORM_CHART_MIRROR/);
        fs.mkdirSync(path.join(tmp, "shared", "charts"), { recursive: true });
        expect(findChartMirror({}, repo)).to.equal(path.join(tmp, "shared", "charts"));
        expect(findChartMirror({ PLATFORM_CHART_MIRROR: "elsewhere" }, repo)).to.equal(path.join(repo, "elsewhere"));
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    describe("in the program (index.ts under mocks)", () => {
        it("platform:chartMirror turns every chart into its mirror folder", async () => {
            const mirror = requireChartMirror();
            const outcome = await runStack("dev", { configOverrides: { chartMirror: mirror } });
            expect(outcome.error).to.equal(undefined);
            const charts = outcome.resources.filter((r) => r.type === CHART).map((r) => r.inputs as Obj);
            expect(charts.map((c) => c.chart).sort()).to.deep.equal(
                [CNPG_CLUSTER_CHART, CNPG_OPERATOR_CHART, STRIMZI_OPERATOR_CHART, VALKEY_CHART].map((c) => mirrorEntry(mirror, c)).sort(),
            );
            for (const c of charts) expect(c.repositoryOpts).to.equal(undefined);
        });

        it("a mirror without the pinned charts fails before registering anything", async () => {
            const empty = fs.mkdtempSync(path.join(os.tmpdir(), "empty-mirror-"));
            const outcome = await runStack("dev", { configOverrides: { chartMirror: empty } });
            fs.rmSync(empty, { recursive: true, force: true });
            expect(outcome.error).to.be.instanceOf(ConfigError);
            expect(outcome.error!.message).to.include("cloudnative-pg@0.29.0").and.include("valkey@0.11.0").and.include("strimzi-kafka-operator@1.2.0");
            expect(outcome.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
        });

        it("without a mirror, charts come from their repositories", async () => {
            const saved = process.env.PLATFORM_CHART_MIRROR;
            delete process.env.PLATFORM_CHART_MIRROR;
            try {
                const outcome = await runStack("dev");
                const cluster = outcome.resources
                    .filter((r) => r.type === CHART)
                    .map((r) => r.inputs as Obj)
                    .find((c) => c.chart === "cluster");
                expect(cluster).to.deep.include({ version: "0.8.1", repositoryOpts: { repo: "https://cloudnative-pg.github.io/charts" } });
            } finally {
                if (saved !== undefined) process.env.PLATFORM_CHART_MIRROR = saved;
            }
        });
    });
});
