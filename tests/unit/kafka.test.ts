import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { HELM_RESOURCE_POLICY, parsePostRenderPolicy, postRenderManifest } from "../../components/charts/chartPostRender";
import { STRIMZI_DEFAULT_KAFKA_VERSION, STRIMZI_OPERATOR_CHART } from "../../components/config/chartPins";
import { LABELS, REQUIRED_LABELS } from "../../components/k8s/labels";
import { ConfigError } from "../../components/config";
import { Kafka } from "../../components/kafka/kafka";
import {
    brokerResources,
    KafkaConfig,
    kafkaClusterResource,
    kafkaNodePoolResource,
    nodePoolStorage,
    replicationSettings,
} from "../../components/kafka/kafkaCluster";
import { kafkaNetworkPolicySpec } from "../../components/kafka/kafkaNetworkPolicy";
import { kafkaTopicResource } from "../../components/kafka/kafkaTopics";
import { kafkaAcls, KafkaClientUser, kafkaUserResource } from "../../components/kafka/kafkaUsers";
import { strimziOperatorValues } from "../../components/kafka/strimziOperator";
import type { MonitoringSettings } from "../../components/k8s/context";
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
const USER = "kubernetes:kafka.strimzi.io/v1:KafkaUser";
const API_SERVER = { cidrs: ["10.0.0.0/8"], ports: [443, 6443] };

/** A client login as AppSecrets hands it out (names and keys only). */
function clientUser(service: string): KafkaClientUser {
    const secretName = `${service}-credentials`;
    return {
        service,
        credentials: {
            username: service,
            usernameRef: { secretName, key: "kafka-runtime-username" },
            passwordRef: { secretName, key: "kafka-runtime-password" },
            jaasConfigRef: { secretName, key: "kafka-runtime-sasl-jaas-config" },
        },
    };
}

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
    [LABELS.name]: "events",
    [LABELS.instance]: "events-staging",
    [LABELS.version]: "4.3.1",
    [LABELS.component]: "messaging",
    [LABELS.partOf]: "shop",
    [LABELS.managedBy]: "pulumi",
    [LABELS.environment]: "staging",
    [LABELS.team]: "commerce",
    [LABELS.costCenter]: "cc-4711",
};
const CLIENT = { "app.kubernetes.io/name": "api" };

function specInput(cfg: KafkaConfig = kafkaConfig()) {
    return { config: cfg, namespace: "shop-staging", labels: LABELS_IN, annotations: { owner: "commerce-team" }, clientSelectors: [CLIENT] };
}

function build(kafka: Record<string, unknown> = {}, monitoring?: MonitoringSettings) {
    const cfg = parseConfig(rawWithKafka(kafka));
    return underMocks(
        (opts) =>
            new Kafka(
                "kafka",
                { context: platformContext(cfg), config: cfg.kafka, clientSelectors: [CLIENT], users: [clientUser("api")], apiServer: API_SERVER, monitoring },
                opts,
            ),
    );
}

describe("Kafka (Strimzi, KRaft)", () => {
    describe("custom resources", () => {
        it("Kafka CR: v1 API, KRaft/node-pool annotations, version, TLS + SCRAM listener on 9093, simple authorization, standard labels", () => {
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
            expect(k.spec.kafka.listeners[0]).to.deep.include({
                name: "tls",
                port: 9093,
                type: "internal",
                tls: true,
                authentication: { type: "scram-sha-512" },
            });
            expect(k.spec.kafka.authorization).to.deep.equal({ type: "simple" });
            expect(k.spec.entityOperator.userOperator).to.deep.include({ secretPrefix: "kafka-user-" });
            expect(k.spec.entityOperator.template.userOperatorContainer.securityContext).to.deep.include({ readOnlyRootFilesystem: true });
            expect(k.spec.kafka.listeners[0].networkPolicyPeers).to.deep.equal([
                { podSelector: { matchLabels: CLIENT } },
                { podSelector: { matchLabels: { "strimzi.io/cluster": "events" } } },
            ]);
            expect(k.spec.kafka.config).to.include({
                "default.replication.factor": 3,
                "min.insync.replicas": 2,
                "offsets.topic.replication.factor": 3,
                "auto.create.topics.enable": false,
            });
            expect(k.spec.entityOperator.topicOperator.resources.limits).to.have.keys("cpu", "memory", "ephemeral-storage");
            expect(k.spec.entityOperator.userOperator.resources.requests).to.have.keys("cpu", "memory", "ephemeral-storage");
        });

        it("operand pods: standard labels and restricted security contexts", () => {
            const k = kafkaClusterResource(specInput()) as Obj;
            const t = k.spec.kafka.template;
            expect(t.pod.metadata.labels).to.deep.equal(LABELS_IN);
            expect(t.pod.securityContext).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            expect(t.kafkaContainer.securityContext).to.deep.include({
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
            });
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
            const p = kafkaNodePoolResource(
                specInput(kafkaConfig({ storage: { type: "persistent-claim", size: "100Gi", deleteClaim: true }, resources: { limits: { memory: "4Gi" } } })),
            ) as Obj;
            expect(p.apiVersion).to.equal("kafka.strimzi.io/v1");
            expect(p.kind).to.equal("KafkaNodePool");
            expect(p.metadata.labels["strimzi.io/cluster"]).to.equal("events");
            for (const k of REQUIRED_LABELS) expect(p.metadata.labels, k).to.have.property(k);
            expect(p.spec.replicas).to.equal(3);
            expect(p.spec.roles).to.deep.equal(["controller", "broker"]);
            expect(p.spec.storage).to.deep.equal({ type: "persistent-claim", size: "100Gi", deleteClaim: true });
            expect(p.spec.resources.limits).to.deep.equal({ cpu: "1", memory: "4Gi", "ephemeral-storage": "1Gi" });
            expect(nodePoolStorage({ type: "ephemeral", size: "10Gi", deleteClaim: false }), "an emptyDir log dir is bounded").to.deep.equal({
                type: "ephemeral",
                sizeLimit: "10Gi",
            });
            // An ephemeral log directory lives in the pod's ephemeral storage: the broker's limit makes room for it.
            expect(
                brokerResources({ storage: { type: "ephemeral", size: "10Gi", deleteClaim: false }, resources: undefined }).limits.ephemeralStorage,
            ).to.equal("11264Mi");
            expect(
                brokerResources({ storage: { type: "persistent-claim", size: "10Gi", deleteClaim: false }, resources: { limits: { ephemeralStorage: "2Gi" } } })
                    .limits.ephemeralStorage,
            ).to.equal("2Gi");
        });

        it("KafkaTopic: partitions, replicas, retention.ms from retentionHours, cluster label", () => {
            const cfg = kafkaConfig();
            const t = kafkaTopicResource({ clusterName: "events", namespace: "shop-staging", labels: LABELS_IN, annotations: {}, topic: cfg.topics[0] }) as Obj;
            expect(t.apiVersion).to.equal("kafka.strimzi.io/v1");
            expect(t.metadata.name).to.equal("shop.orders.order-created.v1");
            expect(t.metadata.labels["strimzi.io/cluster"]).to.equal("events");
            expect(t.spec).to.deep.equal({
                topicName: "shop.orders.order-created.v1",
                partitions: 6,
                replicas: 3,
                config: { "retention.ms": 72 * 3600 * 1000 },
            });
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
            // resources is a Kubernetes ResourceRequirements map; the chart's values.yaml only shows cpu and memory in it.
            const undeclared = undeclaredValuePaths(strimziOperatorValues({ labels: LABELS_IN, watchNamespace: "shop-staging" }), declared);
            expect(undeclared.filter((p) => !/^resources\.(requests|limits)\.ephemeral-storage$/.test(p))).to.deep.equal([]);
            const crdDir = path.join(mirroredChart(STRIMZI_OPERATOR_CHART), "crds");
            const crds = fs.readdirSync(crdDir).map((f) => fs.readFileSync(path.join(crdDir, f), "utf8"));
            for (const kind of ["Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"]) {
                const crd = crds.find((c) => new RegExp(`^\\s+kind: ${kind}$`, "m").test(c));
                expect(crd, `CRD for ${kind}`).to.be.a("string");
                expect(crd).to.match(/- name: v1\n/);
            }
        });

        it("is the pinned chart", () => {
            expect(mirroredChartFile(STRIMZI_OPERATOR_CHART, "Chart.yaml")).to.deep.include({
                name: STRIMZI_OPERATOR_CHART.chart,
                version: STRIMZI_OPERATOR_CHART.version,
            });
        });
    });

    describe("authentication and authorization", () => {
        const topics = [
            { name: "shop.orders.order-created.v1", partitions: 1, replicas: 1, retentionHours: 1, producers: ["api"], consumers: ["worker", "audit"] },
            { name: "shop.orders.order-paid.v1", partitions: 1, replicas: 1, retentionHours: 1, producers: ["billing"], consumers: ["worker"] },
            { name: "shop.catalog.item-updated.v1", partitions: 1, replicas: 1, retentionHours: 1, producers: ["api"], consumers: ["api"] },
        ];

        it("producers may write and describe their topics, nothing else", () => {
            expect(kafkaAcls("billing", topics)).to.deep.equal([
                { resource: { type: "topic", name: "shop.orders.order-paid.v1", patternType: "literal" }, operations: ["Write", "Describe"] },
            ]);
        });

        it("consumers may read and describe their topics and read their own consumer group", () => {
            expect(kafkaAcls("worker", topics)).to.deep.equal([
                { resource: { type: "topic", name: "shop.orders.order-created.v1", patternType: "literal" }, operations: ["Read", "Describe"] },
                { resource: { type: "topic", name: "shop.orders.order-paid.v1", patternType: "literal" }, operations: ["Read", "Describe"] },
                { resource: { type: "group", name: "worker", patternType: "literal" }, operations: ["Read"] },
            ]);
            const api = kafkaAcls("api", topics);
            expect(api.find((a) => a.resource.name === "shop.catalog.item-updated.v1")!.operations).to.deep.equal(["Read", "Write", "Describe"]);
        });

        it("a service that declares no topic gets no ACL on any topic (and no group)", () => {
            expect(kafkaAcls("web", topics)).to.deep.equal([]);
            const audit = kafkaAcls("audit", topics);
            expect(audit.map((a) => a.resource.name)).to.deep.equal(["shop.orders.order-created.v1", "audit"]);
            expect(audit.some((a) => a.resource.name === "shop.orders.order-paid.v1")).to.equal(false);
        });

        it("KafkaUser: SCRAM-SHA-512, password from the service's own Secret by reference, simple authorization with its ACLs", () => {
            const u = kafkaUserResource({
                clusterName: "events",
                namespace: "shop-staging",
                labels: LABELS_IN,
                annotations: {},
                user: clientUser("worker"),
                topics,
            }) as Obj;
            expect(u.apiVersion).to.equal("kafka.strimzi.io/v1");
            expect(u.kind).to.equal("KafkaUser");
            expect(u.metadata.name).to.equal("worker");
            expect(u.metadata.labels["strimzi.io/cluster"]).to.equal("events");
            expect(u.spec.authentication).to.deep.equal({
                type: "scram-sha-512",
                password: { valueFrom: { secretKeyRef: { name: "worker-credentials", key: "kafka-runtime-password" } } },
            });
            expect(u.spec.authorization.type).to.equal("simple");
            expect(u.spec.authorization.acls).to.deep.equal(kafkaAcls("worker", topics));
            const idle = kafkaUserResource({
                clusterName: "events",
                namespace: "shop-staging",
                labels: LABELS_IN,
                annotations: {},
                user: clientUser("web"),
                topics,
            }) as Obj;
            expect(idle.spec.authorization, "an explicit empty ACL list: may connect, may touch nothing").to.deep.equal({ type: "simple", acls: [] });
        });

        it("plaintext is an explicit per-stack choice (SASL_PLAINTEXT on 9092), refused in production", () => {
            const plain = kafkaClusterResource(specInput(kafkaConfig({ tls: false }))) as Obj;
            expect(plain.spec.kafka.listeners[0]).to.deep.include({ name: "plain", port: 9092, tls: false, authentication: { type: "scram-sha-512" } });
            const prod = { ...rawWithKafka({ tls: false }), environment: "production" };
            expect(() => parseConfig(prod)).to.throw(ConfigError, /platform:kafka\.tls: is false, but plaintext Kafka is refused in production/);
            const tlsProd = { ...rawWithKafka({}), environment: "production", secrets: { allowGenerated: false } };
            expect(() => parseConfig(tlsProd)).not.to.throw();
        });
    });

    describe("network policy", () => {
        it("clients on the listener port, the operator namespace on its ports, any port among the cluster's pods; API egress from config", () => {
            const s = kafkaNetworkPolicySpec({
                clusterName: "events",
                operatorNamespace: "strimzi-system",
                clientSelectors: [CLIENT],
                clientPort: 9093,
                apiServer: API_SERVER,
            }) as Obj;
            const self = { podSelector: { matchLabels: { "strimzi.io/cluster": "events" } } };
            expect(s.podSelector).to.deep.equal({ matchLabels: { "strimzi.io/cluster": "events" } });
            expect(s.ingress).to.deep.equal([
                { from: [{ podSelector: { matchLabels: CLIENT } }], ports: [{ protocol: "TCP", port: 9093 }] },
                {
                    from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "strimzi-system" } } }],
                    ports: [8443, 9090, 9091].map((port) => ({ protocol: "TCP", port })),
                },
                { from: [self] },
            ]);
            expect(s.egress).to.deep.equal([
                { to: [self] },
                {
                    to: [{ ipBlock: { cidr: "10.0.0.0/8" } }],
                    ports: [
                        { protocol: "TCP", port: 443 },
                        { protocol: "TCP", port: 6443 },
                    ],
                },
            ]);
            const none = kafkaNetworkPolicySpec({
                clusterName: "events",
                operatorNamespace: "strimzi-system",
                clientSelectors: [],
                clientPort: 9093,
                apiServer: API_SERVER,
            }) as Obj;
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
            expect(op).to.deep.include({
                chart: "oci://quay.io/strimzi-helm/strimzi-kafka-operator",
                version: STRIMZI_OPERATOR_CHART.version,
                namespace: "strimzi-system",
            });
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
            expect(deps.dependsOn.get(`${TOPIC}::kafka-topic-shop.orders.order-created.v1`)).to.include.members([
                `${CHART}::kafka-operator`,
                `${KAFKA}::kafka-cluster`,
            ]);
            expect(await resolve(component.bootstrapServers)).to.equal("events-kafka-bootstrap.shop-staging.svc:9093");
            const user = inputs(recorder.get(USER, "kafka-user-api"));
            expect(user.metadata.name).to.equal("api");
            expect(deps.dependsOn.get(`${USER}::kafka-user-api`)).to.include.members([`${CHART}::kafka-operator`, `${KAFKA}::kafka-cluster`]);
        });

        it("the operator chart's post-renderer labels every rendered object and keeps Strimzi's CRDs through destroy", async () => {
            const { recorder } = await build();
            const chart = recorder.get(CHART, "kafka-operator");
            expect(chart.transforms, "no per-object transform: the provider post-renders the chart once").to.deep.equal([]);
            const { postRenderer } = inputs(chart) as { postRenderer: { command: string; args: string[] } };
            // The RoleBindings Strimzi renders into the watched namespace carry no chart-value labels.
            const manifest =
                "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: kafkas.kafka.strimzi.io\n" +
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: strimzi-cluster-operator\n  namespace: shop-staging\n";
            const [crd, rb] = yaml.loadAll(postRenderManifest(manifest, parsePostRenderPolicy(postRenderer.args[1]))) as Obj[];
            expect(crd.metadata.annotations[HELM_RESOURCE_POLICY], "destroying one stack must not delete every Kafka in the cluster").to.equal("keep");
            for (const key of REQUIRED_LABELS) expect(rb.metadata.labels, key).to.have.property(key);
            expect(rb.metadata.annotations).to.equal(undefined);
        });

        it("monitoring: metrics reporter on the brokers, PodMonitors for brokers and operator, scraping admitted on 9404 only", async () => {
            const { recorder } = await build({}, { namespace: "monitoring", scrapeInterval: "30s" });
            expect(inputs(recorder.get(KAFKA, "kafka-cluster")).spec.kafka.metricsConfig.type).to.equal("strimziMetricsReporter");
            const monitors = recorder.ofType("kubernetes:monitoring.coreos.com/v1:PodMonitor").map((r) => inputs(r));
            expect(monitors.map((m) => m.spec.podMetricsEndpoints[0].port).sort()).to.deep.equal(["http", "tcp-prometheus"]);
            expect(monitors.map((m) => m.metadata.namespace).sort()).to.deep.equal(["shop-staging", "strimzi-system"]);
            const np = inputs(recorder.get(NP, "kafka-netpol"));
            expect(np.spec.ingress).to.deep.include({
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
                ports: [{ protocol: "TCP", port: 9404 }],
            });
            const plain = await build();
            expect(inputs(plain.recorder.get(KAFKA, "kafka-cluster")).spec.kafka).to.not.have.property("metricsConfig");
            expect(plain.recorder.ofType("kubernetes:monitoring.coreos.com/v1:PodMonitor")).to.have.length(0);
        });

        it("installOperator: false → no operator chart, no namespace, CRs without the dependency", async () => {
            const { recorder, deps } = await build({ installOperator: false });
            expect(recorder.ofType(CHART)).to.have.length(0);
            expect(recorder.ofType(NS)).to.have.length(0);
            expect(deps.dependsOn.get(`${KAFKA}::kafka-cluster`)).to.deep.equal([]);
            expect(recorder.ofType(TOPIC)).to.have.length(2);
        });

        it("owns a NetworkPolicy and hands each client its settings as Kafka client properties, credentials by reference", async () => {
            const { recorder, component } = await build();
            const np = inputs(recorder.get(NP, "kafka-netpol"));
            expect(np.spec.podSelector.matchLabels).to.deep.equal({ "strimzi.io/cluster": "events" });
            expect(np.spec.ingress[0].from).to.deep.equal([{ podSelector: { matchLabels: CLIENT } }]);
            // api consumes shop.catalog.item-updated.v2, so it also gets its consumer group.
            const conn = component.clientConnection("api", clientUser("api").credentials);
            const env = Object.fromEntries(await Promise.all(Object.entries(conn.env).map(async ([k, v]) => [k, await resolve(v)])));
            expect(env).to.deep.equal({
                KAFKA_BOOTSTRAP_SERVERS: "events-kafka-bootstrap.shop-staging.svc:9093",
                KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
                KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
                KAFKA_SSL_TRUSTSTORE_TYPE: "PEM",
                KAFKA_GROUP_ID: "api",
            });
            expect(conn.secretEnv).to.deep.equal({
                KAFKA_SASL_USERNAME: { secretName: "api-credentials", key: "kafka-runtime-username" },
                KAFKA_SASL_PASSWORD: { secretName: "api-credentials", key: "kafka-runtime-password" },
                KAFKA_SASL_JAAS_CONFIG: { secretName: "api-credentials", key: "kafka-runtime-sasl-jaas-config" },
                KAFKA_SSL_TRUSTSTORE_CERTIFICATES: { secretName: "events-cluster-ca-cert", key: "ca.crt" },
            });
            expect(conn.peer).to.deep.equal({ podLabels: { "strimzi.io/cluster": "events", "strimzi.io/broker-role": "true" }, ports: [9093] });
            const producer = component.clientConnection("web", clientUser("web").credentials);
            expect(producer.env).to.not.have.property("KAFKA_GROUP_ID");
        });

        it("without TLS: SASL_PLAINTEXT on 9092 and no CA certificate", async () => {
            const { component } = await build({ tls: false });
            const conn = component.clientConnection("api", clientUser("api").credentials);
            expect(conn.env.KAFKA_SECURITY_PROTOCOL).to.equal("SASL_PLAINTEXT");
            expect(conn.env).to.not.have.property("KAFKA_SSL_TRUSTSTORE_TYPE");
            expect(conn.secretEnv).to.not.have.property("KAFKA_SSL_TRUSTSTORE_CERTIFICATES");
            expect(conn.peer.ports).to.deep.equal([9092]);
        });
    });
});
