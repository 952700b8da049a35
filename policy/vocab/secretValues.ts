// Content-based plaintext-secret detection. The analyzer strips Pulumi's secret markers, so the only signal is what
// a value looks like (names: secretNames.ts, references: secretReferences.ts). Every rule is tuned against known false
// alarms: digests, UUIDs, and public key material (certificates, public keys, SSH keys, JWKS). No function here ever
// returns the secret itself: reasons describe the shape, so messages cannot leak what they found.
import { DEFAULT_SECRET_DETECTION, SecretDetectionConfig, nameLooksSecret } from "./secretNames";
import { isReferenceOrTrivial } from "./secretReferences";

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
/** PEM blocks that hold only public material (certificates, public keys, CRLs, parameters). */
const PEM_PUBLIC_BLOCK =
    /-----BEGIN ((?:[A-Z0-9]+ )*(?:CERTIFICATE|PUBLIC KEY|PUBLIC KEY BLOCK|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|PARAMETERS|PKCS7|CMS|SIGNATURE|SIGNED MESSAGE))-----[\s\S]*?-----END \1-----/g;
const SSH_PUBLIC_KEY =
    /\b(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com|(?:ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256)-cert-v01@openssh\.com)\s+AAAA[A-Za-z0-9+/]+=*/g;
const URL_CREDS = /\b[a-z][a-z0-9+.-]*:\/\/([^\s:@/?#"']*):([^\s@/?#"']+)@/i;
const GO_DSN = /(?:^|[\s"'=])[^\s:@/"'=]+:([^\s@"']+)@(?:tcp|tcp4|tcp6|udp|unix|unixgram)\(/;
const QUERY_PARAM = /[?&]([A-Za-z_][A-Za-z0-9_.-]*)=([^&#\s"']*)/g;
const KV_PAIR = /(?:^|[\s;,{(])([A-Za-z_][A-Za-z0-9_.-]*(?: [A-Za-z]+)?)\s*=\s*("[^"]*"|'[^']*'|\$\([^)]*\)|\$\{[^}]*\}|[^;\s,)}]*)/g;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/;
const AUTH_HEADER = /\b(?:Bearer|Basic|Token)\s+([A-Za-z0-9._~+/-]{8,}=*)/g;
/** Query parameters that carry a credential although their names do not say so (pre-signed URLs, SAS tokens). */
const SIGNATURE_PARAMS = new Set(["sig", "signature", "x-amz-signature", "x-goog-signature", "x-amz-security-token"]);
const KNOWN_TOKENS: readonly [RegExp, string][] = [
    [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, "AWS access key id"],
    [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, "GitHub token"],
    [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/, "GitHub fine-grained token"],
    [/\bglpat-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/, "GitLab token"],
    [/\bxox[abposr]-[A-Za-z0-9-]{10,}\b/, "Slack token"],
    [/https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]{16,}/, "Slack webhook URL"],
    [/\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b/, "Stripe live key"],
    [/\bAIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/, "Google API key"],
    [/\bnpm_[A-Za-z0-9]{36}\b/, "npm token"],
    [/\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/, "OpenAI-style API key"],
];

/** Tokens that are public by design although they look random: Stripe publishable keys. */
const PUBLIC_TOKEN = /^pk_(?:live|test)_[A-Za-z0-9]{16,}$/;
/** Subresource Integrity / lockfile digests: sha256-, sha384-, sha512- and the base64 of exactly that many bytes. */
function isIntegrityDigest(token: string): boolean {
    const m = /^sha(256|384|512)-([A-Za-z0-9+/]+={0,2})$/.exec(token);
    return !!m && Buffer.from(m[2], "base64").length === Number(m[1]) / 8;
}

/** Text a base64 (standard or URL-safe) token of 16+ characters decodes to, when that is printable UTF-8; else undefined. */
export function base64Text(token: string): string | undefined {
    if (token.length < 16) return undefined;
    let bytes: Buffer;
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(token) && token.replace(/=+$/, "").length % 4 !== 1) bytes = Buffer.from(token, "base64");
    else if (/^[A-Za-z0-9_-]+$/.test(token) && token.length % 4 !== 1) bytes = Buffer.from(token, "base64url");
    else return undefined;
    const text = bytes.toString("utf8");
    if (!text || text.includes("\uFFFD") || /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/.test(text)) return undefined;
    return text;
}

/** Decoded base64 that is structured text (prose, JSON, properties, user:password) rather than one opaque token: judged by its content, not by the entropy of its encoding. */
function structuredBase64(token: string): string | undefined {
    const text = base64Text(token);
    return text !== undefined && /[\s{}[\]=:,;]/.test(text) ? text : undefined;
}

/** Base64 DER whose ASN.1 structure is a private key (SEQUENCE { INTEGER … }); certificates and SPKI start SEQUENCE { SEQUENCE … }. */
function isBase64DerPrivateKey(token: string): boolean {
    if (!/^MI[A-Za-z0-9+/]{60,}=*$/.test(token)) return false;
    const b = Buffer.from(token.slice(0, 16), "base64");
    if (b[0] !== 0x30) return false;
    const lenBytes = b[1] & 0x80 ? b[1] & 0x7f : 0;
    return b[2 + lenBytes] === 0x02;
}

/** Private members of a JSON Web Key (RFC 7518): RSA/EC "d" and CRT values, symmetric "k". */
const JWK_PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];

/** For JSON that is a JWK or JWKS: "private" when any key has private members, "public" otherwise; undefined when not a JWK document. */
function jwkDocument(value: string): "private" | "public" | undefined {
    const t = value.trim();
    if (!t.startsWith("{")) return undefined;
    let doc: unknown;
    try {
        doc = JSON.parse(t);
    } catch {
        return undefined;
    }
    const keys = Array.isArray((doc as { keys?: unknown })?.keys) ? (doc as { keys: unknown[] }).keys : [doc];
    const jwks = keys.filter(
        (k): k is Record<string, unknown> => typeof k === "object" && k !== null && typeof (k as Record<string, unknown>)["kty"] === "string",
    );
    if (jwks.length === 0) return undefined;
    return jwks.some((k) => JWK_PRIVATE_MEMBERS.some((m) => typeof k[m] === "string" && k[m] !== "")) ? "private" : "public";
}

/** The value with public key material removed, so entropy never fires on certificates, public keys or JWKS. */
export function withoutPublicMaterial(value: string): string {
    if (jwkDocument(value) === "public") return "";
    return value.replace(PEM_PUBLIC_BLOCK, " ").replace(SSH_PUBLIC_KEY, " ");
}

/** A token that is random-looking enough to be a generated secret (see docs/policy.md for tuning). */
export function highEntropyToken(token: string, cfg: SecretDetectionConfig): number | undefined {
    if (token.length < cfg.minEntropyLength) return undefined;
    if (token.startsWith(B64_PEM)) return undefined; // base64 PEM: judged by its decoded header instead
    if (/^MI[A-Za-z0-9+/]{60,}=*$/.test(token) && !isBase64DerPrivateKey(token)) return undefined; // base64 DER certificate or public key
    if (!/^[A-Za-z0-9+/=_.~-]+$/.test(token)) return undefined; // spaces, colons, quotes: prose, URLs, image refs
    if (PUBLIC_TOKEN.test(token) || isIntegrityDigest(token)) return undefined; // public by design
    if (structuredBase64(token) !== undefined) return undefined; // base64 of text: its decoding is judged instead
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

function decodeURIComponentSafe(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

/** True for a bearer/basic token that is a credential, not prose ("Bearer authentication is required"). */
function looksLikeToken(tok: string): boolean {
    if (isReferenceOrTrivial(tok)) return false;
    return /[0-9]/.test(tok) || /[._~+/=-]/.test(tok) || (/[A-Z]/.test(tok) && /[a-z]/.test(tok) && tok.length >= 16);
}

/** user:password, as Basic credentials and registry "auth" fields carry it once decoded (not host:port, not a URL). */
const USERINFO = /^[A-Za-z0-9._%+@-]{1,128}:(?!\/\/)(?=\S*[^0-9\s])\S{6,}$/;

/** Why a value looks like a secret by its content, or undefined. The reason never contains the value. Base64 in it is decoded once and judged too. */
export function secretValueReason(
    value: string,
    cfg: SecretDetectionConfig = DEFAULT_SECRET_DETECTION,
    opts: ValueScanOptions = { entropy: true },
    depth = 0,
): string | undefined {
    if (PEM_PRIVATE.test(value)) return "contains a PEM private key block";
    const b64 = value.indexOf(B64_PEM);
    if (b64 >= 0 && PEM_PRIVATE.test(Buffer.from(value.slice(b64, b64 + 200), "base64").toString("latin1"))) {
        return "contains a base64-encoded PEM private key";
    }
    const jwk = jwkDocument(value);
    if (jwk === "private") return "contains a private JSON Web Key (members d/p/q/k)";
    const u = URL_CREDS.exec(value);
    if (u && !isReferenceOrTrivial(decodeURIComponentSafe(u[2]))) return "contains credentials in a URL (scheme://user:password@host)";
    const dsn = GO_DSN.exec(value);
    if (dsn && !isReferenceOrTrivial(dsn[1])) return "contains a password in a Go DSN (user:password@tcp(host))";
    for (const m of value.matchAll(QUERY_PARAM)) {
        const name = m[1];
        if ((nameLooksSecret(name, cfg) || SIGNATURE_PARAMS.has(name.toLowerCase())) && !isReferenceOrTrivial(decodeURIComponentSafe(m[2]))) {
            return `contains a credential in a connection string (${name}=…)`;
        }
    }
    for (const m of value.matchAll(KV_PAIR)) {
        if (nameLooksSecret(m[1].replace(/\s+/g, "_"), cfg) && !isReferenceOrTrivial(m[2])) return `contains a credential in a connection string (${m[1]}=…)`;
    }
    if (JWT.test(value)) return "contains a JWT";
    for (const m of value.matchAll(AUTH_HEADER)) if (looksLikeToken(m[1])) return "contains a literal Authorization credential (Bearer/Basic/Token)";
    for (const [rx, what] of KNOWN_TOKENS) if (rx.test(value)) return `contains a ${what}`;
    for (const tok of value.split(/[\s"',;:=]+/)) if (isBase64DerPrivateKey(tok)) return "contains a base64-encoded DER private key";
    if (depth === 0) {
        for (const [tok] of value.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)) {
            const text = base64Text(tok);
            if (text === undefined) continue;
            if (USERINFO.test(text) && !isReferenceOrTrivial(text.slice(text.indexOf(":") + 1))) return "contains base64-encoded user:password credentials";
            const inner = secretValueReason(text, cfg, { entropy: opts.entropy && !text.includes("\n") }, 1);
            if (inner) return `contains base64-encoded text that ${inner}`;
        }
    }
    if (opts.entropy) {
        for (const tok of withoutPublicMaterial(value).split(/[\s"',;:=]+/)) {
            const h = highEntropyToken(tok, cfg);
            if (h !== undefined)
                return `contains a high-entropy string (${h.toFixed(2)} bits/char over ${tok.length} chars, threshold ${cfg.entropyThreshold})`;
        }
    }
    return undefined;
}

/**
 * The pack's plaintext-secret verdict for one named value, as a pure function for other code (the program's config
 * check imports it): why `value` (optionally held under `name`, e.g. an env var or config key) is a plaintext
 * secret, or undefined when it is not. Uses the pack's default detection settings; never returns the value.
 */
export function plaintextSecretReason(name: string | undefined, value: string): string | undefined {
    if (name !== undefined && nameLooksSecret(name) && !isReferenceOrTrivial(value)) return `${name} is a secret-bearing name with a literal value`;
    return secretValueReason(value, DEFAULT_SECRET_DETECTION, { entropy: !value.includes("\n") });
}
