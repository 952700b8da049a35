// What every data store shares: its component base and the connection it hands a client.
export { StoreComponent } from "./storeComponent";
export type { StoreComponentArgs } from "./storeComponent";
export type { StoreConnection } from "./storeEnv";
