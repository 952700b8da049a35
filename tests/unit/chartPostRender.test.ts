// The operator charts' post-renderer: the same objects the per-object transform made, every other byte as Helm rendered it.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { labelRenderedObject, RenderedObject, SKIP_AWAIT, skipClusterIpServiceAwait } from "../../components/charts/chartChildren";
import {
    chartPostRenderer,
    HELM_RESOURCE_POLICY,
    parsePostRenderPolicy,
    POST_RENDER_SCRIPT,
    PostRenderPolicy,
    postRenderManifest,
} from "../../components/charts/chartPostRender";
import { normalizeCrd } from "../../components/charts/crdSchema";
import { LABELS } from "../../components/k8s/labels";
import { projectRoot, requireChartMirror } from "../../tools/chartMirror";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-side access to parsed objects

const OURS: Record<string, string> = {
    [LABELS.name]: "strimzi-operator",
    [LABELS.instance]: "strimzi-operator-dev",
    [LABELS.component]: "operator",
    [LABELS.managedBy]: "pulumi",
    [LABELS.partOf]: "platform",
    [LABELS.environment]: "dev",
    [LABELS.team]: "platform-team",
};
const POLICY: PostRenderPolicy = { labels: OURS, retainKinds: ["CustomResourceDefinition"] };

/** What the per-object transform (chartChildren.ts) made of each document, with retention as the Helm annotation. */
function transformed(manifest: string, policy: PostRenderPolicy): Obj[] {
    return asProvider(manifest).map((o) => {
        const out = skipClusterIpServiceAwait(normalizeCrd(labelRenderedObject(o, policy.labels))) as Obj;
        if (policy.retainKinds?.includes(out.kind)) out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [HELM_RESOURCE_POLICY]: "keep" };
        return out;
    });
}

/** The objects the provider registers from a manifest: documents, with a List's items in its place. */
function asProvider(manifest: string): RenderedObject[] {
    return (yaml.loadAll(manifest).filter(Boolean) as Obj[]).flatMap((o) => (Array.isArray(o.items) ? o.items : [o]));
}

const parsed = (manifest: string): Obj[] => asProvider(manifest) as Obj[];

const SAMPLE = `---
# Source: op/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: op
  labels:
    app.kubernetes.io/name: chart-name   # identity label: the chart's value stays
    app.kubernetes.io/managed-by: Helm
    helm.sh/chart: op-1.0.0
spec:
  template:
    spec:
      containers:
        - name: op
          args: [--mode, on]
          env:
            - name: MODE
              value: "yes"
            - name: PERMS
              value: "0755"
          securityContext:
            runAsUser: 0755
      terminationGracePeriodSeconds: 1.0
---
# Source: op/templates/service.yaml
apiVersion: v1
kind: Service
metadata: {name: op-svc}
spec:
  ports: [{port: 443, targetPort: 9443}]
---
apiVersion: v1
kind: Service
metadata:
  name: op-lb
  annotations:
    pulumi.com/skipAwait: "false"
spec:
  type: LoadBalancer
---
apiVersion: v1
kind: Service
metadata:
  name: op-own
  labels:
  annotations:
    pulumi.com/skipAwait: "false"
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: sweep
  labels: {}
spec:
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            note: |
              kept
              as is
        spec: {}
---
apiVersion: v1
kind: List
items:
  - kind: ConfigMap
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties: {}
              x-kubernetes-preserve-unknown-fields: true
            list:
              type: array
              items:
                properties: {}
            flow: {type: object, required: [], properties: {a: {type: string}}, enum: []}
            flowTail: {type: object, enum: [], required: []}
            choice:
              oneOf:
                - required: []
                  properties: {}
                - required: [a]
              default: {properties: {}}
`;

describe("operator charts' post-renderer", () => {
    it("makes of every document what the per-object transform made, with destroy retention as helm.sh/resource-policy", () => {
        expect(parsed(postRenderManifest(SAMPLE, POLICY))).to.deep.equal(transformed(SAMPLE, POLICY));
    });

    it("edits as the transform did on the real Strimzi CRDs (chart mirror), ~0.8 MB of nested schemas", () => {
        const dir = path.join(requireChartMirror(), "strimzi-kafka-operator-1.2.0", "crds");
        const manifest = fs
            .readdirSync(dir)
            .sort()
            .map((f) => `---\n# Source: crds/${f}\n${fs.readFileSync(path.join(dir, f), "utf8")}\n`)
            .join("");
        const out = parsed(postRenderManifest(manifest, POLICY));
        expect(out).to.have.length(10);
        expect(out).to.deep.equal(transformed(manifest, POLICY));
        const kafka = out.find((o) => o.metadata.name === "kafkas.kafka.strimzi.io")!;
        expect(kafka.metadata.annotations[HELM_RESOURCE_POLICY]).to.equal("keep");
        expect(kafka.metadata.labels[LABELS.team]).to.equal("platform-team");
        // The one empty `properties: {}` of the chart (status.clusterSecurity) is gone, as the API server stores it.
        expect(JSON.stringify(kafka)).not.to.match(/"properties":\{\}/);
    });

    it("keeps every byte it does not edit: scalars YAML 1.1 and 1.2 read differently, comments, block scalars", () => {
        const out = postRenderManifest(SAMPLE, POLICY);
        for (const line of [
            "args: [--mode, on]",
            'value: "0755"',
            "runAsUser: 0755",
            "terminationGracePeriodSeconds: 1.0",
            "app.kubernetes.io/name: chart-name   # identity label: the chart's value stays",
            "# Source: op/templates/service.yaml",
            "note: |\n              kept\n              as is",
            'pulumi.com/skipAwait: "false"',
        ]) {
            expect(out, line).to.contain(line);
        }
        const removed = SAMPLE.split("\n").filter((l) => !out.split("\n").includes(l));
        expect(removed.map((l) => l.trim())).to.deep.equal([
            "app.kubernetes.io/managed-by: Helm", // ours win
            "metadata: {name: op-svc}",
            "labels: {}", // labels and annotations added (the null `labels:` line is also the Deployment's)
            "- kind: ConfigMap", // the List item's metadata goes in front of its first key
            "properties: {}",
            "properties: {}", // block pairs of the CRD dropped with their line
            "flow: {type: object, required: [], properties: {a: {type: string}}, enum: []}",
            "flowTail: {type: object, enum: [], required: []}",
            "- required: []",
            "properties: {}",
        ]);
    });

    it("labels objects without metadata and pod templates without labels; leaves a chart's own skipAwait and a LoadBalancer's wait", () => {
        const docs = parsed(postRenderManifest(SAMPLE, { labels: OURS }));
        const [dep, svc, lb, own, cron] = docs;
        expect(dep.metadata.labels[LABELS.name], "identity label set by the chart").to.equal("chart-name");
        expect(dep.metadata.labels[LABELS.managedBy]).to.equal("pulumi");
        expect(dep.spec.template.metadata.labels).to.deep.equal(OURS);
        expect(svc.metadata.annotations[SKIP_AWAIT]).to.equal("true");
        expect(lb.metadata.annotations[SKIP_AWAIT]).to.equal("false");
        expect(own.metadata.annotations[SKIP_AWAIT]).to.equal("false");
        expect(own.metadata.labels).to.deep.equal(OURS);
        expect(cron.spec.jobTemplate.spec.template.metadata).to.deep.equal({ annotations: { note: "kept\nas is\n" }, labels: OURS });
        expect(docs[5], "a List's items are objects of their own").to.deep.equal({ kind: "ConfigMap", metadata: { labels: OURS } });
        expect(docs[6].metadata.annotations, "retainKinds unset: nothing kept").to.equal(undefined);
    });

    it("refuses YAML the provider could not read either, naming the line; a bad policy argument names the expected shape", () => {
        expect(() => postRenderManifest("kind: A\nmetadata: {name: a\n", POLICY)).to.throw(/not valid YAML at line \d+/);
        expect(() => parsePostRenderPolicy(undefined)).to.throw(/usage: node chartPostRender\.js/);
        expect(() => parsePostRenderPolicy('{"labels": {"a": 1}}')).to.throw(/"labels": \{<string>: <string>\}/);
        expect(parsePostRenderPolicy(chartPostRenderer(POLICY).args[1])).to.deep.equal(POLICY);
    });

    it("runs as the provider runs it: `node chartPostRender.js <policy>` in the project directory, manifest on stdin", () => {
        const { command, args } = chartPostRenderer(POLICY);
        expect(args[0], "relative: the Chart input is the same on every machine").to.equal(POST_RENDER_SCRIPT);
        const run = spawnSync(command, args, { cwd: projectRoot(), input: SAMPLE, encoding: "utf8" });
        expect(run.stderr).to.equal("");
        expect(run.status).to.equal(0);
        expect(run.stdout).to.equal(postRenderManifest(SAMPLE, POLICY));
        const bad = spawnSync(command, [args[0], "{"], { cwd: projectRoot(), input: SAMPLE, encoding: "utf8" });
        expect(bad.status).to.equal(1);
        expect(bad.stderr).to.match(/^usage: node chartPostRender\.js/);
    });
});
