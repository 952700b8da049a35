// The typed config model: every `platform:*` key, validated once, before any resource is registered.
import { ConfigError, ConfigIssue, suggest } from "./errors";
import { invariantIssues } from "./invariants";
import { toConfigIssues } from "./issues";
import { resourceIssues } from "./resourceRules";
import { crossFieldIssues, SecretPresence } from "./rules";
import { PlatformConfig, resolvePlatform } from "./resolve";
import { workloadIssues } from "./workloadRules";
import { parseRawValue } from "./rawValues";
import { platformSchema, TOP_LEVEL_KEYS } from "./schema";
import { CONFIG_NAMESPACE } from "./validators";

export * from "./credentials";
export * from "./defaults";
export * from "./errors";
export * from "./model";
export * from "./grammar";
export * from "./invariants";
export * from "./resourceRules";
export * from "./resolve";
export * from "./rules";
export * from "./workloadRules";
export * from "./schema";
export { BUILTIN_STORES, chartClientEnvNames, isBuiltinStore } from "./chartsSchema";
export type { BuiltinStore } from "./chartsSchema";
export { CONFIG_NAMESPACE, SECRET_ENV_NAME, TOPIC_NAME } from "./validators";
export { API_TOKEN_MOUNT_PATH, API_TOKEN_VOLUME, MAX_TOKEN_SECONDS, MIN_TOKEN_SECONDS } from "./workloadSchema";

/** Raw config: one JSON-or-string value per `platform:` key, as the Pulumi runtime stores them. */
export type RawConfig = Record<string, string | undefined>;

/**
 * Validates the whole `platform:` namespace. `raw` maps unqualified keys (e.g. "services") to the strings
 * Pulumi stores. Throws a ConfigError listing every problem; returns the resolved model otherwise. The schema runs
 * first, then the resolver, then every rule over the resolved model (so a rule checks the value that is deployed).
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
    const result = platformSchema.safeParse(input, { reportInput: true });
    if (!result.success) {
        for (const issue of result.error.issues) issues.push(...toConfigIssues(issue, platformSchema, TOP_LEVEL_KEYS));
        throw new ConfigError(issues);
    }
    const cfg = resolvePlatform(result.data);
    const cross = [...crossFieldIssues(cfg, secrets), ...workloadIssues(cfg), ...resourceIssues(cfg), ...invariantIssues(cfg)];
    // Non-schema keys must be secrets that the stack actually uses, so a typo never goes unnoticed.
    const needed = new Set(cfg.requiredSecrets.map((s) => s.key));
    for (const k of secretKeyNames) {
        if (!needed.has(k)) cross.push({ key: `${CONFIG_NAMESPACE}:${k}`, message: `is not a known setting${suggest(k, [...TOP_LEVEL_KEYS, ...needed])}` });
    }
    if (cross.length > 0) throw new ConfigError(cross);
    return cfg;
}
