// The start every data-store component (and an extra chart) shares: its validated config section and the stack
// context, kept on the component because its clientConnection() reads them after construction.
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../k8s";

/** What a store component's Args carry at least. */
export interface StoreComponentArgs<C> {
    /** Platform namespace, stack-wide label values and ownership annotations. */
    context: PlatformContext;
    /** The store's validated config section. */
    config: C;
}

/** A ComponentResource built from one config section; subclasses register their children with `{ parent: this }`. */
export abstract class StoreComponent<C> extends pulumi.ComponentResource {
    /** The store's validated config section. */
    protected readonly cfg: C;
    /** Namespace, label values and ownership of the stack. */
    protected readonly ctx: PlatformContext;

    protected constructor(type: string, name: string, args: StoreComponentArgs<C>, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.cfg = args.config;
        this.ctx = args.context;
    }
}
