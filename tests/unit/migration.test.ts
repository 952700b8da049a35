import { expect } from "chai";
import { DEFAULTS } from "../../components/config";
import { selectorLabels } from "../../components/k8s/labels";
import { cronJobSpec } from "../../components/service/cleanupCronJob";
import { Migration, MigrationArgs, migrationJobSpec } from "../../components/service/migration";
import {
    batchWorkloadArgs,
    expectAllDescendFrom,
    expectRequiredLabels,
    inputs,
    labelContext,
    POSTGRES_CONNECTION,
    resolved,
    SERVICE_SECRET_REFS,
    underMocks,
} from "./componentFixtures";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const JOB = "kubernetes:batch/v1:Job";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

function args(over: Partial<MigrationArgs> = {}): MigrationArgs {
    return { ...batchWorkloadArgs({ ...SERVICE_SECRET_REFS, ...POSTGRES_CONNECTION.secretEnv }), ...over };
}

describe("Migration", () => {
    const spec = migrationJobSpec(args()) as Obj;
    const pod = spec.template.spec;
    const c = pod.containers[0];

    it("Job spec takes backoffLimit and activeDeadlineSeconds from config and cleans up after itself", () => {
        expect(spec.backoffLimit).to.equal(2);
        expect(spec.activeDeadlineSeconds).to.equal(300);
        expect(spec.ttlSecondsAfterFinished, "built-in default: a week").to.equal(DEFAULTS.migration.ttlSecondsAfterFinished);
        const svc = resolved("api");
        const kept = { ...svc, migration: { ...svc.migration!, ttlSecondsAfterFinished: 600 } };
        expect((migrationJobSpec(args({ service: kept })) as Obj).ttlSecondsAfterFinished, "from platform:services[].migration").to.equal(600);
    });

    it("runs the migration command with the service's image, env and secrets, never restarting in place", () => {
        expect(pod.restartPolicy).to.equal("Never");
        expect(c.image).to.equal("ghcr.io/acme/shop-api:1.4.2");
        expect(c.command).to.deep.equal(["/app/migrate", "up"]);
        expect(c.envFrom).to.deep.equal([{ configMapRef: { name: "api-config" } }]);
        expect(c.env.map((e: Obj) => e.name)).to.deep.equal(["DATABASE_PASSWORD", "SESSION_SECRET", "STRIPE_API_KEY"]);
        for (const e of c.env) expect(e.valueFrom.secretKeyRef).to.have.keys(["name", "key"]);
    });

    it("has the same restricted pod security as the service", () => {
        expect(pod.securityContext).to.deep.equal({
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            fsGroup: 10001,
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(c.securityContext).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
        expect(c.securityContext.capabilities).to.deep.equal({ drop: ["ALL"] });
        expect(pod.automountServiceAccountToken).to.equal(false);
        expect(c.resources.requests).to.deep.equal({ cpu: "250m", memory: "256Mi", "ephemeral-storage": "64Mi" });
        expect(c.resources.limits).to.deep.equal({ cpu: "1", memory: "1Gi", "ephemeral-storage": "256Mi" });
        expect(c.volumeMounts).to.deep.equal([{ name: "tmp", mountPath: "/tmp" }]);
    });

    it("labels its pods as a separate workload so the Service never selects them", () => {
        const l = spec.template.metadata.labels;
        expect(l["app.kubernetes.io/name"]).to.equal("api-migrate");
        expect(l["app.kubernetes.io/component"]).to.equal("migration");
        expect(l).not.to.deep.include(selectorLabels(labelContext(), "api"));
    });

    it("uses the migration image when it differs from the service image", () => {
        const raw = resolved("api");
        const svc = { ...raw, migration: { ...raw.migration!, image: "ghcr.io/acme/shop-migrations:1.4.2" } };
        expect((migrationJobSpec(args({ service: svc })) as Obj).template.spec.containers[0].image).to.equal("ghcr.io/acme/shop-migrations:1.4.2");
    });

    it("gets the service's composed env after the secrets it references (the same builder as the cleanup CronJob)", () => {
        const raw = resolved("api");
        const svc = { ...raw, env: { ...raw.env, DATABASE_URL: "postgres://app:$(DATABASE_PASSWORD)@db/app" } };
        const migrate = (migrationJobSpec(args({ service: svc })) as Obj).template.spec.containers[0];
        const names = migrate.env.map((e: Obj) => e.name);
        expect(names.indexOf("DATABASE_URL")).to.be.greaterThan(names.indexOf("DATABASE_PASSWORD"));
        expect(migrate.env.find((e: Obj) => e.name === "DATABASE_URL").value).to.equal("postgres://app:$(DATABASE_PASSWORD)@db/app");
        const cleanup = (cronJobSpec({ ...args({ service: svc }) }) as Obj).jobTemplate.spec.template.spec;
        expect(cleanup.containers[0].env.map((e: Obj) => e.name)).to.include("DATABASE_URL");
        // One builder: the two runs' pods differ only in what the run itself sets.
        const strip = (p: Obj) => ({ ...p, containers: p.containers.map((c: Obj) => ({ ...c, name: "", command: [], args: undefined, env: undefined })) });
        expect(strip(cleanup)).to.deep.equal(strip((migrationJobSpec(args({ service: svc })) as Obj).template.spec));
    });

    it("refuses a service without a migration", () => {
        expect(() => migrationJobSpec(args({ service: resolved("web") }))).to.throw(/web has no migration/);
    });

    it("component: Job and its NetworkPolicy (egress to the stores only), parented, labelled, Job after policy and stores", async () => {
        const { recorder, deps } = await underMocks((opts) => new Migration("api-migrate", args(), opts));
        const children = expectAllDescendFrom(recorder, "platform:index:Migration", "api-migrate");
        expectRequiredLabels(children);
        const job = inputs(recorder.get(JOB, "api-migrate"));
        expect(job.metadata).not.to.have.property("name"); // auto-named: a new template replaces the Job create-before-delete
        expect(job.metadata.annotations["pulumi.com/replaceUnready"]).to.equal("true");
        const np = inputs(recorder.get(NP, "api-migrate-netpol"));
        expect(np.spec).to.deep.equal({
            podSelector: { matchLabels: selectorLabels(labelContext(), "api-migrate") },
            policyTypes: ["Ingress", "Egress"],
            egress: [{ to: [{ podSelector: { matchLabels: { "cnpg.io/cluster": "shop-pg" } } }], ports: [{ protocol: "TCP", port: 5432 }] }],
        });
        // The policy selects exactly the Job's pods.
        const podLabels = job.spec.template.metadata.labels;
        for (const [k, v] of Object.entries(np.spec.podSelector.matchLabels)) expect(podLabels[k]).to.equal(v);
        expect(deps.dependsOn.get(`${JOB}::api-migrate`)).to.include(`${NP}::api-migrate-netpol`);
    });
});
