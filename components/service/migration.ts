// A service's schema migration as a Job. The Kubernetes provider waits for a Job to complete, so a Deployment that
// dependsOn this component's `job` rolls out only after the migration succeeded.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedService } from "../config";
import { standardAnnotations } from "../k8s";
import { BatchRun, BatchWorkloadArgs, batchJobSpec, batchLabels, batchNetworkPolicy } from "./batchWorkload";

/** Arguments of {@link Migration}: the service's batch-workload inputs plus the Job's gate. */
export interface MigrationArgs extends BatchWorkloadArgs {
    /**
     * Resources the Job must wait for (the data stores' workloads). A plain array, not an Output: the SDK scans an
     * Output's value for unknowns, and through Resources that scan reaches the whole resource graph (quadratic in services).
     */
    dependsOn?: pulumi.Resource[];
}

/** The migration as a batch run; throws for a service without a `migration` block. */
export function migrationRun(svc: ResolvedService): BatchRun {
    const m = svc.migration;
    if (!m) throw new Error(`service ${svc.name} has no migration configured`);
    return {
        suffix: "migrate",
        component: "migration",
        containerName: "migrate",
        image: m.image ?? svc.image,
        command: m.command,
        args: m.args,
        description: `Schema migration of ${svc.name}`,
    };
}

/** The Job spec of a service's migration: backoffLimit and deadline from config, kept for a while after it ends. */
export function migrationJobSpec(args: Omit<MigrationArgs, "stores" | "dependsOn">): k8s.types.input.batch.v1.JobSpec {
    const run = migrationRun(args.service);
    const m = args.service.migration!;
    return batchJobSpec(args, run, {
        backoffLimit: m.backoffLimit,
        activeDeadlineSeconds: m.activeDeadlineSeconds,
        ttlSecondsAfterFinished: m.ttlSecondsAfterFinished,
    });
}

/** One migration Job plus the NetworkPolicy that lets its pods reach the data stores. */
export class Migration extends pulumi.ComponentResource {
    /** The Job; make the Deployment depend on it. */
    public readonly job: k8s.batch.v1.Job;
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;

    constructor(name: string, args: MigrationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Migration", name, {}, opts);
        const svc = args.service;
        const run = migrationRun(svc);
        const spec = migrationJobSpec(args);
        const m = svc.migration!;

        // Policy first, so the pods can reach the stores as soon as they start.
        this.networkPolicy = batchNetworkPolicy(name, args, run, this);

        // Auto-named: a changed template (new image) replaces the Job create-before-delete, so the migration runs again.
        const timeout = `${m.activeDeadlineSeconds + 120}s`;
        this.job = new k8s.batch.v1.Job(
            name,
            {
                metadata: {
                    namespace: args.context.namespace,
                    labels: batchLabels(args.context, svc, run),
                    // A failed migration is replaced (re-run) on the next update instead of being awaited forever.
                    annotations: { ...standardAnnotations(args.context.ownership, run.description), "pulumi.com/replaceUnready": "true" },
                },
                spec,
            },
            {
                parent: this,
                dependsOn: [this.networkPolicy, ...(args.dependsOn ?? [])],
                customTimeouts: { create: timeout, update: timeout },
            },
        );

        this.registerOutputs({ jobName: this.job.metadata.name });
    }
}
