// Leaf validators: names, quantities, images, chart coordinates — the grammar of single config values.
import { z } from "zod";

export const CONFIG_NAMESPACE = "platform";

export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
export const CPU = /^([0-9]+m|[0-9]+(\.[0-9]+)?)$/;
export const MEMORY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const CONFIG_KEY = /^[a-z][A-Za-z0-9]*$/;
export const EXACT_VERSION = /^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/;
export const PATH_PREFIX = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;
export const HTTP_PATH = /^\/[A-Za-z0-9._~\/-]*$/;
/** Kafka topic names follow `app.domain.event-type.version`, e.g. `shop.orders.order-created.v1`. */
export const TOPIC_NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[0-9]+$/;
// registry/repo[:tag][@sha256:digest]; a tag or a digest is required and `latest` is refused.
export const IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
export const CRON = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;
/** Env names that look like secrets; `_FILE`/`_PATH`/`_NAME`/`_URL` suffixes point at secrets rather than hold them. */
export const SECRET_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|BEARER)/i;
export const SECRET_REFERENCE_SUFFIX = /_(FILE|PATH|NAME|URL|URI|REF|KEY_ID|DIR)$/i;

/** Error text for a type mismatch that says "is required" when the key is simply absent. */
export const req = (text: string) => (iss: { input?: unknown }) => (iss.input === undefined ? "is required" : text);

export const dnsLabel = (what: string, max = 63) =>
    z.string({ error: req(`must be a string (${what})`) }).max(max, { error: `must be at most ${max} characters` })
        .regex(DNS_LABEL, { error: `must be a DNS label (lowercase letters, digits and '-', starting with a letter), e.g. "my-${what}"` });

export const cpu = z.string({ error: "must be a CPU quantity string such as \"250m\" or \"1\"" })
    .regex(CPU, { error: "must be a CPU quantity such as \"250m\" or \"1\"" });
export const memory = z.string({ error: "must be a memory quantity string such as \"256Mi\"" })
    .regex(MEMORY, { error: "must be a memory quantity such as \"256Mi\" or \"1Gi\"" });

export const image = z.string({ error: req("must be an image reference string") }).superRefine((v, ctx) => {
    if (!IMAGE.test(v)) {
        ctx.addIssue({ code: "custom", message: `"${v}" is not a valid image reference; use registry/repository:tag or registry/repository@sha256:<digest>` });
        return;
    }
    const last = v.slice(v.lastIndexOf("/") + 1);
    const hasDigest = v.includes("@sha256:");
    const tag = last.includes(":") ? last.slice(last.indexOf(":") + 1).split("@")[0] : undefined;
    if (!tag && !hasDigest) ctx.addIssue({ code: "custom", message: `"${v}" has no tag; pin a version tag or a digest (untagged means "latest")` });
    if (tag === "latest") ctx.addIssue({ code: "custom", message: `"${v}" uses the "latest" tag; pin a version tag or a digest` });
});

export const chartSource = (d: { chart: string; version?: string; repo?: string; path?: string }) =>
    z.object({
        chart: z.string().min(1).default(d.chart),
        version: z.string().regex(EXACT_VERSION, { error: "must be an exact chart version such as \"1.2.3\" (no ranges)" }).optional(),
        repo: z.string().regex(/^(https?|oci):\/\/\S+$/, { error: "must be an https:// or oci:// URL" }).optional(),
        path: z.string().min(1).optional(),
    }).strict().prefault({}).transform((c) => {
        // A local path replaces the repository; otherwise fall back to the pinned default coordinates.
        if (c.path) return { chart: c.chart, path: c.path, version: c.version };
        return { chart: c.chart, repo: c.repo ?? d.repo, version: c.version ?? d.version };
    }).superRefine((c, ctx) => {
        if (!c.path && !c.version) ctx.addIssue({ code: "custom", path: ["version"], message: "is required for a repository chart; pin an exact version" });
    });
