// Turns the schema library's issues into config problems a user can act on: the full key, the fix in words,
// "did you mean" for a misspelt key at any depth, and never the library's own wording.
import type { z } from "zod";
import { ConfigIssue, formatKey, suggest } from "./errors";

type Issue = z.core.$ZodIssue & { input?: unknown };
interface Def {
    type: string;
    shape?: Record<string, { _zod: { def: Def } }>;
    innerType?: Node;
    in?: Node;
    element?: Node;
    valueType?: Node;
    options?: Node[];
}
interface Node {
    _zod: { def: Def };
}

/** The schema node that validates `path`, unwrapping defaults, optionals, transforms and lists. */
function nodeAt(schema: Node, path: readonly PropertyKey[]): Node | undefined {
    let node: Node | undefined = schema;
    let i = 0;
    while (node) {
        const def: Def = node._zod.def;
        if (def.innerType) {
            node = def.innerType;
            continue;
        }
        if (def.type === "pipe") {
            node = def.in;
            continue;
        }
        // A name-or-mapping union (a container's volumeMounts entry): its settings are the mapping's.
        if (def.type === "union" && def.options?.some((o) => o._zod.def.type === "object")) {
            node = def.options.find((o) => o._zod.def.type === "object");
            continue;
        }
        if (i === path.length) return node;
        const step = path[i++];
        if (def.type === "object" && typeof step === "string") node = def.shape?.[step];
        else if (def.type === "array" && typeof step === "number") node = def.element;
        else if (def.type === "record") node = def.valueType;
        else return undefined;
    }
    return undefined;
}

/** The settings an object at `path` accepts (empty when `path` is not an object). */
export function keysAt(schema: Node, path: readonly PropertyKey[]): string[] {
    const node = nodeAt(schema, path);
    return node?._zod.def.type === "object" ? Object.keys(node._zod.def.shape ?? {}) : [];
}

const NUMERIC = /^-?[0-9]+(\.[0-9]+)?$/;
const LIBRARY_WORDING = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

function describeInput(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "object") return "a mapping";
    if (typeof v === "string") return `the text "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
    return `${typeof v === "number" ? "the number" : "the value"} ${String(v)}`;
}

const NOUN: Record<string, string> = {
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
    string: "a text value (in quotes if it looks like a number)",
    array: "a list",
    object: "a mapping of settings",
    record: "a mapping of names to values",
};

/** The fix for a value of the right content but the wrong YAML type (a quoted number or boolean, a bare number). */
function quotingHint(issue: Issue & { expected?: string }, leaf: string): string | undefined {
    const input = issue.input;
    const expected = issue.expected ?? "value";
    if ((expected === "number" || expected === "int") && typeof input === "string" && NUMERIC.test(input.trim())) {
        return `must be a number: write \`${leaf}: ${input.trim()}\`, not \`"${input}"\` (quotes make it text)`;
    }
    if (expected === "boolean" && typeof input === "string" && /^(true|false)$/i.test(input.trim())) {
        return `must be true or false: write \`${leaf}: ${input.trim().toLowerCase()}\`, not \`"${input}"\` (quotes make it text)`;
    }
    if (expected === "array" && typeof input === "string") return `must be a list: write \`${leaf}: ["${input}"]\``;
    return undefined;
}

function typeMessage(issue: Issue & { expected?: string }, leaf: string): string {
    const expected = issue.expected ?? "value";
    if (expected === "string" && (typeof issue.input === "number" || typeof issue.input === "boolean")) {
        return `must be text: write \`${leaf}: "${String(issue.input)}"\` with quotes`;
    }
    return quotingHint(issue, leaf) ?? `must be ${NOUN[expected] ?? expected}, not ${describeInput(issue.input)}`;
}

function boundMessage(issue: Issue & { minimum?: unknown; maximum?: unknown; origin?: string; inclusive?: boolean }): string {
    const small = issue.code === "too_small";
    const bound = Number(small ? issue.minimum : issue.maximum);
    const exclusive = issue.inclusive === false;
    if (issue.origin === "array") return small ? `must list at least ${bound} item${bound === 1 ? "" : "s"}` : `must list at most ${bound} items`;
    if (issue.origin === "string") {
        if (small && bound === 1) return "must not be empty";
        return small ? `must be at least ${bound} characters long` : `must be at most ${bound} characters long`;
    }
    if (small) return exclusive ? `must be greater than ${bound}` : `must be at least ${bound}`;
    return exclusive ? `must be less than ${bound}` : `must be at most ${bound}`;
}

/** One schema issue as config problems (an unknown-keys issue becomes one problem per key). */
export function toConfigIssues(raw: z.core.$ZodIssue, schema: Node, topLevelKeys: readonly string[]): ConfigIssue[] {
    const issue = raw as Issue;
    const path = issue.path;
    const leaf = String([...path].reverse().find((p) => typeof p === "string") ?? "value");
    if (issue.code === "unrecognized_keys") {
        const known = path.length === 0 ? [...topLevelKeys] : keysAt(schema, path);
        return issue.keys.map((k) => {
            const hint = suggest(k, known);
            return {
                key: formatKey([...path, k]),
                message: `is not a known setting${hint || (known.length ? `; known settings here: ${known.join(", ")}` : "")}`,
            };
        });
    }
    const custom = !LIBRARY_WORDING.test(issue.message);
    if (issue.code === "invalid_type") {
        // Our own wording for wrong types still becomes "is required" when the key is simply absent.
        const message = issue.input === undefined ? "is required" : custom ? (quotingHint(issue, leaf) ?? issue.message) : typeMessage(issue, leaf);
        return [{ key: formatKey(path), message }];
    }
    if (custom) return [{ key: formatKey(path), message: issue.message }];
    let message: string;
    switch (issue.code) {
        case "too_small":
        case "too_big":
            message = boundMessage(issue);
            break;
        case "invalid_value":
            message = `must be one of ${issue.values.map((v) => String(v)).join(", ")}, not ${describeInput(issue.input)}`;
            break;
        case "not_multiple_of":
            message = `must be a multiple of ${String(issue.divisor)}`;
            break;
        case "invalid_format":
            message = issue.format === "url" ? "must be a URL such as https://example.com/path" : `is not in the expected ${issue.format} format`;
            break;
        case "invalid_key": {
            // A map key the key schema refused: its own message, e.g. "must be an attribute key such as \"team.name\"".
            const inner = issue.issues.map((i) => i.message).find((m) => !LIBRARY_WORDING.test(m));
            message = `is not a valid key here${inner ? `: the key ${inner}` : ""}; rename it`;
            break;
        }
        default:
            message = `is not valid here (${describeInput(issue.input)}); write a value of the shape the README's Configuration section gives for this key`;
    }
    return [{ key: formatKey(path), message }];
}
