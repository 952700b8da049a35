// Dapr building blocks as Dapr CRs: a Kafka pub/sub and a Valkey state store per Dapr app, and the declarative
// topic subscriptions. Each app gets its own Components, scoped to it and logging in with that service's own Kafka
// and Valkey credentials (the platform gives every service its own login), so a sidecar can do exactly what its
// service may do. An app addresses them as `<pubsub name>-<app id>` and `<state store name>-<app id>`.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig, ResolvedService } from "../config";
import { ClientConnection, PlatformContext, SecretRef, standardAnnotations, standardLabels } from "../k8s";
import { daprAppId } from "./daprSidecar";

/** The validated `platform:dapr` settings. */
export type DaprConfig = PlatformConfig["dapr"];

/** API version of Dapr `Component` objects. */
export const DAPR_COMPONENT_API = "dapr.io/v1alpha1";
/** API version of declarative `Subscription` objects (`routes` rather than a single route). */
export const DAPR_SUBSCRIPTION_API = "dapr.io/v2alpha1";

/** One metadata entry of a Dapr component: a literal value or a reference to a Secret key (never a secret literal). */
export type ComponentMetadata = { name: string; value: pulumi.Input<string> } | { name: string; secretKeyRef: { name: pulumi.Input<string>; key: string } };

/** A Component spec (type, version, metadata). */
export interface ComponentSpec {
    type: string;
    version: string;
    metadata: ComponentMetadata[];
}

/** One Dapr app and the store connections of its service (the sidecar logs in as the service). */
export interface DaprApp {
    service: ResolvedService;
    kafka?: ClientConnection;
    redis?: ClientConnection;
}

/** Name of an app's Component: `<component>-<app id>`. */
export function appComponentName(component: string, appId: string): string {
    return `${component}-${appId}`;
}

function envOf(conn: ClientConnection, key: string, store: string): pulumi.Input<string> {
    const v = conn.env[key];
    if (v === undefined) throw new Error(`the ${store} connection has no ${key}; the Dapr component cannot be wired`);
    return v;
}
function refOf(conn: ClientConnection, key: string, store: string): SecretRef {
    const r = conn.secretEnv[key];
    if (r === undefined) throw new Error(`the ${store} connection has no ${key} reference; the Dapr component cannot authenticate`);
    return r;
}
const secretMeta = (name: string, r: SecretRef): ComponentMetadata => ({ name, secretKeyRef: { name: r.secretName, key: r.key } });

/**
 * `pubsub.kafka` for one app on the platform's Kafka: SCRAM-SHA-512 as the service's Kafka user, the cluster CA when
 * the listener is TLS (TLS off only for the plain listener a non-production stack may use), and the service's
 * consumer group, the one its ACL names.
 */
export function pubsubComponentSpec(svc: Pick<ResolvedService, "name">, kafka: ClientConnection): ComponentSpec {
    const tls = kafka.env.KAFKA_SECURITY_PROTOCOL === "SASL_SSL";
    return {
        type: "pubsub.kafka",
        version: "v1",
        metadata: [
            { name: "brokers", value: envOf(kafka, "KAFKA_BOOTSTRAP_SERVERS", "kafka") },
            { name: "authType", value: "password" },
            secretMeta("saslUsername", refOf(kafka, "KAFKA_SASL_USERNAME", "kafka")),
            secretMeta("saslPassword", refOf(kafka, "KAFKA_SASL_PASSWORD", "kafka")),
            { name: "saslMechanism", value: "SHA-512" },
            ...(tls ? [secretMeta("caCert", refOf(kafka, "KAFKA_SSL_TRUSTSTORE_CERTIFICATES", "kafka"))] : [{ name: "disableTls", value: "true" }]),
            { name: "consumerGroup", value: kafka.env.KAFKA_GROUP_ID ?? svc.name },
            { name: "clientId", value: svc.name },
        ],
    };
}

/** `state.redis` for one app on the platform's Valkey, as the service's ACL user (host:port by value, login by reference). */
export function stateStoreComponentSpec(redis: ClientConnection): ComponentSpec {
    return {
        type: "state.redis",
        version: "v1",
        metadata: [
            { name: "redisHost", value: pulumi.interpolate`${envOf(redis, "REDIS_HOST", "redis")}:${envOf(redis, "REDIS_PORT", "redis")}` },
            secretMeta("redisUsername", refOf(redis, "REDIS_USERNAME", "redis")),
            secretMeta("redisPassword", refOf(redis, "REDIS_PASSWORD", "redis")),
        ],
    };
}

/** A declarative subscription: `topic` through `pubsubName`, delivered to `route`. */
export function subscriptionSpec(s: { topic: string; route: string }, pubsubName: string): Record<string, unknown> {
    return { topic: s.topic, routes: { default: s.route }, pubsubname: pubsubName };
}

/** Arguments of {@link DaprComponents}. */
export interface DaprComponentsArgs {
    context: PlatformContext;
    /** `platform:dapr` (pubsub, stateStore, subscriptions). */
    config: DaprConfig;
    /** The Dapr-enabled services with their store connections. */
    apps: DaprApp[];
}

/** The Dapr Components and Subscriptions of the stack (the Dapr control plane and its CRDs must be installed). */
export class DaprComponents extends pulumi.ComponentResource {
    /** pubsub.kafka Components by app id. */
    public readonly pubsubs: Record<string, k8s.apiextensions.CustomResource> = {};
    /** state.redis Components by app id. */
    public readonly stateStores: Record<string, k8s.apiextensions.CustomResource> = {};
    public readonly subscriptions: k8s.apiextensions.CustomResource[] = [];

    constructor(name: string, args: DaprComponentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:dapr:DaprComponents", name, {}, opts);
        const { context: ctx, config: cfg } = args;
        const meta = (objectName: string, what: string) => ({
            name: objectName,
            namespace: ctx.namespace,
            labels: standardLabels(ctx.labels, { name: objectName, component: "dapr" }),
            annotations: standardAnnotations(ctx.ownership, what),
        });
        const component = (objectName: string, appId: string, what: string, spec: ComponentSpec) =>
            new k8s.apiextensions.CustomResource(
                `${name}-${objectName}`,
                {
                    apiVersion: DAPR_COMPONENT_API,
                    kind: "Component",
                    metadata: meta(objectName, what),
                    spec,
                    scopes: [appId],
                },
                { parent: this },
            );
        for (const app of args.apps) {
            const appId = daprAppId(app.service);
            if (cfg.pubsub && app.kafka) {
                this.pubsubs[appId] = component(
                    appComponentName(cfg.pubsub.name, appId),
                    appId,
                    `Dapr pub/sub of ${appId} on the platform's Kafka`,
                    pubsubComponentSpec(app.service, app.kafka),
                );
            }
            if (cfg.stateStore && app.redis) {
                this.stateStores[appId] = component(
                    appComponentName(cfg.stateStore.name, appId),
                    appId,
                    `Dapr state store of ${appId} on the platform's Valkey`,
                    stateStoreComponentSpec(app.redis),
                );
            }
        }
        for (const s of cfg.subscriptions) {
            for (const subscriber of s.subscribers) {
                const app = args.apps.find((a) => a.service.name === subscriber);
                if (!app || !cfg.pubsub) throw new Error(`platform:dapr.subscriptions ${s.name}: ${subscriber} is not a Dapr app with a pub/sub`);
                const appId = daprAppId(app.service);
                const objectName = `${s.name}-${appId}`;
                this.subscriptions.push(
                    new k8s.apiextensions.CustomResource(
                        `${name}-${objectName}`,
                        {
                            apiVersion: DAPR_SUBSCRIPTION_API,
                            kind: "Subscription",
                            metadata: meta(objectName, `Dapr subscription of ${appId} to ${s.topic}`),
                            spec: subscriptionSpec(s, appComponentName(cfg.pubsub.name, appId)),
                            scopes: [appId],
                        },
                        { parent: this, dependsOn: this.pubsubs[appId] ? [this.pubsubs[appId]] : [] },
                    ),
                );
            }
        }
        this.registerOutputs({});
    }
}
