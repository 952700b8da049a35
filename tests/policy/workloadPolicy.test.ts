// The workload model's security options through the whole pack, the way a stack file would set them: what the pack
// accepts (NET_BIND_SERVICE, another non-root UID, restricted sidecars and init containers) and what it reports.
import { expect } from "chai";
import { loadConfigFile, runPack } from "../../tools/policyRunner";
import { policyConfigPath, toFakeResources } from "../../scripts/policy-check";
import { evaluateStack, readStackFile, RegisteredResource } from "../../tools/stackEvaluator";

type Obj = Record<string, unknown>;

/** Production with its first service (web) patched; the pack's mandatory violations on the web Deployment. */
async function webViolations(patch: Obj, edit: (resources: RegisteredResource[]) => void = () => undefined): Promise<{ policy: string; message: string }[]> {
    const services = readStackFile("production")["platform:services"] as Obj[];
    const patched = services.map((s, i) => (i === 0 ? { ...s, ...patch } : s));
    const { resources } = await evaluateStack("production", { configOverrides: { services: patched } });
    edit(resources);
    const res = await runPack(toFakeResources(resources), loadConfigFile(policyConfigPath("production")));
    return res.violations.filter((v) => v.level === "mandatory" && v.resourceName === "web").map((v) => ({ policy: v.policy, message: v.message }));
}

const sidecar = {
    name: "proxy",
    image: "ghcr.io/acme/proxy:2.1.0",
    ports: [{ name: "proxy-admin", containerPort: 15000 }],
    readinessProbe: { type: "tcp" },
    livenessProbe: { type: "tcp" },
};
const init = { name: "wait", image: "ghcr.io/acme/wait:1.0.0", command: ["/wait"] };

describe("policy pack: workload security options", function () {
    this.timeout(120_000);

    it("accepts a container port below 1024 with NET_BIND_SERVICE added back, and a non-default non-root UID/GID", async () => {
        const v = await webViolations({
            port: undefined,
            ports: [{ name: "http", port: 80, containerPort: 80 }],
            capabilities: { add: ["NET_BIND_SERVICE"] },
            podSecurity: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
        });
        expect(v).to.deep.equal([]);
    });

    it("reports a writable root filesystem the service opted into, at the stack's configured level", async () => {
        const v = await webViolations({ podSecurity: { readOnlyRootFilesystem: false } });
        expect(v.map((x) => x.policy)).to.include("read-only-root-filesystem");
    });

    it("holds sidecars and init containers to the same restricted profile: nothing to report", async () => {
        expect(await webViolations({ sidecars: [sidecar], initContainers: [init] })).to.deep.equal([]);
    });

    it("a sidecar without probes is reported like any long-running container", async () => {
        // The config refuses such a sidecar first; the pack must catch the object all the same (a hand-edited or foreign one).
        const v = await webViolations({ sidecars: [sidecar] }, (resources) => {
            const web = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "web")!;
            const pod = ((web.inputs as Obj).spec as { template: { spec: { initContainers: Obj[] } } }).template.spec;
            for (const c of pod.initContainers.filter((x) => x.name === "proxy")) {
                delete c.readinessProbe;
                delete c.livenessProbe;
            }
        });
        expect(
            v
                .filter((x) => x.policy === "readiness-probe" || x.policy === "liveness-probe")
                .map((x) => x.message)
                .join("\n"),
        ).to.match(/proxy/);
    });
});
