// Who logs into which data store: one user per service and store (two for a PostgreSQL owner/runtime split), plus
// the Valkey replication user. Pure naming rules, shared by the config checks, AppSecrets and the store components.
import type { BuiltinStore } from "./chartsSchema";
import type { ServiceConfig, WrittenConfig } from "./schema";

/** What a store user is for: `runtime` is what the service's pods use; `owner` owns a PostgreSQL database/schema. */
export type CredentialPurpose = "runtime" | "owner";

/** One store user of one service. */
export interface StoreUser {
    /** The service it belongs to. */
    service: string;
    store: BuiltinStore;
    purpose: CredentialPurpose;
    /** Name of the user inside the store (PostgreSQL role, Valkey ACL user, KafkaUser name). */
    username: string;
    /** `platform:<configKey>` holds its password (set with --secret, or generated where allowed). */
    configKey: string;
}

/** Valkey user the replicas authenticate as (`masteruser`); it may only run the replication commands. */
export const VALKEY_REPLICATION_USER = "replication";
/** `platform:redisReplicationPassword`: password of {@link VALKEY_REPLICATION_USER}. */
export const VALKEY_REPLICATION_CONFIG_KEY = "redisReplicationPassword";

/** `order-service` → `orderService` (config keys are camelCase). */
export function camelName(service: string): string {
    return service.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** PostgreSQL identifier for a service: `order-service` → `order_service` (no quoting needed). */
export function pgIdentifier(service: string): string {
    return service.replace(/-/g, "_");
}

/** Name of the service's database (isolation "database") or schema (isolation "schema"). */
export function postgresNamespaceName(service: string): string {
    return pgIdentifier(service);
}

/** The PostgreSQL users of one service: the owner, plus a runtime role when `postgres.runtimeRole` is set. */
export function postgresUsers(svc: Pick<ServiceConfig, "name" | "postgres">): StoreUser[] {
    const owner: StoreUser = {
        service: svc.name,
        store: "postgres",
        purpose: "owner",
        username: pgIdentifier(svc.name),
        configKey: `${camelName(svc.name)}PostgresOwnerPassword`,
    };
    if (!svc.postgres.runtimeRole) return [{ ...owner, configKey: `${camelName(svc.name)}PostgresPassword` }];
    return [
        owner,
        {
            service: svc.name,
            store: "postgres",
            purpose: "runtime",
            username: `${pgIdentifier(svc.name)}_runtime`,
            configKey: `${camelName(svc.name)}PostgresPassword`,
        },
    ];
}

/** Every store user the stack needs, in service order (postgres, redis, kafka per service). */
export function storeUsers(
    cfg: Pick<WrittenConfig, "postgres" | "redis" | "kafka"> & { services: readonly Pick<ServiceConfig, "name" | "uses" | "postgres">[] },
): StoreUser[] {
    const out: StoreUser[] = [];
    for (const s of cfg.services) {
        if (s.uses.includes("postgres") && cfg.postgres.enabled) out.push(...postgresUsers(s));
        if (s.uses.includes("redis") && cfg.redis.enabled)
            out.push({ service: s.name, store: "redis", purpose: "runtime", username: s.name, configKey: `${camelName(s.name)}RedisPassword` });
        if (s.uses.includes("kafka") && cfg.kafka.enabled)
            out.push({ service: s.name, store: "kafka", purpose: "runtime", username: s.name, configKey: `${camelName(s.name)}KafkaPassword` });
    }
    return out;
}

/** The user the pods of a service's Deployment (and cleanup CronJob) log in as: the runtime role, else the owner. */
export function runtimeUser(users: readonly StoreUser[], service: string, store: BuiltinStore): StoreUser | undefined {
    const mine = users.filter((u) => u.service === service && u.store === store);
    return mine.find((u) => u.purpose === "runtime") ?? mine.find((u) => u.purpose === "owner");
}

/** The user a service's migration Job logs in as: the owner where there is one, else the runtime user. */
export function migrationUser(users: readonly StoreUser[], service: string, store: BuiltinStore): StoreUser | undefined {
    const mine = users.filter((u) => u.service === service && u.store === store);
    return mine.find((u) => u.purpose === "owner") ?? mine.find((u) => u.purpose === "runtime");
}
