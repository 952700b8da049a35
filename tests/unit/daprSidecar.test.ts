import { expect } from "chai";
import { DAPR_INTERNAL_GRPC_PORT, DAPR_METRICS_PORT, daprPodFeature, MicroserviceDapr } from "../../components/dapr/daprSidecar";
import { servicePodFeature } from "../../components/service/serviceDeployment";
import { mergePodFeatures, PodFeature } from "../../components/k8s/podFeature";
import { parseConfig, rawPlatform, resolved } from "./componentFixtures";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const DAPR: MicroserviceDapr = { enabled: true, logLevel: "info", namespace: "dapr-system" };
const nsSel = (n: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } } });

describe("Dapr as one pod feature", () => {
    it("carries the injector annotations, the sidecar-to-sidecar port both ways, its metrics port and the control-plane rules", () => {
        const f = daprPodFeature(resolved("api"), DAPR)!;
        expect(f.annotations).to.include({ "dapr.io/enabled": "true", "dapr.io/app-id": "api", "dapr.io/sidecar-seccomp-profile-type": "RuntimeDefault" });
        expect(f.callerPorts).to.deep.equal([{ port: DAPR_INTERNAL_GRPC_PORT, protocol: "TCP" }]);
        expect(f.dependencyPorts).to.deep.equal([{ port: DAPR_INTERNAL_GRPC_PORT, protocol: "TCP" }]);
        expect(f.metricsPorts).to.deep.equal([DAPR_METRICS_PORT]);
        expect(f.ingress).to.deep.equal([{ from: [nsSel("dapr-system")], ports: [3500, 50001, 50002].map((port) => ({ protocol: "TCP", port })) }]);
        expect(f.egress).to.deep.equal([{ to: [nsSel("dapr-system")] }]);
    });

    it("is absent when the stack or the service has Dapr off, and has no control-plane rules without a control-plane namespace", () => {
        expect(daprPodFeature(resolved("api"), { ...DAPR, enabled: false })).to.equal(undefined);
        expect(daprPodFeature(resolved("web"), DAPR)).to.equal(undefined);
        const noNs = daprPodFeature(resolved("api"), { enabled: true, logLevel: "info" })!;
        expect(noNs.ingress).to.deep.equal([]);
        expect(noNs.egress).to.deep.equal([]);
    });

    it("a service's pod features merge into one: a service without any contributes nothing to its pod or policy", () => {
        const none = servicePodFeature(resolved("web"), DAPR);
        expect(none).to.deep.equal({ annotations: {}, callerPorts: [], dependencyPorts: [], metricsPorts: [], ingress: [], egress: [] });
        const raw = rawPlatform();
        (raw.services as Obj[]).find((s) => s.name === "web")!.dapr = { enabled: true, appId: "storefront" };
        expect(servicePodFeature(resolved("web", parseConfig(raw)), DAPR).annotations["dapr.io/app-id"]).to.equal("storefront");
    });

    it("mergePodFeatures concatenates rules and ports and lets a later feature's annotation win", () => {
        const a: PodFeature = {
            annotations: { x: "1", y: "a" },
            callerPorts: [{ port: 1, protocol: "TCP" }],
            dependencyPorts: [],
            metricsPorts: [9],
            ingress: [{}],
            egress: [],
        };
        const b: PodFeature = {
            annotations: { y: "b" },
            callerPorts: [{ port: 2, protocol: "UDP" }],
            dependencyPorts: [{ port: 3, protocol: "TCP" }],
            metricsPorts: [],
            ingress: [],
            egress: [{}],
        };
        const m = mergePodFeatures([a, b]);
        expect(m.annotations).to.deep.equal({ x: "1", y: "b" });
        expect(m.callerPorts.map((p) => p.port)).to.deep.equal([1, 2]);
        expect(m.dependencyPorts).to.have.length(1);
        expect(m.metricsPorts).to.deep.equal([9]);
        expect(m.ingress).to.have.length(1);
        expect(m.egress).to.have.length(1);
    });
});
