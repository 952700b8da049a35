// Requests must fit inside limits wherever the config sizes a container: services (and their migration and cleanup
// Jobs, which run with the service's resources), namespace container defaults, each data store, the Dapr sidecar.
// Each message names where both values come from, so an inherited default is never a mystery.
import { DEFAULTS, EXTRA_CONTAINER_RESOURCES, ResolvedResources, WORKLOAD_DEFAULTS } from "./defaults";
import { ConfigIssue, formatKey } from "./errors";
import { parseQuantity } from "./grammar";
import type { ResourceSpec } from "./schema";
import type { PlatformConfig } from "./resolve";

type Kind = "cpu" | "memory" | "ephemeralStorage";
type Path = (string | number)[];

/** One layer that may set requests/limits: its config path, and its values. */
interface Layer {
    path: Path;
    spec: ResourceSpec | undefined;
}

/** A resolved value and where it came from. */
interface Sourced {
    value: string;
    from: Path | undefined;
}

function pick(layers: readonly Layer[], builtIn: ResolvedResources, side: "requests" | "limits", kind: Kind): Sourced {
    for (let i = layers.length - 1; i >= 0; i--) {
        const v = layers[i].spec?.[side]?.[kind];
        if (v !== undefined) return { value: v, from: [...layers[i].path, side, kind] };
    }
    return { value: builtIn[side][kind], from: undefined };
}

const WORD: Record<Kind, string> = { cpu: "CPU", memory: "memory", ephemeralStorage: "ephemeral-storage" };

/**
 * Compares the effective request with the effective limit of one container, layers lowest first. `owner` is the
 * path where the container's own settings go (the fix for an inherited value is to set it there).
 */
function checkContainer(issues: ConfigIssue[], what: string, owner: Path, layers: readonly Layer[], builtIn: ResolvedResources): void {
    for (const kind of ["cpu", "memory", "ephemeralStorage"] as const) {
        const req = pick(layers, builtIn, "requests", kind);
        const lim = pick(layers, builtIn, "limits", kind);
        const r = parseQuantity(req.value);
        const l = parseQuantity(lim.value);
        if (r === undefined || l === undefined || r <= l) continue;
        // Both from one shared layer (e.g. platform:defaults): report it once there, not at every service.
        const layerOf = (x: Sourced) => x.from?.slice(0, -2).join();
        const here = req.from && layerOf(req) === layerOf(lim) ? req.from.slice(0, -2) : owner;
        const origin = (x: Sourced, side: "requests" | "limits") =>
            x.from === undefined
                ? `the built-in default for ${what}; set ${formatKey([...owner, side, kind])} to change it`
                : layerOf(x) === here.join()
                  ? "set here"
                  : `inherited from ${formatKey(x.from)}`;
        issues.push({
            key: formatKey([...here, "requests", kind]),
            message:
                `the ${WORD[kind]} request ${req.value} (${origin(req, "requests")}) exceeds the ${WORD[kind]} limit ${lim.value} ` +
                `(${origin(lim, "limits")}); Kubernetes refuses a container whose request is above its limit (${what}): lower the request or raise the limit`,
        });
    }
}

/** Every request above its limit, with where each value comes from. */
export function resourceIssues(cfg: PlatformConfig): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const defaultsLayer: Layer = { path: ["defaults", "resources"], spec: cfg.defaults.resources };
    const seen = new Set<string>();
    cfg.services.forEach(({ written: s }, i) => {
        const jobs = [s.migration ? "migration Job" : "", s.cleanup ? "cleanup CronJob" : ""].filter(Boolean);
        const what = `service "${s.name}"${jobs.length ? ` and its ${jobs.join(" and ")}` : ""}`;
        const before = issues.length;
        checkContainer(
            issues,
            what,
            ["services", i, "resources"],
            [defaultsLayer, { path: ["services", i, "resources"], spec: s.resources }],
            WORKLOAD_DEFAULTS.resources,
        );
        // A conflict inside platform:defaults shows up for every service that inherits it; keep the first.
        for (const issue of issues.splice(before))
            if (!seen.has(issue.key)) {
                seen.add(issue.key);
                issues.push(issue);
            }
        for (const kind of ["sidecars", "initContainers"] as const) {
            s[kind].forEach((c, k) => {
                const own: Path = ["services", i, kind, k, "resources"];
                checkContainer(
                    issues,
                    `${kind === "sidecars" ? "sidecar" : "init container"} "${c.name}" of service "${s.name}"`,
                    own,
                    [{ path: own, spec: c.resources }],
                    EXTRA_CONTAINER_RESOURCES,
                );
            });
        }
    });
    const containerDefaults = cfg.namespace.containerDefaults;
    for (const kind of ["cpu", "memory", "ephemeralStorage"] as const) {
        const r = containerDefaults?.requests?.[kind];
        const l = containerDefaults?.limits?.[kind];
        if (r !== undefined && l !== undefined && (parseQuantity(r) ?? 0) > (parseQuantity(l) ?? Infinity)) {
            issues.push({
                key: formatKey(["namespace", "containerDefaults", "requests", kind]),
                message: `the default ${WORD[kind]} request ${r} exceeds the default ${WORD[kind]} limit ${l} (platform:namespace.containerDefaults.limits.${kind}); the apiserver refuses such a LimitRange: lower the request or raise the limit`,
            });
        }
    }
    const stores = [
        { key: "postgres", name: "PostgreSQL instances", on: cfg.postgres.enabled, spec: cfg.postgres.resources, builtIn: DEFAULTS.postgres.resources },
        { key: "redis", name: "Valkey pods", on: cfg.redis.enabled, spec: cfg.redis.resources, builtIn: DEFAULTS.redis.resources },
        { key: "kafka", name: "Kafka brokers", on: cfg.kafka.enabled, spec: cfg.kafka.resources, builtIn: DEFAULTS.kafka.resources },
    ] as const;
    for (const s of stores) {
        if (s.on && s.spec) checkContainer(issues, s.name, [s.key, "resources"], [{ path: [s.key, "resources"], spec: s.spec }], s.builtIn);
    }
    if (cfg.dapr.enabled && cfg.dapr.sidecarResources) {
        checkContainer(
            issues,
            "the Dapr sidecar",
            ["dapr", "sidecarResources"],
            [{ path: ["dapr", "sidecarResources"], spec: cfg.dapr.sidecarResources }],
            DEFAULTS.dapr.sidecarResources,
        );
    }
    return issues;
}
