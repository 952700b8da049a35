import { expect } from "chai";
import { chartLocation } from "../../components/charts/charts";
import { CNPG_CLUSTER_CHART, CNPG_OPERATOR_CHART } from "../../components/config/chartPins";
import { ConfigError } from "../../components/config";
import { LABELS, REQUIRED_LABELS } from "../../components/k8s/labels";
import { postgresUsers, storeUsers } from "../../components/config";
import { cnpgOperatorValues, operatorImageValue } from "../../components/postgres/cnpgOperator";
import { Postgres } from "../../components/postgres/postgres";
import {
    clusterChartPolicy,
    cnpgClusterValues,
    cnpgInstanceLabels,
    managedRoles,
    PostgresConfig,
    PostgresRole,
    postgresRetainOnDelete,
    serviceDatabases,
    withInheritedMetadata,
} from "../../components/postgres/postgresCluster";
import { postgresNetworkPolicySpec } from "../../components/postgres/postgresNetworkPolicy";
import { backupEgressPort, BARMAN_CLOUD_PLUGIN, cnpgBackupValues, objectStoreResource } from "../../components/postgres/postgresBackups";
import { resolve } from "../../tools/mocks";
import { literalSecretPaths, mirroredChartFile, undeclaredValuePaths } from "./chartValues";
import { expectAllDescendFrom, inputs, parseConfig, platformContext, rawPlatform, underMocks } from "./componentFixtures";

const TYPE = "platform:data:Postgres";
const CHART = "kubernetes:helm.sh/v4:Chart";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const NS = "kubernetes:core/v1:Namespace";
const API_SERVER = { cidrs: ["10.0.0.0/8", "172.16.0.0/12"], ports: [443, 6443] };

/** The fixture's services (api, catalog) as roles, api split into owner + runtime. */
function roles(split = true): PostgresRole[] {
    const raw = rawPlatform();
    if (split) (raw.services as Obj[])[0].postgres = { runtimeRole: true };
    return storeUsers(parseConfig(raw))
        .filter((u) => u.store === "postgres")
        .map((user) => ({ user, passwordSecretName: `${user.service}-postgres-${user.purpose}` }));
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function pgConfig(postgres: Record<string, unknown> = {}): PostgresConfig {
    const raw = rawPlatform();
    raw.postgres = { enabled: true, owner: "shop", ...postgres };
    return parseConfig(raw).postgres;
}

const LABELS_IN = {
    [LABELS.name]: "postgres",
    [LABELS.instance]: "postgres-staging",
    [LABELS.version]: "0.8.1",
    [LABELS.component]: "database",
    [LABELS.partOf]: "shop",
    [LABELS.managedBy]: "pulumi",
    [LABELS.environment]: "staging",
    [LABELS.team]: "commerce",
    [LABELS.costCenter]: "cc-4711",
};

function clusterValues(cfg: PostgresConfig = pgConfig()): Obj {
    return cnpgClusterValues({ name: "postgres", labels: LABELS_IN, annotations: { owner: "commerce-team" }, config: cfg, roles: roles() }) as Obj;
}

const BACKUPS = {
    enabled: true,
    destinationPath: "s3://backups/shop",
    endpointURL: "https://minio.example.com:9000",
    credentialsSecret: "pg-backup-s3",
    schedule: "0 30 1 * * *",
    retentionPolicy: "14d",
    egressCidrs: ["10.20.0.0/16"],
};

function build(postgres: Record<string, unknown> = {}, clientSelectors = [{ "app.kubernetes.io/name": "api" }]) {
    const raw = rawPlatform();
    raw.postgres = { enabled: true, owner: "shop", ...postgres };
    const cfg = parseConfig(raw);
    const ctx = platformContext(cfg);
    return underMocks((opts) => new Postgres("pg", { context: ctx, config: cfg.postgres, roles: roles(), apiServer: API_SERVER, clientSelectors }, opts));
}

describe("Postgres (CloudNativePG)", () => {
    describe("cluster chart values", () => {
        it("sizes the cluster from config: instances, storage size and class, resources", () => {
            const v = clusterValues(pgConfig({ instances: 3, storage: { size: "20Gi", storageClass: "fast-ssd" }, resources: { limits: { memory: "4Gi" } } }));
            expect(v.cluster.instances).to.equal(3);
            expect(v.cluster.storage).to.deep.equal({ size: "20Gi", storageClass: "fast-ssd" });
            expect(v.cluster.resources.limits).to.deep.equal({ cpu: "1", memory: "4Gi", "ephemeral-storage": "1Gi" });
            expect(v.cluster.resources.requests).to.have.keys("cpu", "memory", "ephemeral-storage");
            expect(v.cluster.enablePDB).to.equal(true);
            expect(clusterValues(pgConfig()).cluster.instances).to.equal(1);
            expect(clusterValues(pgConfig()).cluster.enablePDB, "no PDB over a single instance").to.equal(false);
            expect(clusterValues(pgConfig()).cluster.storage, "no storageClass key when unset").to.deep.equal({ size: "1Gi" });
        });

        it("bootstraps only the bootstrap database with initdb; no credential of ours goes there", () => {
            const v = clusterValues(pgConfig({ database: "orders", owner: "orders-app" }));
            expect(v.cluster.initdb).to.deep.equal({ database: "orders", owner: "orders-app" });
            expect(v.cluster.enableSuperuserAccess, "no operator-generated superuser password").to.equal(false);
            expect(v.mode).to.equal("standalone");
            expect(v.fullnameOverride).to.equal("postgres");
        });

        it("carries no literal credential anywhere (backups included)", () => {
            const v = clusterValues(pgConfig({ backups: BACKUPS }));
            expect(literalSecretPaths(v)).to.deep.equal([]);
            expect(JSON.stringify(v)).to.not.match(/"password"\s*:/i);
            expect(v.backups.secret).to.deep.equal({ create: false, name: "pg-backup-s3" });
            // The self-check itself must catch an inline password.
            expect(literalSecretPaths({ backups: { s3: { secretKey: "hunter2" } }, auth: { password: "x" } })).to.deep.equal([
                "backups.s3.secretKey",
                "auth.password",
            ]);
        });

        it("one login role per service user, password from its own basic-auth Secret, no privilege beyond login", () => {
            const r = clusterValues().cluster.roles as Obj[];
            expect(r.map((x) => x.name)).to.deep.equal(["api", "api_runtime", "catalog"]);
            for (const x of r) {
                expect(x).to.deep.include({
                    ensure: "present",
                    login: true,
                    superuser: false,
                    createdb: false,
                    createrole: false,
                    replication: false,
                    bypassrls: false,
                });
                expect(x).to.not.have.property("inRoles");
                expect(x).to.not.have.property("password");
            }
            expect(r[0].passwordSecret).to.deep.equal({ name: "api-postgres-owner" });
            expect(r[1].passwordSecret).to.deep.equal({ name: "api-postgres-runtime" });
            expect(managedRoles([])).to.deep.equal([]);
        });

        it('isolation "database" (default): one database per service, owned by that service\'s owner role, retained on delete', () => {
            const v = clusterValues();
            expect(v.databases).to.deep.equal([
                { name: "api", owner: "api", ensure: "present", databaseReclaimPolicy: "retain" },
                { name: "catalog", owner: "catalog", ensure: "present", databaseReclaimPolicy: "retain" },
            ]);
            // The runtime role owns nothing.
            expect((v.databases as Obj[]).some((d) => d.owner === "api_runtime")).to.equal(false);
        });

        it('isolation "schema": one schema per service in the shared database, owned by the service\'s owner role', () => {
            const cfg = pgConfig({ isolation: "schema", database: "shop" });
            expect(serviceDatabases(cfg, roles())).to.deep.equal([
                {
                    name: "shop",
                    owner: "shop",
                    ensure: "present",
                    databaseReclaimPolicy: "retain",
                    schemas: [
                        { name: "api", owner: "api", ensure: "present" },
                        { name: "catalog", owner: "catalog", ensure: "present" },
                    ],
                },
            ]);
            expect(serviceDatabases(cfg, [])).to.deep.equal([]);
        });

        it("role names: the service name as an identifier; the runtime role only where the service asks for the split", () => {
            expect(postgresUsers({ name: "order-service", postgres: { runtimeRole: false } })).to.deep.equal([
                { service: "order-service", store: "postgres", purpose: "owner", username: "order_service", configKey: "orderServicePostgresPassword" },
            ]);
            expect(postgresUsers({ name: "order-service", postgres: { runtimeRole: true } }).map((u) => [u.purpose, u.username, u.configKey])).to.deep.equal([
                ["owner", "order_service", "orderServicePostgresOwnerPassword"],
                ["runtime", "order_service_runtime", "orderServicePostgresPassword"],
            ]);
        });

        it("restricted pod and container security contexts", () => {
            const v = clusterValues();
            expect(v.cluster.podSecurityContext).to.deep.include({
                runAsNonRoot: true,
                runAsUser: 26,
                fsGroup: 26,
                seccompProfile: { type: "RuntimeDefault" },
            });
            expect(v.cluster.securityContext).to.deep.include({
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
            });
        });

        it("adds the standard labels the chart does not set itself (no duplicate keys)", () => {
            const extra = clusterValues().cluster.additionalLabels as Record<string, string>;
            for (const k of [LABELS.name, LABELS.instance, LABELS.partOf, LABELS.managedBy]) expect(extra, k).to.not.have.property(k);
            expect(extra).to.include({
                [LABELS.environment]: "staging",
                [LABELS.team]: "commerce",
                [LABELS.costCenter]: "cc-4711",
                [LABELS.component]: "database",
                [LABELS.version]: "0.8.1",
            });
        });

        it("backups: the Barman Cloud plugin by default (plugin entry, ScheduledBackup method plugin); off by default", () => {
            expect(cnpgBackupValues(pgConfig().backups)).to.deep.equal({ enabled: false });
            const b = cnpgBackupValues(pgConfig({ backups: BACKUPS }).backups) as Obj;
            expect(b).to.deep.include({
                enabled: true,
                method: "plugin",
                pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
                destinationPath: "s3://backups/shop",
                retentionPolicy: "14d",
            });
            expect(b.scheduledBackups).to.deep.equal([
                {
                    name: "scheduled",
                    schedule: "0 30 1 * * *",
                    backupOwnerReference: "self",
                    method: "plugin",
                    pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
                },
            ]);
            const aws = cnpgBackupValues(
                pgConfig({
                    backups: { enabled: true, destinationPath: "s3://b/p", credentialsSecret: "c", s3Region: "eu-west-1", egressCidrs: ["52.218.0.0/17"] },
                }).backups,
            ) as Obj;
            expect(aws).to.not.have.property("endpointURL");
            expect(aws.s3).to.deep.equal({ inheritFromIAMRole: false, region: "eu-west-1" });
        });

        it("the plugin's ObjectStore: named as the chart's plugin entry expects, credentials by Secret key, endpoint derived from the region", () => {
            const cfg = pgConfig({
                backups: { enabled: true, destinationPath: "s3://b/p", credentialsSecret: "s3-creds", s3Region: "eu-west-1", egressCidrs: ["52.218.0.0/17"] },
            });
            if (!cfg.backups.enabled) throw new Error("backups expected on");
            const os = objectStoreResource({ clusterName: "postgres", namespace: "shop", labels: { a: "b" }, annotations: {}, backups: cfg.backups });
            expect(os).to.deep.include({ apiVersion: "barmancloud.cnpg.io/v1", kind: "ObjectStore" });
            expect(os.metadata).to.deep.include({ name: "postgres-backups", namespace: "shop" });
            expect(os.spec).to.deep.include({ retentionPolicy: "30d" });
            expect((os.spec as Obj).configuration).to.deep.include({
                destinationPath: "s3://b/p",
                endpointURL: "https://s3.eu-west-1.amazonaws.com",
                s3Credentials: { accessKeyId: { name: "s3-creds", key: "ACCESS_KEY_ID" }, secretAccessKey: { name: "s3-creds", key: "ACCESS_SECRET_KEY" } },
            });
            expect((os.spec as Obj).instanceSidecarConfiguration.resources.limits).to.have.keys("cpu", "memory", "ephemeral-storage");
            expect(literalSecretPaths(os)).to.deep.equal([]);
        });

        it("the deprecated in-tree path only on explicit choice, and never with an image that lacks the Barman tools", () => {
            const b = cnpgBackupValues(
                pgConfig({ image: "ghcr.io/cloudnative-pg/postgresql:16.10-system-trixie", backups: { ...BACKUPS, method: "barmanObjectStore" } }).backups,
            ) as Obj;
            expect(b.method).to.equal("barmanObjectStore");
            expect(b).to.not.have.property("pluginConfiguration");
            expect(() => pgConfig({ backups: { ...BACKUPS, method: "barmanObjectStore" } })).to.throw(/platform:postgres\.image/);
        });

        it("pins the PostgreSQL image per stack, validated like every image", () => {
            expect((clusterValues().cluster as Obj).imageName).to.match(/^ghcr\.io\/cloudnative-pg\/postgresql:16\.\d+-/);
            expect((clusterValues(pgConfig({ image: "registry.local/pg:16.4" })).cluster as Obj).imageName).to.equal("registry.local/pg:16.4");
            expect(() => pgConfig({ image: "ghcr.io/cloudnative-pg/postgresql" })).to.throw(/platform:postgres\.image/);
            expect(() => pgConfig({ image: "ghcr.io/cloudnative-pg/postgresql:latest" })).to.throw(/platform:postgres\.image/);
        });

        it("the Cluster carries the standard labels in inheritedMetadata (the operator copies them onto pods, PVCs, Services)", () => {
            const cluster = { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "postgres" }, spec: { instances: 1 } };
            const out = withInheritedMetadata(cluster, { team: "commerce" }, { owner: "x" });
            expect(out.spec).to.deep.equal({ instances: 1, inheritedMetadata: { labels: { team: "commerce" }, annotations: { owner: "x" } } });
            const sb = { apiVersion: "postgresql.cnpg.io/v1", kind: "ScheduledBackup", spec: {} };
            expect(withInheritedMetadata(sb, { team: "commerce" }, {})).to.equal(sb);
        });

        it("retention: with retain, destroy leaves the Cluster (and so its PVCs); with delete, nothing", () => {
            const cluster = { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "postgres" } };
            const retain = clusterChartPolicy(pgConfig({ pvcRetention: "retain" }), {}, {});
            expect(retain.retain!(cluster)).to.equal(true);
            expect(retain.retain!({ kind: "ScheduledBackup" })).to.equal(false);
            expect(clusterChartPolicy(pgConfig({ pvcRetention: "delete" }), {}, {}).retain!(cluster)).to.equal(false);
        });

        it("config refuses enabled backups without destination, endpoint or region, and credentials Secret", () => {
            let err: unknown;
            try {
                pgConfig({ backups: { enabled: true } });
            } catch (e) {
                err = e;
            }
            expect(err).to.be.instanceOf(ConfigError);
            const keys = (err as ConfigError).issues.map((i) => i.key);
            expect(keys).to.include.members([
                "platform:postgres.backups.destinationPath",
                "platform:postgres.backups.s3Region",
                "platform:postgres.backups.credentialsSecret",
                "platform:postgres.backups.egressCidrs",
            ]);
        });

        it("PVC retention maps to retaining the Cluster on destroy", () => {
            expect(postgresRetainOnDelete(pgConfig())).to.equal(true);
            expect(postgresRetainOnDelete(pgConfig({ pvcRetention: "delete" }))).to.equal(false);
        });

        it("operator values: CRDs, restricted contexts, standard pod labels without the chart's selector keys", () => {
            const v = cnpgOperatorValues({ labels: LABELS_IN }) as Obj;
            expect(v.crds).to.deep.equal({ create: true });
            expect(v.podLabels).to.not.have.property(LABELS.name);
            expect(v.podLabels).to.include({ [LABELS.team]: "commerce", [LABELS.managedBy]: "pulumi" });
            expect(v.containerSecurityContext).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
            expect(v.podSecurityContext).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        });
    });

    describe("image and placement overrides (platform:postgres.operatorImage, .nodeSelector, .tolerations)", () => {
        const PLACEMENT = {
            nodeSelector: { "platform.e2e/real-node": "true" },
            tolerations: [{ key: "platform.e2e/real-node", operator: "Exists", effect: "NoSchedule" }],
        };

        it("absent: the chart's operator image, no placement in either chart's values", () => {
            const cfg = pgConfig();
            expect(cfg.operatorImage).to.equal(undefined);
            const op = cnpgOperatorValues({
                labels: LABELS_IN,
                image: cfg.operatorImage,
                placement: { nodeSelector: cfg.nodeSelector, tolerations: cfg.tolerations },
            }) as Obj;
            expect(op).to.not.have.any.keys("image", "nodeSelector", "tolerations");
            expect(clusterValues(cfg).cluster as Obj).to.not.have.property("affinity");
        });

        it("set: the operator's image as repository + tag and its placement; the instances' placement in the Cluster's affinity", () => {
            const cfg = pgConfig({
                operatorImage: "registry.example.com:5000/mirror/cloudnative-pg:1.30.0",
                image: "registry.example.com:5000/mirror/postgresql:15.18-1",
                ...PLACEMENT,
            });
            const op = cnpgOperatorValues({
                labels: LABELS_IN,
                image: cfg.operatorImage,
                placement: { nodeSelector: cfg.nodeSelector, tolerations: cfg.tolerations },
            }) as Obj;
            expect(op.image).to.deep.equal({ repository: "registry.example.com:5000/mirror/cloudnative-pg", tag: "1.30.0" });
            expect(op.nodeSelector).to.deep.equal(PLACEMENT.nodeSelector);
            expect(op.tolerations).to.deep.equal(PLACEMENT.tolerations);
            const cluster = clusterValues(cfg).cluster as Obj;
            expect(cluster.imageName).to.equal("registry.example.com:5000/mirror/postgresql:15.18-1");
            expect(cluster.affinity).to.deep.equal(PLACEMENT);
            // Both charts declare these keys (the operator's at the top level, the Cluster's affinity is free-form).
            expect(undeclaredValuePaths(op, mirroredChartFile(CNPG_OPERATOR_CHART, "values.yaml"))).to.deep.equal([]);
        });

        it("an image reference without a tag is refused by operatorImageValue (the schema refuses it first)", () => {
            expect(() => operatorImageValue("registry.example.com:5000/cloudnative-pg")).to.throw(/repository:tag/);
            expect(operatorImageValue("localhost/platform-e2e/cnpg-manager:1.30.0-abc")).to.deep.equal({
                repository: "localhost/platform-e2e/cnpg-manager",
                tag: "1.30.0-abc",
            });
        });
    });

    describe("chart coordinates", () => {
        it("repository, OCI and local path forms", () => {
            expect(chartLocation({ chart: "cluster", repo: "https://cloudnative-pg.github.io/charts", version: "0.8.1" })).to.deep.equal({
                chart: "cluster",
                version: "0.8.1",
                repositoryOpts: { repo: "https://cloudnative-pg.github.io/charts" },
            });
            expect(chartLocation({ chart: "cluster", repo: "oci://mirror.example.com/charts/", version: "0.8.1" })).to.deep.equal({
                chart: "oci://mirror.example.com/charts/cluster",
                version: "0.8.1",
            });
            expect(chartLocation({ chart: "cluster", path: "/srv/charts/cluster-0.8.1", version: "0.8.1" })).to.deep.equal({
                chart: "/srv/charts/cluster-0.8.1",
            });
        });

        it("defaults are pinned to exact versions", () => {
            for (const c of [CNPG_OPERATOR_CHART, CNPG_CLUSTER_CHART]) expect(c.version).to.match(/^\d+\.\d+\.\d+$/);
            expect(CNPG_CLUSTER_CHART.chart).to.equal("cluster");
            expect(CNPG_OPERATOR_CHART.chart).to.equal("cloudnative-pg");
        });
    });

    describe("the real charts (from the chart mirror)", () => {
        it("declare every value key the component passes (cluster with backups, operator)", () => {
            const cluster = mirroredChartFile(CNPG_CLUSTER_CHART, "values.yaml");
            expect(
                undeclaredValuePaths(clusterValues(pgConfig({ instances: 3, storage: { size: "5Gi", storageClass: "fast" }, backups: BACKUPS })), cluster),
            ).to.deep.equal([]);
            expect(undeclaredValuePaths(cnpgOperatorValues({ labels: LABELS_IN }), mirroredChartFile(CNPG_OPERATOR_CHART, "values.yaml"))).to.deep.equal([]);
            // The check itself notices an unknown key.
            expect(undeclaredValuePaths({ cluster: { instancez: 1 } }, cluster)).to.deep.equal(["cluster.instancez"]);
        });

        it("are the pinned charts", () => {
            for (const c of [CNPG_CLUSTER_CHART, CNPG_OPERATOR_CHART]) {
                expect(mirroredChartFile(c, "Chart.yaml")).to.deep.include({ name: c.chart, version: c.version });
            }
        });
    });

    describe("network policy", () => {
        const spec = (clients: Record<string, string>[] = [{ "app.kubernetes.io/name": "api" }], backup?: { cidrs: string[]; port: number }) =>
            postgresNetworkPolicySpec({
                clusterName: "postgres",
                operatorNamespace: "cnpg-system",
                clientSelectors: clients,
                apiServer: API_SERVER,
                backup,
            }) as Obj;

        it("admits clients on 5432, the operator namespace on 8000/5432 and the instances among themselves", () => {
            const s = spec([{ "app.kubernetes.io/name": "api" }, { "app.kubernetes.io/name": "catalog" }]);
            expect(s.podSelector).to.deep.equal({ matchLabels: { "cnpg.io/cluster": "postgres" } });
            expect(s.policyTypes).to.deep.equal(["Ingress", "Egress"]);
            expect(s.ingress[0]).to.deep.equal({
                from: [
                    { podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } } },
                    { podSelector: { matchLabels: { "app.kubernetes.io/name": "catalog" } } },
                ],
                ports: [{ protocol: "TCP", port: 5432 }],
            });
            expect(s.ingress[1]).to.deep.equal({
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "cnpg-system" } } }],
                ports: [
                    { protocol: "TCP", port: 5432 },
                    { protocol: "TCP", port: 8000 },
                ],
            });
            expect(s.ingress[2].from).to.deep.equal([{ podSelector: { matchLabels: { "cnpg.io/cluster": "postgres" } } }]);
        });

        it("egress: to the other instances, to the API server's configured ranges, and to the backup store only when backups are on", () => {
            const s = spec();
            expect(s.egress).to.have.length(2);
            expect(s.egress[0].to).to.deep.equal([{ podSelector: { matchLabels: { "cnpg.io/cluster": "postgres" } } }]);
            expect(s.egress[1]).to.deep.equal({
                to: [{ ipBlock: { cidr: "10.0.0.0/8" } }, { ipBlock: { cidr: "172.16.0.0/12" } }],
                ports: [
                    { protocol: "TCP", port: 443 },
                    { protocol: "TCP", port: 6443 },
                ],
            });
            expect(JSON.stringify(s.egress)).to.not.include("0.0.0.0/0");
            expect(spec(undefined, { cidrs: ["10.20.0.0/16"], port: 9000 }).egress[2]).to.deep.equal({
                to: [{ ipBlock: { cidr: "10.20.0.0/16" } }],
                ports: [{ protocol: "TCP", port: 9000 }],
            });
        });

        it("the component takes the backup store's CIDRs from config and its port from the endpoint URL", async () => {
            const { recorder } = await build({ backups: BACKUPS });
            const np = inputs(recorder.get(NP, "pg-netpol"));
            expect(np.spec.egress[2]).to.deep.equal({ to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ protocol: "TCP", port: 9000 }] });
        });

        it("never emits a rule with an empty peer list (that would admit everyone)", () => {
            const s = spec([]);
            expect(s.ingress).to.have.length(2);
            for (const r of [...s.ingress, ...s.egress]) expect(r.from ?? r.to).to.have.length.greaterThan(0);
        });

        it("backup endpoint port: the URL's, else its scheme's, else HTTPS", () => {
            expect(backupEgressPort("https://minio.example.com:9000")).to.equal(9000);
            expect(backupEgressPort("https://s3.eu-west-1.amazonaws.com")).to.equal(443);
            expect(backupEgressPort("http://minio")).to.equal(80);
            expect(backupEgressPort(undefined)).to.equal(443);
        });
    });

    describe("component under mocks", () => {
        it("installs the operator in its own restricted namespace and the cluster chart in the platform namespace", async () => {
            const { recorder, deps, component } = await build({ instances: 3, storage: { size: "10Gi" } });
            expectAllDescendFrom(recorder, TYPE, "pg");

            const ns = inputs(recorder.get(NS, "pg-operator-ns"));
            expect(ns.metadata.name).to.equal("cnpg-system");
            expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
            for (const k of REQUIRED_LABELS) expect(ns.metadata.labels, k).to.have.property(k);

            const op = inputs(recorder.get(CHART, "pg-operator"));
            expect(op).to.deep.include({ chart: "cloudnative-pg", version: CNPG_OPERATOR_CHART.version, namespace: "cnpg-system" });
            expect(op.repositoryOpts).to.deep.equal({ repo: "https://cloudnative-pg.github.io/charts" });

            const cl = inputs(recorder.get(CHART, "pg-cluster"));
            expect(cl).to.deep.include({ chart: "cluster", version: CNPG_CLUSTER_CHART.version, namespace: "shop-staging", name: "postgres-staging" });
            expect(cl.repositoryOpts).to.deep.equal({ repo: "https://cloudnative-pg.github.io/charts" });
            expect(cl.values.cluster.instances).to.equal(3);
            expect(cl.values.cluster.storage.size).to.equal("10Gi");
            expect(cl.values.cluster.roles.map((r: Obj) => r.passwordSecret.name)).to.deep.equal([
                "api-postgres-owner",
                "api-postgres-runtime",
                "catalog-postgres-owner",
            ]);
            expect(literalSecretPaths(cl.values)).to.deep.equal([]);
            expect(literalSecretPaths(op.values)).to.deep.equal([]);

            expect(deps.dependsOn.get(`${CHART}::pg-cluster`)).to.deep.equal([`${CHART}::pg-operator`]);
            expect(component.host).to.equal("postgres-rw");
            expect(component.port).to.equal(5432);
        });

        it("installOperator: false registers no operator chart and no namespace", async () => {
            const { recorder, deps } = await build({ installOperator: false });
            expect(recorder.ofType(NS)).to.have.length(0);
            expect(recorder.ofType(CHART).map((r) => r.name)).to.deep.equal(["pg-cluster"]);
            expect(deps.dependsOn.get(`${CHART}::pg-cluster`)).to.deep.equal([]);
        });

        it("a local chart path becomes chart: <path> with no repository", async () => {
            const { recorder } = await build({
                clusterChart: { path: "/srv/charts/cluster-0.8.1" },
                operatorChart: { path: "/srv/charts/cloudnative-pg-0.29.0" },
            });
            const cl = inputs(recorder.get(CHART, "pg-cluster"));
            expect(cl.chart).to.equal("/srv/charts/cluster-0.8.1");
            expect(cl.repositoryOpts).to.equal(undefined);
            expect(cl.version).to.equal(undefined);
            expect(inputs(recorder.get(CHART, "pg-operator")).chart).to.equal("/srv/charts/cloudnative-pg-0.29.0");
        });

        it("owns a labelled NetworkPolicy for the instance pods", async () => {
            const { recorder } = await build();
            const np = inputs(recorder.get(NP, "pg-netpol"));
            expect(np.metadata.namespace).to.equal("shop-staging");
            for (const k of REQUIRED_LABELS) expect(np.metadata.labels, k).to.have.property(k);
            expect(np.spec.podSelector.matchLabels).to.deep.equal({ "cnpg.io/cluster": "postgres" });
            expect(np.spec.ingress[0].from).to.deep.equal([{ podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } } }]);
        });

        it("hands each client its own database by value and its logins by Secret reference: owner for the migration, runtime role otherwise", async () => {
            const { component } = await build({ database: "orders" });
            const ref = (key: string) => ({ secretName: "api-credentials", key });
            const runtime = { username: "api_runtime", usernameRef: ref("postgres-runtime-username"), passwordRef: ref("postgres-runtime-password") };
            const owner = { username: "api", usernameRef: ref("postgres-owner-username"), passwordRef: ref("postgres-owner-password") };
            const conn = component.clientConnection("api", { runtime, migration: owner });
            expect(await resolve(conn.env.POSTGRES_HOST)).to.equal("postgres-rw");
            expect(conn.env.POSTGRES_PORT).to.equal("5432");
            expect(conn.env.POSTGRES_DB, "its own database, not the bootstrap one").to.equal("api");
            expect(conn.env.POSTGRES_RUNTIME_USER, "the migration grants to it").to.equal("api_runtime");
            expect(conn.secretEnv).to.deep.equal({ POSTGRES_USER: runtime.usernameRef, POSTGRES_PASSWORD: runtime.passwordRef });
            expect(conn.migrationSecretEnv).to.deep.equal({ POSTGRES_USER: owner.usernameRef, POSTGRES_PASSWORD: owner.passwordRef });
            const single = component.clientConnection("catalog", { runtime: owner, migration: owner });
            expect(single.env).to.not.have.property("POSTGRES_RUNTIME_USER");
            const { component: schema } = await build({ isolation: "schema", database: "shop" });
            const s = schema.clientConnection("api", { runtime, migration: owner });
            expect(s.env).to.deep.include({ POSTGRES_DB: "shop", POSTGRES_SCHEMA: "api" });
            expect(conn.peer).to.deep.equal({ podLabels: cnpgInstanceLabels("postgres"), ports: [5432] });
            expect(conn.peer.podLabels).to.deep.equal({ "cnpg.io/cluster": "postgres", "cnpg.io/podRole": "instance" });
        });
    });
});
