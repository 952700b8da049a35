// The policy pack's configs, one table: the production pack as the base and what dev and staging change in it. Rendered
// by `npm run policy:configs` into policy/config/<environment>.json (the files the CLI reads); a test keeps them current.
// Plain data and a merge, importing nothing, so the pack stays publishable on its own.

/** A JSON value, as a pack config file holds it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One policy's config: its level, why, and its parameters. */
export interface PolicyConfig {
    enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
    rationale: string;
    [parameter: string]: JsonValue;
}

/** What an environment changes in a policy's config: only the fields (and nested fields) it sets. */
export type PolicyOverride = { [key: string]: JsonValue };

/** The environments that have a pack config file. */
export const PACK_ENVIRONMENTS = ["dev", "staging", "production"] as const;
export type PackEnvironment = (typeof PACK_ENVIRONMENTS)[number];

/** The cluster's own namespaces, which no policy judges. */
const KUBE_NAMESPACES: JsonValue = ["kube-system", "kube-public", "kube-node-lease"];

/** Why each Pod Security "restricted" control is mandatory everywhere. */
const RESTRICTED_RATIONALE =
    "Pod Security Standard 'restricted' control: mandatory in every stack, so dev fails where production's Pod Security Admission would reject the pod.";

/** Namespaces of the cluster and of the operators, which most policies leave alone. */
const SYSTEM_NAMESPACES: JsonValue = ["kube-system", "kube-public", "kube-node-lease", "cnpg-system", "strimzi-system"];

/** The stack-wide label values remediation fills in (production's). */
const LABEL_DEFAULTS: JsonValue = {
    environment: "production",
    "app.kubernetes.io/part-of": "platform",
    "app.kubernetes.io/managed-by": "pulumi",
    team: "platform-team",
    "cost-center": "cc-1001",
};

/** Every policy's config in production, in the order the files list them. */
export const BASE: Record<string, PolicyConfig> = {
    "required-labels": {
        enforcementLevel: "remediate",
        rationale:
            "Labels drive cost attribution, ownership and selectors in every environment. remediate: managed-by and the stack-wide values (environment, part-of, team, cost-center) are added where missing; what cannot be derived stays a mandatory violation.",
        exemptNamespaces: SYSTEM_NAMESPACES,
        labelDefaults: LABEL_DEFAULTS,
    },
    "pod-template-labels": {
        enforcementLevel: "remediate",
        rationale:
            "Pods must be attributable and selectable like their owners. remediate: missing template labels are copied from the workload and the stack-wide values; the rest is mandatory.",
        exemptNamespaces: SYSTEM_NAMESPACES,
        labelDefaults: LABEL_DEFAULTS,
    },
    "label-values-valid": {
        enforcementLevel: "mandatory",
        rationale: "An invalid label makes the API server reject the object mid-update; catching it at preview is free.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "recommended-annotations": {
        enforcementLevel: "advisory",
        rationale: "Ownership annotations help on-call but never block a deploy.",
        exemptNamespaces: SYSTEM_NAMESPACES,
    },
    "run-as-non-root": {
        enforcementLevel: "mandatory",
        rationale: RESTRICTED_RATIONALE,
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "run-as-user-not-root": {
        enforcementLevel: "mandatory",
        rationale: RESTRICTED_RATIONALE,
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "expected-user-ids": {
        enforcementLevel: "advisory",
        rationale:
            "A UID/GID other than the platform's is legitimate when an image needs it (data-store images run as their own users); reported so it is a visible, reviewed choice, never a blocker.",
        exemptNamespaces: SYSTEM_NAMESPACES,
        allowedUserIds: [],
        allowedGroupIds: [],
    },
    "no-privileged-containers": {
        enforcementLevel: "mandatory",
        rationale: RESTRICTED_RATIONALE,
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "restrict-added-capabilities": {
        enforcementLevel: "mandatory",
        rationale: RESTRICTED_RATIONALE,
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-host-namespaces": {
        enforcementLevel: "mandatory",
        rationale: RESTRICTED_RATIONALE,
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-host-path": {
        enforcementLevel: "mandatory",
        rationale: RESTRICTED_RATIONALE,
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-host-ports": {
        enforcementLevel: "mandatory",
        rationale: RESTRICTED_RATIONALE,
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "restricted-volume-types": {
        enforcementLevel: "mandatory",
        rationale: RESTRICTED_RATIONALE,
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-unsafe-pod-options": {
        enforcementLevel: "mandatory",
        rationale: RESTRICTED_RATIONALE,
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "seccomp-profile": {
        enforcementLevel: "remediate",
        rationale:
            "Pod Security Standard 'restricted' control. remediate in every stack: adding it never weakens a setting (explicit Unconfined / true values are left alone and stay mandatory violations), and it also hardens chart-rendered workloads.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "drop-all-capabilities": {
        enforcementLevel: "remediate",
        rationale:
            "Pod Security Standard 'restricted' control. remediate in every stack: adding it never weakens a setting (explicit Unconfined / true values are left alone and stay mandatory violations), and it also hardens chart-rendered workloads.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-privilege-escalation": {
        enforcementLevel: "remediate",
        rationale:
            "Pod Security Standard 'restricted' control. remediate in every stack: adding it never weakens a setting (explicit Unconfined / true values are left alone and stay mandatory violations), and it also hardens chart-rendered workloads.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "read-only-root-filesystem": {
        enforcementLevel: "mandatory",
        rationale:
            "Beyond PSS: a writable root filesystem lets an attacker persist tooling; every platform container mounts /tmp as emptyDir instead. Operator namespaces run upstream images and are exempt.",
        exemptNamespaces: SYSTEM_NAMESPACES,
    },
    "automount-service-account-token": {
        enforcementLevel: "mandatory",
        rationale:
            "Beyond PSS: an unused API token is free lateral movement. Operators need theirs, so their namespaces are exempt. A service that uses the API gets a projected token of its own ServiceAccount, valid one hour at most.",
        exemptNamespaces: SYSTEM_NAMESPACES,
        maxTokenExpirationSeconds: 3600,
    },
    "no-secret-env-literals": {
        enforcementLevel: "mandatory",
        rationale:
            "A plaintext secret in a manifest or chart value leaks into Pulumi state, the Helm release and every reader of the object; there is no environment where that is acceptable.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-secret-env-values": {
        enforcementLevel: "mandatory",
        rationale:
            "A plaintext secret in a manifest or chart value leaks into Pulumi state, the Helm release and every reader of the object; there is no environment where that is acceptable.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-secrets-in-args": {
        enforcementLevel: "mandatory",
        rationale:
            "A plaintext secret in a manifest or chart value leaks into Pulumi state, the Helm release and every reader of the object; there is no environment where that is acceptable.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-secrets-in-probes": {
        enforcementLevel: "mandatory",
        rationale: "Probe headers are plain pod spec fields readable by anyone who can read the pod; a credential there leaks in every environment.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-secrets-in-configmaps": {
        enforcementLevel: "mandatory",
        rationale:
            "A plaintext secret in a manifest or chart value leaks into Pulumi state, the Helm release and every reader of the object; there is no environment where that is acceptable.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-secrets-in-annotations": {
        enforcementLevel: "mandatory",
        rationale:
            "A plaintext secret in a manifest or chart value leaks into Pulumi state, the Helm release and every reader of the object; there is no environment where that is acceptable.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "no-inline-chart-secrets": {
        enforcementLevel: "mandatory",
        rationale:
            "A plaintext secret in a manifest or chart value leaks into Pulumi state, the Helm release and every reader of the object; there is no environment where that is acceptable.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "helm-release-not-analyzed": {
        enforcementLevel: "advisory",
        rationale: "A helm.v3.Release hides its objects from every policy; said once per stack so the gap is visible, without blocking.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "container-resources": {
        enforcementLevel: "mandatory",
        rationale:
            "Without requests the scheduler overcommits and without limits one pod can starve a node; the sizing differs per stack but the rule does not.",
        exemptNamespaces: SYSTEM_NAMESPACES,
        requireCpuLimit: true,
    },
    "bounded-ephemeral-storage": {
        enforcementLevel: "advisory",
        rationale:
            "Unbounded ephemeral storage lets one pod fill a node's disk; advisory until every chart-rendered and operator-created container carries ephemeral-storage requests/limits.",
        exemptNamespaces: SYSTEM_NAMESPACES,
    },
    "readiness-probe": {
        enforcementLevel: "mandatory",
        rationale: "Rollouts and Services rely on readiness in every stack; dev must behave like production here.",
        exemptNamespaces: SYSTEM_NAMESPACES,
    },
    "liveness-probe": {
        enforcementLevel: "mandatory",
        rationale: "A wedged process must be restarted in every stack.",
        exemptNamespaces: SYSTEM_NAMESPACES,
    },
    "image-tag-not-latest": {
        enforcementLevel: "mandatory",
        rationale: "Mutable tags break rollbacks and drift detection everywhere, including dev.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "image-digest-pinned": {
        enforcementLevel: "advisory",
        rationale:
            "Advisory until the release pipeline writes image@sha256 references into Pulumi.production.yaml (it pins version tags today); then raise to mandatory.",
        exemptNamespaces: SYSTEM_NAMESPACES,
    },
    "allowed-image-registries": {
        enforcementLevel: "mandatory",
        rationale: "Supply-chain guard; a no-op while allowedRegistries is empty. Fill the list when the organisation mirrors its images.",
        exemptNamespaces: KUBE_NAMESPACES,
        allowedRegistries: [],
    },
    "service-type": {
        enforcementLevel: "mandatory",
        rationale: "All HTTP traffic enters through the edge (Ingress or Gateway); no stack needs NodePort, LoadBalancer or ExternalName Services.",
        exemptNamespaces: KUBE_NAMESPACES,
        allowedServiceTypes: ["ClusterIP"],
    },
    "no-service-external-ips": {
        enforcementLevel: "mandatory",
        rationale: "externalIPs let a namespace user intercept traffic to arbitrary IPs (CVE-2020-8554) in any cluster.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "ingress-tls": {
        enforcementLevel: "mandatory",
        rationale: "TLS is mandatory in production (the config refuses a production edge without it, too).",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "httproute-tls": {
        enforcementLevel: "mandatory",
        rationale: "TLS is mandatory in production; on Gateway API it lives on the listener the route attaches to.",
        exemptNamespaces: KUBE_NAMESPACES,
        httpsListenerNames: ["https"],
        httpsPorts: [443],
    },
    "namespace-pod-security-admission": {
        enforcementLevel: "mandatory",
        rationale: "Pod Security Admission is the backstop for pods the pack cannot see (operator-created pods, kubectl runs).",
        exemptNamespaces: KUBE_NAMESPACES,
        level: "restricted",
    },
    "no-default-namespace": {
        enforcementLevel: "mandatory",
        rationale: "The default namespace has no default-deny policy, quota or PSA labels in any cluster.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "pdb-allows-disruption": {
        enforcementLevel: "mandatory",
        rationale: "A zero-disruption budget blocks node drains and cluster upgrades.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "hpa-min-replicas": {
        enforcementLevel: "mandatory",
        rationale: "production runs at least 3 replicas (sizing anchors).",
        exemptNamespaces: KUBE_NAMESPACES,
        minReplicas: 3,
    },
    "pdb-for-replicated-workloads": {
        enforcementLevel: "mandatory",
        rationale: "Replicated workloads need a budget so drains keep them serving.",
        exemptNamespaces: SYSTEM_NAMESPACES,
    },
    "pdb-min-available-below-replicas": {
        enforcementLevel: "mandatory",
        rationale: "A budget equal to the replica count blocks every eviction.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "hpa-owned-deployment-no-replicas": {
        enforcementLevel: "mandatory",
        rationale: "Setting replicas next to an HPA resets the autoscaler on every deploy.",
        exemptNamespaces: KUBE_NAMESPACES,
    },
    "namespace-default-deny": {
        enforcementLevel: "mandatory",
        rationale:
            "Zero-trust networking is part of the platform contract in every environment; dev must fail where production traffic would be blocked. Operator namespaces are exempt: the operators' control-plane traffic (API server, admission webhooks) is not modelled by the platform's policies yet.",
        exemptNamespaces: SYSTEM_NAMESPACES,
    },
    "workload-network-policy": {
        enforcementLevel: "mandatory",
        rationale: "Every workload declares who may call it; without that the default-deny makes it unreachable or someone widens a namespace-wide rule.",
        exemptNamespaces: SYSTEM_NAMESPACES,
        workloadKinds: ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"],
    },
    "namespace-quota-and-limits": {
        enforcementLevel: "mandatory",
        rationale: "Quota and LimitRange bound the namespace's blast radius on a shared cluster.",
        exemptNamespaces: SYSTEM_NAMESPACES,
    },
};

/** What each environment changes in {@link BASE}: production none, dev and staging relax availability and TLS. */
export const OVERRIDES: Record<PackEnvironment, Record<string, PolicyOverride>> = {
    dev: {
        "required-labels": {
            labelDefaults: {
                environment: "dev",
            },
        },
        "pod-template-labels": {
            labelDefaults: {
                environment: "dev",
            },
        },
        "image-digest-pinned": {
            rationale: "Local builds and quick iterations use tags; digest pinning is informational.",
        },
        "ingress-tls": {
            enforcementLevel: "advisory",
            rationale: "The local cluster has no certificate issuer; plain HTTP is expected and reported for information.",
        },
        "httproute-tls": {
            enforcementLevel: "advisory",
            rationale: "The local Gateway may only have an HTTP listener.",
        },
        "pdb-allows-disruption": {
            enforcementLevel: "advisory",
            rationale: "Availability check; informational on a one-node dev cluster.",
        },
        "hpa-min-replicas": {
            enforcementLevel: "advisory",
            rationale: "dev runs one replica by design (sizing anchors); informational.",
            minReplicas: 2,
        },
        "pdb-for-replicated-workloads": {
            enforcementLevel: "advisory",
            rationale: "Availability check; dev runs single replicas.",
        },
        "pdb-min-available-below-replicas": {
            enforcementLevel: "advisory",
            rationale: "Availability check; informational in dev.",
        },
        "hpa-owned-deployment-no-replicas": {
            enforcementLevel: "advisory",
            rationale: "Availability check; dev does not autoscale.",
        },
        "namespace-quota-and-limits": {
            enforcementLevel: "advisory",
            rationale: "A single-tenant dev cluster may run without a ResourceQuota (platform:namespace.quota is optional); informational.",
        },
    },
    staging: {
        "required-labels": {
            labelDefaults: {
                environment: "staging",
            },
        },
        "pod-template-labels": {
            labelDefaults: {
                environment: "staging",
            },
        },
        "image-digest-pinned": {
            rationale: "Informational until the release pipeline resolves digests; the stack config pins by version tag.",
        },
        "ingress-tls": {
            rationale: "Staging is production-shaped and has a cert-manager issuer (letsencrypt-staging).",
        },
        "httproute-tls": {
            rationale: "Routes must attach to the Gateway's HTTPS listener, as in production.",
        },
        "pdb-allows-disruption": {
            rationale: "A zero-disruption budget blocks node drains and upgrades; staging must catch it before production.",
        },
        "hpa-min-replicas": {
            rationale: "staging runs HPA with minReplicas 2.",
            minReplicas: 2,
        },
    },
    production: {},
};

const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } => typeof v === "object" && v !== null && !Array.isArray(v);

// Objects merge field by field and keep the base's key order (the files' order); anything else is replaced whole.
function merged(base: JsonValue, override: JsonValue | undefined): JsonValue {
    if (override === undefined) return base;
    if (!isObject(base) || !isObject(override)) return override;
    const out: { [key: string]: JsonValue } = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? merged(base[k], v) : v;
    return out;
}

/** The pack config of one environment: {@link BASE} with its {@link OVERRIDES}. */
export function packConfig(env: PackEnvironment): Record<string, PolicyConfig> {
    const unknown = Object.keys(OVERRIDES[env]).filter((p) => !(p in BASE));
    if (unknown.length > 0) throw new Error(`policy/config/table.ts: ${env} overrides policies the base lacks: ${unknown.join(", ")}`);
    return Object.fromEntries(Object.entries(BASE).map(([name, c]) => [name, merged(c, OVERRIDES[env][name]) as PolicyConfig]));
}

/** The text of policy/config/<env>.json: two-space JSON and a final newline, as the files have always been. */
export function packConfigText(env: PackEnvironment): string {
    return `${JSON.stringify(packConfig(env), null, 2)}\n`;
}
