import { expect } from "chai";
import { CleanupCronJob, CleanupCronJobArgs, cronJobSpec, RETENTION_ENV } from "../../components/service/cleanupCronJob";
import { selectorLabels } from "../../components/k8s/labels";
import {
    batchWorkloadArgs,
    expectAllDescendFrom,
    expectRequiredLabels,
    inputs,
    labelContext,
    POSTGRES_CONNECTION,
    resolved,
    underMocks,
} from "./componentFixtures";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const CRON = "kubernetes:batch/v1:CronJob";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

function args(over: Partial<CleanupCronJobArgs> = {}): CleanupCronJobArgs {
    return { ...batchWorkloadArgs(POSTGRES_CONNECTION.secretEnv), ...over };
}

describe("CleanupCronJob", () => {
    const spec = cronJobSpec(args()) as Obj;
    const pod = spec.jobTemplate.spec.template.spec;
    const c = pod.containers[0];

    it("schedules from config, never overlaps, keeps the configured history", () => {
        expect(spec.schedule).to.equal("30 3 * * *");
        expect(spec.concurrencyPolicy).to.equal("Forbid");
        expect(spec.successfulJobsHistoryLimit).to.equal(1);
        expect(spec.failedJobsHistoryLimit).to.equal(2);
        expect(spec).not.to.have.property("timeZone");
        expect((cronJobSpec(args({ timeZone: "Europe/Berlin" })) as Obj).timeZone).to.equal("Europe/Berlin");
    });

    it("passes the retention as RETENTION_DAYS and secrets by reference", () => {
        expect(c.command).to.deep.equal(["/app/cleanup"]);
        expect(c.env).to.deep.equal([
            { name: "DATABASE_PASSWORD", valueFrom: { secretKeyRef: { name: "postgres-credentials", key: "password" } } },
            { name: RETENTION_ENV, value: "14" },
        ]);
        expect(c.envFrom).to.deep.equal([{ configMapRef: { name: "api-config" } }]);
    });

    it("passes one period per kind of data as RETENTION_<KIND>_DAYS, beside RETENTION_DAYS for the rest", () => {
        const svc = resolved("api");
        const several = { ...svc, cleanup: { ...svc.cleanup!, retentionDays: undefined, retention: { events: 90, logs: 30, sessions: 7 } } };
        const env = (s: typeof svc) =>
            ((cronJobSpec(args({ service: s })) as Obj).jobTemplate.spec.template.spec.containers[0].env as Obj[]).filter((e) => e.value !== undefined);
        expect(env(several)).to.deep.equal([
            { name: "RETENTION_EVENTS_DAYS", value: "90" },
            { name: "RETENTION_LOGS_DAYS", value: "30" },
            { name: "RETENTION_SESSIONS_DAYS", value: "7" },
        ]);
        const both = { ...svc, cleanup: { ...svc.cleanup!, retentionDays: 14, retention: { audit_logs: 365 } } };
        expect(env(both)).to.deep.equal([
            { name: "RETENTION_AUDIT_LOGS_DAYS", value: "365" },
            { name: RETENTION_ENV, value: "14" },
        ]);
    });

    it("runs restricted with requests and limits", () => {
        expect(pod.securityContext.seccompProfile).to.deep.equal({ type: "RuntimeDefault" });
        expect(pod.securityContext.runAsNonRoot).to.equal(true);
        expect(c.securityContext).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
        expect(c.securityContext.capabilities).to.deep.equal({ drop: ["ALL"] });
        expect(pod.automountServiceAccountToken).to.equal(false);
        expect(pod.restartPolicy).to.equal("Never");
        expect(c.resources).to.have.keys(["requests", "limits"]);
    });

    it("uses the runs' shared Job builder: retries and deadline fixed, no TTL (the CronJob's history limits keep Jobs)", () => {
        expect(spec.jobTemplate.spec).to.deep.include({ backoffLimit: 2, activeDeadlineSeconds: 3600 });
        expect(spec.jobTemplate.spec).to.not.have.property("ttlSecondsAfterFinished");
        expect(spec.startingDeadlineSeconds).to.equal(300);
    });

    it("refuses a service without a cleanup", () => {
        expect(() => cronJobSpec(args({ service: resolved("web") }))).to.throw(/web has no cleanup/);
    });

    it("component: CronJob and NetworkPolicy selecting its pods, parented and labelled (job template too)", async () => {
        const { recorder } = await underMocks((opts) => new CleanupCronJob("api-cleanup", args(), opts));
        const children = expectAllDescendFrom(recorder, "platform:index:CleanupCronJob", "api-cleanup");
        expectRequiredLabels(children);
        const cron = inputs(recorder.get(CRON, "api-cleanup"));
        expect(cron.metadata.name).to.equal("api-cleanup");
        expect(cron.spec.jobTemplate.metadata.labels["app.kubernetes.io/name"]).to.equal("api-cleanup");
        const np = inputs(recorder.get(NP, "api-cleanup-netpol"));
        expect(np.spec.podSelector).to.deep.equal({ matchLabels: selectorLabels(labelContext(), "api-cleanup") });
        expect(np.spec.policyTypes).to.deep.equal(["Ingress", "Egress"]);
        expect(np.spec.egress).to.have.length(1);
        const podLabels = cron.spec.jobTemplate.spec.template.metadata.labels;
        for (const [k, v] of Object.entries(np.spec.podSelector.matchLabels)) expect(podLabels[k]).to.equal(v);
    });
});
