// Composes the platform from validated stack config. Nothing is registered until the whole config is valid.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, parsePlatformConfig, RawConfig, requiredSecretKeys, SecretPresence } from "./components/config";
import { applyChartMirror } from "./components/charts";
import { Platform } from "./components/platform";

// isConfigSecret is internal to the SDK (runtime/config.js); it tells a `secure:` value from a plaintext one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(k: string): boolean };

function readRawConfig(): RawConfig {
    const raw: RawConfig = {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
        if (k.startsWith(prefix)) raw[k.slice(prefix.length)] = v;
    }
    return raw;
}

const secretPresence: SecretPresence = {
    isSet: (key) => pulumi.runtime.getConfig(`${CONFIG_NAMESPACE}:${key}`) !== undefined,
    isSecret: (key) => runtimeConfig.isConfigSecret(`${CONFIG_NAMESPACE}:${key}`),
};

const parsed = parsePlatformConfig(readRawConfig(), secretPresence);
// With a chart mirror every pinned chart is read from it; a missing entry fails here, before any resource exists.
const chartMirror = parsed.chartMirror ?? process.env.PLATFORM_CHART_MIRROR;
const cfg = chartMirror ? applyChartMirror(parsed, chartMirror, process.cwd()) : parsed;

export const environment = cfg.environment;
/** Namespace everything is deployed into. */
export const namespace = cfg.namespace.name;

// Secrets stay Outputs marked secret from config to Kubernetes Secret; only their names are exported.
const platformConfig = new pulumi.Config(CONFIG_NAMESPACE);
const secretValues = Object.fromEntries(requiredSecretKeys(cfg).map(({ key }) => [key, platformConfig.getSecret(key)]));

const platform = new Platform("platform", { config: cfg, secretValues });

/** Public entry point (Ingress/HTTPRoute host), when the stack has an edge. */
export const url = platform.edge.url;
/** In-cluster URL of every service with ports (its first port; grpc://, tcp:// … by protocol). */
export const serviceUrls = Object.fromEntries(Object.entries(platform.services).flatMap(([n, s]) => (s.url ? [[n, s.url]] : [])));
/** In-cluster URL of every declared port, by service and port name. */
export const servicePortUrls = Object.fromEntries(Object.entries(platform.services).map(([n, s]) => [n, s.urls]));
/** Kubernetes Service names (workloads without ports have none). */
export const serviceNames = Object.values(platform.services).flatMap((s) => (s.serviceName ? [s.serviceName] : []));
/** Data-store endpoints (hosts and ports; credentials are in the Secrets named below). */
export const dataStores = {
    postgres: platform.postgres ? { host: platform.postgres.host, port: platform.postgres.port, database: platform.postgres.database } : undefined,
    redis: platform.redis ? { host: platform.redis.host, port: platform.redis.port } : undefined,
    kafka: platform.kafka ? { bootstrapServers: platform.kafka.bootstrapServers } : undefined,
};
/** Names of the Secrets holding credentials; never their values. */
export const secretNames = platform.secrets.secretNames;
/** What `pulumi destroy` leaves in place on purpose (the namespace first, then the retained data); empty: nothing. */
export const retainedOnDestroy = platform.retainedOnDestroy.length > 0
    ? [`namespace ${cfg.namespace.name}`, ...platform.retainedOnDestroy.map((r) => `${r.what} (${r.key})`)]
    : [];
