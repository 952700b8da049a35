// Leaf validators: names, quantities, images, chart coordinates — the grammar of single config values.
import { z } from "zod";
import { isValidImageReference, splitImageReference } from "../../policy/vocab";
import { cronProblem, durationProblem, parseQuantity, quantityProblem } from "./grammar";
import type { ChartCoordinates } from "./chartPins";

export const CONFIG_NAMESPACE = "platform";

export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const CONFIG_KEY = /^[a-z][A-Za-z0-9]*$/;
export const EXACT_VERSION = /^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/;
export const PATH_PREFIX = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;
export const HTTP_PATH = /^\/[A-Za-z0-9._~\/-]*$/;
/** Kafka topic names follow `app.domain.event-type.version`, e.g. `shop.orders.order-created.v1`. */
export const TOPIC_NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[0-9]+$/;
/** Env names that look like secrets; `_FILE`/`_PATH`/`_NAME`/`_URL` suffixes point at secrets rather than hold them. */
export const SECRET_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|BEARER)/i;
export const SECRET_REFERENCE_SUFFIX = /_(FILE|PATH|NAME|URL|URI|REF|KEY_ID|DIR)$/i;
/** One Valkey ACL command rule: `+get`, `-@dangerous`, `+client|setname`; never a password, key or on/off rule. */
export const VALKEY_COMMAND_RULE = /^[+-]@?[a-z][a-z0-9-]*(\|[a-z][a-z0-9-]*)?$/;
/** A Valkey key or channel glob without spaces or rule prefixes, e.g. `orders:*`. */
export const VALKEY_PATTERN = /^[A-Za-z0-9:_.{}*?\[\]|-]+$/;
/** An IPv4 CIDR such as `10.0.0.0/8`. */
export const IPV4_CIDR = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\/([0-9]|[12][0-9]|3[0-2])$/;

/**
 * Why the program could not read `value` as an http(s) URL the way it does (WHATWG `new URL`, as Node parses it) to
 * take its port, or undefined when it can: a port outside 1-65535 made the parse throw (or a port of 0 become a
 * NetworkPolicy port the apiserver refuses).
 */
export function urlProblem(value: string, example: string): string | undefined {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        const port = /^[a-z]+:\/\/(\[[^\]]*\]|[^/:?#]*):([0-9]+)/i.exec(value)?.[2];
        return port !== undefined && Number(port) > 65535
            ? `has port ${port}; use a port between 1 and 65535, e.g. "${example}"`
            : `is not a URL the program can read; write scheme://host[:port][/path], e.g. "${example}"`;
    }
    if (url.port === "0" || /^[a-z]+:\/\/(\[[^\]]*\]|[^/:?#]*):0+(\/|$)/i.test(value)) return `has port 0; use a port between 1 and 65535, e.g. "${example}"`;
    return undefined;
}

/** Error text for a type mismatch that says "is required" when the key is simply absent. */
export const req = (text: string) => (iss: { input?: unknown }) => (iss.input === undefined ? "is required" : text);

export const dnsLabel = (what: string, max = 63) =>
    z
        .string({ error: req(`must be a string (${what})`) })
        .max(max, { error: `must be at most ${max} characters` })
        .regex(DNS_LABEL, { error: `must be a DNS label (lowercase letters, digits and '-', starting with a letter), e.g. "my-${what}"` });

/** A Kubernetes quantity string (exact apiserver grammar), not negative. */
const quantity = (what: string, example: string) =>
    z.string({ error: `must be a ${what} quantity string such as "${example}"` }).superRefine((v, ctx) => {
        const problem = quantityProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
        else if ((parseQuantity(v) ?? 0) < 0) ctx.addIssue({ code: "custom", message: `must not be negative, e.g. "${example}"` });
    });
export const cpu = quantity("CPU", "250m");
export const memory = quantity("memory", "256Mi");

/** A positive Prometheus duration such as "30s" or "1m30s". */
export const duration = z.string({ error: 'must be a duration string such as "30s"' }).superRefine((v, ctx) => {
    const problem = durationProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** A cron schedule: five fields (Kubernetes CronJob) or, with `seconds`, six (CloudNativePG ScheduledBackup). */
export const cron = (opts: { seconds?: boolean } = {}) =>
    z.string({ error: 'must be a cron schedule string such as "0 3 * * *"' }).superRefine((v, ctx) => {
        const problem = cronProblem(v, opts);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

/** An image reference (the grammar runtimes parse, shared with the pack); a tag or a digest is required and `latest` is refused. */
export const image = z.string({ error: req("must be an image reference string") }).superRefine((v, ctx) => {
    if (!isValidImageReference(v)) {
        ctx.addIssue({ code: "custom", message: `"${v}" is not a valid image reference; use registry/repository:tag or registry/repository@sha256:<digest>` });
        return;
    }
    const { tag, digest } = splitImageReference(v);
    if (!tag && !digest) ctx.addIssue({ code: "custom", message: `"${v}" has no tag; pin a version tag or a digest (untagged means "latest")` });
    if (tag === "latest") ctx.addIssue({ code: "custom", message: `"${v}" uses the "latest" tag; pin a version tag or a digest` });
});

/** The coordinate fields every chart form shares besides its name: exact version, repository URL, local path. */
export const chartCoordinateFields = {
    version: z.string().regex(EXACT_VERSION, { error: 'must be an exact chart version such as "1.2.3" (no ranges)' }).optional(),
    repo: z
        .string()
        .regex(/^(https?|oci):\/\/\S+$/, { error: "must be an https:// or oci:// URL" })
        .optional(),
    path: z.string().min(1).optional(),
};

/** A chart read from a repository must pin an exact version (a local path needs none). */
export function requirePinnedVersion(c: { path?: string; version?: string }, ctx: z.RefinementCtx): void {
    if (!c.path && !c.version) ctx.addIssue({ code: "custom", path: ["version"], message: "is required for a repository chart; pin an exact version" });
}

export const chartSource = (d: ChartCoordinates) =>
    z
        .object({ chart: z.string().min(1).default(d.chart), ...chartCoordinateFields })
        .strict()
        .prefault({})
        .transform((c): ChartCoordinates => {
            // A local path replaces the repository; otherwise fall back to the pinned default coordinates.
            if (c.path) return { chart: c.chart, path: c.path, version: c.version };
            return { chart: c.chart, repo: c.repo ?? d.repo, version: c.version ?? d.version };
        })
        .superRefine(requirePinnedVersion);
