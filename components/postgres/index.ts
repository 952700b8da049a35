// PostgreSQL: the CloudNativePG operator and cluster, backups, NetworkPolicy and client connection.
export { Postgres } from "./postgres";
export type { PostgresArgs } from "./postgres";
export { cnpgOperatorValues } from "./cnpgOperator";
