// Pulumi mocks shared by unit, stack and policy-check runs: records every registered resource with its inputs and parent.
import * as pulumi from "@pulumi/pulumi";

/** One resource as the program registered it. */
export interface RegisteredResource {
    type: string;
    name: string;
    urn: string;
    inputs: Record<string, unknown>;
    /** URN of the parent resource (undefined for top-level resources). */
    parent?: string;
    /** True for custom (provider-managed) resources, false for components. */
    custom: boolean;
    /** `type::name` of each resource in `opts.dependsOn` (set where a {@link DependencyRecorder} ran). */
    dependsOn?: string[];
    /** The `transforms` option the program gave the resource (for a helm.v4.Chart: what it does to rendered objects). */
    transforms: pulumi.ResourceTransform[];
    /** The `retainOnDelete` option: `pulumi destroy` leaves the object in the cluster. */
    retainOnDelete: boolean;
    /** True for resources read with `.get()` (the mocks get their ID), which the engine never sends to policies. */
    read?: boolean;
}

/** Deterministic stand-in for a generated password (the mocks never produce real entropy). */
export const MOCK_PASSWORD_PREFIX = "mock-generated-";

/** The URN the mocks give a resource (tests compare parents against it). */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::platform::${type}::${name}`;
}

/** Emulates what providers add to outputs, so components see realistic values (auto-names, generated passwords). */
function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const state: Record<string, unknown> = { ...inputs };
    if (type.startsWith("kubernetes:") && type !== "kubernetes:helm.sh/v4:Chart") {
        const meta = (inputs.metadata ?? {}) as Record<string, unknown>;
        state.metadata = { ...meta, name: meta.name ?? name };
    }
    if (type === "kubernetes:helm.sh/v4:Chart") state.resources = [];
    if (type === "random:index/randomPassword:RandomPassword") state.result = `${MOCK_PASSWORD_PREFIX}${name}`;
    return state;
}

/** Collects the resources of one mocked program run. */
export class ResourceRecorder {
    readonly resources: RegisteredResource[] = [];
    private readonly parents = new Map<string, string | undefined>();
    private readonly transforms = new Map<string, pulumi.ResourceTransform[]>();
    private readonly retained = new Set<string>();

    /** Stack transformation that captures each resource's parent and transforms (mocks do not report them). */
    readonly transformation: pulumi.ResourceTransformation = (args) => {
        this.parents.set(`${args.type}::${args.name}`, args.opts.parent ? parentUrn(args.opts.parent) : undefined);
        this.transforms.set(`${args.type}::${args.name}`, args.opts.transforms ?? []);
        if (args.opts.retainOnDelete) this.retained.add(`${args.type}::${args.name}`);
        return undefined;
    };

    record(type: string, name: string, inputs: Record<string, unknown>, custom: boolean, read = false): void {
        const key = `${type}::${name}`;
        this.resources.push({
            type,
            name,
            urn: urnOf(type, name),
            inputs,
            custom,
            parent: this.parents.get(key),
            transforms: this.transforms.get(key) ?? [],
            retainOnDelete: this.retained.has(key),
            ...(read ? { read } : {}),
        });
    }

    /** Resources of one type, e.g. "kubernetes:apps/v1:Deployment". */
    ofType(type: string): RegisteredResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The single resource of a type and name; throws with the inventory when absent. */
    get(type: string, name: string): RegisteredResource {
        const r = this.resources.find((x) => x.type === type && x.name === name);
        if (!r) throw new Error(`no ${type} named ${name}; have: ${this.resources.map((x) => `${x.type}::${x.name}`).join(", ")}`);
        return r;
    }

    /** Parents and transforms are known only after all transformations ran; re-attach them. */
    finalize(): RegisteredResource[] {
        for (const r of this.resources) {
            r.parent = this.parents.get(`${r.type}::${r.name}`);
            r.transforms = this.transforms.get(`${r.type}::${r.name}`) ?? [];
            r.retainOnDelete = this.retained.has(`${r.type}::${r.name}`);
        }
        return this.resources;
    }
}

/** Records `opts.dependsOn` of every resource (by "type::name" → names of the resources depended on). */
export class DependencyRecorder {
    readonly dependsOn = new Map<string, string[]>();
    readonly transformation: pulumi.ResourceTransformation = (args) => {
        const key = `${args.type}::${args.name}`;
        const names = (deps: unknown) =>
            ((Array.isArray(deps) ? deps : deps ? [deps] : []) as unknown[]).map((d) => {
                const r = d as { __name?: string; __pulumiType?: string };
                return `${r.__pulumiType ?? "?"}::${r.__name ?? "?"}`;
            });
        const deps = args.opts.dependsOn;
        // dependsOn may be an Output of a resource list (data-store readiness); record it once it resolves.
        if (pulumi.Output.isInstance(deps))
            (deps as pulumi.Output<unknown>).apply((d) => {
                this.dependsOn.set(key, names(d));
                return d;
            });
        else this.dependsOn.set(key, names(deps));
        return undefined;
    };
}

function parentUrn(parent: pulumi.Resource): string {
    // Resource names are private in the SDK; the transformation records them so children can point at parents.
    const internal = parent as unknown as { __name?: string; __pulumiType?: string };
    return urnOf(internal.__pulumiType ?? "unknown", internal.__name ?? "unknown");
}

/** Installs Pulumi mocks that record into a fresh recorder. */
export async function installMocks(
    opts: { stack?: string; preview?: boolean; stackOutputs?: Record<string, Record<string, unknown>> } = {},
): Promise<ResourceRecorder> {
    const recorder = new ResourceRecorder();
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
                const inputs = (args.inputs ?? {}) as Record<string, unknown>;
                if (args.type === "pulumi:pulumi:StackReference") {
                    // A stack the test does not provide reads as the engine reads an unknown stack: a failure.
                    const outputs = opts.stackOutputs?.[String(inputs.name)];
                    if (!outputs) throw new Error(`unknown stack "${String(inputs.name)}"`);
                    recorder.record(args.type, args.name, inputs, true, true);
                    return { id: String(inputs.name), state: { name: inputs.name, outputs, secretOutputNames: [] } };
                }
                recorder.record(args.type, args.name, inputs, args.custom !== false, typeof args.id === "string" && args.id !== "");
                return { id: args.custom === false ? undefined : `${args.name}-id`, state: mockState(args.type, args.name, inputs) };
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
                return args.inputs as Record<string, unknown>;
            },
        },
        "platform",
        opts.stack ?? "test",
        opts.preview ?? false,
    );
    acceptTransforms();
    return recorder;
}

// Internal SDK state (runtime/state.js) and protobuf types: the mock monitor reports no support for transforms and
// runs no callback server, so a `transforms` option would fail registration. A stand-in callback server hands out
// tokens and keeps nothing; the recorder's stack transformation captures the transforms for tests to apply.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { supportsTransforms: boolean; callbacks?: unknown } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Callback } = require("@pulumi/pulumi/proto/callback_pb") as { Callback: new () => { setTarget(t: string): void; setToken(t: string): void } };

function acceptTransforms(): void {
    const store = getStore();
    store.supportsTransforms = true;
    let n = 0;
    store.callbacks = {
        registerTransform: async () => {
            const cb = new Callback();
            cb.setTarget("mock");
            cb.setToken(`transform-${n++}`);
            return cb;
        },
        awaitStackRegistrations: () => Promise.resolve(),
        shutdown: () => undefined,
    };
}

/** Resolves an Output (or plain value) under mocks. */
export function resolve<T>(value: pulumi.Input<T>): Promise<T> {
    return new Promise((res) =>
        pulumi.output(value).apply((v) => {
            res(v as T);
            return v;
        }),
    );
}

// Internal SDK helper (runtime/settings.js) that drains the RPC queue; the public disconnect() would close the mocks.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };

/** Waits until every resource registration queued so far has reached the mocks. */
export async function settle(): Promise<void> {
    await waitForRPCs();
}
