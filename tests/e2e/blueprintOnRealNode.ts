// A blueprint's config made to run on the real node (e2e/node.sh) through config only: its services become the
// project's test service (e2e/images/testsvc) listening on the ports the blueprint declares, its probes, migrations
// and cleanups commands the test service has, its pods placed on the real node, PostgreSQL from the project's images
// on local volumes there. Everything the blueprint declares about topology (ports, public, dependsOn, uses, env,
// secretEnv, probe types and paths, migrations, replicas, HPA, PDB) is kept as the file says; and the topology the
// suite checks is read from the same file (`topologyOf`), never written by hand.
import type { RealNode } from "../../e2e/harness/realNode";
import { realNodePlacement } from "../../e2e/harness/realNode";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw stack config

/** A declared port of a service, with the shorthand `port: N` resolved as the schema does. */
export interface DeclaredPort {
    name: string;
    port: number;
    containerPort: number;
    protocol: string;
}

/** What the file declares of one service, as the checks need it. */
export interface DeclaredService {
    name: string;
    ports: DeclaredPort[];
    public: boolean;
    dependsOn: string[];
    uses: string[];
    env: Record<string, string>;
    migration: boolean;
    cleanup: boolean;
    /** The port Prometheus scrapes (Service port and path), as the program resolves `metrics`: undefined when off or none. */
    scrape?: { port: number; path: string };
}

/** The stores whose pods cannot run on the real node: no image of them can be built here (e2e/README.md). */
export const KWOK_ONLY_STORES = ["redis", "kafka"];

export function declaredPorts(s: Obj): DeclaredPort[] {
    if (typeof s.port === "number") return [{ name: "http", port: s.port, containerPort: s.port, protocol: "http" }];
    return ((s.ports ?? []) as Obj[]).map((p) => ({ name: p.name, port: p.port, containerPort: p.containerPort ?? p.port, protocol: p.protocol ?? "http" }));
}

/** The services of a blueprint's config (`platform:services`) as the checks read them. */
export function topologyOf(config: Obj): DeclaredService[] {
    return (config["platform:services"] as Obj[]).map((s) => ({
        name: s.name,
        ports: declaredPorts(s),
        public: s.public === true,
        dependsOn: s.dependsOn ?? [],
        uses: s.uses ?? [],
        env: s.env ?? {},
        migration: s.migration !== undefined,
        cleanup: s.cleanup !== undefined,
        scrape: scrapeOf(s),
    }));
}

/** What the docs promise of `metrics`: `metrics.port` (a declared container port or a port of its own), else the first http port. */
function scrapeOf(s: Obj): { port: number; path: string } | undefined {
    const m = (s.metrics ?? {}) as Obj;
    const ports = declaredPorts(s);
    if (m.enabled === false || ports.length === 0) return undefined;
    const path = (m.path as string | undefined) ?? "/metrics";
    if (typeof m.port === "number") return { port: ports.find((p) => p.containerPort === m.port)?.port ?? m.port, path };
    const http = ports.find((p) => p.protocol === "http");
    return http ? { port: http.port, path } : undefined;
}

/**
 * A service address an env value names (`http://name:port/…` or `name:port`, short or cluster-qualified) when the
 * host is one of the blueprint's services: the way an app finds its peer, so it must answer as written.
 */
export function peerAddressOf(value: string, services: DeclaredService[]): { peer: DeclaredService; host: string; port: number; url?: URL } | undefined {
    const url = /^https?:\/\//.test(value) ? new URL(value) : undefined;
    const bare = url ? undefined : /^([a-z0-9-]+(?:\.[a-z0-9.-]+)?):(\d+)$/.exec(value);
    const host = url?.hostname ?? bare?.[1];
    const port = url ? url.port || (url.protocol === "https:" ? "443" : "80") : bare?.[2];
    if (host === undefined || port === undefined) return undefined;
    const peer = services.find((x) => x.name === host.split(".")[0]);
    return peer ? { peer, host, port: Number(port), url } : undefined;
}

/** The stores and extra charts a blueprint runs whose pods stay on kwok nodes (Valkey, Kafka; every extra chart here is Valkey). */
export function kwokStoresOf(config: Obj): string[] {
    const builtin = KWOK_ONLY_STORES.filter((k) => (config[`platform:${k}`] as Obj | undefined)?.enabled === true);
    return [...builtin, ...((config["platform:charts"] ?? []) as Obj[]).map((c) => c.name as string)];
}

/** The SQL of a service's stand-in migration: a table in its own database, written with its owner login. */
export const MIGRATED_TABLE = "e2e_migrated";
const migrationSql = (service: string) =>
    `create table if not exists ${MIGRATED_TABLE} (service text primary key, at timestamptz not null default now()); insert into ${MIGRATED_TABLE} (service) values ('${service}') on conflict do nothing`;

/**
 * `testsvc pg` against the PostgreSQL the pod's env names (the kubelet expands `$(VAR)` from the container's env),
 * waiting for it as a migration entrypoint must: on a fresh `up` the Job starts once the Cluster object exists, before
 * the instance serves and the operator has created the role and database; and a new pod's first connection can come
 * before the NetworkPolicy agent has programmed its address (each Job retry is a new pod: it would lose the same race).
 */
const pgFromEnv = (query: string, wait: string) => [
    "/testsvc",
    "pg",
    "$(POSTGRES_HOST):$(POSTGRES_PORT)",
    "--user",
    "$(POSTGRES_USER)",
    "--db",
    "$(POSTGRES_DB)",
    "--password-env",
    "POSTGRES_PASSWORD",
    "--timeout",
    "5s",
    "--wait",
    wait,
    "--query",
    query,
];

/** The env that makes `testsvc serve` listen where the service's ports point (HTTP first, then gRPC and TCP). */
function listenEnv(s: Obj, ports: DeclaredPort[] = declaredPorts(s), podPorts: string[] = []): Record<string, string> {
    const unsupported = ports.filter((p) => !["http", "grpc", "tcp"].includes(p.protocol));
    if (unsupported.length > 0)
        throw new Error(`service ${s.name}: the test service serves http, grpc and tcp, not ${unsupported.map((p) => p.protocol).join(", ")}`);
    const http = ports.filter((p) => p.protocol === "http").map((p) => String(p.containerPort));
    const grpc = ports.filter((p) => p.protocol === "grpc");
    const tcp = ports.filter((p) => p.protocol === "tcp");
    if (grpc.length > 1 || tcp.length > 1) throw new Error(`service ${s.name}: the test service serves one gRPC and one TCP port`);
    // A service with no HTTP port still serves /healthz for its exec probes, on a port none of its own ports takes.
    const taken = new Set([...podPorts, ...ports.map((p) => String(p.containerPort))]);
    const spare = ["8080", "18080", "28080"].find((p) => !taken.has(p))!;
    return {
        SERVICE_NAME: s.name,
        HTTP_PORT: http[0] ?? spare,
        ...(http.length > 1 ? { EXTRA_HTTP_PORTS: http.slice(1).join(",") } : {}),
        ...(grpc.length ? { GRPC_PORT: String(grpc[0].containerPort) } : {}),
        ...(tcp.length ? { TCP_PORT: String(tcp[0].containerPort) } : {}),
    };
}

/**
 * One service of the blueprint as the test service: same name, ports, routes, edges, stores, env, secrets, probe
 * types and timings, replicas and autoscaling; the image, its command, the commands of exec probes, migration and
 * cleanup replaced by the test service's (an exec probe asks the process's own /healthz; a migration that uses
 * PostgreSQL writes a table with its owner login, a cleanup reads it with the runtime login); CPU and memory
 * requests lowered so every blueprint fits the real node's two cores (limits kept).
 */
export function asTestService(s: Obj, node: RealNode, storageClass: string): Obj {
    if (Array.isArray(s.initContainers) && s.initContainers.length > 0)
        throw new Error(`service ${s.name}: initContainers are not mapped onto the test service yet`);
    const listen = listenEnv(s);
    const usesPg = ((s.uses ?? []) as string[]).includes("postgres");
    const out: Obj = {
        ...asTestContainer(s, node, listen),
        // A persistent volume on the real node's local volumes (one per claim, created by the suite: persistentVolumesOf).
        ...(Array.isArray(s.volumes) ? { volumes: (s.volumes as Obj[]).map((v) => (v.type === "persistent" ? { ...v, size: "1Gi", storageClass } : v)) } : {}),
        ...(Array.isArray(s.sidecars)
            ? {
                  sidecars: (s.sidecars as Obj[]).map((c) =>
                      asTestContainer(
                          c,
                          node,
                          listenEnv(
                              { name: `${s.name}-${c.name}` },
                              ((c.ports ?? []) as Obj[]).map((p) => ({
                                  name: p.name,
                                  port: p.containerPort,
                                  containerPort: p.containerPort,
                                  protocol: "http",
                              })),
                              [listen.HTTP_PORT, ...declaredPorts(s).map((p) => String(p.containerPort))],
                          ),
                      ),
                  ),
              }
            : {}),
    };
    if (s.migration) {
        out.migration = { ...s.migration, command: usesPg ? pgFromEnv(migrationSql(s.name), "240s") : ["/testsvc", "sleep", "1"] };
        delete out.migration.args;
        delete out.migration.image;
    }
    if (s.cleanup) {
        out.cleanup = { ...s.cleanup, command: usesPg ? pgFromEnv("select 1", "60s") : ["/testsvc", "exit", "0"] };
        delete out.cleanup.args;
    }
    return out;
}

/**
 * One container (the service's own or a sidecar) as the test service listening where `listen` says: image and
 * command replaced, exec probes asking the process's own /healthz, CPU and memory requests lowered (limits kept).
 */
function asTestContainer(c: Obj, node: RealNode, listen: Record<string, string>): Obj {
    const self = `http://127.0.0.1:${listen.HTTP_PORT}/healthz`;
    const probe = (p: Obj | undefined) => (p?.type === "exec" ? { ...p, command: ["/testsvc", "get", self, "--timeout", "2s"] } : p);
    const out: Obj = {
        ...c,
        image: node.testImage,
        command: ["/testsvc", "serve"],
        env: { ...(c.env ?? {}), ...listen },
        resources: { ...(c.resources ?? {}), requests: { cpu: "25m", memory: "32Mi" } },
    };
    delete out.args;
    for (const k of ["readinessProbe", "livenessProbe", "startupProbe"]) if (c[k]) out[k] = probe(c[k]);
    return out;
}

/**
 * The claims a blueprint's persistent service volumes make on the real node, one per replica at most (a Deployment's
 * pods share one claim): the suite makes a local volume for each.
 */
export function persistentVolumesOf(config: Obj): string[] {
    return (config["platform:services"] as Obj[]).flatMap((s) =>
        ((s.volumes ?? []) as Obj[]).filter((v) => v.type === "persistent").map((v) => `${s.name}-${v.name}`),
    );
}

/**
 * The Secret Strimzi's cluster operator issues with the Kafka cluster's CA (`<cluster>-cluster-ca-cert`, key ca.crt),
 * which TLS clients mount: the operator stays on kwok here, so the suite stands in for it, or the clients on the real
 * node would wait for it forever. Undefined when the blueprint has no Kafka or no TLS listener.
 */
export function kafkaCaSecretOf(config: Obj): { namespace: string; name: string } | undefined {
    const kafka = config["platform:kafka"] as Obj | undefined;
    if (kafka?.enabled !== true || kafka.tls === false) return undefined;
    return {
        namespace: (config["platform:namespace"] as Obj).name as string,
        name: `${(kafka.clusterName as string | undefined) ?? "events"}-cluster-ca-cert`,
    };
}

/** Local volumes the blueprint's PostgreSQL instances claim on the real node. */
export function postgresVolumes(blueprint: string, config: Obj): string[] {
    const pg = config["platform:postgres"] as Obj | undefined;
    if (pg?.enabled !== true) return [];
    return Array.from({ length: (pg.instances as number | undefined) ?? 1 }, (_, i) => `${blueprint}-postgres-${i + 1}`);
}

/**
 * The config overrides that put a blueprint on the real node (merged over the file by prepareWorkdir, as every suite's
 * overrides are): services as the test service, defaults placing every service's pods (Deployments, migration Jobs,
 * cleanup CronJobs) on the real node with images never pulled, PostgreSQL from the project's images on the real node
 * and its local volumes (1Gi each, whatever the file asks: they are directories in the slot's state dir), and pods'
 * route to the apiserver bridge (the operator and the instance manager talk to the API).
 */
export function realNodeOverrides(
    config: Obj,
    node: RealNode,
    opts: { storageClass: string; volumeStorageClass: string; apiServerPort: number; installOperator?: boolean },
): Obj {
    const placement = realNodePlacement(node);
    const pg = config["platform:postgres"] as Obj | undefined;
    return {
        "platform:services": (config["platform:services"] as Obj[]).map((s) => asTestService(s, node, opts.volumeStorageClass)),
        "platform:defaults": { imagePullPolicy: "Never", ...placement },
        "platform:network": { apiServer: { cidrs: [`${node.hostIp}/32`], ports: [opts.apiServerPort] } },
        ...(pg?.enabled === true
            ? {
                  "platform:postgres": {
                      image: node.postgresImage,
                      operatorImage: node.cnpgImage,
                      ...placement,
                      storage: { size: "1Gi", storageClass: opts.storageClass },
                      resources: { requests: { cpu: "100m", memory: "256Mi" } },
                      ...(opts.installOperator === false ? { installOperator: false } : {}),
                      // Scheduled backups need the Barman Cloud plugin beside the operator, which has no image here.
                      ...((pg.backups as Obj | undefined)?.enabled === true ? { backups: { enabled: false } } : {}),
                  },
              }
            : {}),
    };
}
