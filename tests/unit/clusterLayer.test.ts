// The cluster layer and the app stacks on it: the layer installs the operators (and nothing of an app), exports the
// contract; an app stack that names it installs no operator, admits the layer's operator namespaces, and refuses —
// naming the key, with nothing registered but the StackReference read — a layer it cannot run on.
import { expect } from "chai";
import { ClusterLayerExport, clusterLayerExport, parseClusterLayerConfig } from "../../components/cluster";
import { ConfigError } from "../../components/config";
import { policyConfigPath, toFakeResources } from "../../scripts/policy-check";
import { loadConfigFile, runPack } from "../../tools/policyRunner";
import { evaluateStack, readStackFile, runStack, RegisteredResource } from "../../tools/stackEvaluator";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const LAYER = "organization/platform/cluster";
const CHART = "kubernetes:helm.sh/v4:Chart";
const NAMESPACE = "kubernetes:core/v1:Namespace";

/** The cluster stack file's config, unqualified and JSON-encoded as the runtime stores it. */
function layerRaw(patch: Obj = {}): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(readStackFile("cluster"))) out[k.replace(/^platform:/, "")] = typeof v === "string" ? v : JSON.stringify(v);
    for (const [k, v] of Object.entries(patch)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
    return out;
}

function layerIssues(patch: Obj): string[] {
    try {
        parseClusterLayerConfig(layerRaw(patch));
    } catch (e) {
        if (e instanceof ConfigError) return e.issues.map((i) => `${i.key}: ${i.message}`);
        throw e;
    }
    return [];
}

/** A resource's inputs, for reading nested fields. */
const inputs = (r: RegisteredResource): Obj => r.inputs as Obj;

const defaultExport = (): ClusterLayerExport => clusterLayerExport(parseClusterLayerConfig(layerRaw()));

/** dev on the cluster layer: its store blocks without the operator keys a layer owns. */
function devOnLayer(layer: Obj | undefined, patch: (c: Obj) => void = () => undefined): Promise<{ resources: RegisteredResource[]; error?: Error }> {
    const file = readStackFile("dev") as Obj;
    const postgres = { ...file["platform:postgres"] };
    const kafka = { ...file["platform:kafka"] };
    delete postgres.installOperator;
    delete kafka.installOperator;
    const c: Obj = { clusterLayer: LAYER, postgres, kafka };
    patch(c);
    return runStack("dev", { configOverrides: c, stackOutputs: layer ? { [LAYER]: { clusterLayer: layer } } : {} });
}

async function refusal(layer: Obj | undefined, patch?: (c: Obj) => void): Promise<{ keys: string[]; messages: string; registered: string[] }> {
    const out = await devOnLayer(layer, patch);
    expect(out.error, "the program must refuse").to.be.instanceOf(ConfigError);
    const issues = (out.error as ConfigError).issues;
    return {
        keys: issues.map((i) => i.key),
        messages: issues.map((i) => i.message).join("\n"),
        registered: out.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type),
    };
}

describe("cluster layer", function () {
    this.timeout(120_000);

    describe("its config", () => {
        it("defaults both operators on, Strimzi watching every namespace, and exports the pinned releases", () => {
            expect(defaultExport()).to.deep.equal({
                contract: 1,
                cluster: "shared",
                cnpg: { namespace: "cnpg-system", chartVersion: "0.29.0", operatorVersion: "1.30.0" },
                strimzi: {
                    namespace: "strimzi-system",
                    chartVersion: "1.2.0",
                    operatorVersion: "1.2.0",
                    kafkaVersions: ["4.2.0", "4.2.1", "4.3.0", "4.3.1"],
                    watchNamespaces: ["*"],
                },
                crds: ["postgresql.cnpg.io/v1", "kafka.strimzi.io/v1"],
            });
        });

        it('refuses app settings, a chart whose operator release it cannot know, and "*" beside namespaces, naming each key', () => {
            const issues = layerIssues({
                services: [],
                operators: { cnpg: { chart: { version: "0.30.0" } }, strimzi: { watchNamespaces: ["*", "shop-dev"] } },
            });
            expect(issues.some((i) => i.startsWith("platform:services: is not a setting of a cluster layer stack"))).to.equal(true, issues.join("\n"));
            expect(issues.some((i) => i.startsWith("platform:operators.cnpg.operatorVersion: is required for chart cloudnative-pg@0.30.0"))).to.equal(
                true,
                issues.join("\n"),
            );
            expect(issues.some((i) => i.startsWith('platform:operators.strimzi.watchNamespaces: lists "*" beside namespaces'))).to.equal(
                true,
                issues.join("\n"),
            );
            expect(layerIssues({ operators: { cnpg: { chart: { version: "0.30.0" }, operatorVersion: "1.31.0" } } })).to.deep.equal([]);
        });
    });

    describe("its stack", () => {
        it("installs the two operators in their namespaces, their CRDs kept on destroy, and nothing of an app", async () => {
            const { resources, outputs } = await evaluateStack("cluster");
            const charts = resources.filter((r) => r.type === CHART);
            expect(charts.map((r) => r.name).sort()).to.deep.equal(["cnpg-operator", "strimzi-operator"]);
            expect(resources.filter((r) => r.type === NAMESPACE).map((r) => inputs(r).metadata)).to.deep.include.members([
                {
                    name: "cnpg-system",
                    labels: inputs(resources.find((r) => r.name === "cnpg-operator-ns")!).metadata.labels,
                    annotations: inputs(resources.find((r) => r.name === "cnpg-operator-ns")!).metadata.annotations,
                },
            ]);
            // The post-renderer keeps the CRDs on destroy: deleting one would delete every stack's CRs of that kind.
            for (const c of charts) expect(JSON.parse((c.inputs as Obj).postRenderer.args[1]).retainKinds).to.deep.equal(["CustomResourceDefinition"]);
            const strimzi = charts.find((r) => r.name === "strimzi-operator")!.inputs as Obj;
            expect(strimzi.values).to.deep.include({ watchAnyNamespace: true, watchNamespaces: [] });
            expect(resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== CHART && r.type !== NAMESPACE).map((r) => r.type)).to.deep.equal([]);
            expect(outputs.clusterLayer).to.deep.equal(defaultExport());
        });

        it("runs the CloudNativePG operator from the image the layer names (an air-gapped mirror)", async () => {
            const { resources } = await evaluateStack("cluster", {
                configOverrides: { operators: { cnpg: { image: "registry.example.com/mirror/cloudnative-pg:1.30.0" } } },
            });
            const chart = resources.find((r) => r.type === CHART && r.name === "cnpg-operator")!;
            expect(inputs(chart).values.image).to.deep.equal({ repository: "registry.example.com/mirror/cloudnative-pg", tag: "1.30.0" });
            expect(layerIssues({ operators: { cnpg: { image: "registry.example.com/cnpg@sha256:" + "a".repeat(64) } } })[0]).to.match(
                /^platform:operators\.cnpg\.image: .*names a digest/,
            );
        });

        it("passes its pack config (production) with no mandatory violation", async () => {
            const { resources } = await evaluateStack("cluster");
            const res = await runPack(toFakeResources(resources), loadConfigFile(policyConfigPath("cluster")));
            expect(res.violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
        });
    });

    describe("an app stack on it", () => {
        it("installs no operator and no operator namespace, and admits the layer's operator namespaces to its stores", async () => {
            const layer = { ...defaultExport(), cnpg: { ...defaultExport().cnpg!, namespace: "pg-operators" } };
            const { resources, error } = await devOnLayer(layer);
            expect(error).to.equal(undefined);
            expect(resources.filter((r) => r.type === CHART).map((r) => r.name)).to.not.include.members(["postgres-operator", "kafka-operator"]);
            expect(resources.filter((r) => r.type === NAMESPACE).map((r) => inputs(r).metadata.name)).to.deep.equal(["shop-dev"]);
            const pg = resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && inputs(r).metadata.name === "postgres-instances")!;
            expect(JSON.stringify(inputs(pg).spec.ingress)).to.include('"kubernetes.io/metadata.name":"pg-operators"');
            expect(resources.filter((r) => r.type === "pulumi:pulumi:StackReference").map((r) => inputs(r).name)).to.deep.equal([LAYER]);
        });

        it("the single-stack mode is unchanged: without platform:clusterLayer dev installs both operators", async () => {
            const { resources } = await evaluateStack("dev");
            expect(resources.filter((r) => r.type === CHART).map((r) => r.name)).to.include.members(["postgres-operator", "kafka-operator"]);
            expect(resources.filter((r) => r.type === "pulumi:pulumi:StackReference")).to.deep.equal([]);
        });

        it("refuses a stack that cannot be read or exports no layer, naming platform:clusterLayer, with nothing registered", async () => {
            const missing = await refusal(undefined);
            expect(missing.keys).to.deep.equal(["platform:clusterLayer"]);
            expect(missing.messages).to.match(/names stack "organization\/platform\/cluster", which cannot be read/);
            const out = await runStack("dev", { configOverrides: { clusterLayer: LAYER }, stackOutputs: { [LAYER]: { environment: "dev" } } });
            expect((out.error as ConfigError).issues.map((i) => i.key)).to.deep.equal(["platform:clusterLayer"]);
            expect(out.error!.message).to.match(/exports no "clusterLayer" output: it is not a cluster layer stack/);
            for (const registered of [missing.registered, out.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type)]) {
                expect(registered.filter((t) => t !== "pulumi:pulumi:StackReference")).to.deep.equal([]);
            }
        });

        it("refuses a layer without the operator a store needs, an unsupported operator release, an unwatched namespace, a Kafka version it does not run, and another contract", async () => {
            const base = defaultExport();
            const noPg = await refusal({ ...base, cnpg: undefined, crds: ["kafka.strimzi.io/v1"] });
            expect(noPg.keys).to.deep.equal(["platform:postgres.enabled"]);
            expect(noPg.messages).to.match(/runs no CloudNativePG operator/);
            const old = await refusal({ ...base, cnpg: { ...base.cnpg!, operatorVersion: "1.25.1" } });
            expect(old.keys).to.deep.equal(["platform:clusterLayer"]);
            expect(old.messages).to.match(/runs CloudNativePG 1\.25\.1; this program supports 1\.26\.0 up to \(not including\) 2\.0\.0/);
            const unwatched = await refusal({ ...base, strimzi: { ...base.strimzi!, watchNamespaces: ["shop-staging"] } });
            expect(unwatched.keys).to.deep.equal(["platform:namespace.name"]);
            const kafka = await refusal({ ...base, strimzi: { ...base.strimzi!, kafkaVersions: ["4.2.0"] } });
            expect(kafka.keys).to.deep.equal(["platform:kafka.version"]);
            const contract = await refusal({ ...base, contract: 2 });
            expect(contract.messages).to.match(/exports cluster layer contract 2, this program reads contract 1/);
            for (const r of [noPg, old, unwatched, kafka, contract]) expect(r.registered.filter((t) => t !== "pulumi:pulumi:StackReference")).to.deep.equal([]);
        });

        it("refuses the operator keys a layer owns when the stack file sets them", async () => {
            const r = await refusal(defaultExport(), (c) => {
                c.postgres = { ...c.postgres, installOperator: true, webhookFailurePolicy: "Ignore", operatorImage: "registry.example.com/cnpg:1.30.0" };
                c.kafka = { ...c.kafka, installOperator: false };
            });
            expect(r.keys.sort()).to.deep.equal([
                "platform:kafka.installOperator",
                "platform:postgres.installOperator",
                "platform:postgres.operatorImage",
                "platform:postgres.webhookFailurePolicy",
            ]);
            expect(r.messages).to.match(
                /owns the cluster's operators .*: remove platform:postgres\.installOperator and set it in the cluster layer's platform:operators instead/,
            );
        });
    });
});
