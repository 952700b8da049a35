// One application service: ServiceAccount, ConfigMap, Deployment, Service, HPA, PDB, NetworkPolicy, optional
// ServiceMonitor, pod features (the Dapr sidecar), and its migration Job / cleanup CronJob. Every field comes from the resolved
// service (stack config merged over code defaults); nothing here knows which environment it runs in.
import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { METRICS_PORT_NAME, ResolvedService } from "./config";
import { ClientConnection, NetworkPeer, PlatformContext, SecretRef } from "./context";
import { CleanupCronJob, cleanupWorkloadName } from "./cleanupCronJob";
import { daprPodFeature, MicroserviceDapr } from "./daprSidecar";
import { LabelContext, selectorLabels, standardAnnotations, standardLabels, versionFromImage } from "./labels";
import { Migration, migrationWorkloadName } from "./migration";
import { claimName, claimSpec, initContainer, podVolumes, sidecarContainer, volumeMounts } from "./extraContainers";
import { composedEnv, containerEnv, containerSecurityContext, isComposedEnv, mergePlainEnv, mergeSecretEnv, podSecurityContext, resourceRequirements } from "./podTemplate";
import { ApiServerEndpoint, egressToPeers, kubeApiEgressRule, namespaceSelector, podPeer, tcpPorts } from "./networkRules";
import { mergePodFeatures, PodFeature } from "./podFeature";
import { containerPorts, edgePort, PodPort, podPorts, policyPorts, portUrl, servicePorts } from "./ports";
import { containerProbes } from "./probes";
import { telemetryEgress, telemetryEnv } from "./telemetry";
import { needsApiAccess, roleBindingSubjects, roleRules } from "./serviceAccess";

/** Pod annotation holding the SHA-256 of the ConfigMap data: a config change changes the template and rolls pods. */
export const CONFIG_CHECKSUM_ANNOTATION = "checksum/config";
/** Pod annotation holding a SHA-256 over the Secret values the pod reads: a rotated secret rolls the pods. */
export const SECRET_CHECKSUM_ANNOTATION = "checksum/secrets";
/** Name of the port that `port: N` declares. */
export const HTTP_PORT_NAME = "http";
export { METRICS_PORT_NAME };
/** Another service, as seen by the network policy of its caller. */
export interface ServiceEndpoint {
    /** Service name (its pods carry the standard selector labels for this name). */
    name: string;
    /** Its declared ports as pod ports (container port and L4 protocol). */
    ports: PodPort[];
}

/** Network facts the service's NetworkPolicy is derived from. */
export interface MicroserviceNetwork {
    /** Services that list this one in `dependsOn`: they may reach its port. */
    callers: string[];
    /** Services this one lists in `dependsOn`: it may reach their port. */
    dependencies: ServiceEndpoint[];
    /** Namespace of the edge controller (ingress controller / gateway pods); admitted to the port when the service is public. Undefined when there is no edge. */
    edgeNamespace?: string;
    /** Namespace of Prometheus; admitted to the metrics port when metrics are enabled. */
    monitoringNamespace: string;
    /** Where the Kubernetes API is (`platform:network.apiServer`); used when the service has RBAC rules. */
    apiServer: ApiServerEndpoint;
}

/** Prometheus Operator integration. */
export interface MicroserviceObservability {
    /** Create a monitoring.coreos.com/v1 ServiceMonitor (the CRD must exist). */
    serviceMonitors: boolean;
    /** Scrape interval, e.g. "30s". */
    scrapeInterval: string;
}

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

// ---------- pure spec builders ----------

/** Standard labels of everything the service owns. */
export function serviceLabels(labels: LabelContext, svc: ResolvedService): Record<string, string> {
    return standardLabels(labels, { name: svc.name, component: svc.component, version: versionFromImage(svc.image) });
}

/**
 * Selector labels of every pod the service runs (its Deployment, migration Job, cleanup CronJob): what a data store's
 * NetworkPolicy must admit for this service (pass them as the store's `clientSelectors`).
 */
export function clientSelectors(labels: LabelContext, svc: Pick<ResolvedService, "name" | "migration" | "cleanup">): Record<string, string>[] {
    const names = [svc.name];
    if (svc.migration) names.push(migrationWorkloadName(svc.name));
    if (svc.cleanup) names.push(cleanupWorkloadName(svc.name));
    return names.map((n) => selectorLabels(labels, n));
}

/** Every pod feature of the service (today the Dapr sidecar), merged: what its pod template and policy add. */
export function servicePodFeature(svc: ResolvedService, dapr: MicroserviceDapr): PodFeature {
    return mergePodFeatures([daprPodFeature(svc, dapr)].filter((f): f is PodFeature => f !== undefined));
}

/** The container port Prometheus scrapes; undefined when metrics are off or there is no port to scrape. */
export function metricsPort(svc: ResolvedService): number | undefined {
    return svc.metrics.enabled ? svc.metrics.port?.containerPort : undefined;
}

function separateMetricsPort(svc: ResolvedService): { name: string; port: number; containerPort: number } | undefined {
    return svc.metrics.enabled && svc.metrics.port?.separate ? svc.metrics.port : undefined;
}

/**
 * ConfigMap data: LOG_LEVEL, LOG_FORMAT and OTEL_* (when configured), then the service's literal env (which may
 * override any of them), then the stores' non-secret env.
 */
export function configMapData(svc: ResolvedService, connections: readonly ClientConnection[], labels?: LabelContext): Record<string, pulumi.Input<string>> {
    const literal = Object.fromEntries(Object.entries(svc.env).filter(([, v]) => !isComposedEnv(v)));
    const telemetry = labels ? telemetryEnv(svc, labels) : {};
    return { LOG_LEVEL: svc.logLevel, ...telemetry, ...mergePlainEnv(`service ${svc.name}`, literal, ...connections.map((c) => c.env)) };
}

/** SHA-256 of ConfigMap data, independent of key order. */
export function configChecksum(data: Record<string, string>): string {
    const canonical = JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
    return createHash("sha256").update(canonical).digest("hex");
}

/** Inputs of {@link deploymentSpec}: the resolved service plus names of what the component created. */
export interface DeploymentSpecArgs {
    context: PlatformContext;
    service: ResolvedService;
    /** ConfigMap consumed with envFrom. */
    configMapName: pulumi.Input<string>;
    /** ServiceAccount of the pods. */
    serviceAccountName: pulumi.Input<string>;
    /** All secret env (service + stores), env name → SecretRef. */
    secretEnv: Record<string, SecretRef>;
    /** Checksum of the ConfigMap data (pod annotation). */
    configChecksum: pulumi.Input<string>;
    /** Checksum of the platform Secret values the pod reads (pod annotation); omitted when it reads none. */
    secretChecksum?: pulumi.Input<string>;
    /** Secret env of each sidecar and init container by container name. */
    containerSecretEnv?: Record<string, Record<string, SecretRef>>;
    dapr: MicroserviceDapr;
}

/** The main container. */
export function serviceContainer(a: DeploymentSpecArgs): k8s.types.input.core.v1.Container {
    const svc = a.service;
    const ports = containerPorts(svc.ports);
    const metrics = separateMetricsPort(svc);
    if (metrics) ports.push({ name: metrics.name, containerPort: metrics.containerPort, protocol: "TCP" });
    const env = containerEnv(a.secretEnv, composedEnv(svc));
    const envFrom: k8s.types.input.core.v1.EnvFromSource[] = [
        { configMapRef: { name: a.configMapName } },
        ...svc.envFrom.map((e) => ({ secretRef: { name: e.secretRef, ...(e.optional ? { optional: true } : {}) }, ...(e.prefix ? { prefix: e.prefix } : {}) })),
    ];
    return {
        name: svc.name,
        image: svc.image,
        imagePullPolicy: svc.imagePullPolicy,
        ...(svc.command ? { command: svc.command } : {}),
        ...(svc.args ? { args: svc.args } : {}),
        ...(ports.length > 0 ? { ports } : {}),
        envFrom,
        ...(env.length > 0 ? { env } : {}),
        ...containerProbes(svc),
        // The sleep handler needs no binary in the image (Kubernetes ≥ 1.30); it lets endpoints drain before SIGTERM.
        ...(svc.preStopSleepSeconds > 0 ? { lifecycle: { preStop: { sleep: { seconds: svc.preStopSleepSeconds } } } } : {}),
        resources: resourceRequirements(svc.resources),
        securityContext: containerSecurityContext(svc.podSecurity, svc.addCapabilities),
        volumeMounts: volumeMounts(svc.volumes),
    };
}

/** Init containers first, then native sidecars (restartPolicy Always), in declaration order. */
export function podInitContainers(a: DeploymentSpecArgs): k8s.types.input.core.v1.Container[] {
    const svc = a.service;
    const x = (name: string) => ({ service: svc, podSecurity: svc.podSecurity, secretEnv: a.containerSecretEnv?.[name] ?? {} });
    return [...svc.initContainers.map((c) => initContainer(c, x(c.name))), ...svc.sidecars.map((c) => sidecarContainer(c, x(c.name)))];
}

/** True when a volume only one node may mount is attached: a surge pod could not start, so pods are replaced. */
export function needsRecreate(svc: Pick<ResolvedService, "volumes">): boolean {
    return svc.volumes.some((v) => v.type === "persistent" && (v.accessMode ?? "ReadWriteOnce").startsWith("ReadWriteOnce"));
}

/** Spread over zones and nodes, best effort. */
export function topologySpreadConstraints(labels: LabelContext, name: string): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: selectorLabels(labels, name) },
        matchLabelKeys: ["pod-template-hash"],
    }));
}

/** The Deployment spec; `replicas` is omitted when the HPA owns it. */
export function deploymentSpec(a: DeploymentSpecArgs): k8s.types.input.apps.v1.DeploymentSpec {
    const svc = a.service;
    const labels = a.context.labels;
    return {
        ...(svc.autoscaling.enabled ? {} : { replicas: svc.replicas }),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(labels, svc.name) },
        strategy: needsRecreate(svc) ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
            metadata: {
                labels: serviceLabels(labels, svc),
                annotations: {
                    ...standardAnnotations(a.context.ownership, svc.description),
                    ...servicePodFeature(svc, a.dapr).annotations,
                    [CONFIG_CHECKSUM_ANNOTATION]: a.configChecksum,
                    ...(a.secretChecksum !== undefined ? { [SECRET_CHECKSUM_ANNOTATION]: a.secretChecksum } : {}),
                },
            },
            spec: {
                serviceAccountName: a.serviceAccountName,
                // The token is mounted only for a service with RBAC rules: it is the credential those rules grant.
                automountServiceAccountToken: needsApiAccess(svc),
                enableServiceLinks: false,
                securityContext: podSecurityContext(svc.podSecurity),
                // The grace period must outlast the preStop sleep, or the kubelet kills the pod mid-drain.
                terminationGracePeriodSeconds: Math.max(svc.terminationGracePeriodSeconds, svc.preStopSleepSeconds + 1),
                ...(svc.topologySpread ? { topologySpreadConstraints: topologySpreadConstraints(labels, svc.name) } : {}),
                ...(svc.initContainers.length + svc.sidecars.length > 0 ? { initContainers: podInitContainers(a) } : {}),
                containers: [serviceContainer(a)],
                volumes: podVolumes(svc.name, svc.volumes, svc.tmpSizeLimit),
            },
        },
    };
}

/** True when the service declares ports, so it gets a Service; a port-less worker gets none. */
export function hasService(svc: Pick<ResolvedService, "ports">): boolean {
    return svc.ports.length > 0;
}

/** ClusterIP Service with every declared port (Service port → named container port) and `metrics` when separate. */
export function serviceSpec(labels: LabelContext, svc: ResolvedService): k8s.types.input.core.v1.ServiceSpec {
    const ports = servicePorts(svc.ports);
    const metrics = separateMetricsPort(svc);
    if (metrics) ports.push({ name: metrics.name, port: metrics.port, targetPort: metrics.name, protocol: "TCP", appProtocol: "http" });
    return { type: "ClusterIP", selector: selectorLabels(labels, svc.name), ports };
}

/** In-cluster URL of each declared port, by port name, with the scheme its protocol speaks. */
export function serviceUrls(svc: Pick<ResolvedService, "name" | "ports">, namespace: string): Record<string, string> {
    return Object.fromEntries(svc.ports.map((p) => [p.name, portUrl(`${svc.name}.${namespace}.svc.cluster.local`, p)]));
}

/** HPA (autoscaling/v2) on CPU and memory utilization. */
export function hpaSpec(svc: ResolvedService, deploymentName: pulumi.Input<string>): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const utilization = (name: "cpu" | "memory", averageUtilization: number) => ({
        type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization } },
    });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        minReplicas: svc.autoscaling.minReplicas,
        maxReplicas: svc.autoscaling.maxReplicas,
        metrics: [utilization("cpu", svc.autoscaling.cpuUtilization), utilization("memory", svc.autoscaling.memoryUtilization)],
    };
}

/** The smallest number of replicas the workload runs with. */
export function minimumReplicas(svc: ResolvedService): number {
    return svc.autoscaling.enabled ? svc.autoscaling.minReplicas : svc.replicas;
}

/** A PDB is created when the budget is enabled and the workload is replicated (a PDB on one pod blocks drains). */
export function needsDisruptionBudget(svc: ResolvedService): boolean {
    return svc.disruptionBudget.enabled && minimumReplicas(svc) > 1;
}

/** PodDisruptionBudget spec (policy/v1); maxUnavailable is at least 1. */
export function pdbSpec(labels: LabelContext, svc: ResolvedService): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return {
        maxUnavailable: Math.max(1, svc.disruptionBudget.maxUnavailable),
        selector: { matchLabels: selectorLabels(labels, svc.name) },
        unhealthyPodEvictionPolicy: "AlwaysAllow",
    };
}

/** NetworkPolicy of the service pods: who may call them, and what they may reach (DNS comes from the baseline). */
export function serviceNetworkPolicySpec(
    labels: LabelContext, svc: ResolvedService, network: MicroserviceNetwork, stores: readonly NetworkPeer[], dapr: MicroserviceDapr,
): k8s.types.input.networking.v1.NetworkPolicySpec {
    const feature = servicePodFeature(svc, dapr);
    const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
    const callers = [...new Set(network.callers)].sort();
    // Callers reach exactly the declared ports, as pod ports: a NetworkPolicy sees 8080 behind a Service's 80.
    const own = podPorts(svc.ports);
    const callerPorts = policyPorts([...own, ...feature.callerPorts]);
    if (callers.length > 0 && callerPorts) {
        ingress.push({ from: callers.map((c) => podPeer(selectorLabels(labels, c))), ports: callerPorts });
    }
    const routed = edgePort(svc);
    if (svc.public && network.edgeNamespace && routed) {
        ingress.push({ from: [{ namespaceSelector: namespaceSelector(network.edgeNamespace) }], ports: policyPorts([{ port: routed.containerPort, protocol: "TCP" }]) });
    }
    const scraped = metricsPort(svc);
    const monitoringPorts = [...(scraped !== undefined ? [scraped] : []), ...feature.metricsPorts];
    if (monitoringPorts.length > 0) {
        ingress.push({ from: [{ namespaceSelector: namespaceSelector(network.monitoringNamespace) }], ports: tcpPorts(monitoringPorts) });
    }
    ingress.push(...feature.ingress);

    const egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [];
    for (const dep of [...network.dependencies].sort((a, b) => a.name.localeCompare(b.name))) {
        const ports = policyPorts([...dep.ports, ...feature.dependencyPorts]);
        if (ports) egress.push({ to: [podPeer(selectorLabels(labels, dep.name))], ports });
    }
    egress.push(...egressToPeers(stores));
    egress.push(...telemetryEgress(svc));
    if (needsApiAccess(svc)) egress.push(kubeApiEgressRule(network.apiServer));
    egress.push(...feature.egress);
    return {
        podSelector: { matchLabels: selectorLabels(labels, svc.name) },
        policyTypes: ["Ingress", "Egress"],
        ...(ingress.length > 0 ? { ingress } : {}),
        ...(egress.length > 0 ? { egress } : {}),
    };
}

/** ServiceMonitor spec (monitoring.coreos.com/v1) scraping the metrics port of the Service. */
export function serviceMonitorSpec(labels: LabelContext, svc: ResolvedService, namespace: pulumi.Input<string>, scrapeInterval: string): Record<string, unknown> {
    return {
        selector: { matchLabels: selectorLabels(labels, svc.name) },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [{ port: svc.metrics.port?.name ?? HTTP_PORT_NAME, path: svc.metrics.path, interval: scrapeInterval }],
    };
}

// ---------- component ----------

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

        this.serviceAccount = new k8s.core.v1.ServiceAccount(name, {
            metadata: metadata(svc.name),
            automountServiceAccountToken: false,
        }, child);
        if (needsApiAccess(svc)) {
            this.role = new k8s.rbac.v1.Role(name, { metadata: metadata(svc.name), rules: roleRules(svc) }, child);
            this.roleBinding = new k8s.rbac.v1.RoleBinding(name, {
                metadata: metadata(svc.name),
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: this.role.metadata.name },
                subjects: roleBindingSubjects(this.serviceAccount.metadata.name, ctx.namespace),
            }, child);
        }
        for (const v of svc.volumes.filter((x) => x.type === "persistent")) {
            // retainOnDelete: deleting the service or the stack leaves the claim (and the data) in the cluster.
            this.claims[v.name] = new k8s.core.v1.PersistentVolumeClaim(`${name}-${v.name}`, {
                metadata: metadata(claimName(svc.name, v.name)),
                spec: claimSpec(v),
            }, { parent: this, retainOnDelete: v.retain ?? true });
        }
        this.configMap = new k8s.core.v1.ConfigMap(`${name}-config`, {
            metadata: metadata(`${svc.name}-config`),
            data,
        }, child);
        const configMapName = this.configMap.metadata.name;
        const serviceAccountName = this.serviceAccount.metadata.name;

        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(name, {
            metadata: metadata(svc.name),
            spec: serviceNetworkPolicySpec(ctx.labels, svc, args.network, stores, args.dapr),
        }, child);

        if (svc.migration) {
            this.migration = new Migration(`${name}-migrate`, {
                context: ctx, service: svc, configMapName, serviceAccountName, secretEnv: migrationSecretEnv, stores,
                dependsOn: args.dependsOn,
            }, child);
        }

        const checksum = pulumi.output(data).apply((d) => configChecksum(d as Record<string, string>));
        const deploymentDependsOn: pulumi.Resource[] = [this.networkPolicy, ...Object.values(this.claims)];
        if (this.roleBinding) deploymentDependsOn.push(this.roleBinding);
        if (this.migration) deploymentDependsOn.unshift(this.migration.job);
        this.deployment = new k8s.apps.v1.Deployment(name, {
            metadata: metadata(svc.name),
            spec: deploymentSpec({
                context: ctx, service: svc, configMapName, serviceAccountName, secretEnv, configChecksum: checksum,
                secretChecksum: args.secretChecksum, containerSecretEnv: args.containerSecretEnv, dapr: args.dapr,
            }),
        }, { parent: this, dependsOn: deploymentDependsOn });

        if (hasService(svc)) {
            this.service = new k8s.core.v1.Service(name, {
                metadata: metadata(svc.name),
                spec: serviceSpec(ctx.labels, svc),
            }, child);
        }

        if (svc.autoscaling.enabled) {
            this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(name, {
                metadata: metadata(svc.name),
                spec: hpaSpec(svc, this.deployment.metadata.name),
            }, child);
        }
        if (needsDisruptionBudget(svc)) {
            this.pdb = new k8s.policy.v1.PodDisruptionBudget(name, {
                metadata: metadata(svc.name),
                spec: pdbSpec(ctx.labels, svc),
            }, child);
        }
        if (args.observability.serviceMonitors && svc.metrics.enabled && this.service) {
            this.serviceMonitor = new k8s.apiextensions.CustomResource(name, {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "ServiceMonitor",
                metadata: metadata(svc.name),
                spec: serviceMonitorSpec(ctx.labels, svc, ctx.namespace, args.observability.scrapeInterval),
            }, { parent: this, dependsOn: [this.service] });
        }
        if (svc.cleanup) {
            this.cleanup = new CleanupCronJob(`${name}-cleanup`, {
                context: ctx, service: svc, configMapName, serviceAccountName, secretEnv, stores,
            }, child);
        }

        this.urls = pulumi.output(ctx.namespace).apply((ns) => serviceUrls(svc, ns));
        const first = svc.ports[0];
        if (first) this.url = this.urls.apply((u) => u[first.name]);
        this.registerOutputs({ serviceName: this.serviceName, url: this.url, urls: this.urls });
    }
}
