import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { chartChildrenTransform, labelRenderedObject, mergeChartLabels, SKIP_AWAIT, skipClusterIpServiceAwait } from "../../components/charts/chartChildren";
import { LABELS, REQUIRED_LABELS } from "../../components/k8s/labels";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-side access to untyped objects

const OURS: Record<string, string> = {
    [LABELS.name]: "cnpg-operator",
    [LABELS.instance]: "cnpg-operator-dev",
    [LABELS.version]: "0.29.0",
    [LABELS.component]: "operator",
    [LABELS.partOf]: "platform",
    [LABELS.managedBy]: "pulumi",
    [LABELS.environment]: "dev",
    [LABELS.team]: "platform-team",
    [LABELS.costCenter]: "cc-1001",
};

/** Runs a transform the way the engine does for one rendered child. */
async function transformed(
    t: pulumi.ResourceTransform,
    type: string,
    props: Obj,
    custom = true,
): Promise<{ props: Obj; opts: pulumi.ResourceOptions } | undefined> {
    const r = await t({ type, name: "child", custom, props, opts: {} });
    return r as { props: Obj; opts: pulumi.ResourceOptions } | undefined;
}

describe("labels and retention for chart-rendered objects", () => {
    it("ours win over chart-forced labels (managed-by: Helm, part-of: cloudnative-pg); the chart's identity labels stay", () => {
        const merged = mergeChartLabels(
            {
                [LABELS.managedBy]: "Helm",
                [LABELS.partOf]: "cloudnative-pg",
                [LABELS.name]: "cloudnative-pg",
                [LABELS.component]: "metrics",
                "helm.sh/chart": "x",
            },
            OURS,
        );
        expect(merged[LABELS.managedBy]).to.equal("pulumi");
        expect(merged[LABELS.partOf]).to.equal("platform");
        expect(merged[LABELS.name], "selectors use it").to.equal("cloudnative-pg");
        expect(merged[LABELS.component], "a ServiceMonitor selects on it").to.equal("metrics");
        expect(merged[LABELS.instance], "filled in where the chart set none").to.equal("cnpg-operator-dev");
        expect(merged["helm.sh/chart"]).to.equal("x");
        for (const k of REQUIRED_LABELS) expect(merged[k], k).to.be.a("string");
    });

    it("labels an unlabelled RoleBinding, a Deployment's pod template and a CronJob's job template", () => {
        const rb = labelRenderedObject(
            { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "strimzi-cluster-operator" } },
            OURS,
        );
        for (const k of REQUIRED_LABELS) expect(rb.metadata!.labels![k], k).to.equal(OURS[k]);
        const dep = labelRenderedObject(
            {
                kind: "Deployment",
                metadata: { labels: {} },
                spec: { selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { app: "x" } }, spec: { containers: [] } } },
            },
            OURS,
        ) as Obj;
        expect(dep.spec.template.metadata.labels).to.include({ app: "x", team: "platform-team", [LABELS.managedBy]: "pulumi" });
        expect(dep.spec.selector).to.deep.equal({ matchLabels: { app: "x" } });
        const cj = labelRenderedObject({ kind: "CronJob", spec: { jobTemplate: { spec: { template: { spec: {} } } } } }, OURS) as Obj;
        expect(cj.spec.jobTemplate.spec.template.metadata.labels).to.include({ environment: "dev" });
    });

    it("leaves what it does not label untouched (Secret data, spec fields, a CR whose spec.template is not a pod template)", () => {
        const secret = { kind: "Secret", metadata: { name: "s" }, data: { k: "dmFsdWU=" } };
        expect(labelRenderedObject(secret, OURS).data).to.equal(secret.data);
        const pool = { kind: "KafkaNodePool", spec: { template: { pod: { metadata: {} } } } };
        expect((labelRenderedObject(pool, OURS) as Obj).spec).to.equal(pool.spec);
    });

    it("as a transform: rendered Kubernetes objects only, with the edit and retainOnDelete where asked", async () => {
        const t = chartChildrenTransform({
            labels: OURS,
            edit: (o) => ({ ...o, spec: { ...(o.spec ?? {}), edited: true } }),
            retain: (o) => o.kind === "CustomResourceDefinition",
        });
        const crd = await transformed(t, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", {
            apiVersion: "apiextensions.k8s.io/v1",
            kind: "CustomResourceDefinition",
            metadata: { name: "kafkas.kafka.strimzi.io" },
            spec: {},
        });
        expect(crd!.opts.retainOnDelete).to.equal(true);
        expect(crd!.props.metadata.labels[LABELS.team]).to.equal("platform-team");
        expect(crd!.props.spec.edited).to.equal(true);
        const sa = await transformed(t, "kubernetes:core/v1:ServiceAccount", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "x" } });
        expect(sa!.opts.retainOnDelete).to.equal(undefined);
        // The Chart component itself (its args, not an object) passes through.
        expect(await transformed(t, "kubernetes:helm.sh/v4:Chart", { chart: "x", values: {} }, false)).to.equal(undefined);
    });

    it("a chart's ClusterIP Services (headless too) skip the provider's wait; LoadBalancers and a chart's own choice keep theirs", async () => {
        const t = chartChildrenTransform({ labels: OURS });
        const svc = (spec: Obj, annotations?: Record<string, string>) =>
            transformed(t, "kubernetes:core/v1:Service", {
                apiVersion: "v1",
                kind: "Service",
                metadata: { name: "redis", ...(annotations ? { annotations } : {}) },
                spec,
            });
        expect((await svc({ ports: [{ port: 6379 }] }))!.props.metadata.annotations).to.deep.equal({ [SKIP_AWAIT]: "true" });
        expect((await svc({ type: "ClusterIP", clusterIP: "None" }, { "x/y": "z" }))!.props.metadata.annotations).to.deep.equal({
            "x/y": "z",
            [SKIP_AWAIT]: "true",
        });
        expect((await svc({ type: "LoadBalancer" }))!.props.metadata.annotations).to.equal(undefined);
        expect((await svc({}, { [SKIP_AWAIT]: "false" }))!.props.metadata.annotations).to.deep.equal({ [SKIP_AWAIT]: "false" });
        const dep = { kind: "Deployment", metadata: { name: "redis" }, spec: {} };
        expect(skipClusterIpServiceAwait(dep)).to.equal(dep);
    });
});
