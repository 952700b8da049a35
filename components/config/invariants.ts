// Rules that used to fail only while components were built, or only under the policy pack: variables a store
// injects, credentials inside env values, derived names over Kubernetes limits, Kafka versions the pinned operator
// runs, production availability. Checked with the rest of the config, so `pulumi up` without the pack refuses too.
import { isReferenceOrTrivial, nameLooksSecret, secretValueReason, DEFAULT_SECRET_DETECTION } from "../../policy/vocab";
import { STRIMZI_KAFKA_VERSIONS, STRIMZI_OPERATOR_CHART } from "./chartPins";
import { storeEnvNames } from "./storeEnvNames";
import { chartClientEnvNames, isBuiltinStore } from "./chartsSchema";
import { ConfigIssue, formatKey } from "./errors";
import { PlatformConfig, settingOrigin } from "./resolve";

// key=value pairs inside connection strings: `?password=…&`, `;Password=…;` (JDBC, ADO.NET, libpq keywords).
const CONNECTION_PAIR = /(?:^|[?&;\s])([A-Za-z][A-Za-z0-9 _.-]*?)\s*=\s*([^&;\s]*)/g;

/** Why an env value carries a credential (a password in a URL or a connection string), or undefined. */
export function credentialInValue(value: string): string | undefined {
    const shape = secretValueReason(value, DEFAULT_SECRET_DETECTION, { entropy: false });
    if (shape) return shape;
    for (const m of value.matchAll(CONNECTION_PAIR)) {
        const [, key, v] = m;
        if (nameLooksSecret(key.replace(/\s+/g, "_"), DEFAULT_SECRET_DETECTION) && !isReferenceOrTrivial(decode(v))) {
            return `contains a credential in a connection string (${key.trim()}=…)`;
        }
    }
    return undefined;
}

function decode(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

/** Kubernetes name limits of what a service derives from its name. */
function derivedNames(s: PlatformConfig["services"][number], environment: string): { what: string; name: string; max: number }[] {
    const out = [
        { what: "Service", name: s.name, max: 63 },
        { what: "app.kubernetes.io/instance label", name: `${s.name}-${environment}`, max: 63 },
    ];
    if (s.migration) out.push({ what: "migration Job (its pods' job-name label)", name: `${s.name}-migrate`, max: 63 });
    // The CronJob controller appends an 11-character suffix to Job names, so CronJob names stop at 52.
    if (s.cleanup) out.push({ what: "cleanup CronJob", name: `${s.name}-cleanup`, max: 52 });
    return out;
}

/** Every problem of the classes above. */
export function invariantIssues(cfg: PlatformConfig): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add = (path: (string | number)[], message: string) => issues.push({ key: formatKey(path), message });
    const production = cfg.environment === "production";

    cfg.services.forEach((s, i) => {
        // Env each entry of uses injects; two entries that inject one name would leave the pod with two definitions
        // (the pod builder refuses to pick one), so the second is refused here with both sources named.
        const injected = new Map<string, string>();
        s.uses.forEach((u, j) => {
            const chartIndex = cfg.charts.findIndex((x) => x.name === u);
            const names = isBuiltinStore(u) ? storeEnvNames(u) : chartIndex >= 0 ? chartClientEnvNames(cfg.charts[chartIndex]) : [];
            const source = isBuiltinStore(u) ? u : `charts (${u})`;
            const clashes = [...new Set(names.filter((n) => injected.has(n) && injected.get(n) !== source))];
            if (clashes.length > 0) {
                const other = [...new Set(clashes.map((n) => injected.get(n)!))]
                    .map((o) => `platform:${o.startsWith("charts (") ? `charts entry "${o.slice(8, -1)}"` : o}`)
                    .join(" and ");
                const fix =
                    chartIndex >= 0
                        ? `rename ${clashes.length > 1 ? "them" : "it"} in ${formatKey(["charts", chartIndex])}'s clientEnv/clientSecretEnv, or drop "${u}" from uses`
                        : `drop "${u}" from uses or rename the variable in the other chart's clientEnv/clientSecretEnv`;
                add(
                    ["services", i, "uses", j],
                    `"${u}" gives the service ${clashes.join(", ")}, which ${other} already ${clashes.length > 1 ? "set" : "sets"} for it; a variable can come from one source only: ${fix}`,
                );
            }
            for (const n of names) if (!injected.has(n)) injected.set(n, source);
        });
        for (const [name, value] of Object.entries(s.env)) {
            const store = injected.get(name);
            if (store) add(["services", i, "env", name], `is set by platform:${store} for every service that uses it; remove it from env (or rename it)`);
            const cred = credentialInValue(value);
            if (cred)
                add(
                    ["services", i, "env", name],
                    `${cred}; plaintext credentials are not allowed in env. Put the credential in a secret (secretEnv: [{ name: "${name}", secret: "<configKey>" }], set with pulumi config set --secret) or drop it from the value`,
                );
        }
        s.secretEnv.forEach((e, j) => {
            const store = injected.get(e.name);
            if (store)
                add(["services", i, "secretEnv", j, "name"], `"${e.name}" is set by platform:${store} for every service that uses it; choose another name`);
        });
        for (const d of derivedNames(s, cfg.environment)) {
            if (d.name.length > d.max) {
                add(
                    ["services", i, "name"],
                    `"${s.name}" makes the ${d.what} name "${d.name}" ${d.name.length} characters long, over Kubernetes' ${d.max}; shorten the service name to at most ${s.name.length - (d.name.length - d.max)} characters`,
                );
                break;
            }
        }
        if (production) {
            const as = s.autoscaling;
            if (as.enabled && as.minReplicas < 2) {
                const from = settingOrigin(cfg, i, ["autoscaling", "minReplicas"]);
                add(
                    ["services", i, "autoscaling", "minReplicas"],
                    `is ${as.minReplicas} (${from}); production keeps at least 2 replicas so one pod loss or node drain does not take "${s.name}" down: set minReplicas: 2 or more`,
                );
            }
        }
    });

    if (cfg.kafka.enabled && !STRIMZI_KAFKA_VERSIONS.includes(cfg.kafka.version)) {
        const pinned = cfg.kafka.operatorChart.path !== undefined || cfg.kafka.operatorChart.version === STRIMZI_OPERATOR_CHART.version;
        // A stack that pins another operator release knows its own version list; only the pinned one is known here.
        if (pinned)
            add(
                ["kafka", "version"],
                `"${cfg.kafka.version}" is not a Kafka version Strimzi ${STRIMZI_OPERATOR_CHART.version} (the pinned operator) runs; write one of ${STRIMZI_KAFKA_VERSIONS.join(", ")}`,
            );
    }
    if (cfg.kafka.enabled) {
        // Strimzi names broker pods <cluster>-<pool>-<id>; a pod name is also its hostname, a DNS label.
        const pod = `${cfg.kafka.clusterName}-${cfg.kafka.clusterName}-dual-role-${Math.max(cfg.kafka.replicas - 1, 10)}`;
        if (pod.length > 63)
            add(
                ["kafka", "clusterName"],
                `"${cfg.kafka.clusterName}" makes broker pod names like "${pod}" ${pod.length} characters long, over the 63 of a hostname; shorten the cluster name to at most ${cfg.kafka.clusterName.length - Math.ceil((pod.length - 63) / 2)} characters`,
            );
    }
    return issues;
}
