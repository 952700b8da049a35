// Schema of what one pod is made of: named ports, probes, extra containers, volumes, RBAC rules, env sources.
import { z } from "zod";
import { DEFAULT_SECRET_DETECTION, headerFindings, httpPathFinding } from "../../policy/vocab";
import { DEFAULTS } from "./defaults";
import { labelKeyProblem, labelValueProblem } from "./grammar";
import { CONFIG_KEY, ENV_NAME, cpu, dnsLabel, image, memory, req, urlProblem } from "./validators";

/** IANA service name, as Kubernetes requires for port names: ≤ 15 characters, lowercase, at least one letter. */
export const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** An HTTP request target for a probe: a path, optionally with a query string (`/health?full=1`). */
export const PROBE_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%\/-]*(\?[A-Za-z0-9._~!$&'()*+,;=:@%\/?-]*)?$/;
/** HTTP header field name as the apiserver accepts it in a probe (IsHTTPHeaderName: Go's stricter subset of an RFC 9110 token). */
export const HEADER_NAME = /^[-A-Za-z0-9]+$/;
/** Characters an HTTP header value cannot carry (controls but HTAB): Go's HTTP client refuses to send such a request. */
const HEADER_VALUE_CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/** Application protocols a port may speak; each maps to a Service `appProtocol`, a transport and a URL scheme. */
export const PORT_PROTOCOLS = ["http", "https", "h2c", "grpc", "tcp", "udp"] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];
/** Probe handlers; `none` declares that the container is not probed (refused for readiness and liveness of a service). */
export const PROBE_TYPES = ["http", "grpc", "tcp", "exec", "none"] as const;
export type ProbeType = (typeof PROBE_TYPES)[number];
/** The only capability the restricted Pod Security Standard lets a container add. */
export const ADDABLE_CAPABILITIES = ["NET_BIND_SERVICE"] as const;
/** RBAC verbs a service may be granted; escalate, bind, impersonate and `*` are never offered. */
export const RBAC_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"] as const;

const portNumber = (what: string) =>
    z
        .number({ error: req(`must be a port number (${what})`) })
        .int({ error: "must be a whole number" })
        .min(1, { error: "must be between 1 and 65535" })
        .max(65535, { error: "must be between 1 and 65535" });
const portName = z
    .string({ error: "must be a port name" })
    .regex(PORT_NAME, { error: "must be a port name: at most 15 lowercase letters, digits and '-', with at least one letter, e.g. \"grpc\"" });

/** One named port of a service. `port` is what clients dial on the Service; `containerPort` what the process listens on. */
export const portSchema = z
    .object({
        name: portName,
        /** Service port. */
        port: portNumber("Service port"),
        /** Port the container listens on. Defaults to `port`. */
        containerPort: portNumber("container port").optional(),
        /** Application protocol. Defaults to "http". */
        protocol: z.enum(PORT_PROTOCOLS, { error: `must be one of ${PORT_PROTOCOLS.join(", ")}` }).default("http"),
        /** Service `appProtocol`; defaults to the one derived from `protocol` (http, https, kubernetes.io/h2c, grpc; none for tcp/udp). */
        appProtocol: z.string().min(1).max(63).optional(),
        /** Container (a sidecar's name) that listens on this port. Defaults to the main container. */
        container: dnsLabel("container").optional(),
    })
    .strict();

/**
 * One probe request header. The kubelet sends the value as written: it expands no `$(VAR)` here (only command, args
 * and env are expanded), so a value is a constant — never a credential (the same judgment as the pack's
 * no-secrets-in-probes, whose detector this uses).
 */
const httpHeader = z
    .object({
        name: z
            .string({ error: 'must be a header name such as "X-Probe"' })
            .regex(HEADER_NAME, { error: "must be an HTTP header name as Kubernetes accepts it in a probe: letters, digits and '-' only, e.g. \"X-Probe\"" }),
        value: z.string({ error: "must be a string" }).refine((v) => !HEADER_VALUE_CONTROL.test(v), {
            error: "contains a line break or another control character, which no HTTP header value may carry (the kubelet's request would fail on every probe); write it on one line",
        }),
    })
    .strict();

/**
 * One probe. `type` picks the handler; without `type`, a `path` means http. Handler fields and timings are merged
 * from platform:defaults unless the service names its own `type` (then only its own handler fields count).
 */
export const probeSchema = z
    .object({
        /** http, grpc, tcp, exec or none (startupProbe only: readiness and liveness are required). Defaults to http (from platform:defaults or the code default). */
        type: z.enum(PROBE_TYPES, { error: `must be one of ${PROBE_TYPES.join(", ")}` }).optional(),
        /** http: request path, query string allowed. Defaults to "/health". */
        path: z
            .string()
            .regex(PROBE_PATH, { error: "must be an HTTP path starting with '/' (a query string is allowed), e.g. \"/health?ready=1\"" })
            .optional(),
        /** http/grpc/tcp: a declared port name or a port number. Defaults to the service's first port. */
        port: z.union([portName, portNumber("probe port")], { error: "must be a declared port name or a port number" }).optional(),
        /** http: HTTP or HTTPS. Defaults to HTTPS for an https port, HTTP otherwise. */
        scheme: z.enum(["HTTP", "HTTPS"], { error: "must be HTTP or HTTPS" }).optional(),
        /** http: request headers (literal values in the pod spec: never credentials). */
        httpHeaders: z.array(httpHeader).optional(),
        /** grpc: service name sent in the gRPC health check request. Defaults to "" (the server's overall health). */
        service: z.string().optional(),
        /** exec: command run in the container; exit 0 is healthy. */
        command: z.array(z.string()).min(1, { error: "must list the command to run" }).optional(),
        /** Never accepted: the kubelet probes the pod's IP, and Pod Security baseline (Kubernetes ≥ 1.34) refuses any probe host. */
        host: z
            .never({
                error: "is not allowed: the kubelet probes the pod's own IP, and Pod Security baseline (Kubernetes 1.34+) refuses any probe host, localhost and 127.0.0.1 included; remove it and have the process listen on the pod IP (or use type: exec for a localhost-only check)",
            })
            .optional(),
        initialDelaySeconds: z.number().int().min(0).optional(),
        periodSeconds: z.number().int().min(1).optional(),
        timeoutSeconds: z.number().int().min(1).optional(),
        failureThreshold: z.number().int().min(1).optional(),
    })
    .strict()
    .superRefine((p, ctx) => {
        const type = p.type ?? (p.command ? "exec" : "http");
        const foreign: [keyof typeof p, readonly ProbeType[]][] = [
            ["path", ["http"]],
            ["scheme", ["http"]],
            ["httpHeaders", ["http"]],
            ["service", ["grpc"]],
            ["command", ["exec"]],
            ["port", ["http", "grpc", "tcp"]],
        ];
        for (const [field, types] of foreign) {
            if (p[field] !== undefined && !types.includes(type)) {
                ctx.addIssue({
                    code: "custom",
                    path: [field],
                    message: `does not apply to a ${type} probe (it belongs to ${types.join("/")} probes); remove it or set type`,
                });
            }
        }
        if (type === "exec" && !p.command)
            ctx.addIssue({ code: "custom", path: ["command"], message: 'is required for an exec probe, e.g. ["/bin/healthcheck"]' });
        // Credentials, judged exactly as the pack's no-secrets-in-probes judges the rendered object: a header whose value
        // is a $(VAR) reference or a constant passes (the kubelet sends it as written), a literal credential does not.
        for (const f of headerFindings(p.httpHeaders ?? [], DEFAULT_SECRET_DETECTION)) {
            const m = /^httpHeaders\[([0-9]+)\] \((.*?)\) (.*)$/.exec(f);
            if (!m) continue;
            ctx.addIssue({
                code: "custom",
                path: ["httpHeaders", Number(m[1]), "value"],
                message: `of "${m[2]}" ${m[3]}; probe headers are plaintext in the pod spec and cannot read a Secret: serve the probe without credentials, or use an exec probe that reads a mounted Secret file`,
            });
        }
        if (typeof p.path === "string") {
            const why = httpPathFinding(p.path, DEFAULT_SECRET_DETECTION);
            if (why)
                ctx.addIssue({
                    code: "custom",
                    path: ["path"],
                    message: `${why}; a probe path is plaintext in the pod spec: serve the probe without credentials`,
                });
        }
    });

/** A service secret as one env var: the value is read from platform:<secret> (set with --secret). */
export const secretEnvSchema = z
    .object({
        name: z.string().regex(ENV_NAME, { error: "must be an environment variable name" }),
        secret: z.string().regex(CONFIG_KEY, { error: "must be a camelCase config key name (the value is read from platform:<secret> with --secret)" }),
    })
    .strict();

/** Every key of an existing Secret as env (`envFrom.secretRef`), beside the per-key secretEnv. */
export const envFromSchema = z
    .object({
        /** Name of a Secret in the platform namespace: one the platform creates or one created out of band. */
        secretRef: dnsLabel("secret", 253),
        /** Prefix for every variable name. Defaults to none. */
        prefix: z
            .string()
            .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "must be an environment variable name prefix" })
            .optional(),
        /** When true the pod starts even if the Secret is absent. Defaults to false. */
        optional: z.boolean().optional(),
    })
    .strict();

const containerQuantities = z.object({ cpu: cpu.optional(), memory: memory.optional(), ephemeralStorage: memory.optional() }).strict();
const containerResources = z
    .object({
        requests: containerQuantities.optional(),
        limits: containerQuantities.optional(),
    })
    .strict();

const plainEnv = z.record(z.string().regex(ENV_NAME, { error: "must be an environment variable name" }), z.string({ error: "must be a string" }));

/** An absolute path in a container's filesystem. */
const absolutePath = z
    .string({ error: 'must be an absolute path such as "/var/lib/app"' })
    .regex(/^\/[^\0]*$/, { error: 'must be an absolute path such as "/var/lib/app"' });

/** Why `v` is not a subPath the apiserver accepts (relative, no `..` element), or undefined. */
export function subPathProblem(v: string): string | undefined {
    if (v === "") return "must not be empty; leave subPath out to mount the whole volume";
    if (v.startsWith("/"))
        return `"${v}" is absolute, but a subPath is relative to the volume's root (Kubernetes refuses an absolute one): write "${v.replace(/^\/+/, "")}"`;
    if (v.split("/").includes("..")) return `"${v}" steps out of the volume with "..", which Kubernetes refuses; name a path inside the volume`;
    return undefined;
}

/**
 * One mount of a service volume into one container: where this container sees it, optionally only one path inside
 * it (`subPath`), optionally read-only. A container may mount one volume at several paths.
 */
export const volumeMountSchema = z
    .object({
        /** Name of one of the service's `volumes`. */
        volume: dnsLabel("volume", 40),
        /** Where this container sees it. */
        mountPath: absolutePath,
        /** Mount only this path inside the volume: relative to its root, without "..". Defaults to the whole volume. */
        subPath: z
            .string({ error: 'must be a path inside the volume, e.g. "seed"' })
            .superRefine((v, ctx) => {
                const problem = subPathProblem(v);
                if (problem) ctx.addIssue({ code: "custom", message: problem });
            })
            .optional(),
        /** Mount read-only. Defaults to the volume's own readOnly (false). */
        readOnly: z.boolean().optional(),
    })
    .strict();

/** A container's mount: a volume name (at the volume's own mountPath) or a {@link volumeMountSchema} entry. */
export const containerMountSchema = z.union([dnsLabel("volume"), volumeMountSchema], {
    error: "must be a volume name or a mount such as { volume: data, mountPath: /seed, subPath: seed }",
});

/** Fields shared by sidecars and init containers. */
const extraContainerFields = {
    name: dnsLabel("container"),
    image,
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    /** Literal env (never secrets; `$(VAR)` may reference secretEnv). Defaults to none. */
    env: plainEnv.default({}),
    secretEnv: z.array(secretEnvSchema).default([]),
    /** Requests/limits. Defaults to requests 50m/64Mi/16Mi ephemeral storage, limits 200m/128Mi/128Mi. */
    resources: containerResources.optional(),
    /**
     * Volumes to mount: a volume's name (at the volume's own mountPath) or { volume, mountPath, subPath?, readOnly? }
     * (at a path of this container's own, e.g. an init container that fills the volume). Defaults to none.
     */
    volumeMounts: z.array(containerMountSchema).default([]),
};

/** A long-running helper container (native sidecar: started before and stopped after the main container). */
export const sidecarSchema = z
    .object({
        ...extraContainerFields,
        /** Ports the sidecar listens on (pod-local unless a service port names this container). Defaults to none. */
        ports: z
            .array(z.object({ name: portName, containerPort: portNumber("container port"), protocol: z.enum(["TCP", "UDP"]).default("TCP") }).strict())
            .default([]),
        readinessProbe: probeSchema.optional(),
        livenessProbe: probeSchema.optional(),
        startupProbe: probeSchema.optional(),
    })
    .strict();

/** A run-to-completion container that runs before the sidecars and the main container start. */
export const initContainerSchema = z
    .object({
        ...extraContainerFields,
        command: z.array(z.string()).min(1, { error: "must list the command the init container runs" }),
    })
    .strict();

/**
 * A volume of the service's pod, mounted into the main container at `mountPath` (and into the sidecars/init
 * containers that list it in their volumeMounts). Without `mountPath` only the containers that mount it explicitly
 * see it (the main container through the service's `volumeMounts`).
 */
export const volumeSchema = z
    .object({
        name: dnsLabel("volume", 40),
        /** Where the main container (and every container listing it by name) mounts it. Defaults to none: explicit mounts only. */
        mountPath: absolutePath.optional(),
        /** Mount read-only wherever it is mounted (a persistent one: the claim itself). Defaults to false. */
        readOnly: z.boolean().optional(),
        /** emptyDir (scratch, lost with the pod) or persistent (a PersistentVolumeClaim that outlives pods). Defaults to emptyDir. */
        type: z.enum(["emptyDir", "persistent"], { error: "must be emptyDir or persistent" }).default("emptyDir"),
        /** persistent: claim size; emptyDir: sizeLimit. Required for persistent. */
        size: memory.optional(),
        storageClass: z.string().min(1).optional(),
        /** persistent: access mode. Defaults to ReadWriteOnce. */
        accessMode: z.enum(["ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany", "ReadOnlyMany"]).optional(),
        /** persistent: keep the claim (and its data) when the service or the stack is deleted. Defaults to true. */
        retain: z.boolean().optional(),
    })
    .strict()
    .superRefine((v, ctx) => {
        if (v.type === "persistent" && !v.size) ctx.addIssue({ code: "custom", path: ["size"], message: 'is required for a persistent volume, e.g. "5Gi"' });
        if (v.type === "emptyDir") {
            for (const k of ["storageClass", "accessMode", "retain"] as const) {
                if (v[k] !== undefined)
                    ctx.addIssue({ code: "custom", path: [k], message: "applies to persistent volumes only; set type: persistent or remove it" });
            }
        }
    });

/** Kubernetes' shortest projected token lifetime, and the longest the policy pack accepts by default. */
export const MIN_TOKEN_SECONDS = 600;
export const MAX_TOKEN_SECONDS = 3600;
/** Volume that carries the API token of a service with RBAC rules, and where in-cluster clients look for it. */
export const API_TOKEN_VOLUME = "kube-api-access";
export const API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

/** One least-privilege RBAC rule of the service's Role. */
export const rbacRuleSchema = z
    .object({
        /** API groups; "" is the core group. */
        apiGroups: z
            .array(
                z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/, { error: 'must be an API group such as "" (core) or "apps"; wildcards are refused' }),
            )
            .min(1),
        resources: z
            .array(z.string().regex(/^[a-z][a-z0-9]*(\/[a-z]+)?$/, { error: 'must be a resource such as "configmaps" or "pods/log"; wildcards are refused' }))
            .min(1),
        /** Restrict the rule to these object names. Required for secrets. */
        resourceNames: z.array(z.string().min(1)).optional(),
        verbs: z.array(z.enum(RBAC_VERBS, { error: `must be one of ${RBAC_VERBS.join(", ")} (escalate, bind, impersonate and * are refused)` })).min(1),
    })
    .strict()
    .superRefine((r, ctx) => {
        if (r.resources.includes("secrets") && !r.resourceNames) {
            ctx.addIssue({
                code: "custom",
                path: ["resourceNames"],
                message: "is required for secrets: reading every Secret of the namespace means reading every credential; name the Secrets",
            });
        }
        for (const res of ["roles", "rolebindings", "clusterroles", "clusterrolebindings"]) {
            if (r.resources.includes(res))
                ctx.addIssue({
                    code: "custom",
                    path: ["resources"],
                    message: `"${res}" would let the service grant itself permissions, which is not allowed; remove it`,
                });
        }
    });

/** Ports an OTLP endpoint without an explicit port is reached on, by protocol. */
export const OTLP_DEFAULT_PORTS = { grpc: 4317, "http/protobuf": 4318 } as const;

/** OpenTelemetry exporter settings, rendered as the SDKs' standard OTEL_* env. */
export const otelSchema = z
    .object({
        /** OTLP endpoint, e.g. "http://otel-collector.observability:4317" or "http://localhost:4317" (a sidecar agent). */
        endpoint: z
            .string()
            .regex(/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?\/?$/, {
                error: 'must be an http(s) URL with a host and optional port, e.g. "http://otel-collector.observability:4317"',
            })
            .superRefine((v, ctx) => {
                const problem = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?\/?$/.test(v) ? urlProblem(v, "http://otel-collector.observability:4317") : undefined;
                if (problem) ctx.addIssue({ code: "custom", message: problem });
            })
            .optional(),
        /** OTLP protocol. Defaults to "grpc". */
        protocol: z.enum(["grpc", "http/protobuf"], { error: "must be grpc or http/protobuf" }).optional(),
        /** Namespace of the collector pods: the service's NetworkPolicy admits egress there on the endpoint's port. Not needed for localhost. */
        collectorNamespace: dnsLabel("namespace").optional(),
        /** Extra OTEL_RESOURCE_ATTRIBUTES beside service.namespace, service.version and deployment.environment. Defaults to none. */
        resourceAttributes: z
            .record(
                z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'must be an attribute key such as "team.name"' }),
                z.string().regex(/^[^,=\s]*$/, { error: "must not contain ',', '=' or spaces" }),
            )
            .optional(),
    })
    .strict();

/** Toleration operators: Equal matches the taint's key and value, Exists any value of the key (or, without a key, every taint). */
export const TOLERATION_OPERATORS = ["Equal", "Exists"] as const;
/** Taint effects a toleration may name; without one it tolerates every effect. */
export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/**
 * Node labels the pods must match (the pod's `nodeSelector`): label key → value, both checked as the apiserver
 * checks them. A value that YAML reads as a number or boolean (`true`, `1`) must be quoted.
 */
export const nodeSelectorSchema = z
    .record(
        z.string(),
        z.string().superRefine((v, ctx) => {
            const problem = labelValueProblem(v);
            if (problem) ctx.addIssue({ code: "custom", message: `the value ${problem}` });
        }),
    )
    .superRefine(
        (m, ctx) => {
            for (const k of Object.keys(m)) {
                // An empty key has no config path of its own: it is reported on the map.
                if (k === "") ctx.addIssue({ code: "custom", path: [], message: 'has an empty key; a node label key needs a name, e.g. "kubernetes.io/os"' });
                const problem = k === "" ? undefined : labelKeyProblem(k);
                if (problem) ctx.addIssue({ code: "custom", path: [k], message: `the key ${problem}` });
            }
        },
        { when: (payload) => typeof payload.value === "object" && payload.value !== null && !Array.isArray(payload.value) },
    );

/** One taint the pods tolerate (a pod `tolerations` entry), checked as the apiserver checks it (ValidateTolerations). */
export const tolerationSchema = z
    .object({
        /** The taint's key (a label key). Omit it, with operator Exists, to tolerate every taint. */
        key: z.string({ error: 'must be a taint key such as "dedicated"' }).optional(),
        /** Equal (the taint's value must equal `value`) or Exists (any value). Defaults to Equal. */
        operator: z.enum(TOLERATION_OPERATORS, { error: `must be ${TOLERATION_OPERATORS.join(" or ")}` }).optional(),
        /** The taint's value (a label value); Equal only. Defaults to "". */
        value: z.string().optional(),
        /** The effect tolerated. Defaults to every effect. */
        effect: z.enum(TAINT_EFFECTS, { error: `must be one of ${TAINT_EFFECTS.join(", ")} (or omit it to tolerate every effect)` }).optional(),
        /** NoExecute only: seconds the pod stays on a node after the taint appears (0 evicts it at once). Defaults to no limit. */
        tolerationSeconds: z
            .number({ error: req("must be a number of seconds") })
            .int({ error: "must be a whole number of seconds" })
            .min(0, { error: "must be 0 or more: the seconds a pod stays on the node after a NoExecute taint appears (0 evicts it at once)" })
            .optional(),
    })
    .strict()
    .superRefine(
        (t, ctx) => {
            // Runs even when a field has the wrong type or enum value, so every problem of the entry is listed at once;
            // each rule only reads the fields that parsed.
            const operator = t.operator === undefined ? "Equal" : (TOLERATION_OPERATORS as readonly string[]).includes(t.operator) ? t.operator : undefined;
            const key = typeof t.key === "string" ? t.key : undefined;
            if (key) {
                const problem = labelKeyProblem(key);
                if (problem) ctx.addIssue({ code: "custom", path: ["key"], message: problem });
            } else if (operator === "Equal" && (t.key === undefined || key === "")) {
                ctx.addIssue({
                    code: "custom",
                    path: ["operator"],
                    message: `${t.operator ? "is Equal" : "defaults to Equal"}, which needs a key; set key to the taint's key, or operator: Exists (without a key, that tolerates every taint)`,
                });
            }
            if (typeof t.value === "string") {
                if (operator === "Exists" && t.value !== "") {
                    ctx.addIssue({
                        code: "custom",
                        path: ["value"],
                        message: "must be empty when operator is Exists (Exists matches any value of the key); remove value, or set operator: Equal",
                    });
                } else if (operator === "Equal") {
                    const problem = labelValueProblem(t.value);
                    if (problem) ctx.addIssue({ code: "custom", path: ["value"], message: problem });
                }
            }
            if (
                t.tolerationSeconds !== undefined &&
                t.effect !== "NoExecute" &&
                (t.effect === undefined || (TAINT_EFFECTS as readonly string[]).includes(t.effect))
            ) {
                ctx.addIssue({
                    code: "custom",
                    path: ["tolerationSeconds"],
                    message: `applies to effect NoExecute only (how long the pod stays on a node after such a taint appears), and effect is ${t.effect ?? "not set"}; set effect: NoExecute or remove tolerationSeconds`,
                });
            }
        },
        { when: (payload) => typeof payload.value === "object" && payload.value !== null && !Array.isArray(payload.value) },
    );

/** Pieces of a service's pod beyond the main container; spread into the service schema. */
export const workloadShape = {
    /** Named ports; a service without ports gets no Service object. Alternative to `port`. */
    ports: z.array(portSchema).min(1, { error: "must list at least one port, or remove ports for a workload without a Service" }).optional(),
    /** Startup probe (gates liveness/readiness until the app has started). Defaults to none. */
    startupProbe: probeSchema.optional(),
    /**
     * Linux capabilities to add back after drop ALL, main container only. Only NET_BIND_SERVICE (bind ports below 1024),
     * and a non-root process holds it only when its binary carries the file capability (`setcap
     * cap_net_bind_service=+ep`): Kubernetes sets no ambient capabilities. Prefer a high containerPort behind the low
     * Service port. Defaults to none.
     */
    capabilities: z
        .object({
            add: z
                .array(z.enum(ADDABLE_CAPABILITIES, { error: 'only NET_BIND_SERVICE may be added (the one capability Pod Security "restricted" allows)' }))
                .default([]),
        })
        .strict()
        .optional(),
    sidecars: z.array(sidecarSchema).default([]),
    initContainers: z.array(initContainerSchema).default([]),
    volumes: z.array(volumeSchema).default([]),
    /** More mounts of the main container: a volume at another path, or one subPath of it. Defaults to none. */
    volumeMounts: z.array(volumeMountSchema).default([]),
    /** Existing Secrets consumed whole as env. Defaults to none. */
    envFrom: z.array(envFromSchema).default([]),
    /**
     * Role rules bound to the service's ServiceAccount. Only a service with rules gets an API credential: a projected,
     * short-lived token (plus CA and namespace) in its main container; the pod never automounts one. Defaults to none.
     */
    rbac: z
        .object({
            rules: z.array(rbacRuleSchema).min(1, { error: "must list at least one rule, or remove rbac" }),
            /** Lifetime of the projected token, 600–3600 s (the kubelet rotates it at 80 %). Defaults to 3600. */
            tokenExpirationSeconds: z
                .number()
                .int()
                .min(MIN_TOKEN_SECONDS, { error: `must be at least ${MIN_TOKEN_SECONDS} (Kubernetes refuses shorter tokens)` })
                .max(MAX_TOKEN_SECONDS, { error: `must be at most ${MAX_TOKEN_SECONDS}: the policy pack refuses longer-lived API tokens` })
                .default(DEFAULTS.rbac.tokenExpirationSeconds),
        })
        .strict()
        .optional(),
};
