import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { STRIMZI_DEFAULT_KAFKA_VERSION, STRIMZI_OPERATOR_CHART } from "../../components/charts";
import { LABELS, REQUIRED_LABELS } from "../../components/labels";
import {
    Kafka, KafkaConfig, kafkaClusterResource, kafkaNetworkPolicySpec, kafkaNodePoolResource, kafkaTopicResource, nodePoolStorage,
    replicationSettings, strimziOperatorValues,
} from "../../components/kafka";
import { resolve } from "../../tools/mocks";
import { literalSecretPaths, mirroredChart, mirroredChartFile, undeclaredValuePaths } from "./chartValues";
import { expectAllDescendFrom, inputs, parseConfig, platformContext, rawPlatform, underMocks } from "./componentFixtures";

const TYPE = "platform:data:Kafka";
const CHART = "kubernetes:helm.sh/v4:Chart";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const NS = "kubernetes:core/v1:Namespace";
const KAFKA = "kubernetes:kafka.strimzi.io/v1:Kafka";
const POOL = "kubernetes:kafka.strimzi.io/v1:KafkaNodePool";
const TOPIC = "kubernetes:kafka.strimzi.io/v1:KafkaTopic";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOPICS = [
    { name: "shop.orders.order-created.v1", partitions: 6, replicas: 3, retentionHours: 72, producers: ["api"], consumers: [] },
    { name: "shop.catalog.item-updated.v2", partitions: 3, replicas: 2, consumers: ["api"] },
];

function rawWithKafka(kafka: Record<string, unknown>): Record<string, unknown> {
    const raw = rawPlatform();
    const services = (raw.services as Obj[]).map((s) => (s.name === "api" ? { ...s, uses: [...(s.uses as string[]), "kafka"] } : s));
    return { ...raw, services, kafka: { enabled: true, clusterName: "events", replicas: 3, topics: TOPICS, ...kafka } };
}

function kafkaConfig(kafka: Record<string, unknown> = {}): KafkaConfig {
    return parseConfig(rawWithKafka(kafka)).kafka;
}

const LABELS_IN = {
    [LABELS.name]: "events", [LABELS.instance]: "events-staging", [LABELS.version]: "4.3.1", [LABELS.component]: "messaging",
    [LABELS.partOf]: "shop", [LABELS.managedBy]: "pulumi", [LABELS.environment]: "staging", [LABELS.team]: "commerce", [LABELS.costCenter]: "cc-4711",
};
const CLIENT = { "app.kubernetes.io/name": "api" };

function specInput(cfg: KafkaConfig = kafkaConfig()) {
    return { config: cfg, namespace: "shop-staging", labels: LABELS_IN, annotations: { owner: "commerce-team" }, clientSelectors: [CLIENT] };
}

function build(kafka: Record<string, unknown> = {}) {
    const cfg = parseConfig(rawWithKafka(kafka));
    return underMocks((opts) => new Kafka("kafka", { context: platformContext(cfg), config: cfg.kafka, clientSelectors: [CLIENT] }, opts));
}

describe("Kafka (Strimzi, KRaft)", () => {
    describe("custom resources", () => {
        it("Kafka CR: v1 API, KRaft/node-pool annotations, version, plain listener on 9092, standard labels", () => {
            const k = kafkaClusterResource(specInput()) as Obj;
            expect(k.apiVersion).to.equal("kafka.strimzi.io/v1");
            expect(k.kind).to.equal("Kafka");
            expect(k.metadata.name).to.equal("events");
            expect(k.metadata.annotations).to.include({ "strimzi.io/kraft": "enabled", "strimzi.io/node-pools": "enabled", owner: "commerce-team" });
            expect(k.metadata.labels).to.deep.equal(LABELS_IN);
            expect(k.spec.kafka.version).to.equal(STRIMZI_DEFAULT_KAFKA_VERSION);
            expect(k.spec.kafka).to.not.have.property("replicas");
            expect(k.spec).to.not.have.property("zookeeper");
            expect(k.spec.kafka.listeners).to.have.length(1);
            expect(k.spec.kafka.listeners[0]).to.deep.include({ name: "plain", port: 9092, type: "internal", tls: false });
            expect(k.spec.kafka.listeners[0].networkPolicyPeers).to.deep.equal([
                { podSelector: { matchLabels: CLIENT } },
                { podSelector: { matchLabels: { "strimzi.io/cluster": "events" } } },
            ]);
            expect(k.spec.kafka.config).to.include({ "default.replication.factor": 3, "min.insync.replicas": 2, "offsets.topic.replication.factor": 3, "auto.create.topics.enable": false });
            expect(k.spec.entityOperator.topicOperator.resources.limits).to.have.keys("cpu", "memory");
        });

        it("operand pods: standard labels and restricted security contexts", () => {
            const k = kafkaClusterResource(specInput()) as Obj;
            const t = k.spec.kafka.template;
            expect(t.pod.metadata.labels).to.deep.equal(LABELS_IN);
            expect(t.pod.securityContext).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            expect(t.kafkaContainer.securityContext).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
            expect(k.spec.entityOperator.template.topicOperatorContainer.securityContext).to.deep.include({ readOnlyRootFilesystem: true });
            const pvc = kafkaClusterResource(specInput(kafkaConfig({ storage: { type: "persistent-claim", size: "10Gi" } }))) as Obj;
            expect(pvc.spec.kafka.template.pod.securityContext.fsGroup, "persistent volumes stay writable").to.equal(0);
            const eph = kafkaClusterResource(specInput(kafkaConfig({ storage: { type: "ephemeral" } }))) as Obj;
            expect(eph.spec.kafka.template.pod.securityContext).to.not.have.property("fsGroup");
        });

        it("replication settings follow the broker count", () => {
            expect(replicationSettings(1)).to.deep.equal({ replicationFactor: 1, minInsyncReplicas: 1 });
            expect(replicationSettings(2)).to.deep.equal({ replicationFactor: 2, minInsyncReplicas: 1 });
            expect(replicationSettings(5)).to.deep.equal({ replicationFactor: 3, minInsyncReplicas: 2 });
            const single = kafkaClusterResource(specInput(kafkaConfig({ replicas: 1, topics: [] }))) as Obj;
            expect(single.spec.kafka.config["offsets.topic.replication.factor"]).to.equal(1);
        });

        it("KafkaNodePool: controller+broker roles, replicas, storage, resources, cluster label", () => {
            const p = kafkaNodePoolResource(specInput(kafkaConfig({ storage: { type: "persistent-claim", size: "100Gi", deleteClaim: true }, resources: { limits: { memory: "4Gi" } } }))) as Obj;
            expect(p.apiVersion).to.equal("kafka.strimzi.io/v1");
            expect(p.kind).to.equal("KafkaNodePool");
            expect(p.metadata.labels["strimzi.io/cluster"]).to.equal("events");
            for (const k of REQUIRED_LABELS) expect(p.metadata.labels, k).to.have.property(k);
            expect(p.spec.replicas).to.equal(3);
            expect(p.spec.roles).to.deep.equal(["controller", "broker"]);
            expect(p.spec.storage).to.deep.equal({ type: "persistent-claim", size: "100Gi", deleteClaim: true });
            expect(p.spec.resources.limits).to.deep.equal({ cpu: "1", memory: "4Gi" });
            expect(nodePoolStorage({ type: "ephemeral", size: "10Gi", deleteClaim: false })).to.deep.equal({ type: "ephemeral" });
        });

        it("KafkaTopic: partitions, replicas, retention.ms from retentionHours, cluster label", () => {
            const cfg = kafkaConfig();
            const t = kafkaTopicResource({ clusterName: "events", namespace: "shop-staging", labels: LABELS_IN, annotations: {}, topic: cfg.topics[0] }) as Obj;
            expect(t.apiVersion).to.equal("kafka.strimzi.io/v1");
            expect(t.metadata.name).to.equal("shop.orders.order-created.v1");
            expect(t.metadata.labels["strimzi.io/cluster"]).to.equal("events");
            expect(t.spec).to.deep.equal({ topicName: "shop.orders.order-created.v1", partitions: 6, replicas: 3, config: { "retention.ms": 72 * 3600 * 1000 } });
            const d = kafkaTopicResource({ clusterName: "events", namespace: "shop-staging", labels: LABELS_IN, annotations: {}, topic: cfg.topics[1] }) as Obj;
            expect(d.spec.config["retention.ms"], "default retention is 168h").to.equal(604_800_000);
        });

        it("operator values: watch the platform namespace, restricted operands, labels", () => {
            const v = strimziOperatorValues({ labels: LABELS_IN, watchNamespace: "shop-staging" }) as Obj;
            expect(v.watchNamespaces).to.deep.equal(["shop-staging"]);
            expect(v.watchAnyNamespace).to.equal(false);
            expect(v.extraEnvs).to.deep.equal([{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }]);
            expect(v.labels).to.deep.equal(LABELS_IN);
            expect(v.deploymentLabels).to.deep.equal(LABELS_IN);
            expect(v.securityContext).to.deep.include({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
            expect(literalSecretPaths(v)).to.deep.equal([]);
        });
    });

    describe("the real chart (from the chart mirror)", () => {
        it("declares every value key the component passes, and ships v1 CRDs for the kinds the component registers", () => {
            const declared = mirroredChartFile(STRIMZI_OPERATOR_CHART, "values.yaml");
            expect(undeclaredValuePaths(strimziOperatorValues({ labels: LABELS_IN, watchNamespace: "shop-staging" }), declared)).to.deep.equal([]);
            const crdDir = path.join(mirroredChart(STRIMZI_OPERATOR_CHART), "crds");
            const crds = fs.readdirSync(crdDir).map((f) => fs.readFileSync(path.join(crdDir, f), "utf8"));
            for (const kind of ["Kafka", "KafkaNodePool", "KafkaTopic"]) {
                const crd = crds.find((c) => new RegExp(`^\\s+kind: ${kind}$`, "m").test(c));
                expect(crd, `CRD for ${kind}`).to.be.a("string");
                expect(crd).to.match(/- name: v1\n/);
            }
        });

        it("is the pinned chart", () => {
            expect(mirroredChartFile(STRIMZI_OPERATOR_CHART, "Chart.yaml")).to.deep.include({ name: STRIMZI_OPERATOR_CHART.chart, version: STRIMZI_OPERATOR_CHART.version });
        });
    });

    describe("network policy", () => {
        it("clients on 9092, the operator namespace on its ports, any port among the cluster's pods; API egress", () => {
            const s = kafkaNetworkPolicySpec({ clusterName: "events", operatorNamespace: "strimzi-system", clientSelectors: [CLIENT] }) as Obj;
            const self = { podSelector: { matchLabels: { "strimzi.io/cluster": "events" } } };
            expect(s.podSelector).to.deep.equal({ matchLabels: { "strimzi.io/cluster": "events" } });
            expect(s.ingress).to.deep.equal([
                { from: [{ podSelector: { matchLabels: CLIENT } }], ports: [{ protocol: "TCP", port: 9092 }] },
                { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "strimzi-system" } } }], ports: [8443, 9090, 9091].map((port) => ({ protocol: "TCP", port })) },
                { from: [self] },
            ]);
            expect(s.egress).to.deep.equal([
                { to: [self] },
                { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] },
            ]);
            const none = kafkaNetworkPolicySpec({ clusterName: "events", operatorNamespace: "strimzi-system", clientSelectors: [] }) as Obj;
            expect(none.ingress).to.have.length(2);
        });
    });

    describe("component under mocks", () => {
        it("operator chart in its own namespace (OCI), CRs in the platform namespace depending on it", async () => {
            const { recorder, deps, component } = await build();
            expectAllDescendFrom(recorder, TYPE, "kafka");
            const ns = inputs(recorder.get(NS, "kafka-operator-ns"));
            expect(ns.metadata.name).to.equal("strimzi-system");
            expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");

            const op = inputs(recorder.get(CHART, "kafka-operator"));
            expect(op).to.deep.include({ chart: "oci://quay.io/strimzi-helm/strimzi-kafka-operator", version: STRIMZI_OPERATOR_CHART.version, namespace: "strimzi-system" });
            expect(op.repositoryOpts).to.equal(undefined);
            expect(op.values.watchNamespaces).to.deep.equal(["shop-staging"]);

            const k = inputs(recorder.get(KAFKA, "kafka-cluster"));
            expect(k.metadata.namespace).to.equal("shop-staging");
            expect(k.spec.kafka.version).to.equal(STRIMZI_DEFAULT_KAFKA_VERSION);
            const pool = inputs(recorder.get(POOL, "kafka-nodepool"));
            expect(pool.spec.replicas).to.equal(3);
            const topics = recorder.ofType(TOPIC).map((r) => inputs(r));
            expect(topics.map((t) => t.spec.topicName)).to.deep.equal(TOPICS.map((t) => t.name));
            for (const r of [...recorder.ofType(KAFKA), ...recorder.ofType(POOL), ...recorder.ofType(TOPIC), ...recorder.ofType(NP)]) {
                for (const key of REQUIRED_LABELS) expect(inputs(r).metadata.labels, `${r.name} ${key}`).to.have.property(key);
            }
            expect(deps.dependsOn.get(`${KAFKA}::kafka-cluster`)).to.deep.equal([`${CHART}::kafka-operator`]);
            expect(deps.dependsOn.get(`${POOL}::kafka-nodepool`)).to.deep.equal([`${CHART}::kafka-operator`]);
            expect(deps.dependsOn.get(`${TOPIC}::kafka-topic-shop.orders.order-created.v1`)).to.include.members([`${CHART}::kafka-operator`, `${KAFKA}::kafka-cluster`]);
            expect(await resolve(component.bootstrapServers)).to.equal("events-kafka-bootstrap.shop-staging.svc:9092");
        });

        it("installOperator: false → no operator chart, no namespace, CRs without the dependency", async () => {
            const { recorder, deps } = await build({ installOperator: false });
            expect(recorder.ofType(CHART)).to.have.length(0);
            expect(recorder.ofType(NS)).to.have.length(0);
            expect(deps.dependsOn.get(`${KAFKA}::kafka-cluster`)).to.deep.equal([]);
            expect(recorder.ofType(TOPIC)).to.have.length(2);
        });

        it("owns a NetworkPolicy and hands clients the bootstrap address and the broker peer", async () => {
            const { recorder, component } = await build();
            const np = inputs(recorder.get(NP, "kafka-netpol"));
            expect(np.spec.podSelector.matchLabels).to.deep.equal({ "strimzi.io/cluster": "events" });
            expect(np.spec.ingress[0].from).to.deep.equal([{ podSelector: { matchLabels: CLIENT } }]);
            const conn = component.clientConnection();
            expect(await resolve(conn.env.KAFKA_BOOTSTRAP_SERVERS)).to.equal("events-kafka-bootstrap.shop-staging.svc:9092");
            expect(conn.secretEnv).to.deep.equal({});
            expect(conn.peer).to.deep.equal({ podLabels: { "strimzi.io/cluster": "events", "strimzi.io/broker-role": "true" }, ports: [9092] });
        });
    });
});
