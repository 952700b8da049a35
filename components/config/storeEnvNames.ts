// The env each built-in data store hands to the services that use it. One table: the store connections are typed
// against it (they cannot inject a name it lacks), the config check reserves its names, `$(VAR)` may use its "always" ones.
// It lives under config/ and imports only the store names, so the config rules read it without reaching the components.
import type { BuiltinStore } from "./chartsSchema";

/** Every name a store injects, and when: in every connection ("always") or only under the setting named. */
export const STORE_CLIENT_ENV = {
    postgres: {
        POSTGRES_HOST: "always",
        POSTGRES_PORT: "always",
        POSTGRES_DB: "always",
        POSTGRES_USER: "always",
        POSTGRES_PASSWORD: "always",
        POSTGRES_SCHEMA: "isolation: schema",
        POSTGRES_RUNTIME_USER: "a runtime role apart from the owner",
    },
    redis: { REDIS_HOST: "always", REDIS_PORT: "always", REDIS_USERNAME: "always", REDIS_PASSWORD: "always" },
    kafka: {
        KAFKA_BOOTSTRAP_SERVERS: "always",
        KAFKA_SECURITY_PROTOCOL: "always",
        KAFKA_SASL_MECHANISM: "always",
        KAFKA_SASL_USERNAME: "always",
        KAFKA_SASL_PASSWORD: "always",
        KAFKA_SASL_JAAS_CONFIG: "always",
        KAFKA_SSL_TRUSTSTORE_TYPE: "tls",
        KAFKA_SSL_TRUSTSTORE_CERTIFICATES: "tls",
        KAFKA_GROUP_ID: "a consumer of some topic",
    },
} as const satisfies Record<BuiltinStore, Record<string, string>>;

/** Every name the store may inject (what a service may not set itself). */
export function storeEnvNames(store: BuiltinStore): string[] {
    return Object.keys(STORE_CLIENT_ENV[store]);
}

/** The names the store injects whatever its settings (what `$(VAR)` in a service's env may always refer to). */
export function alwaysStoreEnvNames(store: BuiltinStore): string[] {
    return Object.entries(STORE_CLIENT_ENV[store])
        .filter(([, when]) => when === "always")
        .map(([name]) => name);
}
