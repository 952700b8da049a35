// Dapr Components and Subscriptions: one pub/sub and state store per app, logging in as the service, and the config
// rules that keep them wired to stores, topics and consumers that exist.
import { expect } from "chai";
import { ConfigError } from "../../components/config";
import { ClientConnection } from "../../components/k8s/context";
import { appComponentName, DaprComponents, pubsubComponentSpec, stateStoreComponentSpec, subscriptionSpec } from "../../components/dapr/daprComponents";
import { expectAllDescendFrom, expectRequiredLabels, inputs, parseConfig, platformContext, rawPlatform, resolved, underMocks } from "./componentFixtures";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ref = (secretName: string, key: string) => ({ secretName, key });

function kafkaConn(tls: boolean): ClientConnection {
    return {
        env: {
            KAFKA_BOOTSTRAP_SERVERS: "events-kafka-bootstrap.shop.svc:9093",
            KAFKA_SECURITY_PROTOCOL: tls ? "SASL_SSL" : "SASL_PLAINTEXT",
            KAFKA_GROUP_ID: "api",
        },
        secretEnv: {
            KAFKA_SASL_USERNAME: ref("api-credentials", "kafka-username"),
            KAFKA_SASL_PASSWORD: ref("api-credentials", "kafka-password"),
            ...(tls ? { KAFKA_SSL_TRUSTSTORE_CERTIFICATES: ref("events-cluster-ca-cert", "ca.crt") } : {}),
        },
        peer: { podLabels: { "strimzi.io/cluster": "events" }, ports: [9093] },
    };
}
const REDIS: ClientConnection = {
    env: { REDIS_HOST: "redis", REDIS_PORT: "6379" },
    secretEnv: { REDIS_USERNAME: ref("api-credentials", "redis-username"), REDIS_PASSWORD: ref("api-credentials", "redis-password") },
    peer: { podLabels: { "app.kubernetes.io/name": "redis" }, ports: [6379] },
};
const meta = (spec: { metadata: Obj[] }) => Object.fromEntries(spec.metadata.map((m) => [m.name, m.value ?? m.secretKeyRef]));

/** rawPlatform() with Kafka, a topic consumed by api and the Dapr building blocks declared. */
function daprRaw(patch: (raw: Obj) => void = () => undefined): Obj {
    const raw = rawPlatform() as Obj;
    raw.kafka = { enabled: true, topics: [{ name: "shop.orders.order-created.v1", producers: ["api"], consumers: ["api"] }] };
    const api = raw.services.find((s: Obj) => s.name === "api");
    api.uses = ["postgres", "redis", "kafka"];
    api.redis = { keys: ["api:*", "api||*"], commands: "-@all +@read +@write +@scripting -@admin -@dangerous" };
    raw.dapr = {
        ...raw.dapr,
        pubsub: {},
        stateStore: {},
        subscriptions: [{ name: "order-created", topic: "shop.orders.order-created.v1", route: "/events/order-created", subscribers: ["api"] }],
    };
    patch(raw);
    return raw;
}

describe("Dapr components", () => {
    it("pubsub.kafka logs in as the service with SCRAM-SHA-512, trusts the cluster CA over TLS, consumes as the service's group", () => {
        const m = meta(pubsubComponentSpec({ name: "api" }, kafkaConn(true)));
        expect(m).to.deep.include({
            brokers: "events-kafka-bootstrap.shop.svc:9093",
            authType: "password",
            saslMechanism: "SHA-512",
            consumerGroup: "api",
            clientId: "api",
        });
        expect(m.saslUsername).to.deep.equal({ name: "api-credentials", key: "kafka-username" });
        expect(m.saslPassword).to.deep.equal({ name: "api-credentials", key: "kafka-password" });
        expect(m.caCert).to.deep.equal({ name: "events-cluster-ca-cert", key: "ca.crt" });
        expect(m).not.to.have.property("disableTls");
        const plain = meta(pubsubComponentSpec({ name: "api" }, kafkaConn(false)));
        expect(plain.disableTls).to.equal("true");
        expect(plain).not.to.have.property("caCert");
    });

    it("state.redis logs in as the service's Valkey user, by Secret reference only", () => {
        const spec = stateStoreComponentSpec(REDIS);
        expect(spec.type).to.equal("state.redis");
        const m = meta(spec);
        expect(m.redisUsername).to.deep.equal({ name: "api-credentials", key: "redis-username" });
        expect(m.redisPassword).to.deep.equal({ name: "api-credentials", key: "redis-password" });
        expect(spec.metadata.every((e) => !("value" in e) || !/password/i.test(e.name))).to.equal(true);
    });

    it("a subscription routes its topic through the subscriber's own pub/sub", () => {
        expect(subscriptionSpec({ topic: "t.a.b.v1", route: "/e" }, appComponentName("pubsub", "api"))).to.deep.equal({
            topic: "t.a.b.v1",
            routes: { default: "/e" },
            pubsubname: "pubsub-api",
        });
    });

    it("component: per app a pub/sub and a state store scoped to it, and one Subscription per subscriber, all labelled", async () => {
        const cfg = parseConfig(daprRaw());
        const api = resolved("api", cfg);
        const { recorder } = await underMocks(
            (opts) =>
                new DaprComponents(
                    "dapr",
                    { context: platformContext(), config: cfg.dapr, apps: [{ service: api, kafka: kafkaConn(true), redis: REDIS }] },
                    opts,
                ),
        );
        const children = expectAllDescendFrom(recorder, "platform:dapr:DaprComponents", "dapr");
        expectRequiredLabels(children);
        const components = recorder
            .ofType("kubernetes:dapr.io/v1alpha1:Component")
            .map(inputs)
            .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
        expect(components.map((c) => [c.metadata.name, c.spec.type, c.scopes])).to.deep.equal([
            ["pubsub-api", "pubsub.kafka", ["api"]],
            ["statestore-api", "state.redis", ["api"]],
        ]);
        const subs = recorder.ofType("kubernetes:dapr.io/v2alpha1:Subscription").map(inputs);
        expect(subs.map((s) => [s.metadata.name, s.spec.pubsubname, s.scopes])).to.deep.equal([["order-created-api", "pubsub-api", ["api"]]]);
    });

    describe("config rules", () => {
        const refused = (patch: (raw: Obj) => void, key: string, message: string) => {
            expect(() => parseConfig(daprRaw(patch)))
                .to.throw(ConfigError)
                .with.property("message")
                .that.includes(`${key}: ${message}`);
        };
        it("accepts the wired example", () => {
            expect(() => parseConfig(daprRaw())).not.to.throw();
        });
        it("needs Dapr, Kafka and Valkey for what it declares", () => {
            refused(
                (r) => {
                    r.dapr.enabled = false;
                    (r.services as Obj[]).forEach((s) => delete s.dapr);
                },
                "platform:dapr.enabled",
                "is false but Dapr components or subscriptions are declared",
            );
            refused(
                (r) => {
                    delete r.dapr.subscriptions;
                    r.dapr.pubsub = undefined;
                    r.dapr.subscriptions = [{ name: "x", topic: "shop.orders.order-created.v1", route: "/x", subscribers: ["api"] }];
                },
                "platform:dapr.subscriptions",
                "need a pub/sub",
            );
        });
        it("subscriptions name declared topics and Dapr-enabled consumers of them", () => {
            refused(
                (r) => {
                    r.dapr.subscriptions[0].topic = "shop.orders.unknown.v1";
                },
                "platform:dapr.subscriptions[0].topic",
                `"shop.orders.unknown.v1" is not declared in platform:kafka.topics`,
            );
            refused(
                (r) => {
                    r.dapr.subscriptions[0].subscribers = ["catalog"];
                },
                "platform:dapr.subscriptions[0].subscribers[0]",
                `service "catalog" has no Dapr sidecar`,
            );
            refused(
                (r) => {
                    r.kafka.topics[0].consumers = [];
                },
                "platform:dapr.subscriptions[0].subscribers[0]",
                `service "api" is not a consumer of shop.orders.order-created.v1`,
            );
        });
        it("the state store needs the service's Valkey user to reach Dapr's keys and scripts", () => {
            refused(
                (r) => {
                    delete (r.services as Obj[])[0].redis.keys;
                },
                "platform:services[0].redis.keys",
                `must include "api||*"`,
            );
            refused(
                (r) => {
                    (r.services as Obj[])[0].redis.commands = "-@all +@read +@write";
                },
                "platform:services[0].redis.commands",
                "must allow +@scripting",
            );
        });
    });
});
