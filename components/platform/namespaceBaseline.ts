// The namespace everything else lives in, with its guard rails: Pod Security Admission, quota, container
// defaults, default-deny networking and the one exception every pod needs (DNS).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config";
import { FORCE_APPLY_ANNOTATIONS, LabelContext, namespaceSelector, OwnershipMetadata, standardAnnotations, standardLabels } from "../k8s";

/** Pod Security Admission modes the namespace is labelled with. */
export const PSA_MODES = ["enforce", "audit", "warn"] as const;

/** Where cluster DNS runs, for the DNS egress exception. */
export interface DnsTarget {
    /** Namespace of the DNS pods. */
    namespace: string;
    /** Labels of the DNS pods. */
    podLabels: Record<string, string>;
}

/** kube-dns / CoreDNS as every mainstream distribution deploys it. */
export const KUBE_DNS: DnsTarget = { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } };

/** Arguments of {@link NamespaceBaseline}. */
export interface NamespaceBaselineArgs {
    /** The validated `platform:namespace` setting: name, Pod Security level, optional quota and container defaults. */
    namespace: PlatformConfig["namespace"];
    /** Stack-wide label values. */
    labels: LabelContext;
    /** Ownership annotations. */
    ownership: OwnershipMetadata;
    /** Cluster DNS pods the namespace may reach on port 53; defaults to {@link KUBE_DNS}. */
    dns?: DnsTarget;
    /** `pulumi destroy` leaves the Namespace (and the data stores' volumes in it) in place. Defaults to false. */
    retainOnDestroy?: boolean;
}

/** Labels of the Namespace object: standard labels plus the Pod Security Admission labels. */
export function namespaceLabels(args: Pick<NamespaceBaselineArgs, "namespace" | "labels">): Record<string, string> {
    const out: Record<string, string> = standardLabels(args.labels, { name: args.namespace.name, component: "namespace" });
    for (const mode of PSA_MODES) {
        out[`pod-security.kubernetes.io/${mode}`] = args.namespace.podSecurityLevel;
        out[`pod-security.kubernetes.io/${mode}-version`] = "latest";
    }
    return out;
}

/** ResourceQuota spec for `platform:namespace.quota`. */
export function resourceQuotaSpec(quota: NonNullable<PlatformConfig["namespace"]["quota"]>): k8s.types.input.core.v1.ResourceQuotaSpec {
    return {
        hard: {
            "requests.cpu": quota.requestsCpu,
            "requests.memory": quota.requestsMemory,
            "limits.cpu": quota.limitsCpu,
            "limits.memory": quota.limitsMemory,
            ...(quota.requestsEphemeralStorage ? { "requests.ephemeral-storage": quota.requestsEphemeralStorage } : {}),
            ...(quota.limitsEphemeralStorage ? { "limits.ephemeral-storage": quota.limitsEphemeralStorage } : {}),
            pods: String(quota.pods),
        },
    };
}

/** LimitRange spec for `platform:namespace.containerDefaults`; undefined when it sets nothing. */
export function limitRangeSpec(defaults: PlatformConfig["namespace"]["containerDefaults"]): k8s.types.input.core.v1.LimitRangeSpec | undefined {
    const compact = (q: { cpu?: string; memory?: string; ephemeralStorage?: string } | undefined): Record<string, string> | undefined => {
        const out: Record<string, string> = {};
        if (q?.cpu) out.cpu = q.cpu;
        if (q?.memory) out.memory = q.memory;
        if (q?.ephemeralStorage) out["ephemeral-storage"] = q.ephemeralStorage;
        return Object.keys(out).length > 0 ? out : undefined;
    };
    const dflt = compact(defaults?.limits);
    const dfltRequest = compact(defaults?.requests);
    if (!dflt && !dfltRequest) return undefined;
    return { limits: [{ type: "Container", ...(dflt ? { default: dflt } : {}), ...(dfltRequest ? { defaultRequest: dfltRequest } : {}) }] };
}

/** Default deny: selects every pod, denies all ingress and egress (no rules). */
export function defaultDenySpec(): k8s.types.input.networking.v1.NetworkPolicySpec {
    return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
}

/** DNS exception: every pod may reach the cluster DNS pods on UDP and TCP 53. */
export function dnsEgressSpec(dns: DnsTarget = KUBE_DNS): k8s.types.input.networking.v1.NetworkPolicySpec {
    return {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
            {
                to: [{ namespaceSelector: namespaceSelector(dns.namespace), podSelector: { matchLabels: { ...dns.podLabels } } }],
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            },
        ],
    };
}

/** The platform namespace and its baseline policies. */
export class NamespaceBaseline extends pulumi.ComponentResource {
    public readonly namespace: k8s.core.v1.Namespace;
    /** The namespace's name (explicit, so known at preview); depending on it orders resources after the Namespace. */
    public readonly namespaceName: pulumi.Output<string>;
    public readonly resourceQuota?: k8s.core.v1.ResourceQuota;
    public readonly limitRange?: k8s.core.v1.LimitRange;
    public readonly defaultDeny: k8s.networking.v1.NetworkPolicy;
    public readonly dnsEgress: k8s.networking.v1.NetworkPolicy;

    constructor(name: string, args: NamespaceBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:NamespaceBaseline", name, {}, opts);
        const child = { parent: this };
        const annotations = standardAnnotations(args.ownership, `Namespace of the ${args.labels.partOf} platform (${args.labels.environment})`);
        const meta = (resourceName: string, component: string) => ({
            name: resourceName,
            namespace: this.namespaceName,
            labels: standardLabels(args.labels, { name: resourceName, component }),
            annotations,
        });

        const retain = args.retainOnDestroy ?? false;
        this.namespace = new k8s.core.v1.Namespace(
            name,
            {
                // A retained namespace is taken back by the next up of the stack rather than refused as an apply conflict.
                metadata: {
                    name: args.namespace.name,
                    labels: namespaceLabels(args),
                    annotations: retain ? { ...annotations, ...FORCE_APPLY_ANNOTATIONS } : annotations,
                },
            },
            { ...child, retainOnDelete: retain },
        );
        this.namespaceName = this.namespace.metadata.name;

        if (args.namespace.quota) {
            this.resourceQuota = new k8s.core.v1.ResourceQuota(
                `${name}-quota`,
                {
                    metadata: meta("quota", "namespace-baseline"),
                    spec: resourceQuotaSpec(args.namespace.quota),
                },
                child,
            );
        }
        const lr = limitRangeSpec(args.namespace.containerDefaults);
        if (lr) {
            this.limitRange = new k8s.core.v1.LimitRange(
                `${name}-limits`,
                {
                    metadata: meta("container-defaults", "namespace-baseline"),
                    spec: lr,
                },
                child,
            );
        }
        this.defaultDeny = new k8s.networking.v1.NetworkPolicy(
            `${name}-default-deny`,
            {
                metadata: meta("default-deny", "network-policy"),
                spec: defaultDenySpec(),
            },
            child,
        );
        this.dnsEgress = new k8s.networking.v1.NetworkPolicy(
            `${name}-allow-dns`,
            {
                metadata: meta("allow-dns-egress", "network-policy"),
                spec: dnsEgressSpec(args.dns),
            },
            child,
        );

        this.registerOutputs({ namespaceName: this.namespaceName });
    }
}
