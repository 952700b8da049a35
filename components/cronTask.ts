// A service's periodic cleanup as a CronJob, with the retention setting passed as RETENTION_DAYS.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedService } from "./config";
import { NetworkPeer, PlatformContext, SecretRef } from "./context";
import { selectorLabels, standardAnnotations, standardLabels, versionFromImage } from "./labels";
import { batchNetworkPolicySpec, batchPodSpec } from "./podTemplate";

/** Env var that carries `cleanup.retentionDays` into the cleanup container. */
export const RETENTION_ENV = "RETENTION_DAYS";

/** Arguments of {@link CronTask}. */
export interface CronTaskArgs {
    /** Namespace, labels and ownership. */
    context: PlatformContext;
    /** The resolved service; its `cleanup` block (schedule, command, retentionDays, history limits) must be set. */
    service: ResolvedService;
    /** ConfigMap with the service's non-secret env. */
    configMapName: pulumi.Input<string>;
    /** The service's ServiceAccount. */
    serviceAccountName: pulumi.Input<string>;
    /** Secret env by reference, env name → SecretRef. */
    secretEnv: Record<string, SecretRef>;
    /** Data stores the cleanup talks to: the only egress its pods get besides DNS. */
    stores: NetworkPeer[];
    /** IANA time zone of the schedule (CronJob `timeZone`); the controller's zone when omitted. */
    timeZone?: string;
    /** Retries of one run (Job backoffLimit); default 2. */
    backoffLimit?: number;
    /** Deadline of one run in seconds; default 3600. */
    activeDeadlineSeconds?: number;
    /** Seconds after a missed schedule during which a run may still start; default 300. */
    startingDeadlineSeconds?: number;
}

/** Workload name of a service's cleanup pods (distinct from the service, so its Service never selects them). */
export function cleanupWorkloadName(serviceName: string): string {
    return `${serviceName}-cleanup`;
}

/** Standard labels of a service's cleanup pods and objects (own workload name, the service's image version). */
export function cleanupLabels(ctx: PlatformContext, svc: ResolvedService): Record<string, string> {
    return standardLabels(ctx.labels, { name: cleanupWorkloadName(svc.name), component: "cleanup", version: versionFromImage(svc.image) });
}

/** The CronJob spec of a service's cleanup: never overlapping runs, bounded history. */
export function cronJobSpec(args: Omit<CronTaskArgs, "stores">): k8s.types.input.batch.v1.CronJobSpec {
    const svc = args.service;
    const c = svc.cleanup;
    if (!c) throw new Error(`service ${svc.name} has no cleanup configured`);
    return {
        schedule: c.schedule,
        ...(args.timeZone ? { timeZone: args.timeZone } : {}),
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: args.startingDeadlineSeconds ?? 300,
        successfulJobsHistoryLimit: c.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: c.failedJobsHistoryLimit,
        jobTemplate: {
            metadata: { labels: cleanupLabels(args.context, svc) },
            spec: {
                backoffLimit: args.backoffLimit ?? 2,
                activeDeadlineSeconds: args.activeDeadlineSeconds ?? 3600,
                template: {
                    metadata: {
                        labels: cleanupLabels(args.context, svc),
                        annotations: standardAnnotations(args.context.ownership, `Cleanup of ${svc.name} (retention ${c.retentionDays} days)`),
                    },
                    spec: batchPodSpec({
                        containerName: "cleanup",
                        image: svc.image,
                        imagePullPolicy: svc.imagePullPolicy,
                        command: c.command,
                        args: c.args,
                        configMapName: args.configMapName,
                        env: { [RETENTION_ENV]: String(c.retentionDays) },
                        secretEnv: args.secretEnv,
                        resources: svc.resources,
                        podSecurity: svc.podSecurity,
                        tmpSizeLimit: svc.tmpSizeLimit,
                        serviceAccountName: args.serviceAccountName,
                    }),
                },
            },
        },
    };
}

/** One cleanup CronJob plus the NetworkPolicy that lets its pods reach the data stores. */
export class CronTask extends pulumi.ComponentResource {
    public readonly cronJob: k8s.batch.v1.CronJob;
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;

    constructor(name: string, args: CronTaskArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:CronTask", name, {}, opts);
        const svc = args.service;
        const workload = cleanupWorkloadName(svc.name);
        const spec = cronJobSpec(args);
        const labels = cleanupLabels(args.context, svc);
        const annotations = standardAnnotations(args.context.ownership, `Cleanup of ${svc.name}`);

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, {
            metadata: { name: workload, namespace: args.context.namespace, labels, annotations },
            spec: batchNetworkPolicySpec(selectorLabels(args.context.labels, workload), args.stores),
        }, { parent: this });
        this.cronJob = new k8s.batch.v1.CronJob(name, {
            metadata: { name: workload, namespace: args.context.namespace, labels, annotations },
            spec,
        }, { parent: this });

        this.registerOutputs({ cronJobName: this.cronJob.metadata.name });
    }
}
