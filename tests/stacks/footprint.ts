// What runs in a stack's namespace at HPA minimum, summed the way a ResourceQuota counts it: app workloads from their
// registered specs; data stores as the charts and CRs size their pods (chart values, Kafka CRs), since the mocks do
// not render charts and no operator runs here.
import { cpuMillis, memoryBytes } from "../../components/config";
import type { RegisteredResource } from "../../tools/mocks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-side access to untyped inputs

/** Requests and limits in millicores and bytes, and a pod count. */
export interface Footprint {
    requestsCpu: number;
    requestsMemory: number;
    limitsCpu: number;
    limitsMemory: number;
    pods: number;
}

/** Requests/limits of one container, the namespace's LimitRange defaults filling what it leaves out. */
export interface ContainerResources {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
}

const ZERO: Footprint = { requestsCpu: 0, requestsMemory: 0, limitsCpu: 0, limitsMemory: 0, pods: 0 };

function add(a: Footprint, b: Footprint, times = 1): Footprint {
    return {
        requestsCpu: a.requestsCpu + b.requestsCpu * times,
        requestsMemory: a.requestsMemory + b.requestsMemory * times,
        limitsCpu: a.limitsCpu + b.limitsCpu * times,
        limitsMemory: a.limitsMemory + b.limitsMemory * times,
        pods: a.pods + b.pods * times,
    };
}

/** One pod: the larger of its biggest init container and the sum of its containers (the Kubernetes effective request). */
export function podFootprint(containers: ContainerResources[], initContainers: ContainerResources[], defaults: ContainerResources): Footprint {
    const one = (c: ContainerResources) => {
        // LimitRange: a missing limit takes the default limit; a missing request takes the default request, else the limit.
        const limCpu = c.limits?.cpu ?? defaults.limits?.cpu ?? "0";
        const limMem = c.limits?.memory ?? defaults.limits?.memory ?? "0";
        return {
            requestsCpu: cpuMillis(c.requests?.cpu ?? defaults.requests?.cpu ?? limCpu),
            requestsMemory: memoryBytes(c.requests?.memory ?? defaults.requests?.memory ?? limMem),
            limitsCpu: cpuMillis(limCpu),
            limitsMemory: memoryBytes(limMem),
            pods: 0,
        };
    };
    const main = containers.map(one).reduce((a, b) => add(a, b), ZERO);
    const init = initContainers.map(one);
    const max = (k: keyof Footprint) => Math.max(main[k], ...init.map((i) => i[k]));
    return { requestsCpu: max("requestsCpu"), requestsMemory: max("requestsMemory"), limitsCpu: max("limitsCpu"), limitsMemory: max("limitsMemory"), pods: 1 };
}

function podSpecFootprint(spec: Obj, defaults: ContainerResources): Footprint {
    const res = (cs: Obj[] | undefined) => (cs ?? []).map((c) => (c.resources ?? {}) as ContainerResources);
    return podFootprint(res(spec.containers), res(spec.initContainers), defaults);
}

/** Everything in the platform namespace, by source, at HPA minimum. */
export function namespaceFootprint(
    resources: readonly RegisteredResource[],
    namespace: string,
    defaults: ContainerResources,
): { total: Footprint; parts: Record<string, Footprint> } {
    const inputs = (type: string) => resources.filter((r) => r.type === type).map((r) => ({ name: r.name, i: r.inputs as Obj }));
    const inNs = (i: Obj) => i.metadata?.namespace === namespace;
    const parts: Record<string, Footprint> = {};
    const hpaMin = new Map(
        inputs("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map(({ i }) => [i.spec.scaleTargetRef.name as string, i.spec.minReplicas as number]),
    );

    for (const { i } of inputs("kubernetes:apps/v1:Deployment").filter(({ i }) => inNs(i))) {
        const replicas = hpaMin.get(i.metadata.name) ?? i.spec.replicas ?? 1;
        parts[`Deployment/${i.metadata.name}`] = add(ZERO, podSpecFootprint(i.spec.template.spec, defaults), replicas);
    }
    // Run-to-completion pods can overlap with everything else (a migration during a rollout, a cleanup at any time).
    for (const { name, i } of inputs("kubernetes:batch/v1:Job").filter(({ i }) => inNs(i)))
        parts[`Job/${i.metadata.name ?? name}`] = podSpecFootprint(i.spec.template.spec, defaults);
    for (const { name, i } of inputs("kubernetes:batch/v1:CronJob").filter(({ i }) => inNs(i)))
        parts[`CronJob/${i.metadata.name ?? name}`] = podSpecFootprint(i.spec.jobTemplate.spec.template.spec, defaults);

    for (const { name, i } of inputs("kubernetes:helm.sh/v4:Chart").filter(({ i }) => i.namespace === namespace)) {
        const v = i.values as Obj;
        if (v.cluster?.instances !== undefined) {
            // CloudNativePG: one pod per instance; postgres + (with the Barman Cloud plugin) its sidecar, sized by the ObjectStore.
            const store = inputs("kubernetes:barmancloud.cnpg.io/v1:ObjectStore").find(({ i: s }) => inNs(s));
            const sidecar = store ? [store.i.spec.instanceSidecarConfiguration?.resources ?? {}] : [];
            parts[`Cluster/${v.fullnameOverride}`] = add(
                ZERO,
                podFootprint([v.cluster.resources, ...sidecar], [v.cluster.resources], defaults),
                v.cluster.instances,
            );
        } else if (v.auth?.usersExistingSecret !== undefined) {
            // Valkey: the primary (+ replicas); valkey + the exporter sidecar when metrics are on; one init container.
            const pods = v.replica?.enabled ? v.replica.replicas + 1 : 1;
            const containers = [v.resources, ...(v.metrics?.enabled ? [v.metrics.exporter.resources ?? {}] : [])];
            parts[`Valkey/${v.fullnameOverride ?? name}`] = add(ZERO, podFootprint(containers, [v.initResources ?? {}], defaults), pods);
        }
    }
    for (const { i } of inputs("kubernetes:kafka.strimzi.io/v1:KafkaNodePool").filter(({ i }) => inNs(i))) {
        parts[`KafkaNodePool/${i.metadata.name}`] = add(ZERO, podFootprint([i.spec.resources], [], defaults), i.spec.replicas);
    }
    for (const { i } of inputs("kubernetes:kafka.strimzi.io/v1:Kafka").filter(({ i }) => inNs(i))) {
        // The entity operator pod: a container per configured operator (topic, user).
        const eo = i.spec.entityOperator as Obj;
        const containers = [eo.topicOperator, eo.userOperator].filter((o) => o !== undefined).map((o: Obj) => o.resources ?? {});
        parts[`EntityOperator/${i.metadata.name}`] = podFootprint(containers, [], defaults);
    }
    const total = Object.values(parts).reduce((a, b) => add(a, b), ZERO);
    return { total, parts };
}
