// Secrets in the HTTP requests of probes and lifecycle hooks: header values (Authorization after its scheme, Cookie
// pair by pair, secret-named headers) and httpGet paths. The pack's no-secrets-in-probes and the program's probe
// config check judge them here. Like the other detectors, nothing here ever returns the secret itself.
import { SecretDetectionConfig, nameLooksSecret } from "./secretNames";
import { isReferenceOrTrivial } from "./secretReferences";
import { secretValueReason, shannonEntropy } from "./secretValues";

/** One httpGet header as the pod spec has it; a name or value that is absent (or unknown during preview) is undefined. */
export interface HttpHeader {
    readonly name?: string;
    readonly value?: string;
}

/** Cookie names of sessions and tokens: their value is a credential when it looks generated. */
const SESSION_COOKIE = /(^|[_.-])(session|sess|sid|sessid|sessionid|jsessionid|phpsessid|auth|jwt|token)([_.-]?id)?$/i;

/** A value that looks machine-generated (a session id, a token), not a word or a constant like "x-readiness-probe". */
function looksGenerated(v: string): boolean {
    return v.length >= 16 && /^[A-Za-z0-9+/=_.~%-]+$/.test(v) && /[0-9]/.test(v) && /[A-Za-z]/.test(v) && shannonEntropy(v) >= 3;
}

/** The credential in one Cookie header, judged pair by pair: secret content, a secret-named cookie, or a session cookie holding a generated value. */
function cookieFinding(value: string, config: SecretDetectionConfig): string | undefined {
    for (const pair of value.split(";")) {
        const eq = pair.indexOf("=");
        if (eq <= 0) continue;
        const name = pair.slice(0, eq).trim();
        const v = pair.slice(eq + 1).trim();
        if (isReferenceOrTrivial(v)) continue;
        const why = secretValueReason(v, config, { entropy: true });
        if (why) return `cookie ${name} ${why}`;
        if (nameLooksSecret(name, config)) return `cookie ${name} is secret-named and has a literal value`;
        if (SESSION_COOKIE.test(name) && looksGenerated(v)) return `cookie ${name} holds a generated session value`;
    }
    return undefined;
}

/**
 * Findings in one HTTP header list (probes and lifecycle hooks). The kubelet sends these values as written: it
 * expands no $(VAR) here, so a reference is no secret (and no credential either). Authorization values are judged
 * after their scheme (Bearer, Basic, Token …); Cookie values pair by pair, so probe constants pass.
 */
export function headerFindings(headers: readonly HttpHeader[], config: SecretDetectionConfig): string[] {
    const out: string[] = [];
    headers.forEach(({ name, value }, i) => {
        if (!name || value === undefined) return;
        const why = secretValueReason(value, config, { entropy: true });
        if (why) {
            out.push(`httpHeaders[${i}] (${name}) ${why}`);
            return;
        }
        if (/^cookie$/i.test(name)) {
            const cookie = cookieFinding(value, config);
            if (cookie) out.push(`httpHeaders[${i}] (${name}) ${cookie}`);
            return;
        }
        const credential = /^(authorization|proxy-authorization)$/i.test(name) ? value.replace(/^\s*[A-Za-z][A-Za-z0-9._~+-]*\s+(?=\S)/, "") : value;
        if ((/^(authorization|proxy-authorization)$/i.test(name) || nameLooksSecret(name, config)) && !isReferenceOrTrivial(credential)) {
            out.push(`httpHeaders[${i}] (${name}) is a credential header with a literal value`);
        }
    });
    return out;
}

/** What is wrong with a probe or hook httpGet.path: credentials in its query string (?token=, ?api_key=, sig=) or a generated token in it. */
export function httpPathFinding(path: string, config: SecretDetectionConfig): string | undefined {
    return secretValueReason(path, config, { entropy: true });
}
