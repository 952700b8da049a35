// Cross-field rules of `platform:charts`: unique names that collide with nothing the platform names itself,
// client secrets that the chart's Secret holds, and values that carry no credential (those go by reference).
import { isReferenceOrTrivial, nameLooksSecret, DEFAULT_SECRET_DETECTION } from "../../policy/vocab";
import { BUILTIN_STORES } from "./chartsSchema";
import type { ConfigIssue } from "./errors";
import { formatKey } from "./errors";
import { credentialInValue } from "./invariants";
import type { PlatformConfig } from "./resolve";

/** String leaves of a values tree with their path segments. */
function leaves(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: string }[] {
    if (typeof value === "string") return [{ path, value }];
    if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
    if (value !== null && typeof value === "object") return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, [...path, k]));
    return [];
}

/** Problems of `platform:charts` that depend on other values. */
export function chartsIssues(cfg: PlatformConfig): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add = (path: PropertyKey[], message: string) => issues.push({ key: formatKey(path), message });
    const services = new Set(cfg.services.map((s) => s.name));
    const seen = new Set<string>();
    cfg.charts.forEach((c, i) => {
        const at = (...p: PropertyKey[]) => ["charts", i, ...p];
        if (seen.has(c.name)) add(at("name"), `duplicate chart "${c.name}"`);
        seen.add(c.name);
        if ((BUILTIN_STORES as readonly string[]).includes(c.name))
            add(at("name"), `"${c.name}" is a built-in data store's name; services could not tell them apart in uses. Rename the chart`);
        // The chart's credentials Secret is named like a service's (<name>-credentials).
        if (services.has(c.name))
            add(at("name"), `"${c.name}" is also a service name; its Secret "${c.name}-credentials" would be the service's. Rename one of them`);
        const held = new Set(c.secretRefs.map((r) => r.secret));
        const secretNames = c.clientSecretEnv.map((e) => e.name);
        c.clientSecretEnv.forEach((e, j) => {
            if (secretNames.indexOf(e.name) !== j)
                add(at("clientSecretEnv", j, "name"), `"${e.name}" is listed twice; a variable takes one Secret key, so keep one entry`);
            if (e.name in c.clientEnv)
                add(at("clientSecretEnv", j, "name"), `"${e.name}" is also in clientEnv; a variable is either plain or secret: remove it from one of them`);
            if (!held.has(e.secret))
                add(
                    at("clientSecretEnv", j, "secret"),
                    `"${e.secret}" is not one of this chart's secretRefs secrets (${[...held].join(", ") || "none"}); add it to secretRefs so the chart's Secret holds it`,
                );
        });
        const refPaths = new Set(c.secretRefs.map((r) => r.path));
        for (const leaf of leaves(c.values)) {
            const dotted = leaf.path.map(String).join(".");
            if (refPaths.has(dotted)) continue;
            const last = String([...leaf.path].reverse().find((p) => typeof p === "string") ?? "");
            const reason =
                nameLooksSecret(last, DEFAULT_SECRET_DETECTION) && !isReferenceOrTrivial(leaf.value)
                    ? `"${last}" holds a literal credential`
                    : credentialInValue(leaf.value);
            if (reason)
                add(
                    at("values", ...leaf.path),
                    `${reason}; chart values are stored in plaintext. Put the secret in platform:<key> (pulumi config set --secret) and pass the chart its Secret by name with secretRefs: [{ path: "<values path of the existing-secret setting>", secret: "<key>" }]`,
                );
        }
    });
    return issues;
}
