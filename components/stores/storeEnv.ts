// What a built-in store hands a client, typed against the env table of config/storeEnvNames.ts.
import type * as pulumi from "@pulumi/pulumi";
import type { BuiltinStore } from "../config/chartsSchema";
import type { STORE_CLIENT_ENV } from "../config/storeEnvNames";
import type { NetworkPeer, SecretRef } from "../k8s";

/** A name store `S` may inject. */
export type StoreEnvName<S extends BuiltinStore> = keyof (typeof STORE_CLIENT_ENV)[S] & string;

/** What a store hands one client, typed against its row of {@link STORE_CLIENT_ENV}; assignable to a ClientConnection. */
export interface StoreConnection<S extends BuiltinStore> {
    /** Non-secret env, by value. */
    env: { [K in StoreEnvName<S>]?: pulumi.Input<string> };
    /** Secret env, by reference. */
    secretEnv: { [K in StoreEnvName<S>]?: SecretRef };
    /** Secret env of the migration Job when it logs in differently. */
    migrationSecretEnv?: { [K in StoreEnvName<S>]?: SecretRef };
    /** The store's pods, for the client's egress NetworkPolicy. */
    peer: NetworkPeer;
}
