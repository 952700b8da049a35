import { expect } from "chai";
import { WORKLOAD_DEFAULTS } from "../../components/config";
import { egressToPeers, tcpPorts } from "../../components/k8s/networkRules";
import { batchNetworkPolicySpec, containerSecurityContext, mergeSecretEnv, podSecurityContext, secretEnvVars } from "../../components/service/podTemplate";

describe("podTemplate builders", () => {
    it("pod and container security contexts follow the restricted profile from config", () => {
        const pod = podSecurityContext(WORKLOAD_DEFAULTS.podSecurity);
        expect(pod).to.deep.equal({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
        const c = containerSecurityContext({ ...WORKLOAD_DEFAULTS.podSecurity, readOnlyRootFilesystem: false });
        expect(c).to.deep.include({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: false, runAsNonRoot: true });
        expect(c.capabilities).to.deep.equal({ drop: ["ALL"] });
    });

    it("secret env is sorted and by reference only; duplicates are refused", () => {
        expect(secretEnvVars({ B: { secretName: "s", key: "b" }, A: { secretName: "s", key: "a" } })).to.deep.equal([
            { name: "A", valueFrom: { secretKeyRef: { name: "s", key: "a" } } },
            { name: "B", valueFrom: { secretKeyRef: { name: "s", key: "b" } } },
        ]);
        expect(() => mergeSecretEnv("svc", { A: { secretName: "s", key: "a" } }, { A: { secretName: "t", key: "a" } })).to.throw(/A is defined twice/);
    });

    it("ports are deduplicated and sorted; no ports means no restriction", () => {
        expect(tcpPorts([80, 8080, 80])).to.deep.equal([
            { protocol: "TCP", port: 80 },
            { protocol: "TCP", port: 8080 },
        ]);
        expect(tcpPorts([])).to.equal(undefined);
        expect(egressToPeers([{ podLabels: { a: "b" }, ports: [] }])).to.deep.equal([{ to: [{ podSelector: { matchLabels: { a: "b" } } }] }]);
    });

    it("a batch policy without stores denies everything but still selects the pods", () => {
        expect(batchNetworkPolicySpec({ x: "y" }, [])).to.deep.equal({ podSelector: { matchLabels: { x: "y" } }, policyTypes: ["Ingress", "Egress"] });
    });
});
