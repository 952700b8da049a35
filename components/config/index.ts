// The typed config model: every `platform:*` key, validated once, before any resource is registered.
import { ConfigError, ConfigIssue, formatKey, suggest } from "./errors";
import { crossFieldIssues, requiredSecretKeys, SecretPresence } from "./rules";
import { platformSchema, PlatformConfig, TOP_LEVEL_KEYS } from "./schema";
import { CONFIG_NAMESPACE } from "./validators";

export * from "./defaults";
export * from "./errors";
export * from "./model";
export * from "./grammar";
export * from "./rules";
export * from "./schema";
export { CONFIG_NAMESPACE, SECRET_ENV_NAME, TOPIC_NAME } from "./validators";

/** Raw config: one JSON-or-string value per `platform:` key, as the Pulumi runtime stores them. */
export type RawConfig = Record<string, string | undefined>;

function parseRawValue(key: string, raw: string): unknown {
    const t = raw.trim();
    if (t.startsWith("{") || t.startsWith("[") || t === "true" || t === "false" || /^-?[0-9]+(\.[0-9]+)?$/.test(t)) {
        try { return JSON.parse(t); } catch { throw new ConfigError([{ key: `${CONFIG_NAMESPACE}:${key}`, message: "is not valid JSON" }]); }
    }
    return raw;
}

/**
 * Validates the whole `platform:` namespace. `raw` maps unqualified keys (e.g. "services") to the strings
 * Pulumi stores. Throws a ConfigError listing every problem; returns the typed model otherwise.
 */
export function parsePlatformConfig(raw: RawConfig, secrets: SecretPresence): PlatformConfig {
    const input: Record<string, unknown> = {};
    const issues: ConfigIssue[] = [];
    const secretKeyNames = new Set<string>();
    for (const [k, v] of Object.entries(raw)) {
        if (v === undefined) continue;
        if ((TOP_LEVEL_KEYS as string[]).includes(k)) input[k] = parseRawValue(k, v);
        else secretKeyNames.add(k);
    }
    const result = platformSchema.safeParse(input);
    if (!result.success) {
        for (const issue of result.error.issues) {
            if (issue.code === "unrecognized_keys") {
                for (const k of issue.keys) issues.push({ key: formatKey([...issue.path, k]), message: `is not a known setting${suggest(k, issue.path.length === 0 ? TOP_LEVEL_KEYS : [])}` });
            } else if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input: expected") && issue.message.endsWith("received undefined")) {
                issues.push({ key: formatKey(issue.path), message: "is required" });
            } else {
                issues.push({ key: formatKey(issue.path), message: issue.message });
            }
        }
        throw new ConfigError(issues);
    }
    const cfg = result.data;
    const cross = crossFieldIssues(cfg, secrets);
    // Non-schema keys must be secrets that the stack actually uses, so a typo never goes unnoticed.
    const needed = new Set(requiredSecretKeys(cfg).map((s) => s.key));
    for (const k of secretKeyNames) {
        if (!needed.has(k)) cross.push({ key: `${CONFIG_NAMESPACE}:${k}`, message: `is not a known setting${suggest(k, [...TOP_LEVEL_KEYS, ...needed])}` });
    }
    if (cross.length > 0) throw new ConfigError(cross);
    return cfg;
}
