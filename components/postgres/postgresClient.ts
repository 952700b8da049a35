// What a client service of PostgreSQL gets: host, port and its database or schema by value, its logins by Secret
// reference (the owner's for its migration Job, the runtime role's otherwise), and the instance pods as its egress peer.
import { postgresNamespaceName } from "../config";
import type { CredentialsRef } from "../secrets";
import { StoreConnection } from "../stores";
import { cnpgInstanceLabels, PostgresConfig, POSTGRES_PORT } from "./postgresCluster";

/** What one client service gets: its runtime login and, for its migration Job, its owner login. */
export interface PostgresClientCredentials {
    /** Login of the Deployment and cleanup CronJob. */
    runtime: CredentialsRef;
    /** Login of the migration Job (the owner role; the same as runtime when there is no split). */
    migration: CredentialsRef;
}

/** POSTGRES_USER and POSTGRES_PASSWORD of one login, both by reference (the migration and the service differ). */
function loginEnv(c: CredentialsRef): StoreConnection<"postgres">["secretEnv"] {
    return { POSTGRES_USER: c.usernameRef, POSTGRES_PASSWORD: c.passwordRef };
}

/**
 * Connection settings for one client service: host, port and its database (or shared database + POSTGRES_SCHEMA)
 * by value; user and password by reference, the owner's for its migration Job and the runtime role's otherwise.
 */
export function postgresClientConnection(
    clusterName: string,
    cfg: PostgresConfig,
    service: string,
    creds: PostgresClientCredentials,
): StoreConnection<"postgres"> {
    const own = postgresNamespaceName(service);
    const env: StoreConnection<"postgres">["env"] = { POSTGRES_HOST: `${clusterName}-rw`, POSTGRES_PORT: String(POSTGRES_PORT) };
    if (cfg.isolation === "schema") Object.assign(env, { POSTGRES_DB: cfg.database, POSTGRES_SCHEMA: own } satisfies StoreConnection<"postgres">["env"]);
    else env.POSTGRES_DB = own;
    // The migration (owner) grants the runtime role its privileges; it needs the role's name for that.
    if (creds.runtime.username !== creds.migration.username) env.POSTGRES_RUNTIME_USER = creds.runtime.username;
    return {
        env,
        secretEnv: loginEnv(creds.runtime),
        migrationSecretEnv: loginEnv(creds.migration),
        peer: { podLabels: cnpgInstanceLabels(clusterName), ports: [POSTGRES_PORT] },
    };
}
