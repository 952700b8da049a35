// Valkey (platform:redis): the chart, its pod settings and ACL users.
export { Redis, valkeyUser } from "./redis";
export type { RedisArgs, ValkeyUser } from "./redis";
