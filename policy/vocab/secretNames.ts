// Secret-bearing names: a variable, key, header or flag name that says it holds a secret, unless it names an
// indirection to one (DB_PASSWORD_FILE, *_SECRET_NAME, TOKEN_URL); and the detection settings every detector takes
// (the pack's policy config, with these defaults).

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
    "(^|_)(pass|pw|pwd|pword|pswd|bearer|credentials?|creds|apikey|privatekey|accesskey|secretkey|masterkey|accountkey|authkey|requirepass|masterauth)(_|$)",
    "(^|_)(api|private|access|signing|encryption|master|auth|license|account|session|client|shared_access|sas)_keys?(_|$)",
];

export const DEFAULT_NON_SECRET_NAME_PATTERNS: readonly string[] = [
    // The name points at where a secret lives, or configures something about it, rather than holding it.
    "_(file|files|path|paths|dir|directory|name|names|ref|refs|reference|url|uri|urls|endpoint|host|hostname|port|mount|location|header|type|kind|mode|format|algorithm|alg|issuer|audience|scopes?|version|provider|id|field|selector|store|backend|template|regex|pattern|length|len|ttl|expiry|expires|expiration|timeout|duration|interval|rotation|days|hours|minutes|seconds|ms|count|size|max|min|limit|policy|enabled|enable|disabled|required|env|var|class|hash_algorithm|authentication|stdin|prompt)$",
    "^(existing|use|no|disable|disabled|skip|allow|require|required|is|has|enable|enabled|create|generate|auto)_",
    "(password|passwd|token|credentials?)_keys?$",
    "(^|_)existing(_|$)", // usersExistingSecret, existingSecretPasswordKey: names of Secrets, not secrets
    "(^|_)pass_?(through|thru)(_|$)",
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
