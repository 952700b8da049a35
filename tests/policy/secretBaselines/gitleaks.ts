// Rules of gitleaks' default configuration for the common providers and the generic assignment rule (gitleaks/gitleaks cmd/generate/config/rules: aws, github, gitlab, slack, stripe, gcp, privatekey, jwt, generic; config/gitleaks.toml global allowlist; detect/codec base64 decoding; HEAD b58d3f1 of 2026-07-22), re-implemented here from their description.
//
// What it scans: text. Applied to an object the way a user would run it over rendered manifests or values
// files: the object's props as YAML (so env entries read `name: X` / `value: y` on separate lines), plus the
// decoding of base64 runs (16+ characters with a digit or one of + / - _) that decode to printable ASCII, as its
// decoder does. Token formats (a match must also reach the rule's minimum Shannon entropy):
// - AWS access key id: A3T?/AKIA/ASIA/ABIA/ACCA + 16 of [A-Z2-7], word-bounded, entropy >= 3, not ending in EXAMPLE
// - GitHub: ghp_/gho_/ghu_/ghs_/ghr_ + 36 alphanumerics; github_pat_ + 82 word characters (entropy >= 3)
// - GitLab: glpat- + 20 of [\w-] (entropy >= 3)
// - Slack: xoxb-<10-13 digits>-<10-13 digits>…, legacy xoxb-<8-14 digits>-<18-26 alnum>, xoxp/xoxe user tokens,
//   hooks.slack.com/services|workflows|triggers/ + 43-56 of [A-Za-z0-9+/]
// - Stripe: sk_/rk_ + test|live|prod + _ + 10-99 alphanumerics (entropy >= 2)
// - Google API key: AIza + 35 of [\w-] (entropy >= 4)
// - private key: -----BEGIN … PRIVATE KEY(-----), 64+ characters, …KEY----- (case-insensitive)
// - JWT: ey + 17+ alnum . ey + 17+ of [\w/\\-] . optional signature (entropy >= 3)
// - generic: an identifier containing access, auth, api, credential, creds, key, passw(or)d, secret or token,
//   an assignment operator (= : := => , …), then 10-150 of [\w.=-] (or lowercase base64); entropy >= 3.5; not
//   letters-only; not when the identifier is one of the named non-secrets (…_id, …_name, public key, …_url,
//   …_endpoint, key/token file, secret name/length, author, csrf token …) or the value a placeholder the global
//   allowlist names (true/false/null, $VAR, ${VAR}, {{ … }}, /var/… paths). Its stop-word list is not reproduced.
import * as YAML from "yaml";
import type { FakeResource } from "../../../tools/policyRunner";
import { Baseline, entropy } from "./common";

interface Rule {
    id: string;
    re: RegExp;
    /** Capture group holding the secret (entropy is measured on it). */
    group?: number;
    minEntropy?: number;
    allow?: (secret: string, match: string) => boolean;
}

/** gitleaks' suffix for "unique token" rules: a quote, backtick, whitespace, ;, an escaped newline or the end. */
const END = String.raw`(?:[\x60'"\s;]|\\[nr]|$)`;

const RULES: Rule[] = [
    { id: "aws-access-token", re: /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g, group: 1, minEntropy: 3, allow: (s) => /EXAMPLE$/.test(s) },
    { id: "github-pat", re: /gh[pousr]_[0-9a-zA-Z]{36}/g, minEntropy: 3 },
    { id: "github-fine-grained-pat", re: /github_pat_\w{82}/g, minEntropy: 3 },
    { id: "gitlab-pat", re: /glpat-[\w-]{20}/g, minEntropy: 3 },
    { id: "slack-bot-token", re: /xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*/g, minEntropy: 3 },
    { id: "slack-legacy-bot-token", re: /xoxb-[0-9]{8,14}-[a-zA-Z0-9]{18,26}/g, minEntropy: 2 },
    { id: "slack-user-token", re: /xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}/g, minEntropy: 2 },
    { id: "slack-webhook-url", re: /(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,56}/g },
    { id: "stripe-access-token", re: new RegExp(String.raw`\b((?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99})${END}`, "g"), group: 1, minEntropy: 2 },
    { id: "gcp-api-key", re: new RegExp(String.raw`\b(AIza[\w-]{35})${END}`, "g"), group: 1, minEntropy: 4 },
    { id: "private-key", re: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S-]{64,}?KEY(?: BLOCK)?-----/gi },
    {
        id: "jwt",
        re: new RegExp(String.raw`\b(ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9/\\_-]{17,}\.(?:[a-zA-Z0-9/\\_-]{10,}={0,2})?)${END}`, "g"),
        group: 1,
        minEntropy: 3,
    },
    {
        id: "generic-api-key",
        re: new RegExp(
            String.raw`[\w.-]{0,50}?(?:access|auth|api|credential|creds|key|passw(?:or)?d|secret|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,}={0,3})${END}`,
            "gi",
        ),
        group: 1,
        minEntropy: 3.5,
        allow: (s, m) => /^[a-zA-Z_.-]+$/.test(s) || NAMED_NON_SECRETS.test(m) || GLOBAL_ALLOW.some((r) => r.test(s)),
    },
];

/** The generic rule's identifier allowlist, in the shape of its documented categories. */
const NAMED_NON_SECRETS =
    /access[_.-]?id|random[_.-]?access|api[_.-]?(?:id|name|version)|rapid|capital|author|credentials?[_.-]?id|(?:bucket|foreign|hot|idx|natural|primary|pub(?:lic)?|schema|sequence)[_.-]?key|key[_.-]?(?:alias|id|length|name|pair|size|store|file)|secret[_.-]?(?:length|name|size)|csrf[_.-]?token|(?:api|credentials|token)[_.-]?(?:endpoint|ur[il])|public[_.-]?token|(?:key|token)[_.-]?file/i;
const GLOBAL_ALLOW = [
    /^(?:true|false|null)$/i,
    /^\$(?:[A-Z_]+|[a-z_]+)$/,
    /^\$\{(?:[A-Z_]+|[a-z_]+)\}$/,
    /^\{\{[ \t]*[\w ().|]+[ \t]*\}\}$/,
    /^\/(?:bin|etc|home|opt|tmp|usr|var)\/[\w ./-]+$/,
];

/** Printable ASCII (space to ~, and tab/newline/carriage return), as the decoder requires. */
const printable = (b: Buffer) => b.every((c) => (c >= 0x20 && c <= 0x7e) || c === 0x09 || c === 0x0a || c === 0x0d);

/** Decoded text of base64 runs in the text, the way gitleaks' decoder finds and keeps them. */
function decodedSegments(text: string): string[] {
    const out: string[] = [];
    for (const m of text.matchAll(/[\w/+-]{16,}={0,2}/g)) {
        const seg = m[0];
        if (!/[0-9+/_-]/.test(seg)) continue;
        const std = seg.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(seg) ? Buffer.from(seg, "base64") : undefined;
        if (std && printable(std)) out.push(std.toString("latin1"));
        else if (/^[\w-]+$/.test(seg)) {
            const url = Buffer.from(seg, "base64url");
            if (url.length && printable(url)) out.push(url.toString("latin1"));
        }
    }
    return out;
}

function scan(text: string): string[] {
    const hits: string[] = [];
    for (const rule of RULES) {
        for (const m of text.matchAll(rule.re)) {
            const secret = m[rule.group ?? 0] ?? m[0];
            if (rule.minEntropy !== undefined && entropy(secret) < rule.minEntropy) continue;
            if (rule.allow?.(secret, m[0])) continue;
            hits.push(rule.id);
        }
    }
    return hits;
}

function findings(r: FakeResource): string[] {
    const text = YAML.stringify(r.props, { lineWidth: 0 });
    const found = scan(text);
    // Decoding is recursive in gitleaks (depth 5 by default); two levels cover base64-of-base64.
    for (const d of decodedSegments(text)) {
        found.push(...scan(d).map((id) => `${id} (decoded)`));
        for (const d2 of decodedSegments(d)) found.push(...scan(d2).map((id) => `${id} (decoded twice)`));
    }
    return [...new Set(found)];
}

export const gitleaks: Baseline = {
    name: "gitleaks",
    source: "gitleaks/gitleaks cmd/generate/config/rules (aws, github, gitlab, slack, stripe, gcp, privatekey, jwt, generic), config/gitleaks.toml, detect/codec",
    findings,
};
