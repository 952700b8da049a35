// No plaintext secrets where Kubernetes stores them unencrypted and shows them to anyone with read
// access: env literals, command lines, probe headers, ConfigMaps, annotations and Helm chart values.
// Messages name the place (container, field, key, value path) and the fix, never the value.
import { ContainerView, extractPod, isPodBearing, parseK8sType } from "../lib/k8s";
import { DEFAULT_EXEMPT_NAMESPACES, ExemptConfig, PlatformPolicy, podPolicy, resourcePolicy, stackPolicy } from "../lib/policy";
import {
    AnnotationConfig,
    ChartConfig,
    DEFAULT_REFERENCE_ANNOTATION_PREFIXES,
    annotationFindings,
    binaryAsText,
    chartValueFindings,
    configEntryFinding,
    secretsInArgs,
} from "../lib/secretFields";
import {
    DEFAULT_NON_SECRET_NAME_PATTERNS,
    DEFAULT_SECRET_DETECTION,
    DEFAULT_SECRET_NAME_PATTERNS,
    HttpHeader,
    SecretDetectionConfig,
    headerFindings,
    httpPathFinding,
    isReferenceOrTrivial,
    nameLooksSecret,
    secretValueReason,
} from "../vocab";
import { arr, get, isUnknown, rec, str, stringMap } from "../lib/values";

type SecretConfig = ExemptConfig & SecretDetectionConfig;

const defaults: SecretConfig = { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES], ...DEFAULT_SECRET_DETECTION };

const nameSchema = {
    secretNamePatterns: {
        type: "array" as const,
        items: { type: "string" as const },
        default: [...DEFAULT_SECRET_NAME_PATTERNS],
        description: "Case-insensitive regexes over the name tokenized to snake_case (dbPassword -> db_password) that mark a secret-bearing name.",
    },
    nonSecretNamePatterns: {
        type: "array" as const,
        items: { type: "string" as const },
        default: [...DEFAULT_NON_SECRET_NAME_PATTERNS],
        description: "Regexes that override secretNamePatterns for indirections (DB_PASSWORD_FILE, *_SECRET_NAME, TOKEN_URL, ...).",
    },
};
const entropySchema = {
    entropyThreshold: {
        type: "number" as const,
        default: DEFAULT_SECRET_DETECTION.entropyThreshold,
        minimum: 0,
        maximum: 8,
        description: "Shannon entropy (bits/char) at or above which a mixed-case alphanumeric token is treated as a generated secret.",
    },
    minEntropyLength: {
        type: "integer" as const,
        default: DEFAULT_SECRET_DETECTION.minEntropyLength,
        minimum: 8,
        description: "Shortest token judged by entropy.",
    },
};

const SECRET_TAGS = ["secrets"];
const HOW_TO_REFERENCE =
    "Keep the value in a Kubernetes Secret (from `pulumi config set --secret`) and reference it with env[].valueFrom.secretKeyRef, envFrom.secretRef or a mounted file (e.g. DB_PASSWORD_FILE=/var/run/secrets/db/password).";
const ENV_FIX = "move the value into a Secret and use env[].valueFrom.secretKeyRef (or $(VAR) expansion of a secret-backed variable)";

interface EnvFinding {
    container: ContainerView;
    index: number;
    envName: string;
    value: string;
}

/** Literal (non-valueFrom) env entries of every container. */
function envLiterals(containers: ContainerView[]): EnvFinding[] {
    const out: EnvFinding[] = [];
    for (const c of containers) {
        arr(c.spec["env"]).forEach((e, index) => {
            const name = str(get(e, "name"));
            const value = str(get(e, "value"));
            if (name && value !== undefined) out.push({ container: c, index, envName: name, value });
        });
    }
    return out;
}

export const noSecretEnvNames = podPolicy<SecretConfig>({
    name: "no-secret-env-literals",
    description:
        "Environment variables whose name says they hold a secret (password, pass, pwd, token, api key, private key, credential, bearer ...) must not have literal values.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    patches: true,
    remediationSteps: HOW_TO_REFERENCE + " Names that point at a secret rather than hold it (*_FILE, *_PATH, *_SECRET_NAME, *_URL) are not reported.",
    defaults,
    schema: nameSchema,
    validate: ({ pod, config }, report) => {
        for (const f of envLiterals(pod.containers)) {
            if (nameLooksSecret(f.envName, config) && !isReferenceOrTrivial(f.value)) {
                report(`${f.container.label}: env ${f.envName} (env[${f.index}]) has a literal value; ${ENV_FIX}`);
            }
        }
    },
});

export const noSecretEnvValues = podPolicy<SecretConfig>({
    name: "no-secret-env-values",
    description:
        "No environment variable value may look like a secret: PEM/DER private keys, credentials in URLs or connection strings (user:pw@, password=…, Password=…;, Go DSNs, ?password=), JWTs, bearer tokens, known token formats, or high-entropy strings.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    patches: true,
    remediationSteps:
        HOW_TO_REFERENCE +
        " For connection strings, pass user and password separately from the Secret, or build the string with $(VAR) expansion from secret-backed env vars (postgres://app:$(DB_PASSWORD)@db/app).",
    defaults,
    schema: entropySchema,
    validate: ({ pod, config }, report) => {
        for (const f of envLiterals(pod.containers)) {
            const why = secretValueReason(f.value, config, { entropy: true });
            if (why) report(`${f.container.label}: env ${f.envName} (env[${f.index}]) value ${why}; ${ENV_FIX}`);
        }
    },
});

export const noSecretsInArgs = podPolicy<SecretConfig>({
    name: "no-secrets-in-args",
    description:
        "Container command and args must not carry secrets (--password=..., --token <value>, PASSWORD=... in shell scripts, credentials in URLs or connection strings).",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    patches: true,
    remediationSteps:
        "Command lines are visible in the pod spec and in `ps`. Read the secret from a mounted file (--password-file=/var/run/secrets/..., $(cat /var/run/secrets/...)) or from a secret-backed env var referenced as $(VAR).",
    defaults,
    schema: nameSchema,
    validate: ({ pod, config }, report) => {
        for (const c of pod.containers) {
            for (const field of ["command", "args"]) {
                const list = c.spec[field];
                if (isUnknown(list)) continue;
                const values = arr(list).map((x) => str(x) ?? "");
                for (const f of secretsInArgs(values, config))
                    report(`${c.label}: ${field}[${f.index}] ${f.reason}; read it from a mounted Secret file or a secret-backed env var ($(VAR))`);
            }
        }
    },
});

const PROBES = ["readinessProbe", "livenessProbe", "startupProbe"];

/** An httpGet's headers as the shared detector takes them: each entry's known name and value (unknown ones undefined). */
function httpHeaders(httpGet: unknown): HttpHeader[] {
    return arr(get(httpGet, "httpHeaders")).map((h) => ({ name: str(get(h, "name")), value: str(get(h, "value")) }));
}
const PROBE_FIX = "serve health without credentials or use an exec probe reading a mounted Secret file";

export const noSecretsInProbes = podPolicy<SecretConfig>({
    name: "no-secrets-in-probes",
    description:
        "Probe and lifecycle-hook handlers must not carry credentials: httpGet headers (Authorization and API-key headers with literal values, session cookies, bearer tokens, secret-looking content), httpGet paths (?token=…, ?api_key=…) and exec commands.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    patches: true,
    remediationSteps:
        "Probe headers are plain pod spec fields and cannot reference a Secret. Expose an unauthenticated health endpoint (or one on a separate port), or use an exec/grpc probe that reads the credential from a mounted Secret file.",
    defaults,
    schema: { ...nameSchema, ...entropySchema },
    validate: ({ pod, config }, report) => {
        for (const c of pod.containers) {
            const handlers: [string, unknown][] = [
                ...PROBES.map((p): [string, unknown] => [`${p}.httpGet`, get(c.spec, p, "httpGet")]),
                ["lifecycle.postStart.httpGet", get(c.spec, "lifecycle", "postStart", "httpGet")],
                ["lifecycle.preStop.httpGet", get(c.spec, "lifecycle", "preStop", "httpGet")],
            ];
            for (const [where, httpGet] of handlers) {
                if (isUnknown(httpGet)) continue;
                for (const f of headerFindings(httpHeaders(httpGet), config)) report(`${c.label}: ${where}.${f}; ${PROBE_FIX}`);
                const path = get(httpGet, "path");
                const why = isUnknown(path) ? undefined : httpPathFinding(str(path) ?? "", config);
                if (why) report(`${c.label}: ${where}.path ${why}; ${PROBE_FIX}`);
            }
            for (const hook of ["postStart", "preStop"]) {
                const cmd = get(c.spec, "lifecycle", hook, "exec", "command");
                if (isUnknown(cmd)) continue;
                for (const f of secretsInArgs(
                    arr(cmd).map((x) => str(x) ?? ""),
                    config,
                ))
                    report(`${c.label}: lifecycle.${hook}.exec.command[${f.index}] ${f.reason}; read it from a mounted Secret file`);
            }
            for (const p of PROBES) {
                const cmd = get(c.spec, p, "exec", "command");
                if (isUnknown(cmd)) continue;
                for (const f of secretsInArgs(
                    arr(cmd).map((x) => str(x) ?? ""),
                    config,
                ))
                    report(`${c.label}: ${p}.exec.command[${f.index}] ${f.reason}; read it from a mounted Secret file`);
            }
        }
    },
});

const CONFIGMAP_FIX = "move the value into a Secret and mount it, or reference it as ${ENV_VAR} / a file path in the config file";

export const noSecretsInConfigMaps = resourcePolicy<SecretConfig>({
    name: "no-secrets-in-configmaps",
    description:
        "ConfigMaps (data and binaryData) must not contain secrets: secret-named keys with literal values, password/token lines in embedded config files, credential-bearing connection strings, private keys or secret-looking content. Shell that reads a secret ($(cat /run/secrets/…), ${VAR}, $VAR) and public key material are fine.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    remediationSteps:
        "Move the value into a Secret and mount it next to the ConfigMap; in config files reference it as ${ENV_VAR} or a file path instead of inlining it.",
    defaults,
    schema: { ...nameSchema, ...entropySchema },
    appliesTo: (kind) => kind === "ConfigMap" || kind === "ConfigMapPatch",
    validate: ({ props, config }, report) => {
        const data = get(props, "data");
        if (!isUnknown(data)) {
            for (const [key, raw] of Object.entries(rec(data) ?? {})) {
                const value = str(raw);
                if (value === undefined) continue;
                const why = configEntryFinding(key, value, config);
                if (why) report(`data["${key}"] ${why}; ${CONFIGMAP_FIX}`);
            }
        }
        const binary = get(props, "binaryData");
        if (!isUnknown(binary)) {
            for (const [key, raw] of Object.entries(rec(binary) ?? {})) {
                const b64 = str(raw);
                if (b64 === undefined) continue;
                const text = binaryAsText(b64);
                const why = text !== undefined ? configEntryFinding(key, text, config) : secretValueReason(b64, config, { entropy: false });
                if (why) report(`binaryData["${key}"] (decoded) ${why}; ${CONFIGMAP_FIX}`);
            }
        }
    },
});

export const noSecretsInAnnotations = resourcePolicy<AnnotationConfig & SecretConfig>({
    name: "no-secrets-in-annotations",
    description: "Annotations (on the resource and on pod templates) must not carry secrets; they are readable by anyone who can list the object.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    remediationSteps:
        "Remove the value from metadata.annotations; put it in a Secret. Only digest values (hex) under checksum/hash/digest keys are exempt from the content rules; secret-injector annotations (Vault Agent paths and templates) are judged by content only.",
    defaults: { ...defaults, referenceAnnotationPrefixes: [...DEFAULT_REFERENCE_ANNOTATION_PREFIXES] },
    schema: {
        ...nameSchema,
        ...entropySchema,
        referenceAnnotationPrefixes: {
            type: "array",
            items: { type: "string" },
            default: [...DEFAULT_REFERENCE_ANNOTATION_PREFIXES],
            description:
                "Annotation key prefixes of secret injectors, whose values are secret paths/templates: checked for secret content only, not by name or entropy.",
        },
    },
    appliesTo: (kind, type) => !!parseK8sType(type) && !/List$/.test(kind),
    validate: ({ props, type, config }, report) => {
        const found = annotationFindings("metadata", stringMap(get(props, "metadata", "annotations")), config);
        if (isPodBearing(type, true)) {
            const e = extractPod(type, props);
            if (e.status === "pod" && e.pod.template !== props)
                found.push(...annotationFindings("pod template", stringMap(get(e.pod.template, "metadata", "annotations")), config));
        }
        for (const f of found) report(f);
    },
});

const CHART_TYPES = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];

export const noInlineChartSecrets = resourcePolicy<ChartConfig & SecretConfig>({
    name: "no-inline-chart-secrets",
    description:
        "Helm chart values must not inline passwords, tokens or keys (also inside multi-line config files embedded in values); charts get secrets by reference (existingSecret and similar).",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    remediationSteps:
        "Create the Secret with the program and pass its name to the chart (auth.existingSecret, existingSecretPasswordKey, superuserSecret, ...). Never put the password itself into `values`: chart values are stored in the Helm release and in Pulumi state inputs. Known-safe paths can be listed in ignoreValuePaths.",
    defaults: { ...defaults, ignoreValuePaths: [] },
    schema: {
        ...nameSchema,
        ...entropySchema,
        ignoreValuePaths: { type: "array", items: { type: "string" }, default: [], description: "Dotted value paths (e.g. auth.passwordKey) never reported." },
    },
    appliesTo: (_kind, type) => CHART_TYPES.includes(type),
    validate: ({ props, config }, report) => {
        for (const f of chartValueFindings(get(props, "values"), config)) report(f);
    },
});

const RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";

export const helmReleaseNotAnalyzed = stackPolicy({
    name: "helm-release-not-analyzed",
    description:
        "helm.v3.Release resources are rendered inside the provider, so no policy sees the objects they create; reported once per stack so the gap is visible.",
    severity: "low",
    enforcementLevel: "advisory",
    tags: ["coverage"],
    remediationSteps:
        "Use kubernetes.helm.v4.Chart (its children are registered as resources and every policy checks them), or check the release's rendered manifests with another tool. Its values are still checked by no-inline-chart-secrets.",
    defaults: { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES] },
    validate: ({ args }, report) => {
        const releases = args.resources.filter((r) => r.type === RELEASE_TYPE);
        if (releases.length)
            report(
                `${releases.length} helm.v3.Release resource(s) (${releases.map((r) => r.name).join(", ")}) are rendered inside the provider: the pack cannot check the objects they create; use helm.v4.Chart to have them checked`,
            );
    },
});

export const secretPolicies: PlatformPolicy[] = [
    noSecretEnvNames,
    noSecretEnvValues,
    noSecretsInArgs,
    noSecretsInProbes,
    noSecretsInConfigMaps,
    noSecretsInAnnotations,
    noInlineChartSecrets,
    helmReleaseNotAnalyzed,
];
