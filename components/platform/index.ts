// One stack composed (namespace baseline, Secrets, stores, services, Dapr, edge) and what destroy leaves.
export { Platform } from "./platform";
export type { PlatformArgs } from "./platform";
