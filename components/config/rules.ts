// Cross-field rules: what one value cannot check alone (references between services, stores, edge, secrets).
import { VALKEY_REPLICATION_USER } from "./credentials";
import { ConfigIssue, formatKey } from "./errors";
import { isBuiltinStore } from "./chartsSchema";
import { chartsIssues } from "./chartsRules";
import { daprIssues } from "./daprRules";
import { edgeIssues } from "./edgeRules";
import type { PlatformConfig } from "./resolve";
import { CONFIG_NAMESPACE, SECRET_ENV_NAME, SECRET_REFERENCE_SUFFIX } from "./validators";

/** Facts about the stack's secret config keys, read without exposing values. */
export interface SecretPresence {
    /** True when `platform:<key>` is set (as a secret or not). */
    isSet(key: string): boolean;
    /** True when `platform:<key>` is set with --secret. */
    isSecret(key: string): boolean;
}

/** Valkey ACL categories a production stack may not grant to a service user. */
const PRIVILEGED_VALKEY_RULES = ["+@all", "+@admin", "+@dangerous"];

/** Every problem that needs more than one value to see. */
export function crossFieldIssues(cfg: PlatformConfig, secrets: SecretPresence): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add = (path: PropertyKey[], message: string) => issues.push({ key: formatKey(path), message });
    const names = cfg.services.map((s) => s.name);
    const production = cfg.environment === "production";

    cfg.services.forEach((s, i) => {
        const at = (...p: PropertyKey[]) => ["services", i, ...p];
        if (names.indexOf(s.name) !== i) add(at("name"), `duplicate service name "${s.name}"; service names must be unique`);
        s.dependsOn.forEach((d, j) => {
            if (d === s.name) add(at("dependsOn", j), `a service cannot depend on itself`);
            else if (!names.includes(d)) add(at("dependsOn", j), `unknown service "${d}"; declared services are: ${names.join(", ")}`);
        });
        s.uses.forEach((u, j) => {
            if (isBuiltinStore(u)) {
                if (!cfg[u].enabled) add(at("uses", j), `uses ${u} but platform:${u}.enabled is false; enable it or remove "${u}"`);
            } else if (!cfg.charts.some((c) => c.name === u)) {
                add(
                    at("uses", j),
                    `"${u}" is neither a data store (postgres, redis, kafka) nor a platform:charts entry${cfg.charts.length > 0 ? ` (charts: ${cfg.charts.map((c) => c.name).join(", ")})` : ""}; remove it, or add a platform:charts entry of that name`,
                );
            }
        });
        if (s.public && !s.pathPrefix) add(at("pathPrefix"), `is required for a public service (e.g. "/api")`);
        if (s.public && cfg.edge.mode === "none")
            add(at("public"), `is true but platform:edge.mode is "none"; set an edge mode (ingress or gateway) or make the service private`);
        for (const name of Object.keys(s.env)) {
            if (SECRET_ENV_NAME.test(name) && !SECRET_REFERENCE_SUFFIX.test(name)) {
                add(
                    at("env", name),
                    `looks like a secret; plaintext secrets are not allowed in env. Move it to secretEnv ({ name: "${name}", secret: "<configKey>" }) and set it with pulumi config set --secret`,
                );
            }
        }
        const envNames = new Set(Object.keys(s.env));
        s.secretEnv.forEach((e, j) => {
            if (envNames.has(e.name)) add(at("secretEnv", j, "name"), `"${e.name}" is also set in env; define it once`);
        });
        const { minReplicas: effMin, maxReplicas: effMax } = s.autoscaling;
        if (effMin > effMax) add(at("autoscaling", "minReplicas"), `(${effMin}) must not exceed maxReplicas (${effMax})`);
        if (s.dapr?.enabled && !cfg.dapr.enabled) add(at("dapr", "enabled"), `is true but platform:dapr.enabled is false; enable Dapr for the stack first`);
    });
    if (
        cfg.defaults.autoscaling?.minReplicas !== undefined &&
        cfg.defaults.autoscaling.maxReplicas !== undefined &&
        cfg.defaults.autoscaling.minReplicas > cfg.defaults.autoscaling.maxReplicas
    ) {
        add(
            ["defaults", "autoscaling", "minReplicas"],
            `(${cfg.defaults.autoscaling.minReplicas}) must not exceed maxReplicas (${cfg.defaults.autoscaling.maxReplicas})`,
        );
    }

    // public path prefixes are the routing table: they must be unique
    const prefixes = new Map<string, string>();
    cfg.services.forEach((s, i) => {
        if (!s.public || !s.pathPrefix) return;
        const other = prefixes.get(s.pathPrefix);
        if (other) add(["services", i, "pathPrefix"], `"${s.pathPrefix}" is already routed to service "${other}"`);
        else prefixes.set(s.pathPrefix, s.name);
    });

    if (cfg.edge.mode !== "none") {
        if (production && !cfg.edge.tls.enabled) add(["edge", "tls", "enabled"], `must be true in production; TLS is mandatory for a production edge`);
        if (cfg.edge.tls.enabled && cfg.edge.mode === "ingress" && !cfg.edge.tls.clusterIssuer && !cfg.edge.tls.secretName) {
            add(
                ["edge", "tls", "clusterIssuer"],
                `is required when TLS is on and no platform:edge.tls.secretName is given (cert-manager issues the certificate)`,
            );
        }
        if (!cfg.services.some((s) => s.public))
            add(["edge", "mode"], `is "${cfg.edge.mode}" but no service is public; set public: true on a service or use mode "none"`);
    }
    issues.push(...edgeIssues(cfg));
    issues.push(...daprIssues(cfg));
    issues.push(...chartsIssues(cfg));

    // Kafka topics: unique names, known producers/consumers that declare kafka
    const topicNames = new Set<string>();
    cfg.kafka.topics.forEach((t, i) => {
        if (topicNames.has(t.name)) add(["kafka", "topics", i, "name"], `duplicate topic "${t.name}"`);
        topicNames.add(t.name);
        if (t.replicas > cfg.kafka.replicas)
            add(["kafka", "topics", i, "replicas"], `(${t.replicas}) exceeds the number of brokers (platform:kafka.replicas = ${cfg.kafka.replicas})`);
        for (const role of ["producers", "consumers"] as const) {
            t[role].forEach((n, j) => {
                const svc = cfg.services.find((s) => s.name === n);
                if (!svc) add(["kafka", "topics", i, role, j], `unknown service "${n}"; declared services are: ${names.join(", ")}`);
                else if (!svc.uses.includes("kafka")) add(["kafka", "topics", i, role, j], `service "${n}" does not declare uses: [kafka]`);
            });
        }
    });
    // A quota on ephemeral storage refuses every container without it; the LimitRange must give the ones the platform
    // does not size (the Dapr sidecar, operator-created pods) a default.
    const quota = cfg.namespace.quota;
    for (const [side, set] of [
        ["requests", quota?.requestsEphemeralStorage],
        ["limits", quota?.limitsEphemeralStorage],
    ] as const) {
        if (set && !cfg.namespace.containerDefaults?.[side]?.ephemeralStorage) {
            add(
                ["namespace", "containerDefaults", side, "ephemeralStorage"],
                `is required when platform:namespace.quota caps ${side}.ephemeral-storage: the quota refuses containers without it (the Dapr sidecar, operator-created pods); set a default such as "64Mi"`,
            );
        }
    }
    if (cfg.kafka.topics.length > 0 && !cfg.kafka.enabled) add(["kafka", "enabled"], `is false but topics are declared; enable Kafka or remove the topics`);
    if (production && cfg.kafka.enabled && !cfg.kafka.tls) {
        add(["kafka", "tls"], `is false, but plaintext Kafka is refused in production; remove the setting (TLS is the default) or set it to true`);
    }

    // Store users: names must not collide inside a store (a role or ACL user serves exactly one purpose).
    const seen = new Map<string, string>();
    for (const u of cfg.storeUsers) {
        const id = `${u.store}/${u.username}`;
        const other = seen.get(id);
        const i = cfg.services.findIndex((s) => s.name === u.service);
        if (other) add(["services", i, "name"], `gives ${u.store} user "${u.username}", which service "${other}" already uses; rename one of the services`);
        else seen.set(id, u.service);
        if (u.store === "redis" && (u.username === VALKEY_REPLICATION_USER || u.username === "default")) {
            add(["services", i, "name"], `"${u.username}" is reserved for a Valkey system user; rename the service`);
        }
    }
    cfg.services.forEach((s, i) => {
        if (!production || !s.uses.includes("redis")) return;
        const rules = s.redis.commands.split(/\s+/);
        const at = s.written.redis.commands ? ["services", i, "redis", "commands"] : ["redis", "acl", "commands"];
        const granted = rules.filter((r) => PRIVILEGED_VALKEY_RULES.includes(r));
        if (granted.length > 0)
            add(at, `grants ${granted.join(", ")} to service "${s.name}"; production refuses admin and dangerous Valkey commands for service users`);
    });

    // Secrets: production refuses generated ones unless explicitly opted in.
    if (production && cfg.secrets.allowGenerated && !cfg.secrets.allowGeneratedInProduction) {
        add(
            ["secrets", "allowGenerated"],
            `generated secrets are refused in production; set each secret with pulumi config set --secret, or opt in explicitly with platform:secrets.allowGeneratedInProduction: true`,
        );
    }
    for (const { key, neededBy } of cfg.requiredSecrets) {
        if (secrets.isSet(key) && !secrets.isSecret(key)) {
            add([key], `is stored in plaintext; re-set it with: pulumi config set --secret ${CONFIG_NAMESPACE}:${key} <value>`);
        } else if (!secrets.isSet(key) && !cfg.secrets.allowGenerated) {
            add(
                [key],
                `is required by ${neededBy} and generated secrets are off for this stack (platform:secrets.allowGenerated is false); set it with: pulumi config set --secret ${CONFIG_NAMESPACE}:${key} <value>`,
            );
        }
    }
    return issues;
}
