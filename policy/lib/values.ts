// Plain-data view of resource properties: unwraps the analyzer's proxies and secret wrappers and
// marks values that are unknown during preview, so policies never throw on (or guess at) them.

/** Sentinels the Pulumi engine uses for values that are unknown during preview (stable wire protocol). */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The string sentinel; normalize() maps every kind of unknown (and unresolved Outputs) to it. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// Key of the Pulumi RPC "special signature" used for secrets and assets in serialized property maps.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
// @pulumi/policy's proxies hand back their raw target under this key.
const PROXY_TARGET = "__getSpecialProxyTarget";

export type PlainObject = Record<string, unknown>;

/** True for preview-time unknown values (engine sentinels) as well as Pulumi Output objects. */
export function isUnknown(v: unknown): boolean {
    if (typeof v === "string") return UNKNOWN_SENTINELS.has(v);
    return isOutputLike(v);
}

function isOutputLike(v: unknown): boolean {
    return typeof v === "object" && v !== null && (v as PlainObject)["__pulumiOutput"] === true;
}

/** Returns the proxy's raw target when `v` is an @pulumi/policy proxy, else `v` itself. */
export function unproxy(v: unknown): unknown {
    // Remediation props are an unknown-checking proxy around a secrets-preserving proxy: peel both.
    for (let i = 0; i < 4 && typeof v === "object" && v !== null; i++) {
        const target = (v as PlainObject)[PROXY_TARGET];
        if (target === undefined || target === v) break;
        v = target;
    }
    return v;
}

/** True when `v` is @pulumi/policy's `Secret` wrapper (duck-typed so the SDK need not be loaded). */
export function isPolicySecret(v: unknown): v is { value: unknown } {
    return (
        typeof v === "object" &&
        v !== null &&
        !Array.isArray(v) &&
        (v as object).constructor?.name === "Secret" &&
        Object.prototype.hasOwnProperty.call(v, "value")
    );
}

/**
 * Deep-copies resource properties into plain JSON-like data: proxies unwrapped, secret markers removed
 * (policies see plaintext, as the analyzer does), Outputs and unknown sentinels turned into UNKNOWN.
 */
export function normalize(v: unknown, depth = 0): unknown {
    v = unproxy(v);
    if (depth > 64) return UNKNOWN; // cycles cannot occur in wire data; guard anyway
    if (v === null || v === undefined) return v;
    if (typeof v === "string") return UNKNOWN_SENTINELS.has(v) ? UNKNOWN : v;
    if (typeof v !== "object") return v;
    if (isOutputLike(v)) return UNKNOWN;
    if (isPolicySecret(v)) return normalize(v.value, depth + 1);
    if (Array.isArray(v)) return v.map((e) => normalize(e, depth + 1));
    const o = v as PlainObject;
    if (o[SIG_KEY] === SECRET_SIG) return normalize(o["value"], depth + 1);
    const out: PlainObject = {};
    for (const k of Object.keys(o)) {
        const nv = normalize(o[k], depth + 1);
        if (nv !== undefined) out[k] = nv;
    }
    return out;
}

/** Normalizes a resource's props into a plain object (empty when the whole bag is unknown). */
export function plainProps(props: unknown): PlainObject {
    return rec(normalize(props)) ?? {};
}

/** A known, plain (non-array) object, else undefined. */
export function rec(v: unknown): PlainObject | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) && !isUnknown(v) ? (v as PlainObject) : undefined;
}

/** A known array, else an empty one (unknown arrays contribute nothing). */
export function arr(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

/** A known string, else undefined. */
export function str(v: unknown): string | undefined {
    return typeof v === "string" && !UNKNOWN_SENTINELS.has(v) ? v : undefined;
}

/** A known number, else undefined. */
export function num(v: unknown): number | undefined {
    return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** A known boolean, else undefined. */
export function bool(v: unknown): boolean | undefined {
    return typeof v === "boolean" ? v : undefined;
}

/** Walks a path; returns UNKNOWN as soon as an unknown is met, undefined when a segment is absent. */
export function get(v: unknown, ...path: (string | number)[]): unknown {
    let cur: unknown = v;
    for (const seg of path) {
        if (isUnknown(cur)) return UNKNOWN;
        if (typeof cur !== "object" || cur === null) return undefined;
        cur = (cur as Record<string | number, unknown>)[seg];
    }
    return cur;
}

/** A map of known string values (unknown entries dropped); undefined when absent or unknown. */
export function stringMap(v: unknown): Record<string, string> | undefined {
    const o = rec(v);
    if (!o) return undefined;
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(o)) {
        const s = str(val);
        if (s !== undefined) out[k] = s;
    }
    return out;
}

/** Deep clone for remediation: copies plain objects and arrays, keeps class instances (e.g. Secret) as-is. */
export function cloneForRemediation<T>(v: T): T {
    if (Array.isArray(v)) return v.map((e) => cloneForRemediation(e)) as unknown as T;
    if (typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
        const out: PlainObject = {};
        for (const [k, val] of Object.entries(v as PlainObject)) out[k] = cloneForRemediation(val);
        return out as T;
    }
    return v;
}

/** A mutable plain object at `key` inside a raw (remediation) object, created when absent; undefined if not safely editable. */
export function editableChild(parent: PlainObject, key: string): PlainObject | undefined {
    const cur = parent[key];
    if (cur === undefined || cur === null) {
        const created: PlainObject = {};
        parent[key] = created;
        return created;
    }
    if (typeof cur === "object" && !Array.isArray(cur) && Object.getPrototypeOf(cur) === Object.prototype && !isUnknown(cur)) {
        return cur as PlainObject;
    }
    return undefined; // unknown, secret-wrapped or not an object: leave it alone
}
