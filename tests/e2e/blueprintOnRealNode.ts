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
    }));
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
function listenEnv(s: Obj): Record<string, string> {
    const ports = declaredPorts(s);
    const unsupported = ports.filter((p) => !["http", "grpc", "tcp"].includes(p.protocol));
    if (unsupported.length > 0)
        throw new Error(`service ${s.name}: the test service serves http, grpc and tcp, not ${unsupported.map((p) => p.protocol).join(", ")}`);
    const http = ports.filter((p) => p.protocol === "http").map((p) => String(p.containerPort));
    const grpc = ports.filter((p) => p.protocol === "grpc");
    const tcp = ports.filter((p) => p.protocol === "tcp");
    if (grpc.length > 1 || tcp.length > 1) throw new Error(`service ${s.name}: the test service serves one gRPC and one TCP port`);
    return {
        SERVICE_NAME: s.name,
        HTTP_PORT: http[0] ?? "8080",
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
export function asTestService(s: Obj, node: RealNode): Obj {
    for (const k of ["sidecars", "initContainers", "volumes"]) {
        if (Array.isArray(s[k]) && s[k].length > 0) throw new Error(`service ${s.name}: ${k} are not mapped onto the test service yet`);
    }
    const listen = listenEnv(s);
    const self = `http://127.0.0.1:${listen.HTTP_PORT}/healthz`;
    const probe = (p: Obj | undefined) => (p?.type === "exec" ? { ...p, command: ["/testsvc", "get", self, "--timeout", "2s"] } : p);
    const usesPg = ((s.uses ?? []) as string[]).includes("postgres");
    const out: Obj = {
        ...s,
        image: node.testImage,
        command: ["/testsvc", "serve"],
        env: { ...(s.env ?? {}), ...listen },
        resources: { ...(s.resources ?? {}), requests: { cpu: "25m", memory: "32Mi" } },
    };
    delete out.args;
    for (const k of ["readinessProbe", "livenessProbe", "startupProbe"]) if (s[k]) out[k] = probe(s[k]);
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
export function realNodeOverrides(config: Obj, node: RealNode, opts: { storageClass: string; apiServerPort: number; installOperator?: boolean }): Obj {
    const placement = realNodePlacement(node);
    const pg = config["platform:postgres"] as Obj | undefined;
    return {
        "platform:services": (config["platform:services"] as Obj[]).map((s) => asTestService(s, node)),
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
                  },
              }
            : {}),
    };
}
