// Composes the stack from validated stack config: an app stack (the platform) or a cluster layer (platform:layer:
// cluster). Nothing is registered until the whole config is valid — for an app stack on a cluster layer, until the
// layer's export has been read and judged compatible.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, ConfigError, parsePlatformConfig, PlatformConfig, RawConfig, SecretPresence } from "./components/config";
import { applyChartMirror, mirroredChart } from "./components/charts";
import {
    CLUSTER_LAYER_KEY,
    CLUSTER_LAYER_OUTPUT,
    ClusterLayer,
    ClusterLayerConfig,
    clusterLayerIssues,
    explicitStoreKeys,
    onClusterLayer,
    parseClusterLayerConfig,
    readLayerExport,
} from "./components/cluster";
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

/** The layer's export, read through a StackReference; a stack that cannot be read is a refusal naming the key. */
async function readClusterLayer(name: string): Promise<unknown> {
    const ref = new pulumi.StackReference("cluster-layer", { name });
    try {
        const details = await ref.getOutputDetails(CLUSTER_LAYER_OUTPUT);
        return details.value ?? details.secretValue;
    } catch (e) {
        throw new ConfigError([
            {
                key: CLUSTER_LAYER_KEY,
                message: `names stack "${name}", which cannot be read (${(e as Error).message.split("\n")[0]}); check the name (<organization>/<project>/<stack>) and that the cluster layer exists in this backend`,
            },
        ]);
    }
}

/** An app stack's config as it runs: on its cluster layer when it names one, and read from the chart mirror when set. */
async function resolveAppConfig(raw: RawConfig): Promise<PlatformConfig> {
    let cfg = parsePlatformConfig(raw, secretPresence);
    if (cfg.clusterLayer) {
        const { layer, issues } = readLayerExport(cfg.clusterLayer, await readClusterLayer(cfg.clusterLayer));
        const all = layer ? clusterLayerIssues(cfg, cfg.clusterLayer, layer, explicitStoreKeys(raw)) : issues;
        if (all.length > 0) throw new ConfigError(all);
        cfg = onClusterLayer(cfg, layer!);
    }
    // With a chart mirror every pinned chart is read from it; a missing entry fails here, before any resource exists.
    const chartMirror = cfg.chartMirror ?? process.env.PLATFORM_CHART_MIRROR;
    return chartMirror ? applyChartMirror(cfg, chartMirror, process.cwd()) : cfg;
}

/** The cluster layer's operator charts read from the chart mirror, when one is set. */
function mirroredLayer(cfg: ClusterLayerConfig): ClusterLayerConfig {
    const mirror = cfg.chartMirror ?? process.env.PLATFORM_CHART_MIRROR;
    if (!mirror) return cfg;
    const root = path.resolve(process.cwd(), mirror);
    const issues: { key: string; message: string }[] = [];
    const { cnpg, strimzi } = cfg.operators;
    const out: ClusterLayerConfig = {
        ...cfg,
        operators: {
            cnpg: cnpg.enabled ? { ...cnpg, chart: mirroredChart(cnpg.chart, "operators.cnpg.chart", root, issues) } : cnpg,
            strimzi: strimzi.enabled ? { ...strimzi, chart: mirroredChart(strimzi.chart, "operators.strimzi.chart", root, issues) } : strimzi,
        },
    };
    if (issues.length > 0) throw new ConfigError(issues);
    return out;
}

/** A cluster layer stack: the operators, and the export app stacks read. */
function clusterLayerStack(raw: RawConfig): Record<string, unknown> {
    const cfg = mirroredLayer(parseClusterLayerConfig(raw));
    const layer = new ClusterLayer("cluster", { config: cfg });
    return { environment: cfg.environment, [CLUSTER_LAYER_OUTPUT]: layer.export };
}

/** An app stack: the platform, and what its users read from it. */
async function appStack(raw: RawConfig): Promise<Record<string, unknown>> {
    const cfg = await resolveAppConfig(raw);
    // Secrets stay Outputs marked secret from config to Kubernetes Secret; only their names are exported.
    const platformConfig = new pulumi.Config(CONFIG_NAMESPACE);
    const secretValues = Object.fromEntries(cfg.requiredSecrets.map(({ key }) => [key, platformConfig.getSecret(key)]));
    const platform = new Platform("platform", { config: cfg, secretValues });
    return {
        environment: cfg.environment,
        /** Namespace everything is deployed into. */
        namespace: cfg.namespace.name,
        /** Public entry point (Ingress/HTTPRoute host), when the stack has an edge. */
        url: platform.edge.url,
        /** In-cluster URL of every service with ports (its first port; grpc://, tcp:// … by protocol). */
        serviceUrls: Object.fromEntries(Object.entries(platform.services).flatMap(([n, s]) => (s.url ? [[n, s.url]] : []))),
        /** In-cluster URL of every declared port, by service and port name. */
        servicePortUrls: Object.fromEntries(Object.entries(platform.services).map(([n, s]) => [n, s.urls])),
        /** Kubernetes Service names (workloads without ports have none). */
        serviceNames: Object.values(platform.services).flatMap((s) => (s.serviceName ? [s.serviceName] : [])),
        /** Data-store endpoints (hosts and ports; credentials are in the Secrets named below). */
        dataStores: {
            postgres: platform.postgres ? { host: platform.postgres.host, port: platform.postgres.port, database: platform.postgres.database } : undefined,
            redis: platform.redis ? { host: platform.redis.host, port: platform.redis.port } : undefined,
            kafka: platform.kafka ? { bootstrapServers: platform.kafka.bootstrapServers } : undefined,
        },
        /** Names of the Secrets holding credentials; never their values. */
        secretNames: platform.secrets.secretNames,
        /** What `pulumi destroy` leaves in place on purpose (the namespace first, then the retained data); empty: nothing. */
        retainedOnDestroy:
            platform.retainedOnDestroy.length > 0 ? [`namespace ${cfg.namespace.name}`, ...platform.retainedOnDestroy.map((r) => `${r.what} (${r.key})`)] : [],
    };
}

// The program is this function: Pulumi awaits it, and its result is the stack's outputs.
export = async (): Promise<Record<string, unknown>> => {
    const raw = readRawConfig();
    return raw.layer === "cluster" ? clusterLayerStack(raw) : appStack(raw);
};
