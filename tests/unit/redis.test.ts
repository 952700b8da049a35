import { expect } from "chai";
import { VALKEY_CHART } from "../../components/config/chartPins";
import { LABELS, REQUIRED_LABELS } from "../../components/k8s/labels";
import { ConfigError } from "../../components/config";
import { Redis, RedisConfig, redisNetworkPolicySpec, valkeyAclUsers, valkeyUser, valkeyUserPermissions, valkeyValues } from "../../components/valkey/redis";
import { VALKEY_AUTH_MOUNT, valkeyChartPolicy } from "../../components/valkey/valkeyPod";
import { resolve } from "../../tools/mocks";
import { literalSecretPaths, mirroredChartFile, undeclaredValuePaths } from "./chartValues";
import { expectAllDescendFrom, inputs, parseConfig, platformContext, rawPlatform, underMocks } from "./componentFixtures";

const TYPE = "platform:data:Redis";
const CHART = "kubernetes:helm.sh/v4:Chart";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const SECRET_NAME = "valkey-users";
const USERS = [{ username: "api", commands: "-@all +@read", keys: ["api:*"], channels: [] }];

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function redisConfig(redis: Record<string, unknown> = {}): RedisConfig {
    const raw = rawPlatform();
    raw.redis = { enabled: true, ...redis };
    return parseConfig(raw).redis;
}

const LABELS_IN = {
    [LABELS.name]: "redis",
    [LABELS.instance]: "redis-staging",
    [LABELS.version]: "0.11.0",
    [LABELS.component]: "cache",
    [LABELS.partOf]: "shop",
    [LABELS.managedBy]: "pulumi",
    [LABELS.environment]: "staging",
    [LABELS.team]: "commerce",
    [LABELS.costCenter]: "cc-4711",
};

function values(cfg: RedisConfig = redisConfig()): Obj {
    return valkeyValues({ name: "redis", labels: LABELS_IN, config: cfg, usersSecretName: SECRET_NAME, users: USERS }) as Obj;
}

function build(redis: Record<string, unknown> = {}, clientSelectors = [{ "app.kubernetes.io/name": "api" }]) {
    const raw = rawPlatform();
    raw.redis = { enabled: true, ...redis };
    const cfg = parseConfig(raw);
    return underMocks(
        (opts) => new Redis("cache", { context: platformContext(cfg), config: cfg.redis, usersSecretName: SECRET_NAME, users: USERS, clientSelectors }, opts),
    );
}

describe("Redis (Valkey chart)", () => {
    describe("chart values", () => {
        it("one ACL user per service plus a replication user, passwords from the users Secret by key; no password in values", () => {
            const v = values();
            expect(v.auth.enabled).to.equal(true);
            expect(v.auth.usersExistingSecret).to.equal(SECRET_NAME);
            expect(Object.keys(v.auth.aclUsers).sort()).to.deep.equal(["api", "default", "replication"]);
            expect(v.auth.aclUsers.api).to.deep.equal({ permissions: "resetkeys ~api:* resetchannels -@all +@read", passwordKey: "api" });
            expect(v.auth.aclUsers.replication).to.deep.equal({
                permissions: "resetkeys resetchannels -@all +psync +replconf +ping",
                passwordKey: "replication",
            });
            expect(v.auth.aclUsers.default.permissions, "the default user is switched off and can do nothing").to.match(/^off resetkeys resetchannels -@all$/);
            expect(literalSecretPaths(v)).to.deep.equal([]);
            for (const u of Object.values(v.auth.aclUsers) as Obj[]) expect(u).to.not.have.property("password");
            expect(v.auth).to.not.have.property("aclConfig");
        });

        it("least privilege by default: only the service's key prefix, no channels, no admin or dangerous command", () => {
            const raw = rawPlatform();
            raw.redis = { enabled: true };
            const cfg = parseConfig(raw);
            const api = cfg.services.find((s) => s.name === "api")!;
            const u = valkeyUser(api);
            expect(u).to.deep.equal({
                username: "api",
                commands: "-@all +@read +@write +@keyspace +@transaction +@connection -@admin -@dangerous",
                keys: ["api:*"],
                channels: [],
            });
            const rules = valkeyUserPermissions(u).split(" ");
            expect(rules.filter((r) => r.startsWith("~"))).to.deep.equal(["~api:*"]);
            expect(rules.some((r) => r.startsWith("&") || r === "allkeys" || r === "allchannels" || r === "+@all")).to.equal(false);
            // Category removals come last, so nothing later re-grants FLUSHALL, CONFIG, DEBUG…
            expect(rules.slice(-2)).to.deep.equal(["-@admin", "-@dangerous"]);
            expect(rules.indexOf("-@all")).to.be.lessThan(rules.indexOf("+@read"));
        });

        it("per-service command/key/channel patterns from config", () => {
            const raw = rawPlatform();
            raw.redis = { enabled: true };
            (raw.services as Obj[])[0].redis = { commands: "+get +set", keys: ["sessions:*", "carts:*"], channels: ["orders.*"] };
            const cfg = parseConfig(raw);
            const u = valkeyUser(cfg.services[0]);
            expect(valkeyUserPermissions(u)).to.equal("resetkeys ~sessions:* ~carts:* resetchannels &orders.* -@all +get +set");
            expect(Object.keys(valkeyAclUsers([u])).sort()).to.deep.equal(["api", "default", "replication"]);
        });

        it("refuses rules that are not command rules, and admin/dangerous grants in production", () => {
            const bad = rawPlatform();
            bad.redis = { enabled: true, acl: { commands: "+@read nopass >hunter2" } };
            expect(() => parseConfig(bad)).to.throw(ConfigError, /platform:redis\.acl\.commands: has "nopass", ">hunter2"/);
            const prod: Obj = { ...rawPlatform(), environment: "production", secrets: { allowGenerated: false } };
            prod.redis = { enabled: true };
            (prod.services as Obj[])[0].redis = { commands: "-@all +@read +@dangerous" };
            expect(() => parseConfig(prod)).to.throw(ConfigError, /platform:services\[0\]\.redis\.commands: grants \+@dangerous to service "api"/);
            const dev = rawPlatform();
            dev.redis = { enabled: true };
            (dev.services as Obj[])[0].redis = { commands: "-@all +@read +@dangerous" };
            expect(() => parseConfig(dev), "outside production it is the stack's choice").not.to.throw();
        });

        it("standalone: persistence per env through dataStorage", () => {
            expect(values(redisConfig({ persistence: { enabled: false } })).dataStorage).to.deep.equal({ enabled: false });
            expect(values(redisConfig({ persistence: { enabled: true, size: "2Gi", storageClass: "standard" } })).dataStorage).to.deep.equal({
                enabled: true,
                requestedSize: "2Gi",
                className: "standard",
            });
            const v = values(redisConfig({ persistence: { enabled: true, size: "2Gi" } }));
            expect(v.replica).to.deep.equal({ enabled: false });
            expect(v.podDisruptionBudget).to.deep.equal({ enabled: false });
        });

        it("standalone with persistence rolls out with Recreate (a RollingUpdate would wait on the ReadWriteOnce volume)", () => {
            expect(values(redisConfig({ persistence: { enabled: true, size: "2Gi" } })).deploymentStrategy).to.equal("Recreate");
            expect(values(redisConfig({ persistence: { enabled: false } })).deploymentStrategy).to.equal("RollingUpdate");
        });

        it("retention: retain keeps the standalone PVC through destroy (transform) and the replicas' PVCs (StatefulSet policy)", () => {
            const pvc = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "redis" } };
            expect(valkeyChartPolicy(redisConfig({ persistence: { enabled: true } }), {}).retain!(pvc)).to.equal(true);
            expect(valkeyChartPolicy(redisConfig({ persistence: { enabled: true } }), {}).retain!({ kind: "Deployment" })).to.equal(false);
            expect(valkeyChartPolicy(redisConfig({ persistence: { enabled: true }, pvcRetention: "delete" }), {}).retain!(pvc)).to.equal(false);
            expect(values(redisConfig({ replicas: 1, persistence: { enabled: true } })).replica.persistentVolumeClaimRetentionPolicy).to.deep.equal({
                whenDeleted: "Retain",
                whenScaled: "Retain",
            });
            expect(
                values(redisConfig({ replicas: 1, persistence: { enabled: true }, pvcRetention: "delete" })).replica.persistentVolumeClaimRetentionPolicy,
            ).to.deep.equal({ whenDeleted: "Delete", whenScaled: "Retain" });
        });

        it("monitoring: exporter sidecar under the restricted profile, logged in as the replication user (+info only then); off by default", () => {
            expect(values().metrics).to.deep.equal({ enabled: false });
            expect(values().auth.aclUsers.replication.permissions).to.not.include("+info");
            const v = valkeyValues({
                name: "redis",
                labels: LABELS_IN,
                config: redisConfig(),
                usersSecretName: SECRET_NAME,
                users: USERS,
                monitoring: { namespace: "monitoring", scrapeInterval: "15s" },
            }) as Obj;
            const m = v.metrics;
            expect(m.enabled).to.equal(true);
            expect(m.exporter.securityContext).to.deep.include({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
            expect(m.exporter.resources.limits).to.have.keys("cpu", "memory", "ephemeral-storage");
            expect(m.exporter.extraEnvs).to.deep.equal({ REDIS_USER: "replication" });
            expect(v.auth.aclUsers.default.passwordKey, "the chart hands the exporter this key's password").to.equal("replication");
            expect(v.auth.aclUsers.replication.permissions).to.include("+info");
            expect(m.serviceMonitor).to.deep.equal({ enabled: true, interval: "15s" });
            const np = redisNetworkPolicySpec({ podLabels: { a: "b" }, clientSelectors: [], monitoringNamespace: "monitoring" }) as Obj;
            expect(np.ingress[1]).to.deep.equal({
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
                ports: [{ protocol: "TCP", port: 9121 }],
            });
        });

        it("replicas > 0: primary + N replicas on PVCs, replication user, PDB", () => {
            const v = values(redisConfig({ replicas: 2, persistence: { enabled: true, size: "10Gi" } }));
            expect(v.replica).to.deep.include({ enabled: true, replicas: 2, replicationUser: "replication" });
            expect(v.replica.persistence).to.deep.equal({ size: "10Gi" });
            expect(v.dataStorage, "standalone storage is off in replica mode").to.deep.equal({ enabled: false });
            expect(v.podDisruptionBudget).to.deep.equal({ enabled: true, maxUnavailable: 1 });
        });

        it("restricted security contexts, probes, resources, no service account token", () => {
            const v = values(redisConfig({ resources: { limits: { memory: "1Gi" } } }));
            expect(v.podSecurityContext).to.deep.include({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
            expect(v.securityContext).to.deep.include({
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            });
            for (const probe of [v.startupProbe, v.livenessProbe, v.readinessProbe]) {
                expect(probe.enabled).to.equal(true);
                // The chart's own probe is a bare `valkey-cli ping`: NOAUTH once the default user is off, whatever the health.
                const script = probe.customProbe.exec.command[2] as string;
                expect(probe.customProbe.exec.command.slice(0, 2)).to.deep.equal(["sh", "-c"]);
                expect(script)
                    .to.include(`REDISCLI_AUTH="$(cat ${VALKEY_AUTH_MOUNT}/replication)"`)
                    .and.include("valkey-cli --user replication --no-auth-warning ping")
                    .and.include("= PONG");
            }
            // The replication user may PING; the main container mounts the users Secret (the init container keeps its own mount).
            expect(v.auth.aclUsers.replication.permissions).to.include("+ping");
            expect(v.extraVolumeMounts).to.deep.equal([{ name: "valkey-users-secret", mountPath: VALKEY_AUTH_MOUNT, readOnly: true }]);
            expect(v.resources.limits).to.deep.equal({ cpu: "500m", memory: "1Gi", "ephemeral-storage": "1Gi" });
            expect(v.initResources.limits).to.have.keys("cpu", "memory", "ephemeral-storage");
            expect(v.serviceAccount).to.deep.equal({ create: true, automount: false });
        });

        it("standard labels through commonLabels/podLabels without the chart's own keys", () => {
            const v = values();
            // Keys the chart writes itself on some object stay out of commonLabels (a repeated YAML key); the transform sets them.
            for (const k of [LABELS.name, LABELS.instance, LABELS.version, LABELS.managedBy, LABELS.component, LABELS.partOf])
                expect(v.commonLabels, k).to.not.have.property(k);
            expect(v.commonLabels).to.deep.equal({ [LABELS.environment]: "staging", [LABELS.team]: "commerce", [LABELS.costCenter]: "cc-4711" });
            expect(v.podLabels).to.deep.equal({
                [LABELS.version]: "0.11.0",
                [LABELS.managedBy]: "pulumi",
                [LABELS.component]: "cache",
                [LABELS.partOf]: "shop",
            });
            // Pod template = selector labels (chart) + commonLabels + podLabels: every required key exactly once.
            const pod = { [LABELS.name]: "redis", [LABELS.instance]: "redis-staging", ...v.commonLabels, ...v.podLabels };
            for (const k of REQUIRED_LABELS) expect(pod, k).to.have.property(k);
            expect(v.fullnameOverride).to.equal("redis");
            expect(v.nameOverride).to.equal("redis");
        });
    });

    describe("the real chart (from the chart mirror)", () => {
        it("declares every value key the component passes (standalone and replicated)", () => {
            const declared = mirroredChartFile(VALKEY_CHART, "values.yaml");
            expect(
                undeclaredValuePaths(values(redisConfig({ persistence: { enabled: true, size: "2Gi", storageClass: "standard" } })), declared),
            ).to.deep.equal([]);
            expect(
                undeclaredValuePaths(values(redisConfig({ replicas: 2, persistence: { enabled: true, size: "2Gi", storageClass: "standard" } })), declared),
            ).to.deep.equal([]);
        });

        it("is the pinned chart", () => {
            expect(mirroredChartFile(VALKEY_CHART, "Chart.yaml")).to.deep.include({ name: VALKEY_CHART.chart, version: VALKEY_CHART.version });
        });
    });

    describe("network policy", () => {
        const pods = { "app.kubernetes.io/name": "redis", "app.kubernetes.io/instance": "redis-staging" };

        it("admits clients and its own replicas on 6379; replication egress only to itself", () => {
            const s = redisNetworkPolicySpec({ podLabels: pods, clientSelectors: [{ "app.kubernetes.io/name": "api" }] }) as Obj;
            expect(s.podSelector).to.deep.equal({ matchLabels: pods });
            expect(s.policyTypes).to.deep.equal(["Ingress", "Egress"]);
            expect(s.ingress).to.deep.equal([
                { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } } }], ports: [{ protocol: "TCP", port: 6379 }] },
                { from: [{ podSelector: { matchLabels: pods } }], ports: [{ protocol: "TCP", port: 6379 }] },
            ]);
            expect(s.egress).to.deep.equal([{ to: [{ podSelector: { matchLabels: pods } }], ports: [{ protocol: "TCP", port: 6379 }] }]);
        });

        it("without clients there is no client rule (never an empty `from`)", () => {
            const s = redisNetworkPolicySpec({ podLabels: pods, clientSelectors: [{}] }) as Obj;
            expect(s.ingress).to.have.length(1);
            expect(s.ingress[0].from).to.deep.equal([{ podSelector: { matchLabels: pods } }]);
        });
    });

    describe("component under mocks", () => {
        it("registers the Valkey chart in the platform namespace with pinned coordinates and its NetworkPolicy", async () => {
            const { recorder, component } = await build({ replicas: 2, persistence: { enabled: true, size: "10Gi" } });
            expectAllDescendFrom(recorder, TYPE, "cache");
            const c = inputs(recorder.get(CHART, "cache-valkey"));
            expect(c).to.deep.include({ chart: "valkey", version: VALKEY_CHART.version, namespace: "shop-staging", name: "redis-staging" });
            expect(c.repositoryOpts).to.deep.equal({ repo: "https://valkey.io/valkey-helm/" });
            expect(c.values.auth.usersExistingSecret).to.equal(SECRET_NAME);
            expect(c.values.replica.replicas).to.equal(2);
            expect(literalSecretPaths(c.values)).to.deep.equal([]);

            const np = inputs(recorder.get(NP, "cache-netpol"));
            for (const k of REQUIRED_LABELS) expect(np.metadata.labels, k).to.have.property(k);
            expect(np.spec.podSelector.matchLabels).to.deep.equal(component.podLabels);
            expect(component.podLabels).to.deep.equal({ "app.kubernetes.io/name": "redis", "app.kubernetes.io/instance": "redis-staging" });
        });

        it("an OCI mirror becomes chart: oci://…/valkey", async () => {
            const { recorder } = await build({ chart: { repo: "oci://registry.example.com/mirror", version: "0.11.0" } });
            const c = inputs(recorder.get(CHART, "cache-valkey"));
            expect(c.chart).to.equal("oci://registry.example.com/mirror/valkey");
            expect(c.version).to.equal("0.11.0");
            expect(c.repositoryOpts).to.equal(undefined);
        });

        it("hands each client host/port by value and its own user and password by Secret reference", async () => {
            const { component } = await build();
            const usernameRef = { secretName: "api-credentials", key: "redis-runtime-username" };
            const passwordRef = { secretName: "api-credentials", key: "redis-runtime-password" };
            const conn = component.clientConnection({ username: "api", usernameRef, passwordRef });
            expect(await resolve(conn.env.REDIS_HOST)).to.equal("redis");
            expect(conn.env.REDIS_PORT).to.equal("6379");
            expect(conn.secretEnv).to.deep.equal({ REDIS_USERNAME: usernameRef, REDIS_PASSWORD: passwordRef });
            expect(conn.peer).to.deep.equal({ podLabels: { "app.kubernetes.io/name": "redis", "app.kubernetes.io/instance": "redis-staging" }, ports: [6379] });
            expect(component.host).to.equal("redis");
            expect(component.port).to.equal(6379);
        });
    });
});
