// Schema of `platform:charts`: any further Helm chart a system needs (a broker, a document store …), installed with
// the platform's labels, Secrets passed by reference and network rules from the services that list it in `uses`.
import { z } from "zod";
import { CONFIG_KEY, ENV_NAME, chartCoordinateFields, dnsLabel, requirePinnedVersion } from "./validators";

/** A dotted path into a chart's values, e.g. "auth.usersExistingSecret". */
export const VALUES_PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

const port = z
    .number({ error: "must be a port number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be between 1 and 65535" })
    .max(65535, { error: "must be between 1 and 65535" });

/** One extra chart. */
export const extraChartSchema = z
    .object({
        /** Helm release name and the name services list in `uses` (their NetworkPolicies and its own follow). */
        name: dnsLabel("chart", 40),
        /** What it is for (the `description` annotation). */
        description: z.string().min(1).optional(),
        /** `app.kubernetes.io/component` of its objects. Defaults to "chart". */
        component: dnsLabel("component").default("chart"),
        /** Coordinates: `repo` (https:// or oci://) + `chart` + exact `version`, or a local `path`; read from the chart mirror when one is set. */
        chart: z
            .object({ chart: z.string().min(1, { error: "must name the chart" }), ...chartCoordinateFields })
            .strict()
            .superRefine((c, ctx) => {
                requirePinnedVersion(c, ctx);
                if (!c.path && !c.repo)
                    ctx.addIssue({
                        code: "custom",
                        path: ["repo"],
                        message: "is required unless the chart has a local path (https:// index or oci:// registry)",
                    });
            }),
        /** Helm values, as the chart documents them. Never credentials: pass those with `secretRefs`. Defaults to none. */
        values: z.record(z.string(), z.unknown()).default({}),
        /**
         * Secrets passed by reference: the value at `path` becomes the name of the chart's credentials Secret
         * (`<name>-credentials`), which holds `platform:<secret>` under the key `<secret>`. Defaults to none.
         */
        secretRefs: z
            .array(
                z
                    .object({
                        path: z.string().regex(VALUES_PATH, { error: 'must be a dotted values path such as "auth.existingSecret"' }),
                        secret: z
                            .string()
                            .regex(CONFIG_KEY, { error: "must be a camelCase config key name (the value is read from platform:<secret> with --secret)" }),
                    })
                    .strict(),
            )
            .default([]),
        /** TCP ports clients reach on the chart's pods; its NetworkPolicy opens exactly these. */
        ports: z.array(port).min(1, { error: "must list the ports clients connect to, e.g. [6379]" }),
        /** Labels of the chart's server pods. Defaults to app.kubernetes.io/instance: <name> (the release). */
        podSelector: z.record(z.string(), z.string()).optional(),
        /** Plain env of the services that use it (host, port …). Defaults to none. */
        clientEnv: z.record(z.string().regex(ENV_NAME, { error: "must be an environment variable name" }), z.string()).default({}),
        /** Secret env of the services that use it: env name ← one of this chart's `secretRefs` secrets. Defaults to none. */
        clientSecretEnv: z
            .array(
                z
                    .object({
                        name: z.string().regex(ENV_NAME, { error: "must be an environment variable name" }),
                        secret: z.string().regex(CONFIG_KEY, { error: "must be a camelCase config key name" }),
                    })
                    .strict(),
            )
            .default([]),
    })
    .strict();

export type ExtraChartConfig = z.infer<typeof extraChartSchema>;

/** The data stores the platform builds in; any other `uses` entry names a `platform:charts` entry. */
export const BUILTIN_STORES = ["postgres", "redis", "kafka"] as const;
export type BuiltinStore = (typeof BUILTIN_STORES)[number];

/** True when a `uses` entry is a built-in store rather than an extra chart. */
export function isBuiltinStore(u: string): u is BuiltinStore {
    return (BUILTIN_STORES as readonly string[]).includes(u);
}

/** Env names an extra chart gives the services that use it. */
export function chartClientEnvNames(c: Pick<ExtraChartConfig, "clientEnv" | "clientSecretEnv">): string[] {
    return [...Object.keys(c.clientEnv), ...c.clientSecretEnv.map((e) => e.name)];
}
