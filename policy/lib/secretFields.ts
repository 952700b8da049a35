// The pack's detectors for the places a secret can sit that only the pack sees, one field shape at a time: command
// lines, embedded config files, annotation maps and Helm values trees. The policies in policies/secrets.ts walk
// objects and hand each field to these; the name, reference, value and probe-header rules they share with the
// program live in vocab/. Like those, nothing here ever returns the secret itself.
import { DEFAULT_SECRET_DETECTION, SecretDetectionConfig, base64Text, isReferenceOrTrivial, nameLooksSecret, secretValueReason } from "../vocab";
import { PlainObject, isUnknown, rec, str } from "./values";

/** Secret-looking `key: value` / `key=value` / `directive value` lines inside an embedded config file or script. */
export function secretAssignmentsInText(text: string, cfg: SecretDetectionConfig = DEFAULT_SECRET_DETECTION): string[] {
    const found: string[] = [];
    for (const line of text.split(/\r?\n/)) {
        const m =
            /^\s*(?:export\s+|local\s+|readonly\s+|-\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*(.*?)\s*,?\s*$/.exec(line) ??
            /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s+(\S+)\s*$/.exec(line); // redis.conf style: requirepass <value>
        if (!m) continue;
        const value = m[2].replace(/\s+#.*$/, "");
        if (!value || /^[|>][-+]?$/.test(value) || /^[{[]$/.test(value)) continue; // block scalar or nested object starts
        if (nameLooksSecret(m[1], cfg) && !isReferenceOrTrivial(value)) found.push(m[1]);
    }
    return found;
}

export interface ArgFinding {
    index: number;
    reason: string;
}

/** A shell word without the quotes around it. */
const unquoteWord = (w: string) => w.replace(/^(["'])(.*)\1$/, "$2");

/** The password part of a user:password word is a literal (not $VAR, $(cat …), ${VAR}). */
function literalUserPassword(word: string): boolean {
    const w = unquoteWord(word);
    const colon = w.indexOf(":");
    return colon > 0 && colon < w.length - 1 && !isReferenceOrTrivial(w.slice(colon + 1));
}

/** Client options that take a password without saying so in their name (curl -u user:pw, redis-cli -a pw, mysql -ppw), over a list of words: the index of the word holding the value, and why. */
function clientPasswordOptions(words: string[]): { at: number; reason: string }[] {
    const found: { at: number; reason: string }[] = [];
    const uses = (tool: RegExp) => words.map((w) => w.replace(/^.*\//, "")).find((w) => tool.test(w));
    const curl = uses(/^curl$/);
    const redis = uses(/^(redis-cli|valkey-cli)$/);
    const mysql = uses(/^(mysql|mysqladmin|mysqldump|mariadb|mariadb-admin|mariadb-dump)$/);
    words.forEach((w, i) => {
        const next = words[i + 1];
        if (curl) {
            const attached = /^(-u|-U|--user=|--proxy-user=)(.+)$/.exec(w);
            if (attached && literalUserPassword(attached[2]))
                found.push({ at: i, reason: `curl ${attached[1].replace(/=$/, "")} has a literal user:password` });
            else if (/^(-u|-U|--user|--proxy-user)$/.test(w) && next !== undefined && literalUserPassword(next))
                found.push({ at: i + 1, reason: `curl ${w} has a literal user:password` });
        }
        if (redis && w === "-a" && next !== undefined && !next.startsWith("-") && !isReferenceOrTrivial(unquoteWord(next)))
            found.push({ at: i + 1, reason: `${redis} -a (its password option) has a literal value` });
        const p = mysql ? /^-p(.+)$/.exec(w) : null;
        if (p && !isReferenceOrTrivial(unquoteWord(p[1]))) found.push({ at: i, reason: `${mysql} -p<password> has a literal value` });
    });
    return found;
}

/** Secrets passed on a command line: --password=x, --token x, NAME=value inside a shell script, client password options (curl -u user:pw, redis-cli -a, mysql -p…), or secret content. */
export function secretsInArgs(args: string[], cfg: SecretDetectionConfig = DEFAULT_SECRET_DETECTION): ArgFinding[] {
    const out: ArgFinding[] = [];
    args.forEach((arg, index) => {
        const reasons = new Set<string>();
        for (const line of arg.split(/\r?\n/)) {
            const words = line.trim().split(/\s+/).filter(Boolean);
            words.forEach((w, i) => {
                // "--password hunter2" inside one shell line: the flag and its value are separate words.
                const flag = /^--?([A-Za-z][A-Za-z0-9_.-]*)$/.exec(w);
                const next = words[i + 1];
                if (
                    flag &&
                    flag[1].length > 1 &&
                    next !== undefined &&
                    !next.startsWith("-") &&
                    nameLooksSecret(flag[1], cfg) &&
                    !isReferenceOrTrivial(unquoteWord(next))
                ) {
                    reasons.add(`value of flag --${flag[1]} is a literal`);
                }
            });
            for (const f of clientPasswordOptions(words)) reasons.add(f.reason);
            for (const w of words) {
                const flagEq = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/.exec(w);
                const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(w);
                if (flagEq && nameLooksSecret(flagEq[1], cfg) && !isReferenceOrTrivial(flagEq[2])) {
                    reasons.add(`flag --${flagEq[1]} has a literal value`);
                } else if (assign && nameLooksSecret(assign[1], cfg) && !isReferenceOrTrivial(assign[2])) {
                    reasons.add(`assigns a literal to ${assign[1]}`);
                }
            }
        }
        const content = secretValueReason(arg, cfg, { entropy: false });
        if (content && !/in a connection string/.test(content)) reasons.add(content);
        else if (content && reasons.size === 0) reasons.add(content);
        for (const r of reasons) out.push({ index, reason: r });
    });
    // An exec list without a shell: ["redis-cli", "-a", "hunter2", "ping"], ["curl", "-u", "admin:pw", …].
    const entries = args.map((a) => a.trim());
    if (!entries.some((e) => /\s/.test(e))) for (const f of clientPasswordOptions(entries)) out.push({ index: f.at, reason: f.reason });
    // "--password" "hunter2": the flag and its value are separate list entries.
    for (let i = 0; i + 1 < args.length; i++) {
        const flag = /^--?([A-Za-z][A-Za-z0-9_.-]*)$/.exec(args[i].trim());
        const next = args[i + 1];
        if (flag && nameLooksSecret(flag[1], cfg) && !next.startsWith("-") && !isReferenceOrTrivial(next)) {
            out.push({ index: i + 1, reason: `value of flag --${flag[1]} is a literal` });
        }
    }
    return out;
}

/** What is wrong with one ConfigMap-like entry (a config file or a single value), or undefined. */
export function configEntryFinding(key: string, value: string, config: SecretDetectionConfig): string | undefined {
    const multiLine = value.includes("\n");
    if (!multiLine) {
        // A whole config file stored as base64 in data: judged by its decoding, like binaryData.
        const decoded = base64Text(value.trim());
        if (decoded !== undefined && decoded.includes("\n")) {
            const why = configEntryFinding(key, decoded, config);
            return why ? `(decoded from base64) ${why}` : undefined;
        }
    }
    if (!multiLine && nameLooksSecret(key, config) && !isReferenceOrTrivial(value)) return "is a secret-named key with a literal value";
    if (multiLine) {
        const keys = secretAssignmentsInText(value, config);
        if (keys.length) return `assigns literal secrets to ${[...new Set(keys)].join(", ")}`;
    }
    const why = secretValueReason(value, config, { entropy: !multiLine });
    return why;
}

/** Text of a binaryData entry when it is (UTF-8) text; undefined for binary content. */
export function binaryAsText(b64: string): string | undefined {
    const bytes = Buffer.from(b64, "base64");
    const text = bytes.toString("utf8");
    if (text.includes("\uFFFD") || /[\x00-\x08\x0E-\x1F]/.test(text)) return undefined;
    return text;
}

/** A digest value (hex, optionally algorithm-prefixed): what checksum/hash annotations legitimately hold. */
const HEX_DIGEST = /^(?:(?:sha|sha1|sha256|sha384|sha512|md5|blake2b|blake3|xxhash)[:-])?[0-9a-f]{16,128}$/i;
/** Annotation keys whose values are machine state, never credentials. */
const MACHINE_ANNOTATION = /^(kubectl\.kubernetes\.io\/last-applied-configuration|pulumi\.com\/|deployment\.kubernetes\.io\/revision$)/;

export interface AnnotationConfig extends SecretDetectionConfig {
    referenceAnnotationPrefixes: string[];
}

export const DEFAULT_REFERENCE_ANNOTATION_PREFIXES = [
    "vault.hashicorp.com/",
    "vault.security.banzaicloud.io/",
    "secrets-store.csi.k8s.io/",
    "secret.reloader.stakater.com/",
    "reloader.stakater.com/",
];

export function annotationFindings(where: string, annotations: Record<string, string> | undefined, config: AnnotationConfig): string[] {
    const out: string[] = [];
    for (const [k, v] of Object.entries(annotations ?? {})) {
        if (MACHINE_ANNOTATION.test(k)) continue;
        if (/(checksum|hash|digest|sha|fingerprint)/i.test(k) && HEX_DIGEST.test(v.trim())) continue; // a digest, narrowly
        // Secret injectors (Vault Agent …) put secret paths and templates here, never the secret.
        const injector = config.referenceAnnotationPrefixes.some((p) => k.startsWith(p));
        const keyName = k.slice(k.lastIndexOf("/") + 1);
        if (!injector && nameLooksSecret(keyName, config) && !isReferenceOrTrivial(v)) {
            out.push(`${where} annotation ${k} is secret-named and has a literal value; remove it and keep the value in a Secret`);
            continue;
        }
        const why = secretValueReason(v, config, { entropy: !injector && !v.includes("\n") });
        if (why) out.push(`${where} annotation ${k} ${why}; remove it and keep the value in a Secret`);
    }
    return out;
}

export interface ChartConfig extends SecretDetectionConfig {
    ignoreValuePaths: string[];
}

/** Keys of env-like objects inside chart values ({ name: DB_PASSWORD, value: ... }). */
function envLike(o: PlainObject): [string, string] | undefined {
    const n = str(o["name"]);
    const v = str(o["value"]);
    return n !== undefined && v !== undefined && Object.keys(o).every((k) => k === "name" || k === "value") ? [n, v] : undefined;
}

const CHART_FIX = "reference an existing Secret instead (existingSecret / secretKeyRef style value)";

/** Walks chart values and lists inline secrets by dotted path; multi-line strings are scanned like config files. */
export function chartValueFindings(values: unknown, config: ChartConfig, path = "values"): string[] {
    if (isUnknown(values)) return [];
    if (config.ignoreValuePaths.includes(path.replace(/^values\./, ""))) return [];
    if (Array.isArray(values)) return values.flatMap((v, i) => chartValueFindings(v, config, `${path}[${i}]`));
    const o = rec(values);
    if (o) {
        const env = envLike(o);
        if (env && nameLooksSecret(env[0], config) && !isReferenceOrTrivial(env[1])) return [`${path} sets env ${env[0]} to a literal; ${CHART_FIX}`];
        return Object.entries(o).flatMap(([k, v]) => {
            const p = `${path}.${k}`;
            const s = str(v);
            if (
                s !== undefined &&
                !s.includes("\n") &&
                nameLooksSecret(k, config) &&
                !isReferenceOrTrivial(s) &&
                !config.ignoreValuePaths.includes(p.replace(/^values\./, ""))
            ) {
                return [`${p} is an inline secret; ${CHART_FIX}`];
            }
            return chartValueFindings(v, config, p);
        });
    }
    const s = str(values);
    if (s === undefined) return [];
    const key = path.slice(Math.max(path.lastIndexOf("."), path.lastIndexOf("]")) + 1);
    const why = s.includes("\n") ? configEntryFinding(key, s, config) : secretValueReason(s, config, { entropy: false });
    return why ? [`${path} ${why}; ${CHART_FIX}`] : [];
}
