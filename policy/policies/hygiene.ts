// Workload hygiene: resources, probes, Service exposure, edge TLS, namespaces; images in images.ts.
import { LONG_RUNNING_KINDS, ContainerView, isClusterScoped, isPatchOrList, parseK8sType, parseQuantity, resourcedContainers } from "../lib/k8s";
import { DEFAULT_EXEMPT_NAMESPACES, ExemptConfig, PlatformResourcePolicy, podPolicy, resourcePolicy } from "../lib/policy";
import { arr, get, isUnknown, num, rec, str, stringMap } from "../lib/values";
import { allowedImageRegistries, imageDigestPinned, imageTagNotLatest } from "./images";

const base: ExemptConfig = { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES] };

interface ResourceConfig extends ExemptConfig {
    requireCpuLimit: boolean;
}

export const containerResources = podPolicy<ResourceConfig>({
    name: "container-resources",
    description: "Containers and init containers declare CPU and memory requests and limits, with requests not above limits.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["hygiene"],
    remediationSteps:
        "Set resources.requests.{cpu,memory} and resources.limits.{cpu,memory} on every container (the stack's sizing config: ~500m/512Mi in dev, ~2000m/2Gi in production). Set requireCpuLimit: false for a stack that deliberately runs without CPU limits.",
    defaults: { ...base, requireCpuLimit: true },
    schema: { requireCpuLimit: { type: "boolean", default: true, description: "Also require limits.cpu (memory limits are always required)." } },
    validate: ({ pod, config }, report) => {
        for (const [c, res] of resourcedContainers(pod)) {
            const need: [string, string][] = [
                ["requests", "cpu"],
                ["requests", "memory"],
                ["limits", "memory"],
            ];
            if (config.requireCpuLimit) need.push(["limits", "cpu"]);
            const miss = need.filter(([k, r]) => {
                const v = get(res, k, r);
                return !isUnknown(v) && v === undefined;
            });
            if (miss.length) report(`${c.label}: missing ${miss.map(([k, r]) => `${k}.${r}`).join(", ")}; set them under resources`);
            for (const r of ["cpu", "memory"]) {
                const req = parseQuantity(get(res, "requests", r));
                const lim = parseQuantity(get(res, "limits", r));
                if (req !== undefined && lim !== undefined && req > lim)
                    report(`${c.label}: requests.${r} is above limits.${r}; lower the request or raise the limit`);
            }
        }
    },
});

export const boundedEphemeralStorage = podPolicy({
    name: "bounded-ephemeral-storage",
    description:
        "Containers and init containers declare ephemeral-storage requests and limits, and every emptyDir volume has a sizeLimit, so one pod cannot fill the node's disk.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["hygiene", "storage"],
    remediationSteps:
        'Set resources.requests["ephemeral-storage"] and resources.limits["ephemeral-storage"] on every container (e.g. 64Mi/256Mi), and emptyDir.sizeLimit on every emptyDir volume (at most the container\'s limit). The kubelet evicts a pod that exceeds them instead of letting it fill the node.',
    defaults: base,
    validate: ({ pod }, report) => {
        for (const [c, res] of resourcedContainers(pod)) {
            const miss = ["requests", "limits"].filter((k) => {
                const v = get(res, k, "ephemeral-storage");
                return !isUnknown(v) && (v === undefined || v === null);
            });
            if (miss.length)
                report(
                    `${c.label}: missing ${miss.map((k) => `resources.${k}["ephemeral-storage"]`).join(", ")}; set ephemeral-storage requests and limits (e.g. 64Mi/256Mi)`,
                );
        }
        for (const v of arr(pod.spec["volumes"])) {
            const ed = get(v, "emptyDir");
            if (ed === undefined || ed === null || isUnknown(ed)) continue;
            const size = get(ed, "sizeLimit");
            if (!isUnknown(size) && (size === undefined || size === null))
                report(`volume "${str(get(v, "name")) ?? "?"}" is an emptyDir without sizeLimit; set emptyDir.sizeLimit (e.g. 64Mi)`);
        }
    },
});

/** Regular containers plus restartable (sidecar) init containers: the ones kubelet probes. */
function probedContainers(containers: ContainerView[]): ContainerView[] {
    return containers.filter((c) => c.kind === "container" || (c.kind === "initContainer" && c.spec["restartPolicy"] === "Always"));
}

function probePolicy(kind: "readinessProbe" | "livenessProbe", name: string, why: string): PlatformResourcePolicy {
    return podPolicy({
        name,
        description: `Long-running containers define a ${kind} (${why}).`,
        severity: "medium",
        enforcementLevel: "mandatory",
        tags: ["hygiene", "availability"],
        kinds: LONG_RUNNING_KINDS,
        remediationSteps: `Add ${kind} with an httpGet (the Microservice defaults: readiness /health 10/5/3, liveness 30/10/5), tcpSocket, grpc or exec handler. Jobs and CronJobs are not checked.`,
        defaults: base,
        validate: ({ pod }, report) => {
            for (const c of probedContainers(pod.containers)) {
                const p = c.spec[kind];
                if (isUnknown(p)) continue;
                const handler = ["httpGet", "tcpSocket", "grpc", "exec"].some((h) => get(p, h) !== undefined);
                if (p === undefined || p === null) report(`${c.label}: no ${kind}; add one with an httpGet, tcpSocket, grpc or exec handler`);
                else if (!handler) report(`${c.label}: ${kind} has no handler (httpGet, tcpSocket, grpc or exec); add one`);
            }
        },
    });
}

export const readinessProbe = probePolicy("readinessProbe", "readiness-probe", "so traffic only reaches ready pods and rollouts wait for them");
export const livenessProbe = probePolicy("livenessProbe", "liveness-probe", "so a wedged process is restarted");

interface ServiceConfig extends ExemptConfig {
    allowedServiceTypes: string[];
}

export const serviceType = resourcePolicy<ServiceConfig>({
    name: "service-type",
    description: "Services use an allowed type (ClusterIP by default); LoadBalancer, NodePort and ExternalName only where a stack allows them.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: ["network"],
    remediationSteps:
        "Use type ClusterIP and expose HTTP through the edge (Ingress or Gateway HTTPRoute). If a stack really needs NodePort or LoadBalancer, add it to allowedServiceTypes in that stack's policy config.",
    defaults: { ...base, allowedServiceTypes: ["ClusterIP"] },
    schema: {
        allowedServiceTypes: {
            type: "array",
            items: { type: "string", enum: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] },
            default: ["ClusterIP"],
            description: "Service types allowed in this stack.",
        },
    },
    appliesTo: (kind) => kind === "Service",
    validate: ({ props, config }, report) => {
        const t = get(props, "spec", "type");
        if (isUnknown(t)) return;
        const type = str(t) ?? "ClusterIP";
        if (!config.allowedServiceTypes.includes(type))
            report(
                `Service type ${type} is not allowed (allowed: ${config.allowedServiceTypes.join(", ")}); use an allowed type and expose HTTP through the edge`,
            );
    },
});

export const noServiceExternalIps = resourcePolicy({
    name: "no-service-external-ips",
    description: "Services must not set spec.externalIPs (lets a namespace user intercept traffic to any IP, CVE-2020-8554).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: ["network"],
    remediationSteps: "Remove spec.externalIPs; expose traffic through the edge (Ingress/Gateway) or an allowed LoadBalancer Service.",
    defaults: base,
    appliesTo: (kind) => kind === "Service",
    validate: ({ props }, report) => {
        const ips = arr(get(props, "spec", "externalIPs")).filter((x) => !isUnknown(x));
        if (ips.length) report(`Service sets externalIPs: ${ips.map(String).join(", ")}; remove spec.externalIPs`);
    },
});

/** True when a TLS host entry (possibly *.wildcard) covers the rule host. */
function hostCovered(host: string, tlsHosts: string[]): boolean {
    return tlsHosts.some((t) => t === host || (t.startsWith("*.") && host.endsWith(t.slice(1)) && !host.slice(0, host.length - t.length + 1).includes(".")));
}

export const ingressTls = resourcePolicy({
    name: "ingress-tls",
    description: "Ingresses terminate TLS for every host they route (spec.tls covers each rule host).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: ["network", "edge"],
    remediationSteps:
        "Add spec.tls with the rule hosts and a secretName; let cert-manager issue it (cert-manager.io/cluster-issuer annotation). The Edge component does this when edge.tls is configured for the stack.",
    defaults: base,
    appliesTo: (kind) => kind === "Ingress",
    validate: ({ props }, report) => {
        const tls = get(props, "spec", "tls");
        const rules = get(props, "spec", "rules");
        if (isUnknown(tls) || isUnknown(rules)) return;
        const entries = arr(tls)
            .map(rec)
            .filter((x) => !!x);
        if (entries.length === 0)
            return report("Ingress has no spec.tls: traffic is served over plain HTTP; add spec.tls with the rule hosts and a secretName");
        const tlsHosts = entries.flatMap((e) =>
            arr(e?.["hosts"])
                .map(str)
                .filter((h): h is string => !!h),
        );
        for (const r of arr(rules)) {
            const host = str(get(r, "host"));
            if (host && !hostCovered(host, tlsHosts)) report(`host ${host} is not covered by spec.tls; add it to a spec.tls[].hosts entry`);
        }
        entries.forEach((e, i) => {
            if (!str(e?.["secretName"]) && !isUnknown(e?.["secretName"]))
                report(`spec.tls[${i}] has no secretName; name the TLS Secret (or let cert-manager issue it)`);
        });
    },
});

interface RouteConfig extends ExemptConfig {
    httpsListenerNames: string[];
    httpsPorts: number[];
}

export const httpRouteTls = resourcePolicy<RouteConfig>({
    name: "httproute-tls",
    description: "HTTPRoutes attach only to HTTPS listeners: every Gateway parentRef names an HTTPS listener (sectionName) or port 443.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: ["network", "edge"],
    remediationSteps:
        "TLS for Gateway API lives on the Gateway listener, so pin the route to it: parentRefs[].sectionName: https (or port: 443). An unpinned parentRef attaches to every listener, including plain HTTP. List your Gateway's HTTPS listener names in httpsListenerNames.",
    defaults: { ...base, httpsListenerNames: ["https"], httpsPorts: [443] },
    schema: {
        httpsListenerNames: { type: "array", items: { type: "string" }, default: ["https"], description: "Gateway listener names that terminate TLS." },
        httpsPorts: { type: "array", items: { type: "integer" }, default: [443], description: "Gateway listener ports that terminate TLS." },
    },
    appliesTo: (kind, type) => kind === "HTTPRoute" && type.startsWith("kubernetes:gateway.networking.k8s.io/"),
    validate: ({ props, config }, report) => {
        const refs = get(props, "spec", "parentRefs");
        if (isUnknown(refs)) return;
        const gatewayRefs = arr(refs).filter((r) => (str(get(r, "kind")) ?? "Gateway") === "Gateway");
        if (arr(refs).length === 0) return report("HTTPRoute has no parentRefs; attach it to a Gateway HTTPS listener");
        for (const r of gatewayRefs) {
            const gw = str(get(r, "name")) ?? "?";
            const section = get(r, "sectionName");
            const port = get(r, "port");
            if (isUnknown(section) || isUnknown(port)) continue;
            const s = str(section);
            const p = num(port);
            if (s !== undefined && config.httpsListenerNames.includes(s)) continue;
            if (p !== undefined && config.httpsPorts.includes(p)) continue;
            report(
                `parentRef Gateway ${gw} ${s !== undefined ? `listener ${s} is not an HTTPS listener` : p !== undefined ? `port ${p} is not an HTTPS port` : "does not pin an HTTPS listener (set sectionName or port)"} (HTTPS listeners: ${config.httpsListenerNames.join(", ")}; ports: ${config.httpsPorts.join(", ")}); pin an HTTPS listener with sectionName or port`,
            );
        }
    },
});

interface PssConfig extends ExemptConfig {
    level: string;
}

export const namespacePodSecurity = resourcePolicy<PssConfig>({
    name: "namespace-pod-security-admission",
    description:
        "Namespaces enforce the restricted Pod Security Standard through Pod Security Admission labels, which also covers pods created later by operators and controllers.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: ["pod-security"],
    remediationSteps:
        "Label the Namespace pod-security.kubernetes.io/enforce: restricted (NamespaceBaseline does). Operator namespaces that need more are listed in exemptNamespaces.",
    defaults: { ...base, level: "restricted" },
    schema: { level: { type: "string", enum: ["restricted", "baseline"], default: "restricted", description: "Minimum enforce level." } },
    appliesTo: (kind) => kind === "Namespace",
    validate: ({ props, config }, report) => {
        const labels = get(props, "metadata", "labels");
        if (isUnknown(labels)) return;
        const v = stringMap(labels)?.["pod-security.kubernetes.io/enforce"];
        const rank = (l: string | undefined) => ["privileged", "baseline", "restricted"].indexOf(l ?? "privileged");
        if (rank(v) < rank(config.level))
            report(
                `pod-security.kubernetes.io/enforce is ${v ?? "not set"} (need ${config.level}); label the Namespace pod-security.kubernetes.io/enforce: ${config.level}`,
            );
    },
});

export const noDefaultNamespace = resourcePolicy({
    name: "no-default-namespace",
    description: "Namespaced resources live in a platform namespace, not in `default`.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["hygiene"],
    remediationSteps:
        "Set metadata.namespace to the namespace created by NamespaceBaseline (or set namespace on the chart). The `default` namespace has no default-deny policy, quota or Pod Security labels.",
    defaults: base,
    appliesTo: (kind, type) => !!parseK8sType(type) && !isPatchOrList(kind) && !isClusterScoped(kind),
    validate: ({ namespace }, report) => {
        if (namespace === "default")
            report('resource is in the default namespace (metadata.namespace unset or "default"); set metadata.namespace to a platform namespace');
    },
});

export const hygienePolicies: PlatformResourcePolicy[] = [
    containerResources,
    boundedEphemeralStorage,
    readinessProbe,
    livenessProbe,
    imageTagNotLatest,
    imageDigestPinned,
    allowedImageRegistries,
    serviceType,
    noServiceExternalIps,
    ingressTls,
    httpRouteTls,
    namespacePodSecurity,
    noDefaultNamespace,
];
