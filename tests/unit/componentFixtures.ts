// Shared fixtures for the component tests: a realistic validated config, contexts, and assertions over what the
// mocks recorded (parents, labels, dependencies, leaked strings).
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { parsePlatformConfig, PlatformConfig, RawConfig, ResolvedService } from "../../components/config";
import type { BatchWorkloadArgs } from "../../components/service/batchWorkload";
import { ClientConnection, PlatformContext, SecretRef } from "../../components/k8s/context";
import { LabelContext, missingLabels } from "../../components/k8s/labels";
import { DependencyRecorder, installMocks, RegisteredResource, ResourceRecorder, settle, urnOf } from "../../tools/mocks";

/** A production-like platform config (the shape a Pulumi.<stack>.yaml holds), before parsing. */
export function rawPlatform(): Record<string, unknown> {
    return {
        environment: "staging",
        namespace: {
            name: "shop-staging",
            podSecurityLevel: "restricted",
            quota: { requestsCpu: "8", requestsMemory: "16Gi", limitsCpu: "16", limitsMemory: "32Gi", pods: 60 },
            containerDefaults: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        },
        metadata: {
            team: "commerce",
            costCenter: "cc-4711",
            owner: "commerce-team",
            contact: "commerce@example.com",
            documentation: "https://docs.example.com/shop",
            incidentChannel: "#shop-incidents",
            partOf: "shop",
        },
        defaults: {
            replicas: 2,
            logLevel: "info",
            imagePullPolicy: "Always",
            resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
            autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 6, cpuUtilization: 70, memoryUtilization: 80 },
            readinessProbe: { path: "/healthz" },
            livenessProbe: { path: "/healthz" },
        },
        services: [
            {
                name: "api",
                image: "ghcr.io/acme/shop-api:1.4.2",
                component: "backend",
                description: "Shop REST API",
                port: 8080,
                public: true,
                pathPrefix: "/api",
                env: { FEATURE_FLAGS: "checkout-v2", HTTP_TIMEOUT_MS: "5000" },
                secretEnv: [
                    { name: "SESSION_SECRET", secret: "sessionKey" },
                    { name: "STRIPE_API_KEY", secret: "stripeApiKey" },
                ],
                dependsOn: ["catalog"],
                uses: ["postgres", "redis"],
                metrics: { port: 9100 },
                migration: { command: ["/app/migrate", "up"], backoffLimit: 2, activeDeadlineSeconds: 300 },
                cleanup: { schedule: "30 3 * * *", command: ["/app/cleanup"], retentionDays: 14, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 2 },
                dapr: { enabled: true },
                preStopSleepSeconds: 10,
            },
            {
                name: "catalog",
                image: "ghcr.io/acme/catalog@sha256:" + "ab".repeat(32),
                component: "backend",
                port: 8081,
                uses: ["postgres"],
                autoscaling: { enabled: false },
                replicas: 3,
                disruptionBudget: { maxUnavailable: 1 },
                topologySpread: false,
            },
            {
                name: "web",
                image: "ghcr.io/acme/shop-web:2.0.0",
                component: "frontend",
                port: 3000,
                public: true,
                pathPrefix: "/",
                dependsOn: ["api"],
                autoscaling: { enabled: false },
                replicas: 1,
                metrics: { enabled: false },
            },
        ],
        edge: {
            mode: "ingress",
            host: "shop.staging.example.com",
            ingress: { className: "nginx", annotations: { "nginx.ingress.kubernetes.io/proxy-body-size": "8m" } },
            tls: { enabled: true, clusterIssuer: "letsencrypt-staging" },
            controllerNamespace: "ingress-nginx",
        },
        postgres: { enabled: true, owner: "shop" },
        redis: { enabled: true },
        secrets: { allowGenerated: true, generatedLength: 40 },
        observability: { serviceMonitors: true, scrapeInterval: "15s" },
        dapr: { enabled: true, logLevel: "warn" },
    };
}

/** Parses a raw config through the real validator (every secret counts as set with --secret). */
export function parseConfig(raw: Record<string, unknown> = rawPlatform()): PlatformConfig {
    const strings: RawConfig = {};
    for (const [k, v] of Object.entries(raw)) strings[k] = typeof v === "string" ? v : JSON.stringify(v);
    return parsePlatformConfig(strings, { isSet: () => true, isSecret: () => true });
}

/** The named service of a config (the parse resolves every service). */
export function resolved(name: string, cfg: PlatformConfig = parseConfig()): ResolvedService {
    const svc = cfg.services.find((s) => s.name === name);
    if (!svc) throw new Error(`no service ${name}`);
    return svc;
}

export function labelContext(cfg: PlatformConfig = parseConfig()): LabelContext {
    return { partOf: cfg.metadata.partOf, environment: cfg.environment, team: cfg.metadata.team, costCenter: cfg.metadata.costCenter };
}

export function platformContext(cfg: PlatformConfig = parseConfig()): PlatformContext {
    const { owner, contact, documentation, incidentChannel } = cfg.metadata;
    return { namespace: cfg.namespace.name, labels: labelContext(cfg), ownership: { owner, contact, documentation, incidentChannel } };
}

/** Stand-ins for what the data-store components hand to their clients. */
export const POSTGRES_CONNECTION: ClientConnection = {
    env: { DATABASE_HOST: "shop-pg-rw", DATABASE_PORT: "5432", DATABASE_NAME: "app" },
    secretEnv: { DATABASE_PASSWORD: { secretName: "postgres-credentials", key: "password" } },
    peer: { podLabels: { "cnpg.io/cluster": "shop-pg" }, ports: [5432] },
};
export const REDIS_CONNECTION: ClientConnection = {
    env: { REDIS_HOST: pulumi.output("valkey"), REDIS_PORT: "6379" },
    secretEnv: { REDIS_PASSWORD: { secretName: "redis-credentials", key: "password" } },
    peer: { podLabels: { "app.kubernetes.io/name": "valkey" }, ports: [6379] },
};
export const SERVICE_SECRET_REFS: Record<string, SecretRef> = {
    SESSION_SECRET: { secretName: "app-secrets", key: "sessionKey" },
    STRIPE_API_KEY: { secretName: "app-secrets", key: "stripeApiKey" },
};

/** What service "api" hands its batch workloads (migration, cleanup): its ConfigMap, ServiceAccount, Postgres as store. */
export function batchWorkloadArgs(secretEnv: Record<string, SecretRef>): BatchWorkloadArgs {
    return {
        context: platformContext(),
        service: resolved("api"),
        configMapName: "api-config",
        serviceAccountName: "api",
        secretEnv,
        stores: [POSTGRES_CONNECTION.peer],
    };
}

/** Asserts the component exists and every other recorded resource descends from it (directly or via sub-components). */
export function expectAllDescendFrom(recorder: ResourceRecorder, type: string, name: string): RegisteredResource[] {
    const all = recorder.finalize();
    const root = urnOf(type, name);
    expect(
        all.some((r) => r.urn === root),
        `component ${type}::${name} registered`,
    ).to.equal(true);
    const byUrn = new Map(all.map((r) => [r.urn, r]));
    const others = all.filter((r) => r.urn !== root);
    expect(others.length, "component has children").to.be.greaterThan(0);
    for (const r of others) {
        let p = r.parent;
        let hops = 0;
        while (p && p !== root && hops++ < 10) p = byUrn.get(p)?.parent;
        expect(p, `${r.type}::${r.name} is parented (transitively) to ${name}`).to.equal(root);
    }
    return others;
}

/** Kubernetes resources among the recorded ones. */
export function kubeResources(recorder: ResourceRecorder): RegisteredResource[] {
    return recorder.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The recorded inputs as a loosely typed object for assertions. */
export function inputs(r: RegisteredResource): Obj {
    return r.inputs as Obj;
}

/** Pod templates inside a workload's inputs (Deployment, Job, CronJob). */
export function podTemplates(r: RegisteredResource): Obj[] {
    const spec = inputs(r).spec as Obj | undefined;
    if (!spec) return [];
    if (r.type.endsWith(":CronJob")) return [spec.jobTemplate.spec.template];
    if (r.type.endsWith(":Deployment") || r.type.endsWith(":Job")) return [spec.template];
    return [];
}

/** Asserts every Kubernetes resource and every pod template carries all required labels. */
export function expectRequiredLabels(resources: RegisteredResource[]): void {
    for (const r of resources.filter((x) => x.type.startsWith("kubernetes:"))) {
        const labels = (inputs(r).metadata?.labels ?? undefined) as Record<string, string> | undefined;
        expect(missingLabels(labels), `${r.type}::${r.name} labels`).to.deep.equal([]);
        for (const t of podTemplates(r)) expect(missingLabels(t.metadata?.labels), `${r.type}::${r.name} pod template labels`).to.deep.equal([]);
    }
}

/** Every string anywhere inside a value. */
export function allStrings(v: unknown, out: string[] = []): string[] {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => allStrings(x, out));
    else if (v && typeof v === "object") Object.values(v as Record<string, unknown>).forEach((x) => allStrings(x, out));
    return out;
}

/** Pulumi's marker for a secret value in serialized inputs. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** True when a recorded input value is a secret (wrapped with the secret signature). */
export function isSecretValue(v: unknown): boolean {
    return !!v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] !== undefined;
}

/** Builds a component under fresh mocks with parent and dependency capture, and waits for its registrations. */
export async function underMocks<T>(
    build: (opts: pulumi.ComponentResourceOptions) => T,
): Promise<{ recorder: ResourceRecorder; deps: DependencyRecorder; component: T }> {
    const recorder = await installMocks();
    const deps = new DependencyRecorder();
    const component = build({ transformations: [recorder.transformation, deps.transformation] });
    await settle();
    recorder.finalize();
    return { recorder, deps, component };
}
