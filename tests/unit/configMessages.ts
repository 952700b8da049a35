// What a config refusal must say to be actionable: a full `platform:` key that points into the config, the fix in
// words, and none of the schema library's default wording or the raw regular expression behind a rule.
import type { ConfigIssue } from "../../components/config";
import type { Json } from "./configCases";

/** zod's default messages (v4): a user could not act on "Invalid input: expected string, received number". */
const LIBRARY_TEXT =
    /Invalid (input|string|option|type|element|key|union|value|URL|format|enum)|Too (small|big)|Unrecognized key|expected [a-z]+, received|must match pattern|Required$/;
/** Pieces of a regular expression: character classes with quantifiers, anchors, escapes, lookaheads. */
const RAW_REGEX = /\^\[|\^\(|\][*+?{]|\\[dswDSW.]|\(\?[=!:<]|\$\/|\/\^|\[a-z|\[0-9\]\+/;
/** Words that tell the user what to do (or what the value must be). */
const FIX_WORDS =
    /\b(must|use|set|remove|rename|write|choose|shorten|add|declare|drop|lower|raise|point|move|keep|e\.g\.|is required|define|give|enable|pin|reference|list|omit|replace|have|make|serve|put|leave|known settings|did you mean|expose|listen)\b/i;

/** What is wrong with one issue's wording, or undefined when it names the key and the fix. */
export function messageProblem(issue: ConfigIssue, config: Json): string | undefined {
    if (!issue.key.startsWith("platform:")) return "the key is not a full platform: key";
    if (!keyPointsIntoConfig(issue.key, config)) return `the key ${issue.key} points at nothing in the config`;
    if (LIBRARY_TEXT.test(issue.message)) return "the message is the schema library's default text";
    if (RAW_REGEX.test(issue.message)) return "the message shows a raw regular expression";
    if (!FIX_WORDS.test(issue.message)) return "the message names no fix";
    return undefined;
}

/** `platform:services[3].ports[0].name` → ["services", 3, "ports", 0, "name"]; `nodeSelector["kubernetes.io/os"]` → [..., "kubernetes.io/os"]. */
export function keyPath(key: string): (string | number)[] {
    const rest = key.slice("platform:".length);
    const out: (string | number)[] = [];
    for (const m of rest.matchAll(/\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)|\[([0-9]+)\]/g))
        out.push(m[1] !== undefined ? (JSON.parse(m[1]) as string) : m[3] !== undefined ? Number(m[3]) : m[2]);
    return out;
}

/**
 * A key points into the config when every step but the last exists (the last may be absent: "is required"), or it is
 * a top-level key (a secret the stack needs).
 */
function keyPointsIntoConfig(key: string, config: Json): boolean {
    const path = keyPath(key);
    if (path.length <= 1) return true;
    let node: unknown = config;
    for (const step of path.slice(0, -1)) {
        if (node === null || typeof node !== "object") return false;
        node = (node as Record<string | number, unknown>)[step];
        if (node === undefined) return false;
    }
    return node !== null && typeof node === "object";
}
