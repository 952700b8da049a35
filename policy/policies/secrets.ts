// No plaintext secrets where Kubernetes stores them unencrypted and shows them to anyone with read
// access: env literals, ConfigMaps, annotations, command lines and Helm chart values.
import { extractPod, isPodBearing, parseK8sType, isPatchOrList, ContainerView } from "../lib/k8s";
import { DEFAULT_EXEMPT_NAMESPACES, ExemptConfig, PlatformResourcePolicy, podPolicy, resourcePolicy } from "../lib/policy";
import {
    DEFAULT_NON_SECRET_NAME_PATTERNS,
    DEFAULT_SECRET_DETECTION,
    DEFAULT_SECRET_NAME_PATTERNS,
    SecretDetectionConfig,
    isReferenceOrTrivial,
    nameLooksSecret,
    secretAssignmentsInText,
    secretValueReason,
    secretsInArgs,
} from "../lib/secrets";
import { PlainObject, arr, get, isUnknown, rec, str, stringMap } from "../lib/values";

type SecretConfig = ExemptConfig & SecretDetectionConfig;

const defaults: SecretConfig = { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES], ...DEFAULT_SECRET_DETECTION };

const nameSchema = {
    secretNamePatterns: {
        type: "array" as const, items: { type: "string" as const }, default: [...DEFAULT_SECRET_NAME_PATTERNS],
        description: "Case-insensitive regexes over the name tokenized to snake_case (dbPassword -> db_password) that mark a secret-bearing name.",
    },
    nonSecretNamePatterns: {
        type: "array" as const, items: { type: "string" as const }, default: [...DEFAULT_NON_SECRET_NAME_PATTERNS],
        description: "Regexes that override secretNamePatterns for indirections (DB_PASSWORD_FILE, *_SECRET_NAME, TOKEN_URL, ...).",
    },
};
const entropySchema = {
    entropyThreshold: { type: "number" as const, default: DEFAULT_SECRET_DETECTION.entropyThreshold, minimum: 0, maximum: 8, description: "Shannon entropy (bits/char) at or above which a mixed-case alphanumeric token is treated as a generated secret." },
    minEntropyLength: { type: "integer" as const, default: DEFAULT_SECRET_DETECTION.minEntropyLength, minimum: 8, description: "Shortest token judged by entropy." },
};

const SECRET_TAGS = ["secrets"];
const HOW_TO_REFERENCE = "Keep the value in a Kubernetes Secret (from `pulumi config set --secret`) and reference it with env[].valueFrom.secretKeyRef, envFrom.secretRef or a mounted file (e.g. DB_PASSWORD_FILE=/var/run/secrets/db/password).";

interface EnvFinding {
    container: ContainerView;
    envName: string;
    value: string;
}

/** Literal (non-valueFrom) env entries of every container. */
function envLiterals(containers: ContainerView[]): EnvFinding[] {
    const out: EnvFinding[] = [];
    for (const c of containers) {
        for (const e of arr(c.spec["env"])) {
            const name = str(get(e, "name"));
            const value = str(get(e, "value"));
            if (name && value !== undefined) out.push({ container: c, envName: name, value });
        }
    }
    return out;
}

export const noSecretEnvNames = podPolicy<SecretConfig>({
    name: "no-secret-env-literals",
    description: "Environment variables whose name says they hold a secret (password, token, api key, private key, credential, bearer ...) must not have literal values.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    remediationSteps: HOW_TO_REFERENCE + " Names that point at a secret rather than hold it (*_FILE, *_PATH, *_SECRET_NAME, *_URL) are not reported.",
    defaults,
    schema: nameSchema,
    validate: ({ pod, config }, report) => {
        for (const f of envLiterals(pod.containers)) {
            if (nameLooksSecret(f.envName, config) && !isReferenceOrTrivial(f.value)) {
                report(`${f.container.label}: env ${f.envName} has a literal value; reference a Secret instead`);
            }
        }
    },
});

export const noSecretEnvValues = podPolicy<SecretConfig>({
    name: "no-secret-env-values",
    description: "No environment variable value may look like a secret: PEM private keys, credentials in URLs, JWTs, known token formats, or high-entropy strings.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    remediationSteps: HOW_TO_REFERENCE + " For connection strings, pass user and password separately from the Secret, or build the URL with $(VAR) expansion from secret-backed env vars.",
    defaults,
    schema: entropySchema,
    validate: ({ pod, config }, report) => {
        for (const f of envLiterals(pod.containers)) {
            const why = secretValueReason(f.value, config, { entropy: true });
            if (why) report(`${f.container.label}: env ${f.envName} value ${why}`);
        }
    },
});

export const noSecretsInArgs = podPolicy<SecretConfig>({
    name: "no-secrets-in-args",
    description: "Container command and args must not carry secrets (--password=..., --token <value>, PASSWORD=... in shell scripts, credentials in URLs).",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    remediationSteps: "Command lines are visible in the pod spec and in `ps`. Read the secret from a mounted file (--password-file=/var/run/secrets/...) or from a secret-backed env var referenced as $(VAR).",
    defaults,
    schema: nameSchema,
    validate: ({ pod, config }, report) => {
        for (const c of pod.containers) {
            for (const field of ["command", "args"]) {
                const list = c.spec[field];
                if (isUnknown(list)) continue;
                const values = arr(list).map((x) => str(x) ?? "");
                for (const f of secretsInArgs(values, config)) report(`${c.label}: ${field}[${f.index}] ${f.reason}`);
            }
        }
    },
});

export const noSecretsInConfigMaps = resourcePolicy<SecretConfig>({
    name: "no-secrets-in-configmaps",
    description: "ConfigMaps must not contain secrets: secret-named keys with literal values, password/token lines in embedded config files, or secret-looking content.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    remediationSteps: "Move the value into a Secret and mount it next to the ConfigMap; in config files reference it as ${ENV_VAR} or a file path instead of inlining it.",
    defaults,
    schema: { ...nameSchema, ...entropySchema },
    appliesTo: (kind) => kind === "ConfigMap",
    validate: ({ props, config }, report) => {
        const data = get(props, "data");
        if (isUnknown(data)) return;
        for (const [key, raw] of Object.entries(rec(data) ?? {})) {
            const value = str(raw);
            if (value === undefined) continue;
            const multiLine = value.includes("\n");
            if (!multiLine && nameLooksSecret(key, config) && !isReferenceOrTrivial(value)) {
                report(`data["${key}"] is a secret-named key with a literal value`);
                continue;
            }
            if (multiLine) {
                const keys = secretAssignmentsInText(value, config);
                if (keys.length) report(`data["${key}"] assigns literal secrets to ${[...new Set(keys)].join(", ")}`);
            }
            const why = secretValueReason(value, config, { entropy: !multiLine });
            if (why) report(`data["${key}"] ${why}`);
        }
    },
});

/** Annotation keys whose values are digests or machine state, never credentials. */
const DIGEST_ANNOTATION = /(checksum|hash|digest|sha|fingerprint|revision|last-applied-configuration|^pulumi\.com\/)/i;

function annotationFindings(where: string, annotations: Record<string, string> | undefined, config: SecretConfig): string[] {
    const out: string[] = [];
    for (const [k, v] of Object.entries(annotations ?? {})) {
        const keyName = k.slice(k.lastIndexOf("/") + 1);
        const benign = DIGEST_ANNOTATION.test(k);
        if (!benign && nameLooksSecret(keyName, config) && !isReferenceOrTrivial(v)) {
            out.push(`${where} annotation ${k} is secret-named and has a literal value`);
            continue;
        }
        const why = secretValueReason(v, config, { entropy: !benign });
        if (why) out.push(`${where} annotation ${k} ${why}`);
    }
    return out;
}

export const noSecretsInAnnotations = resourcePolicy<SecretConfig>({
    name: "no-secrets-in-annotations",
    description: "Annotations (on the resource and on pod templates) must not carry secrets; they are readable by anyone who can list the object.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    remediationSteps: "Remove the value from metadata.annotations; put it in a Secret. Checksum/hash annotations (checksum/config) are exempt from the entropy rule.",
    defaults,
    schema: { ...nameSchema, ...entropySchema },
    appliesTo: (kind, type) => !!parseK8sType(type) && !isPatchOrList(kind),
    validate: ({ props, type, config }, report) => {
        const found = annotationFindings("metadata", stringMap(get(props, "metadata", "annotations")), config);
        if (isPodBearing(type)) {
            const e = extractPod(type, props);
            if (e.status === "pod" && e.pod.template !== props) found.push(...annotationFindings("pod template", stringMap(get(e.pod.template, "metadata", "annotations")), config));
        }
        for (const f of found) report(f);
    },
});

interface ChartConfig extends SecretConfig {
    ignoreValuePaths: string[];
}

/** Keys of env-like objects inside chart values ({ name: DB_PASSWORD, value: ... }). */
function envLike(o: PlainObject): [string, string] | undefined {
    const n = str(o["name"]);
    const v = str(o["value"]);
    return n !== undefined && v !== undefined && Object.keys(o).every((k) => k === "name" || k === "value") ? [n, v] : undefined;
}

/** Walks chart values and lists inline secrets by dotted path. */
export function chartValueFindings(values: unknown, config: ChartConfig, path = "values"): string[] {
    if (isUnknown(values)) return [];
    if (config.ignoreValuePaths.includes(path.replace(/^values\./, ""))) return [];
    if (Array.isArray(values)) return values.flatMap((v, i) => chartValueFindings(v, config, `${path}[${i}]`));
    const o = rec(values);
    if (o) {
        const env = envLike(o);
        if (env && nameLooksSecret(env[0], config) && !isReferenceOrTrivial(env[1])) return [`${path} sets env ${env[0]} to a literal`];
        return Object.entries(o).flatMap(([k, v]) => {
            const p = `${path}.${k}`;
            const s = str(v);
            if (s !== undefined && nameLooksSecret(k, config) && !isReferenceOrTrivial(s) && !config.ignoreValuePaths.includes(p.replace(/^values\./, ""))) {
                return [`${p} is an inline secret; reference an existing Secret (existingSecret / secretKeyRef style value) instead`];
            }
            return chartValueFindings(v, config, p);
        });
    }
    const s = str(values);
    if (s === undefined) return [];
    const why = secretValueReason(s, config, { entropy: false });
    return why ? [`${path} ${why}`] : [];
}

const CHART_TYPES = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];

export const noInlineChartSecrets = resourcePolicy<ChartConfig>({
    name: "no-inline-chart-secrets",
    description: "Helm chart values must not inline passwords, tokens or keys; charts get secrets by reference (existingSecret and similar).",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: SECRET_TAGS,
    remediationSteps: "Create the Secret with the program (AppSecrets) and pass its name to the chart (auth.existingSecret, existingSecretPasswordKey, superuserSecret, ...). Never put the password itself into `values`: chart values are stored in the Helm release and in Pulumi state inputs. Known-safe paths can be listed in ignoreValuePaths.",
    defaults: { ...defaults, ignoreValuePaths: [] },
    schema: { ...nameSchema, ignoreValuePaths: { type: "array", items: { type: "string" }, default: [], description: "Dotted value paths (e.g. auth.passwordKey) never reported." } },
    appliesTo: (_kind, type) => CHART_TYPES.includes(type),
    validate: ({ props, config }, report) => {
        for (const f of chartValueFindings(get(props, "values"), config)) report(f);
    },
});

export const secretPolicies: PlatformResourcePolicy[] = [
    noSecretEnvNames,
    noSecretEnvValues,
    noSecretsInArgs,
    noSecretsInConfigMaps,
    noSecretsInAnnotations,
    noInlineChartSecrets,
];
