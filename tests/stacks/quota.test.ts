// Every stack's ResourceQuota holds everything that runs in its namespace at HPA minimum, data stores included.
import { expect } from "chai";
import { cpuMillis, memoryBytes } from "../../components/config";
import { evaluateStack, readStackFile, StackName, STACKS } from "../../tools/stackEvaluator";
import { namespaceFootprint, podFootprint } from "./footprint";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-side access to stack files

const GI = 1024 ** 3;

describe("ResourceQuota against what the namespace runs", function () {
    it("an init container larger than the containers sets the pod's request (the quota counts the effective request)", () => {
        const pod = podFootprint(
            [{ requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } }],
            [{ requests: { cpu: "500m", memory: "32Mi" }, limits: { cpu: "1", memory: "64Mi" } }],
            {},
        );
        expect(pod).to.deep.equal({ requestsCpu: 500, requestsMemory: 64 * 1024 ** 2, limitsCpu: 1000, limitsMemory: 128 * 1024 ** 2, pods: 1 });
        // A container without resources gets the namespace's LimitRange defaults.
        expect(podFootprint([{}], [], { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "512Mi" } }).limitsCpu).to.equal(500);
    });

    for (const stack of STACKS) {
        it(`${stack}: requests, limits and pods at HPA minimum (services, jobs, PostgreSQL, Valkey, Kafka) fit the quota`, async () => {
            const ns = readStackFile(stack)["platform:namespace"] as Obj;
            const { resources } = await evaluateStack(stack as StackName);
            const { total, parts } = namespaceFootprint(resources, ns.name, ns.containerDefaults ?? {});
            // The data stores are counted: a quota check that only saw the services would pass for the wrong reason.
            for (const p of ["Cluster/postgres", "Valkey/redis", "KafkaNodePool/events-dual-role", "EntityOperator/events"])
                expect(parts, p).to.have.property(p);
            if (!ns.quota) {
                expect(stack, "only dev runs without a quota").to.equal("dev");
                return;
            }
            const q = ns.quota as Obj;
            const show =
                `${stack} needs requests ${total.requestsCpu}m/${(total.requestsMemory / GI).toFixed(2)}Gi, ` +
                `limits ${total.limitsCpu}m/${(total.limitsMemory / GI).toFixed(2)}Gi, ${total.pods} pods; parts: ${JSON.stringify(parts)}`;
            expect(total.requestsCpu, show).to.be.at.most(cpuMillis(q.requestsCpu));
            expect(total.requestsMemory, show).to.be.at.most(memoryBytes(q.requestsMemory));
            expect(total.limitsCpu, show).to.be.at.most(cpuMillis(q.limitsCpu));
            expect(total.limitsMemory, show).to.be.at.most(memoryBytes(q.limitsMemory));
            expect(total.pods, show).to.be.at.most(q.pods);
        });
    }
});
