// The one builder of a service's run-to-completion workloads (migration Job, cleanup CronJob): own workload name
// and labels, the service's env, secrets and restricted profile, a Job spec, and a NetworkPolicy that only lets the
// pods reach the service's data stores.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedService } from "../config";
import { NetworkPeer, PlatformContext, selectorLabels, ServiceWorkloadInputs, standardAnnotations, standardLabels, versionFromImage } from "../k8s";
import { batchNetworkPolicySpec, batchPodSpec, composedEnv } from "./podTemplate";

/** What the service hands to each of its batch workloads. */
export interface BatchWorkloadArgs extends ServiceWorkloadInputs {
    /** Data stores the pods talk to: the only egress they get besides DNS. */
    stores: NetworkPeer[];
}

/** One kind of batch run: what differs between a migration and a cleanup. */
export interface BatchRun {
    /** Suffix of the workload name and the component label: `<service>-migrate` / "migration". */
    suffix: "migrate" | "cleanup";
    component: "migration" | "cleanup";
    containerName: string;
    image: string;
    command: string[];
    args?: string[];
    /** Extra env literals (e.g. RETENTION_DAYS). */
    env?: Record<string, string>;
    /** Pod annotation `description`. */
    description: string;
}

/** Retries and deadline of one run. */
export interface BatchJobLimits {
    backoffLimit: number;
    activeDeadlineSeconds: number;
    /** Seconds a finished Job is kept; omitted when the owner (a CronJob's history) decides. */
    ttlSecondsAfterFinished?: number;
}

/** Workload name of a batch run (distinct from the service, so its Service never selects the pods). */
export function batchWorkloadName(serviceName: string, suffix: BatchRun["suffix"]): string {
    return `${serviceName}-${suffix}`;
}

/** Standard labels of a batch run's pods and objects: own workload name, version of the image it runs. */
export function batchLabels(
    ctx: PlatformContext,
    svc: Pick<ResolvedService, "name">,
    run: Pick<BatchRun, "suffix" | "component" | "image">,
): Record<string, string> {
    return standardLabels(ctx.labels, { name: batchWorkloadName(svc.name, run.suffix), component: run.component, version: versionFromImage(run.image) });
}

/** The Job spec of one run: the service's env (with values composed from its secrets), restricted pod, no probes. */
export function batchJobSpec(args: Omit<BatchWorkloadArgs, "stores">, run: BatchRun, limits: BatchJobLimits): k8s.types.input.batch.v1.JobSpec {
    const svc = args.service;
    return {
        backoffLimit: limits.backoffLimit,
        activeDeadlineSeconds: limits.activeDeadlineSeconds,
        ...(limits.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: limits.ttlSecondsAfterFinished } : {}),
        template: {
            metadata: { labels: batchLabels(args.context, svc, run), annotations: standardAnnotations(args.context.ownership, run.description) },
            spec: batchPodSpec({
                containerName: run.containerName,
                image: run.image,
                imagePullPolicy: svc.imagePullPolicy,
                command: run.command,
                args: run.args,
                configMapName: args.configMapName,
                env: { ...composedEnv(svc), ...run.env },
                secretEnv: args.secretEnv,
                resources: svc.resources,
                podSecurity: svc.podSecurity,
                tmpSizeLimit: svc.tmpSizeLimit,
                tmpMedium: svc.tmpMedium,
                serviceAccountName: args.serviceAccountName,
                placement: { nodeSelector: svc.nodeSelector, tolerations: svc.tolerations },
            }),
        },
    };
}

/** The NetworkPolicy of a batch run's pods: no ingress, egress to the stores only. Created first, so pods start reachable. */
export function batchNetworkPolicy(name: string, args: BatchWorkloadArgs, run: BatchRun, parent: pulumi.Resource): k8s.networking.v1.NetworkPolicy {
    const workload = batchWorkloadName(args.service.name, run.suffix);
    return new k8s.networking.v1.NetworkPolicy(
        `${name}-netpol`,
        {
            metadata: {
                name: workload,
                namespace: args.context.namespace,
                labels: batchLabels(args.context, args.service, run),
                annotations: standardAnnotations(args.context.ownership, run.description),
            },
            spec: batchNetworkPolicySpec(selectorLabels(args.context.labels, workload), args.stores),
        },
        { parent },
    );
}
