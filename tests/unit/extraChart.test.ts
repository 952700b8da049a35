// platform:charts: any further Helm chart, with the platform's labels on every child, credentials by Secret name,
// network rules from the services that `uses` it, and config checks that name the key and the fix.
import { expect } from "chai";
import { ConfigError } from "../../components/config";
import { applyChartMirror, chartsInUse } from "../../components/charts/charts";
import * as pulumi from "@pulumi/pulumi";
import { chartNetworkPolicySpec, chartPodSelector, chartValues, ExtraChart, extraChartTransforms, setValuesPath } from "../../components/charts/extraChart";
import { installMocks, settle } from "../../tools/mocks";
import { expectAllDescendFrom, inputs, parseConfig, platformContext, rawPlatform } from "./componentFixtures";

// Internal SDK step a stack run takes before registering anything: it learns the monitor supports transforms.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { awaitFeatureSupport } = require("@pulumi/pulumi/runtime/settings") as { awaitFeatureSupport(): Promise<void> };

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const QUEUE = {
    name: "queue",
    component: "queue",
    chart: { repo: "https://valkey.io/valkey-helm/", chart: "valkey", version: "0.11.0" },
    ports: [6379],
    secretRefs: [{ path: "auth.usersExistingSecret", secret: "queuePassword" }],
    values: { auth: { enabled: true, aclUsers: { default: { permissions: "~* -@all +@read", passwordKey: "queuePassword" } } } },
    clientEnv: { BROKER_HOST: "queue" },
    clientSecretEnv: [{ name: "BROKER_PASSWORD", secret: "queuePassword" }],
};
function withChart(chart: Obj = QUEUE, uses: string[] = ["queue"]): Obj {
    const raw = rawPlatform() as Obj;
    raw.charts = [chart];
    raw.services.find((s: Obj) => s.name === "api").uses = ["postgres", "redis", ...uses];
    return raw;
}
const refused = (raw: Obj, key: string, message: string) => {
    expect(() => parseConfig(raw))
        .to.throw(ConfigError)
        .with.property("message")
        .that.includes(`${key}: ${message}`);
};

describe("platform:charts (extra charts)", () => {
    it("puts the credentials Secret's name at every secretRefs path and keeps the rest of the values", () => {
        const v = chartValues(parseConfig(withChart()).charts[0], "queue-credentials") as Obj;
        expect(v.auth.usersExistingSecret).to.equal("queue-credentials");
        expect(v.auth.aclUsers.default.passwordKey).to.equal("queuePassword");
        expect(setValuesPath({ a: { b: 1 } }, "a.c.d", "x")).to.deep.equal({ a: { b: 1, c: { d: "x" } } });
    });

    it("fences the chart's pods: clients and its own pods on the declared ports, egress only among themselves", () => {
        const spec = chartNetworkPolicySpec({ "app.kubernetes.io/instance": "queue" }, [6379], [{ "app.kubernetes.io/name": "api" }]) as Obj;
        expect(spec.ingress).to.deep.equal([
            { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } } }], ports: [{ protocol: "TCP", port: 6379 }] },
            { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": "queue" } } }], ports: [{ protocol: "TCP", port: 6379 }] },
        ]);
        expect(spec.egress).to.deep.equal([
            { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": "queue" } } }], ports: [{ protocol: "TCP", port: 6379 }] },
        ]);
        const lonely = chartNetworkPolicySpec({ app: "q" }, [1], []) as Obj;
        expect(lonely.ingress).to.have.length(1);
        expect(chartPodSelector({ name: "queue", podSelector: { app: "x" } })).to.deep.equal({ app: "x" });
    });

    it("component: a labelled helm.v4.Chart with a transform that labels every child, its NetworkPolicy, and a client connection by reference", async () => {
        const cfg = parseConfig(withChart());
        const recorder = await installMocks();
        await awaitFeatureSupport();
        const component = new ExtraChart(
            "chart-queue",
            {
                context: platformContext(),
                config: cfg.charts[0],
                secretName: "queue-credentials",
                clientSelectors: [{ "app.kubernetes.io/name": "api" }],
            },
            { transformations: [recorder.transformation] },
        );
        await settle();
        const children = expectAllDescendFrom(recorder, "platform:index:ExtraChart", "chart-queue");
        expect(children.map((c) => c.type)).to.include("kubernetes:networking.k8s.io/v1:NetworkPolicy");
        const chart = inputs(recorder.ofType("kubernetes:helm.sh/v4:Chart")[0]);
        expect(chart.chart).to.equal("valkey");
        expect(chart.version).to.equal("0.11.0");
        expect(chart.name).to.equal("queue");
        expect(chart.values.auth.usersExistingSecret).to.equal("queue-credentials");
        const np = inputs(children.find((c) => c.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")!);
        expect(np.metadata.labels["app.kubernetes.io/component"]).to.equal("queue");
        const conn = component.clientConnection();
        expect(conn.env).to.deep.equal({ BROKER_HOST: "queue" });
        expect(conn.secretEnv.BROKER_PASSWORD).to.deep.equal({ secretName: "queue-credentials", key: "queuePassword" });
        expect(conn.peer).to.deep.equal({ podLabels: { "app.kubernetes.io/instance": "queue" }, ports: [6379] });
    });

    it("labels every object the chart renders and its pod template, keeping the chart's own selector labels", async () => {
        const [transform] = extraChartTransforms({ "app.kubernetes.io/instance": "queue-staging", team: "commerce", environment: "staging" });
        const out = await transform({
            type: "kubernetes:apps/v1:Deployment",
            name: "queue",
            custom: true,
            opts: {},
            props: {
                kind: "Deployment",
                metadata: { name: "queue", labels: { "app.kubernetes.io/instance": "queue" } },
                spec: { template: { metadata: { labels: { "app.kubernetes.io/instance": "queue" } } } },
            },
        } as unknown as pulumi.ResourceTransformArgs);
        const props = out!.props as Obj;
        expect(props.metadata.labels).to.deep.equal({ "app.kubernetes.io/instance": "queue", team: "commerce", environment: "staging" });
        expect(props.spec.template.metadata.labels).to.include({ team: "commerce", "app.kubernetes.io/instance": "queue" });
    });

    it("is read from the chart mirror like the built-in charts, and a chart the mirror lacks is refused by key", () => {
        const cfg = parseConfig(withChart());
        expect(chartsInUse(cfg).map((c) => c.key)).to.include("charts[0].chart");
        const mirrored = applyChartMirror(cfg, "/mirror", "/", () => true);
        expect(mirrored.charts[0].chart.path).to.equal("/mirror/valkey-0.11.0");
        expect(() => applyChartMirror(cfg, "/mirror", "/", (d) => !d.endsWith("valkey-0.11.0"))).to.throw(
            ConfigError,
            /platform:charts\[0\]\.chart: chart valkey@0.11.0 is not in the chart mirror/,
        );
    });

    it("lets services use a declared chart and refuses an unknown name in uses, naming the key", () => {
        expect(() => parseConfig(withChart())).not.to.throw();
        refused(
            withChart(QUEUE, ["broker"]),
            "platform:services[0].uses[2]",
            `"broker" is neither a data store (postgres, redis, kafka) nor a platform:charts entry (charts: queue)`,
        );
    });

    it("refuses literal credentials in values (they go by Secret reference) and client secrets the chart's Secret does not hold", () => {
        refused(
            withChart({ ...QUEUE, values: { auth: { password: "hunter2-but-longer" } } }),
            "platform:charts[0].values.auth.password",
            `"password" holds a literal credential`,
        );
        refused(withChart({ ...QUEUE, values: { url: "redis://admin:S3cretPassw0rd@queue:6379" } }), "platform:charts[0].values.url", "contains");
        expect(() => parseConfig(withChart({ ...QUEUE, values: { url: "redis://admin:S3cretPassw0rd@queue:6379" } }))).to.throw(
            ConfigError,
            /chart values are stored in plaintext/,
        );
        refused(
            withChart({ ...QUEUE, clientSecretEnv: [{ name: "X", secret: "otherKey" }] }),
            "platform:charts[0].clientSecretEnv[0].secret",
            `"otherKey" is not one of this chart's secretRefs secrets`,
        );
    });

    it("refuses names that collide with a built-in store or a service, and unpinned repository charts", () => {
        refused(withChart({ ...QUEUE, name: "redis" }, []), "platform:charts[0].name", `"redis" is a built-in data store's name`);
        refused(withChart({ ...QUEUE, name: "web" }, []), "platform:charts[0].name", `"web" is also a service name`);
        refused(
            withChart({ ...QUEUE, chart: { repo: "https://valkey.io/valkey-helm/", chart: "valkey" } }),
            "platform:charts[0].chart.version",
            "is required for a repository chart",
        );
    });
});
