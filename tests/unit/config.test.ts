import { expect } from "chai";
import {
    ConfigError, cpuMillis, formatKey, memoryBytes, parsePlatformConfig, PlatformConfig, RawConfig, requiredSecretKeys,
    resolveService, SecretPresence,
} from "../../components/config";
import { readStackFile } from "../../tools/stackEvaluator";

type Json = Record<string, unknown>;

/** The dev stack's config as unqualified, parsed objects: the base every malformed case mutates. */
function base(stack = "dev"): Json {
    const out: Json = {};
    for (const [k, v] of Object.entries(readStackFile(stack))) if (k.startsWith("platform:")) out[k.slice(9)] = v;
    return JSON.parse(JSON.stringify(out)) as Json;
}

function toRaw(cfg: Json): RawConfig {
    const raw: RawConfig = {};
    for (const [k, v] of Object.entries(cfg)) raw[k] = typeof v === "string" ? v : JSON.stringify(v);
    return raw;
}

const allSecretsSet: SecretPresence = { isSet: () => true, isSecret: () => true };
const noSecretsSet: SecretPresence = { isSet: () => false, isSecret: () => false };

function parse(cfg: Json, secrets: SecretPresence = allSecretsSet): PlatformConfig {
    return parsePlatformConfig(toRaw(cfg), secrets);
}

/** Parses and returns the ConfigError; fails the test when the config is accepted. */
function errorOf(cfg: Json, secrets: SecretPresence = allSecretsSet): ConfigError {
    try {
        parse(cfg, secrets);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return e as ConfigError;
    }
    throw new Error("expected the config to be rejected");
}

function expectIssue(err: ConfigError, key: string, fragment: string | RegExp): void {
    const hit = err.issues.find((i) => i.key === key);
    expect(hit, `no issue for ${key}; got:\n${err.message}`).to.not.equal(undefined);
    if (typeof fragment === "string") expect(hit!.message).to.include(fragment);
    else expect(hit!.message).to.match(fragment);
    expect(err.message).to.include(key);
}

type Services = Json[];
const services = (c: Json) => c.services as Services;

describe("config model", () => {
    describe("valid stacks", () => {
        for (const stack of ["dev", "staging", "production"]) {
            it(`accepts Pulumi.${stack}.yaml`, () => {
                const cfg = parse(base(stack));
                expect(cfg.environment).to.equal(stack);
                expect(cfg.services.map((s) => s.name)).to.deep.equal(["web", "api", "worker"]);
            });
        }

        it("applies code defaults under stack defaults under service settings", () => {
            const c = base();
            (c.defaults as Json).replicas = 2;
            services(c)[1].replicas = 4;
            services(c)[1].readinessProbe = { periodSeconds: 7 };
            const cfg = parse(c);
            const web = resolveService(cfg.services[0], cfg.defaults);
            const api = resolveService(cfg.services[1], cfg.defaults);
            expect(web.replicas).to.equal(2);
            expect(api.replicas).to.equal(4);
            expect(api.readinessProbe).to.deep.equal({ type: "http", path: "/readyz", port: "http", scheme: "HTTP", httpHeaders: [], initialDelaySeconds: 10, periodSeconds: 7, timeoutSeconds: 3, failureThreshold: 3 });
            expect(api.livenessProbe).to.deep.include({ path: "/healthz", initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 });
            expect(api.podSecurity).to.deep.equal({ runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, runAsNonRoot: true, readOnlyRootFilesystem: true });
            expect(api.secretKeys).to.deep.equal(["sessionSigningKey"]);
        });

        it("fills chart coordinates with pinned defaults and accepts a local chart path", () => {
            const c = base();
            (c.redis as Json).chart = { chart: "valkey", path: "./vendor/charts/valkey" };
            const cfg = parse(c);
            expect(cfg.postgres.operatorChart.repo).to.match(/^https:\/\//);
            expect(cfg.postgres.operatorChart.version).to.match(/^\d+\.\d+\.\d+$/);
            expect(cfg.redis.chart).to.deep.equal({ chart: "valkey", path: "./vendor/charts/valkey", version: undefined });
        });

        it("lists the secrets a stack needs, once each", () => {
            const cfg = parse(base("production"));
            expect(requiredSecretKeys(cfg).map((s) => s.key)).to.deep.equal(["postgresPassword", "redisPassword", "sessionSigningKey"]);
        });

        it("formats keys the way `pulumi config` names them", () => {
            expect(formatKey(["services", 1, "port"])).to.equal("platform:services[1].port");
            expect(formatKey(["edge", "tls", "enabled"])).to.equal("platform:edge.tls.enabled");
        });

        it("parses Kubernetes quantities", () => {
            expect(cpuMillis("250m")).to.equal(250);
            expect(cpuMillis("1.5")).to.equal(1500);
            expect(memoryBytes("512Mi")).to.equal(512 * 1024 * 1024);
            expect(memoryBytes("1G")).to.equal(1e9);
        });
    });

    describe("malformed config is rejected with the full key and the fix", () => {
        const cases: { title: string; mutate: (c: Json) => void; key: string; message: string | RegExp; secrets?: SecretPresence }[] = [
            { title: "missing environment", mutate: (c) => delete c.environment, key: "platform:environment", message: "is required" },
            { title: "unknown environment", mutate: (c) => { c.environment = "qa"; }, key: "platform:environment", message: "must be one of dev, staging, production" },
            { title: "missing namespace", mutate: (c) => delete c.namespace, key: "platform:namespace", message: /required|object/ },
            { title: "namespace not a DNS label", mutate: (c) => { (c.namespace as Json).name = "Shop_Dev"; }, key: "platform:namespace.name", message: "must be a DNS label" },
            { title: "missing team", mutate: (c) => { delete (c.metadata as Json).team; }, key: "platform:metadata.team", message: /required|string/ },
            { title: "no services", mutate: (c) => { c.services = []; }, key: "platform:services", message: "at least one service" },
            { title: "services not a list", mutate: (c) => { c.services = { web: {} }; }, key: "platform:services", message: "must be a list of services" },
            { title: "zero replicas", mutate: (c) => { services(c)[0].replicas = 0; }, key: "platform:services[0].replicas", message: "must be at least 1" },
            { title: "negative replicas", mutate: (c) => { (c.defaults as Json).replicas = -2; }, key: "platform:defaults.replicas", message: "must be at least 1" },
            { title: "fractional replicas", mutate: (c) => { services(c)[2].replicas = 1.5; }, key: "platform:services[2].replicas", message: "whole number" },
            { title: "replicas as a string", mutate: (c) => { services(c)[2].replicas = "three"; }, key: "platform:services[2].replicas", message: "whole number" },
            { title: "autoscaling min > max", mutate: (c) => { services(c)[1].autoscaling = { enabled: true, minReplicas: 5, maxReplicas: 2 }; }, key: "platform:services[1].autoscaling.minReplicas", message: "must not exceed maxReplicas (2)" },
            { title: "utilization over 100 %", mutate: (c) => { (c.defaults as Json).autoscaling = { cpuUtilization: 170 }; }, key: "platform:defaults.autoscaling.cpuUtilization", message: "percentage" },
            { title: "image without tag", mutate: (c) => { services(c)[0].image = "ghcr.io/stefanprodan/podinfo"; }, key: "platform:services[0].image", message: "has no tag" },
            { title: "image with latest tag", mutate: (c) => { services(c)[0].image = "nginx:latest"; }, key: "platform:services[0].image", message: "\"latest\" tag" },
            { title: "malformed image", mutate: (c) => { services(c)[0].image = "Not An Image!"; }, key: "platform:services[0].image", message: "not a valid image reference" },
            { title: "duplicate service names", mutate: (c) => { services(c)[2].name = "api"; }, key: "platform:services[2].name", message: "duplicate service name \"api\"" },
            { title: "service name not a DNS label", mutate: (c) => { services(c)[0].name = "Web"; }, key: "platform:services[0].name", message: "must be a DNS label" },
            { title: "unknown dependency", mutate: (c) => { services(c)[0].dependsOn = ["billing"]; }, key: "platform:services[0].dependsOn[0]", message: "unknown service \"billing\"" },
            { title: "self dependency", mutate: (c) => { services(c)[1].dependsOn = ["api"]; }, key: "platform:services[1].dependsOn[0]", message: "cannot depend on itself" },
            { title: "port 0", mutate: (c) => { services(c)[0].port = 0; }, key: "platform:services[0].port", message: "between 1 and 65535" },
            { title: "port too large", mutate: (c) => { services(c)[0].port = 70000; }, key: "platform:services[0].port", message: "between 1 and 65535" },
            { title: "path prefix without slash", mutate: (c) => { services(c)[1].pathPrefix = "api"; }, key: "platform:services[1].pathPrefix", message: "must start with '/'" },
            { title: "path prefix with spaces", mutate: (c) => { services(c)[1].pathPrefix = "/my api"; }, key: "platform:services[1].pathPrefix", message: "must start with '/'" },
            { title: "duplicate public path prefix", mutate: (c) => { services(c)[1].pathPrefix = "/"; }, key: "platform:services[1].pathPrefix", message: "already routed to service \"web\"" },
            { title: "public service without path prefix", mutate: (c) => { delete services(c)[1].pathPrefix; }, key: "platform:services[1].pathPrefix", message: "required for a public service" },
            { title: "bad topic name", mutate: (c) => { ((c.kafka as Json).topics as Json[])[0].name = "orders"; }, key: "platform:kafka.topics[0].name", message: "app.domain.event-type.version" },
            { title: "topic consumer without kafka", mutate: (c) => { ((c.kafka as Json).topics as Json[])[0].consumers = ["web"]; }, key: "platform:kafka.topics[0].consumers[0]", message: "does not declare uses: [kafka]" },
            { title: "topic replicas above brokers", mutate: (c) => { ((c.kafka as Json).topics as Json[])[0].replicas = 3; }, key: "platform:kafka.topics[0].replicas", message: "exceeds the number of brokers" },
            { title: "uses a disabled store", mutate: (c) => { (c.redis as Json).enabled = false; }, key: "platform:services[1].uses[1]", message: "platform:redis.enabled is false" },
            { title: "TLS off in production", mutate: (c) => { c.environment = "production"; (c.secrets as Json).allowGenerated = false; }, key: "platform:edge.tls.enabled", message: "must be true in production" },
            { title: "generated secrets requested in production", mutate: (c) => { c.environment = "production"; (c.edge as Json).tls = { enabled: true, clusterIssuer: "le" }; }, key: "platform:secrets.allowGenerated", message: "refused in production" },
            { title: "missing secret where generation is off", mutate: (c) => { (c.secrets as Json).allowGenerated = false; }, key: "platform:postgresPassword", message: "pulumi config set --secret platform:postgresPassword", secrets: noSecretsSet },
            { title: "secret stored in plaintext", mutate: () => undefined, key: "platform:sessionSigningKey", message: "stored in plaintext", secrets: { isSet: () => true, isSecret: (k) => k !== "sessionSigningKey" } },
            { title: "secret-looking env literal", mutate: (c) => { services(c)[0].env = { DB_PASSWORD: "hunter2" }; }, key: "platform:services[0].env.DB_PASSWORD", message: "Move it to secretEnv" },
            { title: "requests above limits", mutate: (c) => { services(c)[0].resources = { requests: { cpu: "2" }, limits: { cpu: "500m" } }; }, key: "platform:services[0].resources.requests.cpu", message: "exceeds the CPU limit" },
            { title: "bad memory quantity", mutate: (c) => { services(c)[0].resources = { limits: { memory: "512MB" } }; }, key: "platform:services[0].resources.limits.memory", message: "write \"512M\" (×1000²) or \"512Mi\" (×1024²)" },
            { title: "PDB that blocks drains", mutate: (c) => { (c.defaults as Json).disruptionBudget = { maxUnavailable: 0 }; }, key: "platform:defaults.disruptionBudget.maxUnavailable", message: "block every node drain" },
            { title: "unknown service setting (typo)", mutate: (c) => { services(c)[0].replicaz = 2; }, key: "platform:services[0].replicaz", message: "is not a known setting" },
            { title: "unknown top-level key gets a suggestion", mutate: (c) => { c.servcies = []; }, key: "platform:servcies", message: "did you mean \"services\"" },
            { title: "edge without host", mutate: (c) => { delete (c.edge as Json).host; }, key: "platform:edge.host", message: "required when platform:edge.mode is \"ingress\"" },
            { title: "gateway mode without gateway", mutate: (c) => { (c.edge as Json).mode = "gateway"; }, key: "platform:edge.gateway", message: "name and namespace of the Gateway" },
            { title: "public service without edge", mutate: (c) => { (c.edge as Json).mode = "none"; }, key: "platform:services[0].public", message: "platform:edge.mode is \"none\"" },
            { title: "chart version range", mutate: (c) => { (c.postgres as Json).operatorChart = { chart: "cloudnative-pg", version: "^0.26" }; }, key: "platform:postgres.operatorChart.version", message: "exact chart version" },
            { title: "chart repo not a URL", mutate: (c) => { (c.kafka as Json).operatorChart = { chart: "strimzi-kafka-operator", repo: "quay.io/strimzi-helm", version: "0.48.0" }; }, key: "platform:kafka.operatorChart.repo", message: "https:// or oci://" },
            { title: "bad cron schedule", mutate: (c) => { (services(c)[1].cleanup as Json).schedule = "daily"; }, key: "platform:services[1].cleanup.schedule", message: "a schedule has 5, e.g. \"0 3 * * *\"" },
            { title: "zero retention", mutate: (c) => { (services(c)[1].cleanup as Json).retentionDays = 0; }, key: "platform:services[1].cleanup.retentionDays", message: "at least 1 day" },
            { title: "env var name with a dash", mutate: (c) => { services(c)[1].secretEnv = [{ name: "SESSION-KEY", secret: "sessionSigningKey" }]; }, key: "platform:services[1].secretEnv[0].name", message: "environment variable name" },
            { title: "dapr on a service without stack dapr", mutate: (c) => { services(c)[1].dapr = { enabled: true }; }, key: "platform:services[1].dapr.enabled", message: "platform:dapr.enabled is false" },
            { title: "unknown store in uses", mutate: (c) => { services(c)[1].uses = ["mongodb"]; }, key: "platform:services[1].uses[0]", message: "one of postgres, redis, kafka" },
        ];

        for (const tc of cases) {
            it(tc.title, () => {
                const c = base();
                tc.mutate(c);
                expectIssue(errorOf(c, tc.secrets), tc.key, tc.message);
            });
        }

        it("reports every problem at once, not just the first", () => {
            const c = base();
            services(c)[0].port = 0;
            services(c)[1].image = "nginx:latest";
            const err = errorOf(c);
            expect(err.issues.map((i) => i.key)).to.include.members(["platform:services[0].port", "platform:services[1].image"]);
        });

        it("rejects a value that is not JSON where JSON is expected", () => {
            const raw = toRaw(base());
            raw.services = "[{ broken";
            expect(() => parsePlatformConfig(raw, allSecretsSet)).to.throw(ConfigError, "platform:services: is not valid JSON");
        });

        it("accepts generated secrets in production only with the explicit opt-in", () => {
            const c = base("production");
            (c.secrets as Json) = { allowGenerated: true, allowGeneratedInProduction: true };
            expect(parse(c, noSecretsSet).secrets.allowGenerated).to.equal(true);
        });
    });
});
