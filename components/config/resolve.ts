// The resolved model: the config as written, with every default applied once, here. The rules and every component
// read this model only; a value a rule checks is the value that is deployed.
import { storeUsers, StoreUser, VALKEY_REPLICATION_CONFIG_KEY, VALKEY_REPLICATION_USER } from "./credentials";
import { formatKey } from "./errors";
import { ResolvedService, resolveService } from "./model";
import type { WrittenConfig } from "./schema";

/** One secret config key the stack reads, and the key that needs it (for messages). */
export interface RequiredSecret {
    /** `platform:<key>`, without the namespace. */
    key: string;
    /** Where it is needed, e.g. `platform:services[1].secretEnv[0]`. */
    neededBy: string;
}

/**
 * The stack's config, resolved: every service with code defaults ← platform:defaults ← its own values merged, the
 * store users and the secret keys the stack reads derived once. `defaults` stays as written, for messages only.
 */
export interface PlatformConfig extends Readonly<Omit<WrittenConfig, "services">> {
    readonly services: readonly ResolvedService[];
    /** Every store login, in service order (postgres, redis, kafka per service). */
    readonly storeUsers: readonly StoreUser[];
    /** Every secret config key the stack reads, without repeats: the one list rules, AppSecrets and the harness use. */
    readonly requiredSecrets: readonly RequiredSecret[];
}

/** Resolves the validated config into the model; pure and total (a value the rules refuse still resolves). */
export function resolvePlatform(cfg: WrittenConfig): PlatformConfig {
    const services = Object.freeze(cfg.services.map((s) => resolveService(s, cfg.defaults, { redisAclCommands: cfg.redis.acl.commands })));
    const users = Object.freeze(storeUsers({ ...cfg, services }));
    return Object.freeze({ ...cfg, services, storeUsers: users, requiredSecrets: Object.freeze(secretsOf(cfg, services, users)) });
}

/** Every secret config key the stack needs, with where it is needed (store logins first, then secretEnv and charts). */
function secretsOf(cfg: WrittenConfig, services: readonly ResolvedService[], users: readonly StoreUser[]): RequiredSecret[] {
    const out: RequiredSecret[] = [];
    for (const u of users) {
        const i = services.findIndex((s) => s.name === u.service);
        out.push({ key: u.configKey, neededBy: `platform:services[${i}].uses (${u.store} user "${u.username}")` });
    }
    if (cfg.redis.enabled) out.push({ key: VALKEY_REPLICATION_CONFIG_KEY, neededBy: `platform:redis (replication user "${VALKEY_REPLICATION_USER}")` });
    services.forEach((s, i) => {
        s.secretEnv.forEach((e, j) => out.push({ key: e.secret, neededBy: `platform:services[${i}].secretEnv[${j}]` }));
        for (const kind of ["sidecars", "initContainers"] as const) {
            s[kind].forEach((c, k) =>
                c.secretEnv.forEach((e, j) => out.push({ key: e.secret, neededBy: `platform:services[${i}].${kind}[${k}].secretEnv[${j}]` })),
            );
        }
    });
    cfg.charts.forEach((c, i) => c.secretRefs.forEach((r, j) => out.push({ key: r.secret, neededBy: `platform:charts[${i}].secretRefs[${j}]` })));
    const seen = new Set<string>();
    return out.filter((x) => (seen.has(x.key) ? false : (seen.add(x.key), true)));
}

/** Every secret config key the stack needs (the model's list). */
export function requiredSecretKeys(cfg: Pick<PlatformConfig, "requiredSecrets">): RequiredSecret[] {
    return [...cfg.requiredSecrets];
}

/**
 * Where a workload setting of service `i` came from, in the words rule messages use: "set here", "inherited from
 * platform:defaults.<path>", or "the built-in default".
 */
export function settingOrigin(cfg: Pick<PlatformConfig, "services" | "defaults">, i: number, path: readonly [string, ...string[]]): string {
    const at = (o: unknown): unknown =>
        path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);
    if (at(cfg.services[i].written) !== undefined) return "set here";
    if (at(cfg.defaults) !== undefined) return `inherited from ${formatKey(["defaults", ...path])}`;
    return "the built-in default";
}
