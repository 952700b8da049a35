// One application service: ServiceAccount, ConfigMap, Deployment, Service, HPA, PDB, NetworkPolicy, optional
// ServiceMonitor, pod features (the Dapr sidecar), and its migration Job / cleanup CronJob. Every field comes from the resolved
// service (stack config merged over code defaults); nothing here knows which environment it runs in. The specs are
// built by serviceDeployment.ts, serviceExposure.ts, serviceScaling.ts and serviceNetworkPolicy.ts.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedService } from "../config";
import { MicroserviceDapr } from "../dapr";
import { ClientConnection, FORCE_APPLY_ANNOTATIONS, PlatformContext, SecretRef, standardAnnotations } from "../k8s";
import { CleanupCronJob } from "./cleanupCronJob";
import { Migration } from "./migration";
import { claimName, claimSpec } from "./extraContainers";
import { mergeSecretEnv } from "./podTemplate";
import { configChecksum, configMapData, deploymentSpec, serviceLabels } from "./serviceDeployment";
import { hasService, MicroserviceObservability, serviceMonitorSpec, serviceSpec, serviceUrls } from "./serviceExposure";
import { MicroserviceNetwork, serviceNetworkPolicySpec } from "./serviceNetworkPolicy";
import { hpaSpec, needsDisruptionBudget, pdbSpec } from "./serviceScaling";
import { needsApiAccess, roleBindingSubjects, roleRules } from "./serviceAccess";

/** Arguments of {@link Microservice}. */
export interface MicroserviceArgs {
    /** Namespace (from NamespaceBaseline), labels and ownership. */
    context: PlatformContext;
    /** The service with stack and code defaults merged in (`resolveService()`). */
    service: ResolvedService;
    /** The service's own secret env, env name → SecretRef (from `service.secretEnv` and `AppSecrets.refs`). */
    secretEnv: Record<string, SecretRef>;
    /** Secret env of each sidecar and init container by container name, env name → SecretRef. */
    containerSecretEnv?: Record<string, Record<string, SecretRef>>;
    /**
     * SHA-256 over the values of every platform Secret key the pod reads (a secret Output); stamped on the pod
     * template so a rotated secret rolls the pods. Omitted when the pod reads no platform secret.
     */
    secretChecksum?: pulumi.Input<string>;
    /** Connections of the data stores the service `uses`: env by value, credentials by reference, pods for egress. */
    connections: ClientConnection[];
    /** Who may call it and whom it calls. */
    network: MicroserviceNetwork;
    /** ServiceMonitor settings (`platform:observability`). */
    observability: MicroserviceObservability;
    /** Dapr settings (`platform:dapr`): the Dapr pod feature. */
    dapr: MicroserviceDapr;
    /**
     * What the migration Job waits for (the data stores' workloads). The Deployment waits for the Job, not for the
     * stores: pods of a service without a migration start with the stores and their readiness probes gate traffic.
     */
    dependsOn?: pulumi.Resource[];
}

/** One application service and everything it owns. */
export class Microservice extends pulumi.ComponentResource {
    /** Name of the Kubernetes Service (and of the Deployment, ServiceAccount, NetworkPolicy); undefined without ports. */
    public readonly serviceName?: string;
    public readonly serviceAccount: k8s.core.v1.ServiceAccount;
    public readonly configMap: k8s.core.v1.ConfigMap;
    public readonly deployment: k8s.apps.v1.Deployment;
    /** The Service; absent for a workload without ports. */
    public readonly service?: k8s.core.v1.Service;
    /** Role and RoleBinding of the service's ServiceAccount, when it declares RBAC rules. */
    public readonly role?: k8s.rbac.v1.Role;
    public readonly roleBinding?: k8s.rbac.v1.RoleBinding;
    /** Claims of its persistent volumes, by volume name (kept on delete unless `retain: false`). */
    public readonly claims: Record<string, k8s.core.v1.PersistentVolumeClaim> = {};
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
    public readonly hpa?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    public readonly pdb?: k8s.policy.v1.PodDisruptionBudget;
    public readonly serviceMonitor?: k8s.apiextensions.CustomResource;
    public readonly migration?: Migration;
    public readonly cleanup?: CleanupCronJob;
    /** In-cluster URL of the first port, e.g. grpc://<name>.<namespace>.svc.cluster.local:<port>; absent without ports. */
    public readonly url?: pulumi.Output<string>;
    /** In-cluster URL of every declared port, by port name. */
    public readonly urls: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: MicroserviceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Microservice", name, {}, opts);
        const child = { parent: this };
        const { context: ctx, service: svc } = args;
        const labels = serviceLabels(ctx.labels, svc);
        const annotations = standardAnnotations(ctx.ownership, svc.description);
        const metadata = (resourceName: string) => ({ name: resourceName, namespace: ctx.namespace, labels, annotations });
        if (hasService(svc)) this.serviceName = svc.name;

        const owner = `service ${svc.name}`;
        const secretEnv = mergeSecretEnv(owner, args.secretEnv, ...args.connections.map((c) => c.secretEnv));
        // The migration may log in as a different user (a database owner), so its secret env is merged separately.
        const migrationSecretEnv = mergeSecretEnv(owner, args.secretEnv, ...args.connections.map((c) => c.migrationSecretEnv ?? c.secretEnv));
        const stores = args.connections.map((c) => c.peer);
        const data = configMapData(svc, args.connections, ctx.labels);

        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            name,
            {
                metadata: metadata(svc.name),
                automountServiceAccountToken: false,
            },
            child,
        );
        if (needsApiAccess(svc)) {
            this.role = new k8s.rbac.v1.Role(name, { metadata: metadata(svc.name), rules: roleRules(svc) }, child);
            this.roleBinding = new k8s.rbac.v1.RoleBinding(
                name,
                {
                    metadata: metadata(svc.name),
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: this.role.metadata.name },
                    subjects: roleBindingSubjects(this.serviceAccount.metadata.name, ctx.namespace),
                },
                child,
            );
        }
        for (const v of svc.volumes.filter((x) => x.type === "persistent")) {
            // retainOnDelete: deleting the service or the stack leaves the claim (and the data) in the cluster.
            const retain = v.retain ?? true;
            const claim = metadata(claimName(svc.name, v.name));
            this.claims[v.name] = new k8s.core.v1.PersistentVolumeClaim(
                `${name}-${v.name}`,
                {
                    // A retained claim is taken back by the next up of the stack rather than refused as an apply conflict.
                    metadata: retain ? { ...claim, annotations: { ...annotations, ...FORCE_APPLY_ANNOTATIONS } } : claim,
                    spec: claimSpec(v),
                },
                { parent: this, retainOnDelete: retain },
            );
        }
        this.configMap = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
                metadata: { ...metadata(`${svc.name}-config`), annotations: { ...annotations, ...FORCE_APPLY_ANNOTATIONS } },
                data,
            },
            child,
        );
        const configMapName = this.configMap.metadata.name;
        const serviceAccountName = this.serviceAccount.metadata.name;

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
            name,
            {
                metadata: metadata(svc.name),
                spec: serviceNetworkPolicySpec(ctx.labels, svc, args.network, stores, args.dapr),
            },
            child,
        );

        if (svc.migration) {
            this.migration = new Migration(
                `${name}-migrate`,
                {
                    context: ctx,
                    service: svc,
                    configMapName,
                    serviceAccountName,
                    secretEnv: migrationSecretEnv,
                    stores,
                    dependsOn: args.dependsOn,
                },
                child,
            );
        }

        const checksum = pulumi.output(data).apply((d) => configChecksum(d as Record<string, string>));
        const deploymentDependsOn: pulumi.Resource[] = [this.networkPolicy, ...Object.values(this.claims)];
        if (this.roleBinding) deploymentDependsOn.push(this.roleBinding);
        if (this.migration) deploymentDependsOn.unshift(this.migration.job);
        this.deployment = new k8s.apps.v1.Deployment(
            name,
            {
                metadata: metadata(svc.name),
                spec: deploymentSpec({
                    context: ctx,
                    service: svc,
                    configMapName,
                    serviceAccountName,
                    secretEnv,
                    configChecksum: checksum,
                    secretChecksum: args.secretChecksum,
                    containerSecretEnv: args.containerSecretEnv,
                    dapr: args.dapr,
                }),
            },
            { parent: this, dependsOn: deploymentDependsOn },
        );

        if (hasService(svc)) {
            this.service = new k8s.core.v1.Service(
                name,
                {
                    metadata: metadata(svc.name),
                    spec: serviceSpec(ctx.labels, svc),
                },
                child,
            );
        }

        if (svc.autoscaling.enabled) {
            this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
                name,
                {
                    metadata: metadata(svc.name),
                    spec: hpaSpec(svc, this.deployment.metadata.name),
                },
                child,
            );
        }
        if (needsDisruptionBudget(svc)) {
            this.pdb = new k8s.policy.v1.PodDisruptionBudget(
                name,
                {
                    metadata: metadata(svc.name),
                    spec: pdbSpec(ctx.labels, svc),
                },
                child,
            );
        }
        if (args.observability.serviceMonitors && svc.metrics.enabled && this.service) {
            this.serviceMonitor = new k8s.apiextensions.CustomResource(
                name,
                {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "ServiceMonitor",
                    metadata: metadata(svc.name),
                    spec: serviceMonitorSpec(ctx.labels, svc, ctx.namespace, args.observability.scrapeInterval),
                },
                { parent: this, dependsOn: [this.service] },
            );
        }
        if (svc.cleanup) {
            this.cleanup = new CleanupCronJob(
                `${name}-cleanup`,
                {
                    context: ctx,
                    service: svc,
                    configMapName,
                    serviceAccountName,
                    secretEnv,
                    stores,
                },
                child,
            );
        }

        this.urls = pulumi.output(ctx.namespace).apply((ns) => serviceUrls(svc, ns));
        const first = svc.ports[0];
        if (first) this.url = this.urls.apply((u) => u[first.name]);
        this.registerOutputs({ serviceName: this.serviceName, url: this.url, urls: this.urls });
    }
}
