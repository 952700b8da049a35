// A service's periodic cleanup as a CronJob, with its retention periods passed as env (RETENTION_DAYS, RETENTION_<KIND>_DAYS).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS, ResolvedService } from "../config";
import { standardAnnotations } from "../k8s";
import { BatchRun, BatchWorkloadArgs, batchJobSpec, batchLabels, batchNetworkPolicy, batchWorkloadName } from "./batchWorkload";

/** Env var that carries `cleanup.retentionDays` into the cleanup container. */
export const RETENTION_ENV = "RETENTION_DAYS";

/** Env var of one kind's period from `cleanup.retention` (events → RETENTION_EVENTS_DAYS). */
export function retentionEnvName(kind: string): string {
    return `RETENTION_${kind.toUpperCase()}_DAYS`;
}

/** The retention env of a cleanup: RETENTION_DAYS when set, then one variable per kind in declaration order. */
export function retentionEnv(c: { retentionDays?: number; retention?: Record<string, number> }): Record<string, string> {
    return {
        ...(c.retentionDays !== undefined ? { [RETENTION_ENV]: String(c.retentionDays) } : {}),
        ...Object.fromEntries(Object.entries(c.retention ?? {}).map(([kind, days]) => [retentionEnvName(kind), String(days)])),
    };
}

/** "events 90 d, logs 30 d" (or "30 days"): the periods in words, for descriptions. */
function retentionSummary(c: { retentionDays?: number; retention?: Record<string, number> }): string {
    const kinds = Object.entries(c.retention ?? {}).map(([kind, days]) => `${kind} ${days} d`);
    const all = c.retentionDays !== undefined ? [kinds.length > 0 ? `others ${c.retentionDays} d` : `${c.retentionDays} days`] : [];
    return [...kinds, ...all].join(", ");
}

/** Arguments of {@link CleanupCronJob}: the service's batch-workload inputs plus the schedule's time zone. */
export interface CleanupCronJobArgs extends BatchWorkloadArgs {
    /** IANA time zone of the schedule (CronJob `timeZone`); the controller's zone when omitted. */
    timeZone?: string;
}

/** The cleanup as a batch run; throws for a service without a `cleanup` block. */
export function cleanupRun(svc: ResolvedService): BatchRun {
    const c = svc.cleanup;
    if (!c) throw new Error(`service ${svc.name} has no cleanup configured`);
    return {
        suffix: "cleanup",
        component: "cleanup",
        containerName: "cleanup",
        image: svc.image,
        command: c.command,
        args: c.args,
        env: retentionEnv(c),
        description: `Cleanup of ${svc.name} (retention ${retentionSummary(c)})`,
    };
}

/** The CronJob spec of a service's cleanup: never overlapping runs, bounded history, the shared batch Job inside. */
export function cronJobSpec(args: Omit<CleanupCronJobArgs, "stores">): k8s.types.input.batch.v1.CronJobSpec {
    const run = cleanupRun(args.service);
    const c = args.service.cleanup!;
    const d = DEFAULTS.cleanup;
    return {
        schedule: c.schedule,
        ...(args.timeZone ? { timeZone: args.timeZone } : {}),
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: d.startingDeadlineSeconds,
        successfulJobsHistoryLimit: c.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: c.failedJobsHistoryLimit,
        jobTemplate: {
            metadata: { labels: batchLabels(args.context, args.service, run) },
            spec: batchJobSpec(args, run, { backoffLimit: d.backoffLimit, activeDeadlineSeconds: d.activeDeadlineSeconds }),
        },
    };
}

/** One cleanup CronJob plus the NetworkPolicy that lets its pods reach the data stores. */
export class CleanupCronJob extends pulumi.ComponentResource {
    public readonly cronJob: k8s.batch.v1.CronJob;
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;

    constructor(name: string, args: CleanupCronJobArgs, opts?: pulumi.ComponentResourceOptions) {
        // The alias keeps stacks deployed before the rename from replacing the CronJob and its policy.
        super("platform:index:CleanupCronJob", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "platform:index:CronTask" }] });
        const svc = args.service;
        const run = cleanupRun(svc);
        const spec = cronJobSpec(args);

        this.networkPolicy = batchNetworkPolicy(name, args, run, this);
        this.cronJob = new k8s.batch.v1.CronJob(
            name,
            {
                metadata: {
                    name: batchWorkloadName(svc.name, run.suffix),
                    namespace: args.context.namespace,
                    labels: batchLabels(args.context, svc, run),
                    annotations: standardAnnotations(args.context.ownership, `Cleanup of ${svc.name}`),
                },
                spec,
            },
            { parent: this },
        );

        this.registerOutputs({ cronJobName: this.cronJob.metadata.name });
    }
}
