// Test-side scanners of chart values, and the real charts' values.yaml/Chart.yaml read from the chart mirror.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { mirrorEntry } from "../../components/charts/charts";
import type { ChartCoordinates } from "../../components/config/chartPins";
import { requireChartMirror } from "../../tools/chartMirror";

/** Collects every string leaf of a values tree with its path. */
export function stringLeaves(value: unknown, at = ""): { path: string; value: string }[] {
    if (typeof value === "string") return [{ path: at, value }];
    if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${at}[${i}]`));
    if (value !== null && typeof value === "object") {
        return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => stringLeaves(v, at ? `${at}.${k}` : k));
    }
    return [];
}

/** Keys that would carry a literal credential in a chart's values; references use other names (existingSecret, secret.name…). */
const LITERAL_SECRET_KEY = /(^|\.)(password|passwd|secretKey|accessKey|storageKey|storageSasToken|connectionString|applicationCredentials|token|aclConfig)$/i;

/** Paths of values whose key names a literal credential and whose value is non-empty (empty means "unused"). */
export function literalSecretPaths(values: unknown): string[] {
    return stringLeaves(values)
        .filter((l) => l.value !== "" && LITERAL_SECRET_KEY.test(l.path.replace(/\[\d+\]/g, "")))
        .map((l) => l.path);
}

/** Keys whose value the charts hand to Kubernetes verbatim (a core/v1 security context), so any of its fields is valid. */
const KUBERNETES_BLOCK = /(^|\.)(securityContext|podSecurityContext|containerSecurityContext)$/;

/**
 * Value paths that a chart's values.yaml does not declare (an empty map there is free-form and accepts anything, and
 * so are security contexts, which every chart passes through as they are).
 */
export function undeclaredValuePaths(values: unknown, declared: unknown, at = ""): string[] {
    if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
    if (KUBERNETES_BLOCK.test(at)) return [];
    if (declared === null || typeof declared !== "object" || Array.isArray(declared)) return at ? [at] : [];
    const decl = declared as Record<string, unknown>;
    if (Object.keys(decl).length === 0) return [];
    return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) => {
        const p = at ? `${at}.${k}` : k;
        return k in decl ? undeclaredValuePaths(v, decl[k], p) : [p];
    });
}

/** The pinned chart's folder in the chart mirror; fails with how to provide the mirror when there is none. */
export function mirroredChart(c: ChartCoordinates): string {
    const dir = mirrorEntry(requireChartMirror(), c);
    if (!fs.existsSync(path.join(dir, "Chart.yaml"))) throw new Error(`the chart mirror lacks ${c.chart}@${c.version} (${dir}/Chart.yaml)`);
    return dir;
}

/** A YAML file of the pinned chart in the mirror (values.yaml, Chart.yaml, a template…). */
export function mirroredChartFile(c: ChartCoordinates, file: string): unknown {
    return yaml.load(fs.readFileSync(path.join(mirroredChart(c), file), "utf8"));
}
