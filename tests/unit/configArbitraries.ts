// fast-check arbitraries that draw whole stack configs from the schema's shape: a shipped stack file plus one
// generated service (ports, probes, sidecars, init containers, $(VAR) env, cleanup.retention, rbac, otel) and an
// optional platform:charts entry. Values sit on and around every limit the config, Kubernetes, the operators and the
// charts enforce (name lengths with the platform's suffixes, privileged ports, token lifetimes, colliding names), so
// both sides of each rule are drawn.
import fc from "fast-check";
import { ConfigError, parsePlatformConfig, RawConfig } from "../../components/config";
import { baseConfig, Json } from "./configCases";

export type StackName = "dev" | "staging" | "production";

/** A generated case: the stack it starts from and the whole mutated config (unqualified `platform:` keys). */
export interface GeneratedConfig {
    stack: StackName;
    config: Json;
}

const IMAGE = "ghcr.io/acme/app:1.2.3";

/** `prefix` padded with "x" to `length` characters: names at and over the limits of what the platform derives from them. */
const padded = (prefix: string, length: number) => prefix + "x".repeat(Math.max(0, length - prefix.length));

/** Mostly a value the rules accept, sometimes one on the other side of a limit: both sides of each rule are drawn. */
function mostly<T, U>(valid: fc.Arbitrary<T>, edge: fc.Arbitrary<U>, weight = 100): fc.Arbitrary<T | U> {
    return fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: edge });
}

/** Service names: short ones, ones that collide with what the stacks and stores own, ones near every derived-name limit. */
const serviceName = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom("gen", "orders", "a", "ledger-sync") },
    { weight: 1, arbitrary: fc.constantFrom("web", "postgres-rw", "redis-headless", "default-deny", "kafka-bootstrap", "api-migrate") },
    { weight: 2, arbitrary: fc.integer({ min: 38, max: 64 }).map((n) => padded("g", n)) },
);

/** Port names: the common ones (so probes and sidecars collide with them), and ones Kubernetes refuses. */
const PORT_NAMES = ["http", "grpc", "metrics", "admin", "otlp-grpc", "health"];
const portName = mostly(fc.constantFrom(...PORT_NAMES), fc.constantFrom("a-long-port-name-x", "Http", "9090", "-x"), 20);
const PORT_NUMBERS = [80, 443, 1023, 1024, 4317, 8080, 8443, 9090, 9898, 9999, 13133, 65535];
const portNumber = mostly(fc.constantFrom(...PORT_NUMBERS), fc.constantFrom(0, 65536), 20);
const SIDECAR_NAMES = ["proxy", "agent"];

const servicePort = fc.record(
    {
        name: portName,
        port: portNumber,
        containerPort: fc.constantFrom(8080, 9898, 9999, 80, 8443),
        protocol: fc.constantFrom("http", "https", "h2c", "grpc", "tcp", "udp"),
        container: fc.option(fc.constantFrom(...SIDECAR_NAMES), { nil: undefined, freq: 4 }),
    },
    { requiredKeys: ["name", "port", "container"] },
);

/** A probe port: a name the container may or may not declare, or a number. */
const probePort = fc.oneof(fc.constantFrom(...PORT_NAMES), fc.constantFrom(8080, 9898, 9999, 13133, 4317));
const period = mostly(fc.constantFrom(1, 5, 10), fc.constant(0));
/** Probes of each handler type with that type's own fields; rarely a field of another handler, a bad path or period. */
const probe = fc.oneof(
    {
        weight: 8,
        arbitrary: fc.record(
            {
                path: mostly(fc.constantFrom("/health", "/readyz?full=1"), fc.constant("health")),
                port: probePort,
                scheme: fc.constantFrom("HTTP", "HTTPS"),
                periodSeconds: period,
            },
            { requiredKeys: ["path"] },
        ),
    },
    { weight: 8, arbitrary: fc.record({ type: fc.constant("http"), path: fc.constant("/healthz"), port: probePort }, { requiredKeys: ["type"] }) },
    {
        weight: 8,
        arbitrary: fc.record(
            { type: fc.constant("grpc"), port: probePort, service: fc.constantFrom("", "grpc.health.v1.Health"), periodSeconds: period },
            { requiredKeys: ["type", "port"] },
        ),
    },
    { weight: 8, arbitrary: fc.record({ type: fc.constant("tcp"), port: probePort, periodSeconds: period }, { requiredKeys: ["type", "port"] }) },
    {
        weight: 8,
        arbitrary: fc.record(
            { type: fc.constant("exec"), command: fc.constant(["/bin/healthcheck"]), periodSeconds: period },
            { requiredKeys: ["type", "command"] },
        ),
    },
    {
        weight: 1,
        arbitrary: fc.constantFrom(
            { type: "none" },
            { type: "exec", command: ["/bin/healthcheck"], path: "/health" },
            { type: "exec" },
            { type: "tcp", port: "http", service: "x" },
        ),
    },
);

/** Env values: literals, $(VAR) references to what the container has and does not have, escapes, composed values. */
const envValue = fc.constantFrom(
    "hello",
    "$(GREETING)-suffix",
    "$(POSTGRES_HOST):$(POSTGRES_PORT)",
    "$(UNDEFINED_VAR)",
    "$$(ESCAPED)",
    "$(SESSION_TOKEN)",
    "$(REDIS_HOST)",
    "$(COMPOSED)",
    "http://otel-collector.observability:4317",
    "http://localhost:4317",
);
const env = fc.dictionary(fc.constantFrom("GREETING", "TARGET", "COMPOSED", "OTEL_EXPORTER_OTLP_ENDPOINT", "LOG_LEVEL"), envValue, { maxKeys: 3 });
const secretEnv = fc.array(
    fc.record({ name: fc.constantFrom("SESSION_TOKEN", "GREETING", "POSTGRES_HOST"), secret: fc.constantFrom("genSessionToken", "genApiKey") }),
    { maxLength: 2 },
);

const sidecarPort = fc.record(
    { name: portName, containerPort: portNumber, protocol: fc.constantFrom("TCP", "UDP") },
    { requiredKeys: ["name", "containerPort"] },
);
const sidecar = fc.record(
    {
        name: fc.constantFrom(...SIDECAR_NAMES, "gen"),
        image: fc.constant(IMAGE),
        env,
        secretEnv,
        ports: fc.array(sidecarPort, { maxLength: 2 }),
        readinessProbe: probe,
        livenessProbe: probe,
        startupProbe: probe,
    },
    { requiredKeys: ["name", "image"] },
);
const initContainer = fc.record(
    {
        name: fc.constantFrom("init", "proxy", "seed"),
        image: fc.constant(IMAGE),
        command: fc.constant(["/bin/init"]),
        env,
    },
    { requiredKeys: ["name", "image", "command"] },
);

const retentionKind = mostly(fc.constantFrom("events", "audit_logs", "sessions"), fc.constantFrom("Logs", "x-y", padded("k", 31)));
const cleanup = fc.record(
    {
        schedule: mostly(fc.constantFrom("30 3 * * *", "*/15 * * * *"), fc.constant("61 * * * *")),
        command: fc.constant(["/bin/cleanup"]),
        retentionDays: mostly(fc.constantFrom(1, 7, 30), fc.constant(0)),
        retention: fc.dictionary(retentionKind, mostly(fc.constantFrom(1, 7, 90), fc.constant(0)), { minKeys: 1, maxKeys: 3 }),
    },
    { requiredKeys: ["schedule", "command"] },
);

const rbacRule = fc.record(
    {
        apiGroups: mostly(fc.subarray(["", "apps", "batch"], { minLength: 1 }), fc.constant(["*"])),
        resources: mostly(fc.constantFrom(["configmaps"], ["pods/log"], ["secrets"], ["leases"]), fc.constant(["roles"])),
        resourceNames: fc.constant(["gen-lock"]),
        verbs: mostly(fc.subarray(["get", "list", "watch", "update"], { minLength: 1 }), fc.constant(["get", "escalate"])),
    },
    { requiredKeys: ["apiGroups", "resources", "verbs"] },
);
const rbac = fc.record(
    {
        rules: fc.array(rbacRule, { minLength: 1, maxLength: 2 }),
        tokenExpirationSeconds: mostly(fc.constantFrom(600, 1800, 3600), fc.constantFrom(599, 3601, 86400)),
    },
    { requiredKeys: ["rules"] },
);

const otel = fc.record(
    {
        endpoint: mostly(
            fc.constantFrom("http://otel-collector.observability:4317", "http://localhost:4317", "https://collector.example.com:4318/"),
            fc.constantFrom("http://collector:0", "http://collector:70000", "grpc://collector:4317"),
        ),
        protocol: fc.constantFrom("grpc", "http/protobuf"),
        collectorNamespace: mostly(fc.constant("observability"), fc.constant("Obs")),
        resourceAttributes: fc.dictionary(mostly(fc.constant("team.name"), fc.constant("cost center")), mostly(fc.constant("shop"), fc.constant("a,b")), {
            maxKeys: 1,
        }),
    },
    { requiredKeys: [] },
);

/** One generated service; `uses` may name the generated chart. */
const service = fc.record({
    name: serviceName,
    image: fc.constant(IMAGE),
    shape: fc.constantFrom("ports", "port", "none"),
    port: portNumber,
    ports: fc.array(servicePort, { minLength: 1, maxLength: 3 }),
    public: fc.boolean(),
    env,
    secretEnv,
    uses: fc.subarray(["postgres", "redis", "kafka", "mongo"]),
    readinessProbe: fc.option(probe, { nil: undefined }),
    livenessProbe: fc.option(probe, { nil: undefined }),
    startupProbe: fc.option(probe, { nil: undefined }),
    sidecars: fc.array(sidecar, { maxLength: 2 }),
    initContainers: fc.array(initContainer, { maxLength: 1 }),
    migration: fc.option(fc.constant({ command: ["/bin/migrate"] }), { nil: undefined }),
    cleanup: fc.option(cleanup, { nil: undefined }),
    rbac: fc.option(rbac, { nil: undefined }),
    otel: fc.option(otel, { nil: undefined }),
    metricsPort: fc.option(fc.constantFrom(9090, 8080, 9898), { nil: undefined }),
});

/** A platform:charts entry (a document store), near its own limits: name length, ports, secret-looking values. */
const chart = fc.record({
    name: fc.oneof({ weight: 30, arbitrary: fc.constant("mongo") }, { weight: 1, arbitrary: fc.constantFrom(padded("m", 40), padded("m", 41), "postgres") }),
    chart: fc.constant({ repo: "https://charts.example.com/stable", chart: "mongodb", version: "16.4.1" }),
    ports: fc.array(mostly(fc.constantFrom(27017, 27018), fc.constant(0)), { minLength: 1, maxLength: 2 }),
    values: mostly(
        fc.constantFrom({}, { architecture: "standalone" }, { auth: { existingSecret: "mongo-credentials" } }),
        fc.constant({ auth: { rootPassword: "hunter2-hunter2" } }),
    ),
    secretRefs: fc.constantFrom([], [{ path: "auth.existingSecret", secret: "mongoRootPassword" }]),
    clientEnv: fc.constantFrom({}, { MONGO_HOST: "mongo" }, { MONGO_HOST: "mongo", POSTGRES_HOST: "x" }),
    clientSecretEnv: fc.constantFrom([], [{ name: "MONGO_PASSWORD", secret: "mongoRootPassword" }]),
});

type DrawnService = typeof service extends fc.Arbitrary<infer T> ? T : never;

/** The drawn service as the config writes it: only the fields its shape has. */
function serviceJson(s: DrawnService): Json {
    const out: Json = {
        name: s.name,
        image: s.image,
        env: s.env,
        secretEnv: s.secretEnv,
        uses: s.uses,
        sidecars: s.sidecars,
        initContainers: s.initContainers,
    };
    if (s.shape === "ports") out.ports = s.ports;
    if (s.shape === "port") out.port = s.port;
    if (s.public) {
        out.public = true;
        out.pathPrefix = "/gen";
    }
    for (const k of ["readinessProbe", "livenessProbe", "startupProbe", "migration", "cleanup", "rbac", "otel"] as const) if (s[k] !== undefined) out[k] = s[k];
    if (s.metricsPort !== undefined) out.metrics = { port: s.metricsPort };
    return out;
}

type Probe = Json | undefined;
type Port = { name: string; port?: number; containerPort?: number; protocol?: string; container?: string };
type Container = Json & { name: string; env?: Record<string, string>; secretEnv?: { name: string }[]; ports?: Port[] };

/** A probe that names `port` (or, without a port to name, an exec probe): what a coherent service writes. */
function aimed(p: Probe, port: string | undefined): Probe {
    if (p === undefined || p.type === "exec" || p.type === "none") return p;
    if (port === undefined) return { type: "exec", command: ["/bin/healthcheck"] };
    return { ...p, port };
}

/** secretEnv without names that env already defines (or the stores set), each name once. */
const ownSecretEnv = (c: Container) =>
    (c.secretEnv ?? []).filter(
        (e, i, all) => !Object.keys(c.env ?? {}).includes(e.name) && e.name !== "POSTGRES_HOST" && all.findIndex((o) => o.name === e.name) === i,
    );

/**
 * The drawn service with its cross references made to agree (a port's container is a sidecar, probes name declared
 * ports, no name defined twice, a collector namespace beside a remote endpoint): most drawn services go through this,
 * so the rules between fields are drawn on both sides — the rest keep whatever the draw gave them.
 */
function makeCoherent(svc: Json, chart: Json | undefined, defaults: Json): void {
    const sidecars = ((svc.sidecars ?? []) as Container[])
        .filter((c, i, all) => c.name !== svc.name && all.findIndex((o) => o.name === c.name) === i)
        .map((c, n) => {
            const ports = (c.ports ?? []).slice(0, 1).map((p) => ({ ...p, protocol: "TCP", containerPort: 9100 + n, name: `${c.name.slice(0, 5)}-port` }));
            const own = ports[0]?.name;
            return {
                ...c,
                ports,
                secretEnv: ownSecretEnv(c),
                readinessProbe: aimed(c.readinessProbe as Probe, own),
                livenessProbe: aimed(c.livenessProbe as Probe, own),
                startupProbe: aimed(c.startupProbe as Probe, own),
            };
        });
    svc.sidecars = sidecars;
    const names = new Set(sidecars.map((c) => c.name));
    svc.initContainers = ((svc.initContainers ?? []) as Container[]).filter((c) => !names.has(c.name) && c.name !== svc.name);
    let declared: string[] = [];
    if (svc.ports) {
        const ports = (svc.ports as Port[])
            .filter((p, i, all) => all.findIndex((o) => o.name === p.name || o.port === p.port) === i)
            .map((p, i) => ({ ...p, containerPort: 8080 + i, container: p.container !== undefined && names.has(p.container) ? p.container : undefined }));
        svc.ports = ports;
        declared = ports.filter((p) => p.container === undefined).map((p) => p.name);
        if (svc.public && !ports.some((p) => p.container === undefined && ["http", "h2c", undefined].includes(p.protocol))) {
            delete svc.public;
            delete svc.pathPrefix;
        }
    } else if (svc.port !== undefined) {
        if ((svc.port as number) < 1024 || (svc.port as number) > 65535) svc.port = 8080;
        declared = ["http"];
    } else {
        delete svc.public;
        delete svc.pathPrefix;
    }
    if (declared.length === 0 || declared.includes("metrics") || svc.port !== undefined) delete svc.metrics;
    svc.secretEnv = ownSecretEnv(svc as Container);
    for (const k of ["readinessProbe", "livenessProbe", "startupProbe"]) if (svc[k] !== undefined) svc[k] = aimed(svc[k] as Probe, declared[0]);
    // Without a port the stack's default http probes have nothing to probe: such a service says how it is probed.
    if (declared.length === 0) for (const k of ["readinessProbe", "livenessProbe"]) svc[k] ??= { type: "exec", command: ["/bin/healthcheck"] };
    if (!chart) svc.uses = (svc.uses as string[]).filter((u) => u !== "mongo");
    for (const otel of [svc.otel, defaults.otel] as (Json | undefined)[]) {
        if (otel?.endpoint !== undefined && !String(otel.endpoint).includes("localhost")) otel.collectorNamespace = "observability";
    }
    const cleanup = svc.cleanup as Json | undefined;
    if (cleanup && cleanup.retentionDays === undefined && cleanup.retention === undefined) cleanup.retentionDays = 30;
    const rbac = svc.rbac as { rules: Json[] } | undefined;
    for (const r of rbac?.rules ?? []) if ((r.resources as string[]).includes("secrets")) r.resourceNames = ["gen-lock"];
    if (chart) {
        chart.clientEnv = { MONGO_HOST: "mongo" };
        chart.clientSecretEnv = (chart.secretRefs as unknown[]).length > 0 ? [{ name: "MONGO_PASSWORD", secret: "mongoRootPassword" }] : [];
    }
}

/** A whole config: a shipped stack, plus the generated service and (sometimes) the generated chart. */
export const generatedConfig: fc.Arbitrary<GeneratedConfig> = fc
    .record({
        stack: fc.constantFrom<StackName>("dev", "staging", "production"),
        service,
        coherent: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
        chart: fc.option(chart, { nil: undefined }),
        defaultsOtel: fc.option(otel, { nil: undefined, freq: 4 }),
    })
    .map(({ stack, service: drawn, coherent: fix, chart: c, defaultsOtel }) => {
        const config = baseConfig(stack);
        const svc = serviceJson(drawn);
        const extra = c && { ...c };
        if (defaultsOtel) config.defaults = { ...(config.defaults as Json), otel: { ...defaultsOtel } };
        if (fix) makeCoherent(svc, extra, config.defaults as Json);
        (config.services as Json[]).push(svc);
        if (extra) config.charts = [extra];
        return { stack, config };
    });

/** `count` configs drawn from `seed`: the same seed always gives the same configs. */
export function sampleConfigs(seed: number, count: number): GeneratedConfig[] {
    return fc.sample(generatedConfig, { seed, numRuns: count });
}

/** A generated config as the Pulumi runtime stores it: one JSON-or-string value per unqualified key. */
export function rawConfig(c: Json): RawConfig {
    const out: RawConfig = {};
    for (const [k, v] of Object.entries(c)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
    return out;
}

/** Whether the config check accepts `c`, every secret set; any error but a refusal is thrown. */
export function acceptedConfig(c: Json): boolean {
    try {
        parsePlatformConfig(rawConfig(c), { isSet: () => true, isSecret: () => true });
        return true;
    } catch (e) {
        if (e instanceof ConfigError) return false;
        throw e;
    }
}

/** Runs `fn` with the program's notices muted: without an engine, pulumi.log prints them to the console. */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
    const [log, warn] = [console.log, console.warn];
    console.log = () => undefined;
    console.warn = () => undefined;
    try {
        return await fn();
    } finally {
        [console.log, console.warn] = [log, warn];
    }
}
