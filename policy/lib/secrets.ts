// Content-based plaintext-secret detection. The analyzer strips Pulumi's secret markers, so the only
// signal is what a name or a value looks like; every rule here is tuned to avoid known false positives
// (file-path indirections like DB_PASSWORD_FILE, *_SECRET_NAME, TOKEN_URL, digests, UUIDs, URLs).

export interface SecretDetectionConfig {
    /** Regexes (case-insensitive) over the tokenized name joined by "_" that mark a name as secret-bearing. */
    secretNamePatterns: string[];
    /** Regexes over the tokenized name that override the above (indirections and settings about a secret). */
    nonSecretNamePatterns: string[];
    /** Minimum Shannon entropy (bits per character) for a token to count as a random secret. */
    entropyThreshold: number;
    /** Tokens shorter than this are never judged by entropy. */
    minEntropyLength: number;
}

export const DEFAULT_SECRET_NAME_PATTERNS: readonly string[] = [
    "(^|_)[a-z0-9]*(password|passwd|passphrase|secret|token)s?(_|$)",
    "(^|_)(pwd|bearer|credentials?|creds|apikey|privatekey|accesskey|secretkey|masterkey)(_|$)",
    "(^|_)(api|private|access|signing|encryption|master|auth|license)_keys?(_|$)",
];

export const DEFAULT_NON_SECRET_NAME_PATTERNS: readonly string[] = [
    // The name points at where a secret lives, or configures something about it, rather than holding it.
    "_(file|files|path|paths|dir|directory|name|names|ref|refs|reference|url|uri|urls|endpoint|host|hostname|port|mount|location|header|type|kind|mode|format|algorithm|alg|issuer|audience|scopes?|version|provider|id|field|selector|store|backend|template|regex|pattern|length|len|ttl|expiry|expires|expiration|timeout|duration|interval|rotation|days|hours|minutes|seconds|ms|count|size|max|min|limit|policy|enabled|enable|disabled|required|env|var|class|hash_algorithm)$",
    "^(existing|use|no|disable|disabled|skip|allow|require|required|is|has|enable|enabled|create|generate|auto)_",
    "(password|passwd|token|credentials?)_keys?$",
    "(^|_)existing(_|$)", // usersExistingSecret, existingSecretPasswordKey: names of Secrets, not secrets
];

export const DEFAULT_SECRET_DETECTION: SecretDetectionConfig = {
    secretNamePatterns: [...DEFAULT_SECRET_NAME_PATTERNS],
    nonSecretNamePatterns: [...DEFAULT_NON_SECRET_NAME_PATTERNS],
    entropyThreshold: 4.0,
    minEntropyLength: 20,
};

/** Splits camelCase, PascalCase, snake, kebab and dotted names into lowercase tokens joined by "_". */
export function tokenizeName(name: string): string {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean)
        .join("_");
}

const regexCache = new Map<string, RegExp>();
function re(p: string): RegExp {
    let r = regexCache.get(p);
    if (!r) {
        r = new RegExp(p, "i");
        regexCache.set(p, r);
    }
    return r;
}

/** True when a variable, key or flag name says it holds a secret (and is not an indirection to one). */
export function nameLooksSecret(name: string, cfg: SecretDetectionConfig = DEFAULT_SECRET_DETECTION): boolean {
    const t = tokenizeName(name);
    if (!t) return false;
    if (!cfg.secretNamePatterns.some((p) => re(p).test(t))) return false;
    return !cfg.nonSecretNamePatterns.some((p) => re(p).test(t));
}

/** Values that reference a secret instead of containing it: env expansion, templates, file paths, placeholders. */
export function isReferenceOrTrivial(value: string): boolean {
    const v = value.trim().replace(/^["']|["']$/g, "");
    if (v === "") return true;
    if (/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v)) return true; // Kubernetes $(VAR) expansion
    if (/^\$\{?[A-Za-z_][A-Za-z0-9_.:-]*\}?$/.test(v)) return true; // shell / config-file ${VAR}
    if (/^\{\{.*\}\}$/.test(v) || /^<[^<>]*>$/.test(v) || /^%[(s]/.test(v)) return true; // templates, placeholders
    if (/^(\/|\.\/|~\/|@\/|file:)/.test(v)) return true; // a file path (mounted secret)
    if (/^(true|false|yes|no|on|off|null|none|nil|~|enabled|disabled|required|optional)$/i.test(v)) return true;
    if (/^\*+$/.test(v) || /^x+$/i.test(v)) return true; // masked
    if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v)) return true; // a URL without userinfo
    if (/^(env|vault|secret|secretref|ref|awssm|gcpsm|azkv|op):/i.test(v)) return true; // external-secret references
    return false;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
    if (!s) return 0;
    const counts = new Map<string, number>();
    for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let h = 0;
    for (const c of counts.values()) {
        const p = c / s.length;
        h -= p * Math.log2(p);
    }
    return h;
}

// "-----BEGIN" in base64: encoded certificates are public, encoded private keys are not.
const B64_PEM = "LS0tLS1CRUdJTi";
const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
const URL_CREDS = /\b[a-z][a-z0-9+.-]*:\/\/([^\s:@/]+):([^\s@/]+)@/i;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/;
const AUTH_HEADER = /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/-]{16,}=*/;
const KNOWN_TOKENS: readonly [RegExp, string][] = [
    [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, "AWS access key id"],
    [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, "GitHub token"],
    [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/, "GitHub fine-grained token"],
    [/\bglpat-[A-Za-z0-9_-]{20,}\b/, "GitLab token"],
    [/\bxox[abposr]-[A-Za-z0-9-]{10,}\b/, "Slack token"],
    [/\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b/, "Stripe live key"],
    [/\bAIza[0-9A-Za-z_-]{35}\b/, "Google API key"],
    [/\bnpm_[A-Za-z0-9]{36}\b/, "npm token"],
];

/** A token that is random-looking enough to be a generated secret (see the README of the pack for tuning). */
export function highEntropyToken(token: string, cfg: SecretDetectionConfig): number | undefined {
    if (token.length < cfg.minEntropyLength) return undefined;
    if (token.startsWith(B64_PEM)) return undefined; // base64 PEM: judged by its decoded header instead
    if (!/^[A-Za-z0-9+/=_.~-]+$/.test(token)) return undefined; // spaces, colons, quotes: prose, URLs, image refs
    if (!/[A-Z]/.test(token) || !/[a-z]/.test(token) || !/[0-9]/.test(token)) return undefined; // digests, words, hex
    if (/^[0-9a-f-]+$/i.test(token)) return undefined; // hex digests, UUIDs
    const lower = (token.match(/[a-z]/g) ?? []).length;
    if (/[./]/.test(token) && lower / token.length > 0.7) return undefined; // dotted names and paths
    if (/^[A-Za-z][a-z]+(?:[A-Z][a-z]+|[0-9]+)+$/.test(token)) return undefined; // CamelCase identifiers
    const h = shannonEntropy(token);
    return h >= cfg.entropyThreshold ? h : undefined;
}

export interface ValueScanOptions {
    /** Also judge random-looking tokens by entropy (off where digests and CA bundles are common). */
    entropy: boolean;
}

/** Why a value looks like a secret by its content, or undefined. */
export function secretValueReason(value: string, cfg: SecretDetectionConfig, opts: ValueScanOptions): string | undefined {
    if (PEM_PRIVATE.test(value)) return "contains a PEM private key block";
    const b64 = value.indexOf(B64_PEM);
    if (b64 >= 0 && PEM_PRIVATE.test(Buffer.from(value.slice(b64, b64 + 200), "base64").toString("latin1"))) {
        return "contains a base64-encoded PEM private key";
    }
    const u = URL_CREDS.exec(value);
    if (u && !isReferenceOrTrivial(decodeURIComponentSafe(u[2]))) return "contains credentials in a URL (scheme://user:password@host)";
    if (JWT.test(value)) return "contains a JWT";
    if (AUTH_HEADER.test(value)) return "contains a literal Authorization header credential";
    for (const [rx, what] of KNOWN_TOKENS) if (rx.test(value)) return `contains a ${what}`;
    if (opts.entropy) {
        for (const tok of value.split(/[\s"',;:=]+/)) {
            const h = highEntropyToken(tok, cfg);
            if (h !== undefined) return `contains a high-entropy string (${h.toFixed(2)} bits/char over ${tok.length} chars, threshold ${cfg.entropyThreshold})`;
        }
    }
    return undefined;
}

function decodeURIComponentSafe(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

/** Secret-looking `key: value` / `key=value` lines inside an embedded config file (properties, YAML, .env, JSON). */
export function secretAssignmentsInText(text: string, cfg: SecretDetectionConfig): string[] {
    const found: string[] = [];
    for (const line of text.split(/\r?\n/)) {
        const m = /^\s*(?:export\s+|-\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*(.*?)\s*,?\s*$/.exec(line);
        if (!m) continue;
        const value = m[2].replace(/\s+#.*$/, "");
        if (!value || /^[|>]-?$/.test(value) || /^[{[]$/.test(value)) continue; // block scalar or nested object starts
        if (nameLooksSecret(m[1], cfg) && !isReferenceOrTrivial(value)) found.push(m[1]);
    }
    return found;
}

export interface ArgFinding {
    index: number;
    reason: string;
}

/** Secrets passed on a command line: --password=x, --token x, NAME=value inside a shell script, or secret content. */
export function secretsInArgs(args: string[], cfg: SecretDetectionConfig): ArgFinding[] {
    const out: ArgFinding[] = [];
    args.forEach((arg, index) => {
        const words = /\s/.test(arg.trim()) ? arg.trim().split(/\s+/) : [arg];
        const reasons = new Set<string>();
        words.forEach((w, wi) => {
            const flagEq = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/.exec(w);
            const assign = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(w);
            if (flagEq && nameLooksSecret(flagEq[1], cfg) && !isReferenceOrTrivial(flagEq[2])) {
                reasons.add(`flag --${flagEq[1]} has a literal value`);
            } else if (assign && nameLooksSecret(assign[1], cfg) && !isReferenceOrTrivial(assign[2])) {
                reasons.add(`assigns a literal to ${assign[1]}`);
            }
        });
        const content = secretValueReason(arg, cfg, { entropy: false });
        if (content) reasons.add(content);
        for (const r of reasons) out.push({ index, reason: r });
    });
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
