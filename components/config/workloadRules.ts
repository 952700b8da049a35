// Cross-field rules of the pod model: ports, probes, extra containers, volumes, env references, reserved names.
import { alwaysStoreEnvNames } from "./storeEnvNames";
import { chartClientEnvNames, isBuiltinStore } from "./chartsSchema";
import { ConfigIssue, formatKey } from "./errors";
import { parseQuantity } from "./grammar";
import { METRICS_PORT_NAME } from "./model";
import type { ServiceConfig } from "./schema";
import { PlatformConfig, settingOrigin } from "./resolve";
import { containerPortsOf, mergeProbe, probeProblem, probeType, sidecarPorts, ProbeConfig } from "./workloadModel";
import { API_TOKEN_MOUNT_PATH, API_TOKEN_VOLUME } from "./workloadSchema";

/** Env the platform may put in a service's ConfigMap besides its own (LOG_FORMAT and OTEL_* when configured). */
export const PLATFORM_ENV_NAMES: readonly string[] = [
    "LOG_LEVEL",
    "LOG_FORMAT",
    "OTEL_SERVICE_NAME",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_RESOURCE_ATTRIBUTES",
];

/** Kubernetes `$(VAR)` references in an env value (`$$(VAR)` is an escaped literal). */
export function envReferences(value: string): string[] {
    const out: string[] = [];
    const re = /\$(\$?)\(([A-Za-z_][A-Za-z0-9_]*)\)/g;
    for (let m = re.exec(value); m; m = re.exec(value)) if (m[1] === "") out.push(m[2]);
    return out;
}

/** An object the platform itself creates in the namespace, which no service may be named after. */
export interface ReservedName {
    name: string;
    what: string;
}

/** Names of the Pulumi-named objects the baseline and the enabled data stores create (or their operators do). */
export function reservedNames(cfg: Pick<PlatformConfig, "postgres" | "redis" | "kafka">): ReservedName[] {
    const out: ReservedName[] = [
        { name: "default-deny", what: "NetworkPolicy default-deny (the namespace's default deny)" },
        { name: "allow-dns-egress", what: "NetworkPolicy allow-dns-egress (DNS for every pod)" },
    ];
    if (cfg.postgres.enabled) {
        out.push({ name: "postgres", what: 'the PostgreSQL cluster "postgres" (its ServiceAccount and PodDisruptionBudget)' });
        for (const s of ["rw", "ro", "r"]) out.push({ name: `postgres-${s}`, what: `Service postgres-${s} of the PostgreSQL cluster` });
        out.push({ name: "postgres-primary", what: "PodDisruptionBudget postgres-primary of the PostgreSQL cluster" });
        out.push({ name: "postgres-instances", what: "NetworkPolicy postgres-instances of the PostgreSQL cluster" });
    }
    if (cfg.redis.enabled) {
        out.push({ name: "redis", what: 'the Valkey store "redis" (its Service, workload and selector labels)' });
        out.push({ name: "redis-valkey", what: "NetworkPolicy redis-valkey of the Valkey store" });
        out.push({ name: "redis-headless", what: "Service redis-headless of the Valkey store" });
    }
    if (cfg.kafka.enabled) {
        const c = cfg.kafka.clusterName;
        out.push({ name: c, what: `the Kafka cluster "${c}"` });
        for (const s of ["kafka", "kafka-bootstrap", "kafka-brokers", "entity-operator", "dual-role"]) {
            out.push({ name: `${c}-${s}`, what: `object ${c}-${s} of the Kafka cluster (Strimzi)` });
        }
    }
    return out;
}

/** Workload names a service's own batch pods use (their NetworkPolicy and selector labels carry them). */
function ownedWorkloadNames(s: Pick<ServiceConfig, "name" | "migration" | "cleanup">): ReservedName[] {
    const out: ReservedName[] = [];
    if (s.migration) out.push({ name: `${s.name}-migrate`, what: `the migration Job of service "${s.name}" (NetworkPolicy and pod labels ${s.name}-migrate)` });
    if (s.cleanup)
        out.push({ name: `${s.name}-cleanup`, what: `the cleanup CronJob of service "${s.name}" (CronJob, NetworkPolicy and pod labels ${s.name}-cleanup)` });
    return out;
}

type Add = (path: PropertyKey[], message: string) => void;

function checkProbe(
    add: Add,
    at: PropertyKey[],
    p: ProbeConfig,
    ports: readonly { name: string; containerPort: number; transport?: "TCP" | "UDP" }[],
    inherited: boolean,
) {
    const problem = probeProblem(p, ports);
    const from = inherited ? " (inherited from platform:defaults or the code default /health http probe; declare this service's own probe)" : "";
    if (problem) add(at, `${problem}${from}`);
    const type = probeType(p);
    if (type !== "http" && (p.path !== undefined || p.httpHeaders !== undefined || p.scheme !== undefined))
        add(at, `is a ${type} probe but carries http fields (path/httpHeaders/scheme); set type: http or remove them`);
    if (type !== "grpc" && p.service !== undefined) add([...at, "service"], `applies to grpc probes only`);
}

/** Problems of the pod model of every service. */
export function workloadIssues(cfg: PlatformConfig): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add: Add = (path, message) => issues.push({ key: formatKey(path), message });
    const reserved = reservedNames(cfg);
    const owned = cfg.services.flatMap(ownedWorkloadNames);
    const portless = new Set(cfg.services.filter((s) => s.ports.length === 0).map((s) => s.name));

    cfg.services.forEach((r, i) => {
        // `r` is the resolved service, `s` the same service as written (for the keys messages name).
        const s = r.written;
        const at = (...p: PropertyKey[]) => ["services", i, ...p];
        const clash = reserved.find((r) => r.name === s.name) ?? owned.find((r) => r.name === s.name);
        if (clash) add(at("name"), `"${s.name}" collides with ${clash.what}; rename the service`);

        const ports = r.ports;
        const main = containerPortsOf(ports);
        const sidecarNames = s.sidecars.map((c) => c.name);
        // Ports: names, Service ports and container ports are unique per pod; a port's container must exist.
        const seenNames = new Map<string, string>();
        const seenService = new Set<number>();
        const seenContainer = new Set<string>();
        ports.forEach((p, j) => {
            const key = s.ports ? at("ports", j) : at("port");
            if (seenNames.has(p.name)) add([...key, "name"], `duplicate port name "${p.name}"; give each port of the pod its own name`);
            seenNames.set(p.name, "service");
            if (seenService.has(p.port)) add([...key, "port"], `Service port ${p.port} is declared twice; give each port its own Service port number`);
            seenService.add(p.port);
            const cp = `${p.transport}/${p.containerPort}`;
            if (seenContainer.has(cp))
                add([...key, "containerPort"], `container port ${p.containerPort}/${p.transport} is declared twice; give each port its own containerPort`);
            seenContainer.add(cp);
            if (p.container !== undefined && !sidecarNames.includes(p.container))
                add(
                    [...key, "container"],
                    `"${p.container}" is not a sidecar of this service (sidecars: ${sidecarNames.join(", ") || "none"}); name one of its sidecars, or remove container for a port of the main container`,
                );
            if (p.containerPort < 1024 && p.container === undefined && !r.addCapabilities.includes("NET_BIND_SERVICE")) {
                add(s.ports ? [...key, "containerPort"] : key, privilegedPortMessage(p, s.ports ? "ports" : "port"));
            } else if (p.containerPort < 1024 && p.container !== undefined) {
                add([...key, "containerPort"], privilegedPortMessage(p, "sidecar"));
            }
        });
        s.sidecars.forEach((c, k) =>
            c.ports.forEach((p, j) => {
                if (seenNames.has(p.name))
                    add(
                        at("sidecars", k, "ports", j, "name"),
                        `duplicate port name "${p.name}" in the pod (its containers share one port namespace); rename it`,
                    );
                seenNames.set(p.name, c.name);
                // The pod's containers share one network namespace: two cannot listen on one port.
                const cp = `${p.protocol ?? "TCP"}/${p.containerPort}`;
                if (seenContainer.has(cp))
                    add(
                        at("sidecars", k, "ports", j, "containerPort"),
                        `container port ${p.containerPort}/${p.protocol ?? "TCP"} is already declared in this pod; its containers share one network namespace, so only one of them can listen on it: choose another port`,
                    );
                seenContainer.add(cp);
                if (p.containerPort < 1024)
                    add(
                        at("sidecars", k, "ports", j, "containerPort"),
                        privilegedPortMessage({ name: p.name, port: p.containerPort, containerPort: p.containerPort }, "sidecar"),
                    );
            }),
        );
        if (s.metrics.port !== undefined && !main.some((p) => p.containerPort === s.metrics.port) && seenNames.has(METRICS_PORT_NAME)) {
            add(
                at("metrics", "port"),
                `needs the port name "${METRICS_PORT_NAME}", which a declared port already uses with another number; point metrics.port at that port or rename it`,
            );
        }

        // A workload without a Service: nothing can call it, route to it or scrape it through a Service.
        if (ports.length === 0) {
            if (s.public)
                add(
                    at("public"),
                    `is true but the service declares no port; a public service needs ports (an http port for the edge): add one, or remove public`,
                );
            if (s.metrics.port !== undefined)
                add(
                    at("metrics", "port"),
                    `is set but the service declares no ports, so it gets no Service to scrape; declare the port under ports, or remove metrics.port`,
                );
        } else if (s.public && !main.some((p) => p.protocol === "http")) {
            add(at("public"), `is true but the service has no http port for the edge to route to; add a port with protocol: http`);
        }
        s.dependsOn.forEach((d, j) => {
            if (portless.has(d)) add(at("dependsOn", j), `"${d}" declares no port, so there is nothing to call; remove it from dependsOn or give "${d}" ports`);
        });

        // Probes: each resolves against the main container's ports, whichever layer it came from.
        for (const kind of ["readinessProbe", "livenessProbe"] as const) {
            const mergedProbe = mergeProbe({ type: "http", path: "/health" }, cfg.defaults[kind], s[kind]);
            if (probeType(mergedProbe) === "none") {
                // Report it where `type: none` is written: once in platform:defaults, or at the service.
                const own = s[kind]?.type === "none";
                const key = own ? at(kind, "type") : ["defaults", kind, "type"];
                if (own || !issues.some((x) => x.key === formatKey(key))) add(key, unprobedMessage(kind));
            }
            checkProbe(
                add,
                at(kind),
                mergedProbe,
                main,
                s[kind] === undefined ||
                    (s[kind]!.type === undefined && s[kind]!.path === undefined && s[kind]!.command === undefined && s[kind]!.port === undefined),
            );
        }
        if (s.startupProbe) checkProbe(add, at("startupProbe"), s.startupProbe, main, false);

        // Extra containers: unique names, resources that fit, probes against their own ports, known volumes.
        const containerNames = [s.name];
        const volumeNames = s.volumes.map((v) => v.name);
        for (const kind of ["initContainers", "sidecars"] as const) {
            s[kind].forEach((c, k) => {
                if (containerNames.includes(c.name))
                    add(at(kind, k, "name"), `"${c.name}" is already a container of this pod (the main container is named after the service); rename it`);
                containerNames.push(c.name);
                const envNames = new Set(Object.keys(c.env));
                c.secretEnv.forEach((e, j) => {
                    if (envNames.has(e.name)) add(at(kind, k, "secretEnv", j, "name"), `"${e.name}" is also set in env; define it once`);
                });
                for (const r of envReferenceProblems(
                    c.env,
                    c.secretEnv.map((e) => e.name),
                    [],
                ))
                    add(at(kind, k, "env", r.name), r.message);
            });
        }
        s.sidecars.forEach((c, k) => {
            const own = sidecarPorts(c, ports);
            for (const kind of ["readinessProbe", "livenessProbe", "startupProbe"] as const) {
                const p = c[kind];
                if (p) checkProbe(add, at("sidecars", k, kind), p, own, false);
            }
            // A native sidecar runs as long as the pod: the pack's probe policies judge it like the main container.
            for (const kind of ["readinessProbe", "livenessProbe"] as const) {
                const p = c[kind];
                if (p === undefined) add(at("sidecars", k, kind), unprobedMessage(kind, "is not set"));
                else if (probeType(p) === "none") add(at("sidecars", k, kind, "type"), unprobedMessage(kind));
            }
        });

        // Volumes: unique names; a single-writer claim cannot be shared by several replicas.
        s.volumes.forEach((v, j) => {
            if (volumeNames.indexOf(v.name) !== j) add(at("volumes", j, "name"), `duplicate volume name "${v.name}"`);
            if (v.name === "tmp") add(at("volumes", j, "name"), `"tmp" is the platform's writable /tmp volume; choose another name`);
            if (v.name === API_TOKEN_VOLUME)
                add(at("volumes", j, "name"), `"${API_TOKEN_VOLUME}" is the platform's API token volume (services with rbac rules); choose another name`);
            const singleWriter = v.type === "persistent" && (v.accessMode ?? "ReadWriteOnce").startsWith("ReadWriteOnce");
            const scaled = r.replicas > 1 || r.autoscaling.enabled;
            if (singleWriter && scaled) {
                add(
                    at("volumes", j, "accessMode"),
                    `${v.accessMode ?? "ReadWriteOnce"} lets one node mount the claim, but the service runs several replicas; set replicas: 1 and autoscaling.enabled: false, or use ReadWriteMany`,
                );
            }
        });

        // Mounts: every container's, against the pod's volumes, one mount per path per container.
        mountIssues(s, at).forEach((m) => add(m.path, m.message));

        // A memory-backed /tmp is charged to the writer's memory: one as large as the limit can only end in an OOM kill.
        if (r.tmpMedium === "Memory") {
            const size = r.tmpSizeLimit;
            const from = settingOrigin(cfg, i, ["tmpSizeLimit"]);
            const limit = r.resources.limits.memory;
            const [a, b] = [parseQuantity(size), parseQuantity(limit)];
            if (a !== undefined && b !== undefined && a >= b) {
                add(
                    at("tmpSizeLimit"),
                    `is ${size} (${from}) with tmpMedium: Memory, at least the container's memory limit ${limit}: a memory-backed /tmp counts against that limit, so filling it would OOM-kill the container before /tmp is full; lower tmpSizeLimit, raise resources.limits.memory, or keep tmpMedium: Disk`,
                );
            }
        }

        // An in-cluster collector is behind the default deny unless its namespace is named.
        const otel = r.otel;
        if (otel && !otel.local && !otel.collectorNamespace) {
            // Reported where the endpoint was written: the service's own otel, or platform:defaults.otel it inherits.
            const written =
                s.otel?.endpoint !== undefined || cfg.defaults.otel?.endpoint === undefined
                    ? at("otel", "collectorNamespace")
                    : ["defaults", "otel", "collectorNamespace"];
            add(
                written,
                `is required for the collector at ${otel.endpoint}: the NetworkPolicy opens egress to that namespace on port ${otel.port} (set it here or in platform:defaults.otel, or point endpoint at a localhost agent sidecar)`,
            );
        }

        // A collector named only in a literal env var is behind the default deny: nothing opens egress to it.
        for (const name of Object.keys(s.env).filter((k) => OTLP_ENDPOINT_ENV.test(k))) {
            const host = /^[a-z]+:\/\/(\[[^\]]*\]|[^/:]+)/i.exec(s.env[name])?.[1];
            if (host && !LOCAL_HOSTS.includes(host)) {
                add(
                    at("env", name),
                    `points at the collector ${host} as a literal, so no NetworkPolicy lets the pods reach it; set otel.endpoint ("${s.env[name]}") and otel.collectorNamespace here or in platform:defaults instead (the platform then sets ${name.startsWith("OTEL_EXPORTER_OTLP_ENDPOINT") ? name : "OTEL_EXPORTER_OTLP_ENDPOINT"} and opens egress to that namespace)`,
                );
            }
        }

        // `$(VAR)` references must name a variable the container has, so no literal "$(X)" reaches the app.
        for (const r of envReferenceProblems(s.env, providedEnvNames(cfg, s), s.envFrom)) add(at("env", r.name), r.message);
    });
    return issues;
}

type VolumeConfig = ServiceConfig["volumes"][number];
type MountConfig = ServiceConfig["volumeMounts"][number];

/** A mount path as the container sees it (trailing and doubled slashes do not make another directory). */
function mountPoint(path: string): string {
    return path.replace(/\/{2,}/g, "/").replace(/(.)\/+$/, "$1");
}

/**
 * Problems of the pod's mounts: each container (main, init containers, sidecars) mounts declared volumes only, once
 * per path (Kubernetes requires unique mount paths per container; /tmp is every container's already), a name-only
 * mount needs the volume's own mountPath, a read-only claim stays read-only, and every volume is mounted somewhere.
 */
function mountIssues(s: ServiceConfig, at: (...p: PropertyKey[]) => PropertyKey[]): { path: PropertyKey[]; message: string }[] {
    const out: { path: PropertyKey[]; message: string }[] = [];
    const volumes = new Map<string, { v: VolumeConfig; j: number }>(s.volumes.map((v, j) => [v.name, { v, j }] as const).reverse());
    const declared = s.volumes.map((v) => v.name).join(", ") || "none declared";
    const mounted = new Set<string>();
    const container = (owner: PropertyKey[], what: string, main: boolean) => {
        const taken = new Map<string, string>([["/tmp", "the platform's /tmp scratch volume"]]);
        const claim = (path: PropertyKey[], mountPath: string, volume: string) => {
            const point = mountPoint(mountPath);
            const other = taken.get(point);
            if (other)
                out.push({
                    path,
                    message: `"${mountPath}" is already mounted in ${what} (${other}); Kubernetes requires one mount per path in a container: choose another mountPath`,
                });
            else if (main && (point === API_TOKEN_MOUNT_PATH || point.startsWith(`${API_TOKEN_MOUNT_PATH}/`)))
                out.push({ path, message: `"${mountPath}" is where the platform mounts the API token of a service with rbac rules; choose another path` });
            taken.set(point, `volume "${volume}"`);
        };
        const explicit = (m: MountConfig, key: PropertyKey[]) => {
            const found = volumes.get(m.volume);
            if (!found) {
                out.push({
                    path: [...key, "volume"],
                    message: `"${m.volume}" is not one of the service's volumes (${declared}); declare it under volumes or fix the name`,
                });
                return;
            }
            mounted.add(m.volume);
            claim([...key, "mountPath"], m.mountPath, m.volume);
            if (m.readOnly === false && found.v.readOnly && found.v.type === "persistent") {
                out.push({
                    path: [...key, "readOnly"],
                    message: `is false, but volume "${m.volume}" is a read-only claim (${formatKey(at("volumes", found.j, "readOnly"))}: true), so no container can write to it; remove readOnly here or make the volume writable`,
                });
            }
        };
        return { claim, explicit };
    };

    // The main container mounts every volume that has a mountPath, then its own volumeMounts.
    const main = container(at(), `the main container "${s.name}"`, true);
    s.volumes.forEach((v, j) => {
        if (v.mountPath === undefined) return;
        mounted.add(v.name);
        main.claim(at("volumes", j, "mountPath"), v.mountPath, v.name);
    });
    s.volumeMounts.forEach((m, j) => main.explicit(m, at("volumeMounts", j)));

    for (const kind of ["initContainers", "sidecars"] as const) {
        s[kind].forEach((c, k) => {
            const x = container(at(kind, k), `${kind === "sidecars" ? "sidecar" : "init container"} "${c.name}"`, false);
            c.volumeMounts.forEach((m, j) => {
                const key = at(kind, k, "volumeMounts", j);
                if (typeof m !== "string") {
                    x.explicit(m, key);
                    return;
                }
                const found = volumes.get(m);
                if (!found)
                    out.push({ path: key, message: `"${m}" is not one of the service's volumes (${declared}); declare it under volumes or fix the name` });
                else if (found.v.mountPath === undefined) {
                    mounted.add(m);
                    out.push({
                        path: key,
                        message: `"${m}" has no mountPath of its own (${formatKey(at("volumes", found.j))}), so a name alone does not say where to mount it; write { volume: ${m}, mountPath: /path }`,
                    });
                } else {
                    mounted.add(m);
                    x.claim(key, found.v.mountPath, m);
                }
            });
        });
    }

    s.volumes.forEach((v, j) => {
        if (!mounted.has(v.name) && volumes.get(v.name)?.j === j) {
            out.push({
                path: at("volumes", j, "mountPath"),
                message: `is not set and no container lists volume "${v.name}" in its volumeMounts, so nothing mounts it; set mountPath (the main container) or mount it where it is used`,
            });
        }
    });
    return out;
}

/**
 * The fix for a container port below 1024, in the order that works: a high container port behind the same Service
 * port first; NET_BIND_SERVICE only with its runtime condition. Kubernetes puts an added capability in the bounding
 * set but sets no ambient capabilities, so a non-root process holds it only when its binary carries the file
 * capability (`setcap cap_net_bind_service=+ep`); a sidecar cannot add it at all (capabilities are the main container's).
 */
function privilegedPortMessage(p: { name: string; port: number; containerPort: number }, where: "port" | "ports" | "sidecar"): string {
    const high = p.containerPort + 8000;
    const mapping =
        where === "port"
            ? `replace port: ${p.port} with ports: [{ name: http, port: ${p.port}, containerPort: ${high} }] and have the process listen on ${high}`
            : `have the process listen on a port ≥ 1024 and map it, e.g. containerPort: ${high} behind Service port ${p.port}`;
    const capability =
        where === "sidecar"
            ? "a sidecar cannot add NET_BIND_SERVICE (capabilities.add applies to the main container only)"
            : "only if the image cannot move, add capabilities.add: [NET_BIND_SERVICE], which a non-root process gets only when its binary carries the file capability (setcap cap_net_bind_service=+ep): Kubernetes sets no ambient capabilities";
    return `${p.containerPort} is a privileged port: a non-root process cannot bind it. ${mapping[0].toUpperCase()}${mapping.slice(1)} (clients keep dialing ${p.port}); ${capability}`;
}

/**
 * The pack's policies that require each probe of a long-running container. Both are mandatory in every shipped
 * policy config (policy/config/dev.json, staging.json, production.json; a unit test keeps this true), so a
 * Deployment whose container is left unprobed never passes a preview with the pack: the config refuses it first.
 */
export const PROBE_POLICIES = { readinessProbe: "readiness-probe", livenessProbe: "liveness-probe" } as const;

function unprobedMessage(kind: keyof typeof PROBE_POLICIES, what = "is none"): string {
    return (
        `${what}, but the policy pack's ${PROBE_POLICIES[kind]} policy refuses a Deployment container without a ${kind} ` +
        `(mandatory in every environment: policy/config/dev.json, staging.json, production.json); declare the check the container can answer: ` +
        `type: exec with a command (e.g. ["/bin/healthcheck"]), type: tcp on a port, or an http or grpc probe`
    );
}

/** OTLP exporter endpoint variables of the OTel SDKs (all signals, or one). */
const OTLP_ENDPOINT_ENV = /^OTEL_EXPORTER_OTLP(_(TRACES|METRICS|LOGS))?_ENDPOINT$/;
/** Hosts of an agent in the pod itself: no egress needed. */
const LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/** Env the platform defines for a service's container besides its `env`: secret env, its stores', the platform's. */
function providedEnvNames(cfg: PlatformConfig, s: Pick<ServiceConfig, "secretEnv" | "uses">): string[] {
    const secretNames = s.secretEnv.map((e) => e.name);
    const storeNames = s.uses.flatMap((u) =>
        isBuiltinStore(u) ? alwaysStoreEnvNames(u) : chartClientEnvNames(cfg.charts.find((c) => c.name === u) ?? { clientEnv: {}, clientSecretEnv: [] }),
    );
    return [...secretNames, ...storeNames, ...PLATFORM_ENV_NAMES];
}

type EnvFromRef = { secretRef: string; prefix?: string };

/** envFrom Secrets that could define `variable`: Kubernetes names their variables `<prefix><key>`. */
function envFromCandidates(variable: string, envFrom: readonly EnvFromRef[]): string[] {
    return envFrom.filter((e) => variable.startsWith(e.prefix ?? "") && variable.length > (e.prefix ?? "").length).map((e) => e.secretRef);
}

/** A `$(VAR)` that only an envFrom Secret can define (its keys are unknown to the platform). */
export interface EnvFromReference {
    key: string;
    variable: string;
    secrets: string[];
}

/**
 * Every `$(VAR)` in `env` must name a plain (non-composed) env var, a secret env var, a store/platform var, or a
 * variable an envFrom Secret may define (Kubernetes expands those too; see envFromReferences for the warning).
 */
function envReferenceProblems(env: Record<string, string>, provided: readonly string[], envFrom: readonly EnvFromRef[]): { name: string; message: string }[] {
    const out: { name: string; message: string }[] = [];
    const composed = new Set(Object.keys(env).filter((k) => envReferences(env[k]).length > 0));
    const known = new Set([...Object.keys(env).filter((k) => !composed.has(k)), ...provided]);
    for (const [name, value] of Object.entries(env)) {
        for (const ref of envReferences(value)) {
            if (composed.has(ref))
                out.push({ name, message: `references $(${ref}), which is itself composed from other variables; reference the underlying variables directly` });
            else if (!known.has(ref) && envFromCandidates(ref, envFrom).length === 0) {
                const prefixes =
                    envFrom.length > 0
                        ? `; its envFrom Secrets define only variables starting with ${envFrom.map((e) => `"${e.prefix ?? ""}"`).join(", ")}`
                        : "";
                out.push({
                    name,
                    message: `references $(${ref}), which this container does not define; known: ${[...known].sort().join(", ") || "none"}${prefixes}`,
                });
            }
        }
    }
    return out;
}

/** The `$(VAR)` references of every service that only its envFrom Secrets can satisfy: accepted, but worth a warning. */
export function envFromReferences(cfg: PlatformConfig): EnvFromReference[] {
    return cfg.services.flatMap((s, i) => {
        const known = new Set([...Object.keys(s.env), ...providedEnvNames(cfg, s)]);
        return Object.entries(s.env)
            .flatMap(([name, value]) =>
                envReferences(value)
                    .filter((ref) => !known.has(ref))
                    .map((variable) => ({
                        key: formatKey(["services", i, "env", name]),
                        variable,
                        secrets: envFromCandidates(variable, s.envFrom),
                    })),
            )
            .filter((r) => r.secrets.length > 0);
    });
}

/** A probe header whose value has a `$(VAR)`: accepted, but the kubelet sends it as written. */
export interface ProbeHeaderReference {
    key: string;
    value: string;
}

/** Every probe header value with a `$(VAR)` in it, where it is written (platform:defaults, a service, a sidecar). */
export function probeHeaderReferences(cfg: PlatformConfig): ProbeHeaderReference[] {
    const out: ProbeHeaderReference[] = [];
    const scan = (at: PropertyKey[], p: ProbeConfig | undefined) =>
        (p?.httpHeaders ?? []).forEach((h, j) => {
            if (envReferences(h.value).length > 0) out.push({ key: formatKey([...at, "httpHeaders", j, "value"]), value: h.value });
        });
    for (const kind of ["readinessProbe", "livenessProbe"] as const) scan(["defaults", kind], cfg.defaults[kind]);
    cfg.services.forEach(({ written: s }, i) => {
        for (const kind of ["readinessProbe", "livenessProbe", "startupProbe"] as const) scan(["services", i, kind], s[kind]);
        s.sidecars.forEach((c, k) => {
            for (const kind of ["readinessProbe", "livenessProbe", "startupProbe"] as const) scan(["services", i, "sidecars", k, kind], c[kind]);
        });
    });
    return out;
}

/** The preview warning for one such header: Kubernetes does not expand it, so the text goes out as written. */
export function probeHeaderReferenceWarning(r: ProbeHeaderReference): string {
    return (
        `${r.key} is "${r.value}", sent as written: Kubernetes expands $(VAR) in a container's command, args and env, never in probe headers, ` +
        `so the kubelet sends the text "${envReferences(r.value)
            .map((v) => `$(${v})`)
            .join(", ")}" literally; write the constant the endpoint expects, or use an exec probe if the value must come from the container's environment`
    );
}

/** The preview warning for one such reference: which variable, which Secret, and what happens if the key is absent. */
export function envFromReferenceWarning(r: EnvFromReference): string {
    return (
        `${r.key} references $(${r.variable}), which the platform does not define: Kubernetes takes it from envFrom Secret ${r.secrets.join(" or ")} ` +
        `(created outside this stack, so its keys are unknown here); if ${r.secrets.length > 1 ? "none of them has" : "it has no"} such key, the app sees the literal text "$(${r.variable})"`
    );
}
