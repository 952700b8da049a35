// A service's schema migration as a Job. The Kubernetes provider waits for a Job to complete, so a Deployment that
// dependsOn this component's `job` rolls out only after the migration succeeded.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedService } from "./config";
import { NetworkPeer, PlatformContext, SecretRef } from "./context";
import { selectorLabels, standardAnnotations, standardLabels, versionFromImage } from "./labels";
import { batchNetworkPolicySpec, batchPodSpec } from "./podTemplate";


/** Arguments of {@link Migration}. */
export interface MigrationArgs {
    /** Namespace, labels and ownership. */
    context: PlatformContext;
    /** The resolved service; its `migration` block (command, image, backoffLimit, activeDeadlineSeconds) must be set. */
    service: ResolvedService;
    /** ConfigMap with the service's non-secret env (the Job sees the same env as the service). */
    configMapName: pulumi.Input<string>;
    /** The service's ServiceAccount. */
    serviceAccountName: pulumi.Input<string>;
    /** Secret env by reference (service secrets and store credentials), env name → SecretRef. */
    secretEnv: Record<string, SecretRef>;
    /** Data stores the migration talks to: the only egress its pods get besides DNS. */
    stores: NetworkPeer[];
    /**
     * Resources the Job must wait for (the data stores' workloads). A plain array, not an Output: the SDK scans an
     * Output's value for unknowns, and through Resources that scan reaches the whole resource graph (quadratic in services).
     */
    dependsOn?: pulumi.Resource[];
}

/** Workload name of a service's migration pods (distinct from the service, so its Service never selects them). */
export function migrationWorkloadName(serviceName: string): string {
    return `${serviceName}-migrate`;
}

/** Standard labels of a service's migration pods and objects (own workload name, version of the migration image). */
export function migrationLabels(ctx: PlatformContext, svc: ResolvedService): Record<string, string> {
    const image = svc.migration?.image ?? svc.image;
    return standardLabels(ctx.labels, { name: migrationWorkloadName(svc.name), component: "migration", version: versionFromImage(image) });
}

/** The Job spec of a service's migration. */
export function migrationJobSpec(args: Omit<MigrationArgs, "stores" | "dependsOn">): k8s.types.input.batch.v1.JobSpec {
    const svc = args.service;
    const m = svc.migration;
    if (!m) throw new Error(`service ${svc.name} has no migration configured`);
    const image = m.image ?? svc.image;
    return {
        backoffLimit: m.backoffLimit,
        activeDeadlineSeconds: m.activeDeadlineSeconds,
        ttlSecondsAfterFinished: m.ttlSecondsAfterFinished,
        template: {
            metadata: {
                labels: migrationLabels(args.context, svc),
                annotations: standardAnnotations(args.context.ownership, `Schema migration of ${svc.name}`),
            },
            spec: batchPodSpec({
                containerName: "migrate",
                image,
                imagePullPolicy: svc.imagePullPolicy,
                command: m.command,
                args: m.args,
                configMapName: args.configMapName,
                secretEnv: args.secretEnv,
                resources: svc.resources,
                podSecurity: svc.podSecurity,
                tmpSizeLimit: svc.tmpSizeLimit,
                serviceAccountName: args.serviceAccountName,
            }),
        },
    };
}

/** One migration Job plus the NetworkPolicy that lets its pods reach the data stores. */
export class Migration extends pulumi.ComponentResource {
    /** The Job; make the Deployment depend on it. */
    public readonly job: k8s.batch.v1.Job;
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;

    constructor(name: string, args: MigrationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Migration", name, {}, opts);
        const svc = args.service;
        const workload = migrationWorkloadName(svc.name);
        const spec = migrationJobSpec(args);
        const m = svc.migration!;
        const labels = migrationLabels(args.context, svc);
        const annotations = standardAnnotations(args.context.ownership, `Schema migration of ${svc.name}`);

        // Policy first, so the pods can reach the stores as soon as they start.
        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, {
            metadata: { name: workload, namespace: args.context.namespace, labels, annotations },
            spec: batchNetworkPolicySpec(selectorLabels(args.context.labels, workload), args.stores),
        }, { parent: this });

        // Auto-named: a changed template (new image) replaces the Job create-before-delete, so the migration runs again.
        const timeout = `${m.activeDeadlineSeconds + 120}s`;
        this.job = new k8s.batch.v1.Job(name, {
            metadata: {
                namespace: args.context.namespace,
                labels,
                // A failed migration is replaced (re-run) on the next update instead of being awaited forever.
                annotations: { ...annotations, "pulumi.com/replaceUnready": "true" },
            },
            spec,
        }, {
            parent: this,
            dependsOn: [this.networkPolicy, ...(args.dependsOn ?? [])],
            customTimeouts: { create: timeout, update: timeout },
        });

        this.registerOutputs({ jobName: this.job.metadata.name });
    }
}
