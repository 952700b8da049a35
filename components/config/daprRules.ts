// Cross-field rules of the Dapr building blocks: their stores exist, subscriptions name declared topics and
// Dapr-enabled consumers of them.
import type { ConfigIssue } from "./errors";
import { formatKey } from "./errors";
import type { PlatformConfig } from "./resolve";

/** Problems of `platform:dapr` components and subscriptions that depend on other values. */
export function daprIssues(cfg: PlatformConfig): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add = (path: PropertyKey[], message: string) => issues.push({ key: formatKey(path), message });
    const d = cfg.dapr;
    const declares = d.pubsub !== undefined || d.stateStore !== undefined || d.subscriptions.length > 0;
    if (declares && !d.enabled)
        add(
            ["dapr", "enabled"],
            `is false but Dapr components or subscriptions are declared; enable Dapr (the control plane must run in platform:dapr.namespace) or remove them`,
        );
    if (d.pubsub && !cfg.kafka.enabled) add(["dapr", "pubsub"], `is a Kafka pub/sub but platform:kafka.enabled is false; enable Kafka or remove the pub/sub`);
    if (d.stateStore && !cfg.redis.enabled)
        add(["dapr", "stateStore"], `is a Valkey state store but platform:redis.enabled is false; enable Redis or remove the state store`);
    if (d.pubsub && d.stateStore && d.pubsub.name === d.stateStore.name)
        add(["dapr", "stateStore", "name"], `"${d.stateStore.name}" is also the pub/sub's name; Dapr component names must differ`);
    if (d.subscriptions.length > 0 && !d.pubsub) add(["dapr", "subscriptions"], `need a pub/sub to subscribe through; set platform:dapr.pubsub: {}`);
    // The state store logs in as the service: its ACL user must reach Dapr's keys ("<app id>||<key>") and its Lua scripts.
    if (d.stateStore) {
        cfg.services.forEach((s, i) => {
            if (!s.dapr?.enabled || !s.uses.includes("redis")) return;
            const { appId } = s.dapr;
            const { keys } = s.redis;
            if (!keys.includes(`${appId}||*`)) {
                add(
                    ["services", i, "redis", "keys"],
                    `must include "${appId}||*": the Dapr state store keeps this app's state under "${appId}||<key>"; e.g. keys: [${[...keys, `${appId}||*`].map((k) => `"${k}"`).join(", ")}]`,
                );
            }
            const { commands } = s.redis;
            if (!/(^|\s)\+@scripting(\s|$)/.test(commands)) {
                add(
                    ["services", i, "redis", "commands"],
                    `must allow +@scripting: the Dapr state store writes with EVAL (ETags); e.g. "${commands} +@scripting"`,
                );
            }
        });
    }
    const seen = new Set<string>();
    d.subscriptions.forEach((s, i) => {
        if (seen.has(s.name)) add(["dapr", "subscriptions", i, "name"], `duplicate subscription "${s.name}"`);
        seen.add(s.name);
        const topic = cfg.kafka.topics.find((t) => t.name === s.topic);
        if (!topic)
            add(
                ["dapr", "subscriptions", i, "topic"],
                `"${s.topic}" is not declared in platform:kafka.topics; declared topics: ${cfg.kafka.topics.map((t) => t.name).join(", ") || "none"}`,
            );
        s.subscribers.forEach((n, j) => {
            const at = ["dapr", "subscriptions", i, "subscribers", j];
            const svc = cfg.services.find((x) => x.name === n);
            if (!svc) add(at, `unknown service "${n}"; declared services are: ${cfg.services.map((x) => x.name).join(", ")}`);
            else if (!svc.dapr?.enabled) add(at, `service "${n}" has no Dapr sidecar; set dapr: { enabled: true } on it`);
            else if (!svc.uses.includes("kafka")) add(at, `service "${n}" does not declare uses: [kafka], so its sidecar has no Kafka login`);
            else if (topic && !topic.consumers.includes(n))
                add(at, `service "${n}" is not a consumer of ${s.topic}; add it to that topic's consumers (its Kafka ACL)`);
        });
    });
    return issues;
}
