// Values that point at a secret instead of holding it: $(VAR) and ${VAR} expansion, command substitution, config
// providers, templates, file paths, placeholders, masked values and external-secret references.

function unquote(value: string): string {
    const v = value.trim();
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1).trim();
    return v;
}

/** Values that reference a secret instead of containing it: expansion, command/file reads, templates, paths, placeholders. */
export function isReferenceOrTrivial(value: string): boolean {
    const v = unquote(value);
    if (v === "") return true;
    if (/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v)) return true; // Kubernetes $(VAR) expansion
    if (/^["']?(\$\(|`)/.test(v)) return true; // shell command substitution reads it: $(cat /run/secrets/x), "$(cat …)"
    if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) || /^\$[0-9@*#?]$/.test(v)) return true; // $VAR, $1
    if (/^\$\{[A-Za-z][A-Za-z0-9_.-]*:[^-=?+\s{}][^\s{}]*\}$/.test(v)) return true; // config providers (Kafka, Strimzi): ${file:/path:key}, ${secrets:ns/name:key}
    const braced = /^\$\{[A-Za-z_][A-Za-z0-9_.:-]*?(?:(?::?[-=?+])(.*))?\}$/s.exec(v); // ${VAR}, ${VAR:-default}
    if (braced) return braced[1] === undefined || isReferenceOrTrivial(braced[1]);
    if (/^\{\{.*\}\}$/s.test(v) || /^<[^<>]*>$/.test(v) || /^%[(s]/.test(v)) return true; // templates, placeholders
    if (/^(\/|\.\/|~\/|@\/|file:)/.test(v)) return true; // a file path (mounted secret)
    if (/^(true|false|yes|no|on|off|null|none|nil|~|enabled|disabled|required|optional)$/i.test(v)) return true;
    if (/^\*+$/.test(v) || /^x+$/i.test(v)) return true; // masked
    if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s?]*$/i.test(v)) return true; // a URL without userinfo or query
    if (/^(env|vault|secret|secretref|ref|awssm|gcpsm|azkv|op):/i.test(v)) return true; // external-secret references
    return false;
}
