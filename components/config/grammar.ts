// Value grammars of the systems that consume the config: Kubernetes quantities and label keys/values (one rule each,
// the vocabulary shared with the policy pack), Prometheus durations and cron schedules. Each `…Problem` returns the
// fix in words, or undefined when valid.
import { isValidLabelValue, labelKeyFault, parseQuantity, quantityProblem } from "../../policy/vocab";

export { parseQuantity, quantityProblem };

/** CPU quantity in millicores (NaN when not a quantity). */
export function cpuMillis(q: string): number {
    return (parseQuantity(q) ?? NaN) * 1000;
}

/** Memory quantity in bytes (NaN when not a quantity). */
export function memoryBytes(q: string): number {
    return parseQuantity(q) ?? NaN;
}

const LABEL_CHARS = "letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

/**
 * Why `key` is not a Kubernetes label key, as the apiserver checks one (apimachinery IsQualifiedName): an optional
 * prefix (a lowercase DNS subdomain of at most 253 characters) and '/', then a name of at most 63 characters.
 */
export function labelKeyProblem(key: string): string | undefined {
    const fault = labelKeyFault(key);
    if (fault === undefined) return undefined;
    const slash = key.indexOf("/");
    const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
    switch (fault) {
        case "slashes":
            return `"${key}" has more than one '/'; a label key is an optional DNS-subdomain prefix, one '/' and a name, e.g. "node-role.kubernetes.io/e2e"`;
        case "empty-prefix":
            return `"${key}" has an empty prefix before '/'; drop the '/' or write a prefix such as "example.com/"`;
        case "long-prefix":
            return `"${key}" has a prefix of ${prefix?.length} characters, over the 253 of a DNS subdomain; shorten it`;
        case "prefix":
            return `"${key}" has the prefix "${prefix}", which is not a DNS subdomain (lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit), e.g. "example.com/"`;
        case "empty-name":
            return prefix === undefined
                ? `"" is empty; a label key needs a name, e.g. "kubernetes.io/os"`
                : `"${key}" has no name after '/'; write one, e.g. "${prefix}/role"`;
        case "long-name":
            return `"${key}" has a name part of ${name.length} characters, over the 63 Kubernetes allows; shorten it`;
        case "name":
            return `"${key}" is not a label key: its name part "${name}" must have only ${LABEL_CHARS}, e.g. "node-role.kubernetes.io/e2e"`;
    }
}

/** Why `value` is not a Kubernetes label value (at most 63 characters of the label alphabet, or empty); undefined when it is one. */
export function labelValueProblem(value: string): string | undefined {
    if (isValidLabelValue(value)) return undefined;
    if (value.length > 63) return `"${value.slice(0, 20)}…" is ${value.length} characters, over the 63 of a label value; shorten it`;
    return `"${value}" is not a label value: it may be empty or have only ${LABEL_CHARS}, at most 63, e.g. "e2e"`;
}

// Prometheus' duration grammar (also the Prometheus Operator CRDs' Duration pattern): units largest first, each once.
const PROMETHEUS_DURATION = /^(0|([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$/;

/** Why `d` is not a positive Prometheus duration such as "30s" or "1m30s"; undefined when it is one. */
export function durationProblem(d: string): string | undefined {
    if (d !== "" && d !== "0" && PROMETHEUS_DURATION.test(d)) return undefined;
    if (d === "0") return `must be longer than 0, e.g. "30s"`;
    if (/\s/.test(d)) return `"${d}" contains spaces; write the units together, e.g. "1m30s"`;
    if (/[0-9]\.[0-9]/.test(d)) return `"${d}" has a fraction; Prometheus durations take whole numbers, e.g. "90s" instead of "1.5m"`;
    return `"${d}" is not a Prometheus duration; write whole numbers with the units y, w, d, h, m, s, ms, largest first, e.g. "30s" or "1m30s"`;
}

interface CronField {
    name: string;
    min: number;
    max: number;
    names?: readonly string[];
}
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FIELDS: readonly CronField[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: MONTHS },
    { name: "day of week", min: 0, max: 6, names: DAYS },
];
const SECONDS: CronField = { name: "second", min: 0, max: 59 };
const DESCRIPTOR = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;
const EVERY = /^@every ([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

function fieldValue(text: string, f: CronField): number | string {
    if (/^[0-9]+$/.test(text)) {
        const v = Number(text);
        return v < f.min || v > f.max ? `${f.name} ${v} is out of range; use ${f.min}-${f.max} in the ${f.name} field` : v;
    }
    const i = f.names?.indexOf(text.toLowerCase()) ?? -1;
    if (i >= 0) return f.names === MONTHS ? i + 1 : i;
    return `"${text}" is not a valid ${f.name}; use ${f.min}-${f.max}${f.names ? ` or names like ${f.names[0].toUpperCase()}` : ""}`;
}

function fieldProblem(text: string, f: CronField): string | undefined {
    for (const part of text.split(",")) {
        const [range, step, extra] = part.split("/");
        if (extra !== undefined || (step !== undefined && !/^[0-9]+$/.test(step)))
            return `"${part}" has a malformed step; write e.g. "*/15" in the ${f.name} field`;
        if (step !== undefined && Number(step) === 0) return `"${part}" has a step of 0; a step must be at least 1`;
        if (range === "*" || range === "?") continue;
        const bounds = range.split("-");
        if (bounds.length > 2 || bounds.some((b) => b === "")) return `"${part}" is not a valid ${f.name}; use a number, a range "a-b", a list "a,b" or "*"`;
        const values = bounds.map((b) => fieldValue(b, f));
        const bad = values.find((v): v is string => typeof v === "string");
        if (bad) return bad;
        if (values.length === 2 && (values[0] as number) > (values[1] as number))
            return `the range "${range}" in the ${f.name} field runs backwards; write the smaller value first`;
    }
    return undefined;
}

/**
 * Why `expr` is not a cron schedule as Kubernetes CronJobs (five fields) or CloudNativePG backups (six fields,
 * seconds first) parse it; undefined when valid. Out-of-range values (minute 60, day of week 7) are refused.
 */
export function cronProblem(expr: string, opts: { seconds?: boolean } = {}): string | undefined {
    const e = expr.trim();
    if (DESCRIPTOR.test(e) || EVERY.test(e)) return undefined;
    if (/^(CRON_)?TZ=/.test(e)) return `time zones are not allowed in the schedule; remove the "${e.split(/\s/)[0]}" prefix`;
    const fields = opts.seconds ? [SECONDS, ...FIELDS] : FIELDS;
    const parts = e.split(/\s+/).filter((p) => p !== "");
    const example = opts.seconds
        ? `"0 0 2 * * *" (second minute hour day-of-month month day-of-week)`
        : `"0 3 * * *" (minute hour day-of-month month day-of-week)`;
    if (parts.length !== fields.length)
        return `"${expr}" has ${parts.length} field${parts.length === 1 ? "" : "s"}; a schedule has ${fields.length}, e.g. ${example}, or @daily/@hourly`;
    for (let i = 0; i < fields.length; i++) {
        const p = fieldProblem(parts[i], fields[i]);
        if (p) return p;
    }
    return undefined;
}
