// What the platform imposes on an operator chart's objects, done once per chart as a Helm post-renderer in the
// provider instead of a transform per object in the program: each transform sends one object (Strimzi's CRDs are
// ~100 KB of nested schema each) through the engine to this single-threaded program and back, which was the tail of
// every preview and the critical path of `up` (docs/benchmarks.md). Same edits as chartChildren.ts, made as text
// insertions and deletions located by a YAML parser: every byte not edited stays, so the provider reads the chart's own
// values exactly as Helm rendered them (no YAML 1.1/1.2 reinterpretation of a scalar).
import { isMap, isScalar, isSeq, LineCounter, Node, Pair, parseAllDocuments, YAMLMap } from "yaml";
import { chartLabelStays, isClusterIpService, POD_TEMPLATE_KINDS, SKIP_AWAIT } from "./chartChildren";
import { OMITEMPTY_COLLECTIONS, SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES } from "./crdSchema";

/** The Helm annotation the provider turns into retainOnDelete (pulumi-kubernetes `helm/v4/chart.go` preregister). */
export const HELM_RESOURCE_POLICY = "helm.sh/resource-policy";

/** What the post-renderer does to every object of one chart (the data form of a ChartChildPolicy). */
export interface PostRenderPolicy {
    /** Standard labels of the chart's objects and pod templates (the chart's identity labels win where it set them). */
    labels: Record<string, string>;
    /** Kinds `pulumi destroy` must leave in place (annotated `helm.sh/resource-policy: keep`). Defaults to none. */
    retainKinds?: string[];
}

/** The script the provider runs (relative to the project directory, its working directory); see chartPostRender.js. */
export const POST_RENDER_SCRIPT = "chartPostRender.js";

/** The `postRenderer` input of a helm.v4.Chart that applies `policy`; plain data, so a preview on any machine sees the same input. */
export function chartPostRenderer(policy: PostRenderPolicy): { command: string; args: string[] } {
    return { command: "node", args: [POST_RENDER_SCRIPT, JSON.stringify(policy)] };
}

/** Reads the policy argument; a clear error for anything else. */
export function parsePostRenderPolicy(arg: string | undefined): PostRenderPolicy {
    let v: unknown;
    try {
        v = JSON.parse(arg ?? "");
    } catch {
        throw new Error(`usage: node ${POST_RENDER_SCRIPT} '<policy JSON>' < manifest.yaml (got ${JSON.stringify(arg)})`);
    }
    const p = v as Partial<PostRenderPolicy> | null;
    const strings = (o: unknown): boolean => typeof o === "object" && o !== null && !Array.isArray(o) && Object.values(o).every((x) => typeof x === "string");
    if (!p || !strings(p.labels) || (p.retainKinds !== undefined && !(Array.isArray(p.retainKinds) && p.retainKinds.every((k) => typeof k === "string")))) {
        throw new Error(`${POST_RENDER_SCRIPT}: the policy must be {"labels": {<string>: <string>}, "retainKinds"?: [<kind>]}, got ${arg}`);
    }
    return { labels: p.labels as Record<string, string>, retainKinds: p.retainKinds };
}

/** One text edit: replace [start, end) with text (an insertion when start = end). */
interface Edit {
    start: number;
    end: number;
    text: string;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
    return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

function scalarString(node: unknown): string | undefined {
    return isScalar(node) && typeof node.value === "string" ? node.value : undefined;
}

/** `"key": value` lines inserted at the top of a map (block: before its first key, at its column; flow: after `{`). */
function insertEntries(src: string, map: YAMLMap, entries: string[]): Edit {
    if (map.flow || map.items.length === 0) {
        const at = map.range![0] + 1;
        return { start: at, end: at, text: entries.join(", ") + (map.items.length > 0 ? ", " : "") };
    }
    const at = (map.items[0].key as Node).range![0];
    const column = at - (src.lastIndexOf("\n", at - 1) + 1);
    return { start: at, end: at, text: entries.map((e) => `${e}\n${" ".repeat(column)}`).join("") };
}

function nested(path: string[], leaf: Record<string, string>): string {
    return path.reduceRight<string>((inner, seg) => `{${JSON.stringify(seg)}: ${inner}}`, JSON.stringify(leaf));
}

/**
 * Edits that make `map.<path...>` hold `entries` where `keep(key, chartValue)` is false. Missing maps on the way are
 * inserted as JSON flow mappings; a null value (`labels:`) is replaced by one. A non-map on the way is left alone.
 */
function setEntries(src: string, map: YAMLMap, path: string[], entries: Record<string, string>, keep: (key: string, chart: unknown) => boolean): Edit[] {
    const [seg, ...rest] = path;
    if (seg !== undefined) {
        const pair = pairOf(map, seg);
        if (!pair) return [insertEntries(src, map, [`${JSON.stringify(seg)}: ${nested(rest, entries)}`])];
        const value = pair.value;
        if (value === null || (isScalar(value) && value.value === null)) {
            const [start, keyEnd] = (pair.key as Node).range!;
            // `key:` with nothing after it: the whole pair becomes `"key": {...}` (same position, same indentation).
            return [{ start, end: Math.max(isScalar(value) ? value.range![1] : 0, keyEnd), text: `${JSON.stringify(seg)}: ${nested(rest, entries)}` }];
        }
        return isMap(value) ? setEntries(src, value, rest, entries, keep) : [];
    }
    const edits: Edit[] = [];
    const missing: string[] = [];
    for (const [k, v] of Object.entries(entries)) {
        const pair = pairOf(map, k);
        if (!pair) missing.push(`${JSON.stringify(k)}: ${JSON.stringify(v)}`);
        else if (isScalar(pair.value) && pair.value.value !== v && !keep(k, pair.value.value)) {
            edits.push({ start: pair.value.range![0], end: pair.value.range![1], text: JSON.stringify(v) });
        }
    }
    if (missing.length > 0) edits.push(insertEntries(src, map, missing));
    return edits;
}

/** An annotation the chart set itself stays, whatever its value. */
const keepChartValue = (): boolean => true;

function isEmptyCollection(node: unknown): boolean {
    return (isMap(node) || isSeq(node)) && node.items.length === 0;
}

/** Deletes the pairs `dropped` (ascending indexes, not all of them) of `map`; a block pair with its line when it stands alone on it. */
function deletePairs(src: string, map: YAMLMap, dropped: number[]): Edit[] {
    const keyStart = (i: number): number => (map.items[i].key as Node).range![0];
    const valueEnd = (i: number): number => (map.items[i].value as Node).range![1];
    if (map.flow) {
        // Each pair up to the next key (the comma between them); a dropped tail from the last kept value on.
        const lastKept = Math.max(...map.items.map((_, i) => i).filter((i) => !dropped.includes(i)));
        const edits: Edit[] = dropped.filter((i) => i < lastKept).map((i) => ({ start: keyStart(i), end: keyStart(i + 1), text: "" }));
        if (dropped.some((i) => i > lastKept)) edits.push({ start: valueEnd(lastKept), end: valueEnd(map.items.length - 1), text: "" });
        return edits;
    }
    return dropped.map((i) => {
        const lineStart = src.lastIndexOf("\n", keyStart(i) - 1) + 1;
        const newline = src.indexOf("\n", valueEnd(i));
        const lineEnd = newline < 0 ? src.length : newline + 1;
        const alone = src.slice(lineStart, keyStart(i)).trim() === "" && src.slice(valueEnd(i), lineEnd).trim() === "";
        return alone ? { start: lineStart, end: lineEnd, text: "" } : { start: keyStart(i), end: valueEnd(i), text: "" };
    });
}

/** Edits that drop the empty omitempty collections of one JSONSchemaProps node, at every depth (crdSchema.ts normalizeSchema). */
function normalizeSchemaEdits(src: string, node: unknown): Edit[] {
    if (isSeq(node)) return node.items.flatMap((item) => normalizeSchemaEdits(src, item));
    if (!isMap(node)) return [];
    const edits: Edit[] = [];
    const dropped: number[] = [];
    node.items.forEach((pair, i) => {
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        const v = pair.value;
        if (OMITEMPTY_COLLECTIONS.includes(key) && isEmptyCollection(v)) dropped.push(i);
        else if (SCHEMA_MAPS.includes(key) && isMap(v)) for (const p of v.items) edits.push(...normalizeSchemaEdits(src, p.value));
        else if (SCHEMA_LISTS.includes(key) && isSeq(v)) edits.push(...normalizeSchemaEdits(src, v));
        else if (SCHEMA_VALUES.includes(key)) edits.push(...normalizeSchemaEdits(src, v));
    });
    // Every pair gone: the schema is `{}` (a block map cannot be empty).
    if (dropped.length > 0 && dropped.length === node.items.length) {
        return [{ start: (node.items[0].key as Node).range![0], end: (node.items[node.items.length - 1].value as Node).range![1], text: "{}" }];
    }
    return [...edits, ...deletePairs(src, node, dropped)];
}

function crdEdits(src: string, root: YAMLMap): Edit[] {
    if (scalarString(root.get("apiVersion", true)) !== "apiextensions.k8s.io/v1") return [];
    const spec = root.get("spec", true);
    const versions = isMap(spec) ? spec.get("versions", true) : undefined;
    if (!isSeq(versions)) return [];
    return versions.items.flatMap((v) => {
        const schema = isMap(v) ? v.get("schema", true) : undefined;
        return isMap(schema) ? normalizeSchemaEdits(src, schema.get("openAPIV3Schema", true)) : [];
    });
}

function podTemplate(root: YAMLMap, kind: string): YAMLMap | undefined {
    const at = (m: unknown, key: string): unknown => (isMap(m) ? m.get(key, true) : undefined);
    const tpl = POD_TEMPLATE_KINDS.includes(kind)
        ? at(at(root, "spec"), "template")
        : kind === "CronJob"
          ? at(at(at(at(root, "spec"), "jobTemplate"), "spec"), "template")
          : undefined;
    return isMap(tpl) ? tpl : undefined;
}

/** The edits for one rendered object. */
function objectEdits(src: string, root: YAMLMap, policy: PostRenderPolicy): Edit[] {
    // A top-level `items` list is a List the provider registers item by item (unstructured IsList): edit the items.
    const items = root.get("items", true);
    if (isSeq(items)) return items.items.flatMap((item) => (isMap(item) ? objectEdits(src, item, policy) : []));
    const kind = scalarString(root.get("kind", true));
    if (kind === undefined) return [];
    const edits = setEntries(src, root, ["metadata", "labels"], policy.labels, chartLabelStays);
    const tpl = podTemplate(root, kind);
    if (tpl) edits.push(...setEntries(src, tpl, ["metadata", "labels"], policy.labels, chartLabelStays));
    const annotations: Record<string, string> = {};
    const spec = root.get("spec", true);
    if (isClusterIpService(kind, isMap(spec) ? spec.get("type") : undefined)) annotations[SKIP_AWAIT] = "true";
    if (policy.retainKinds?.includes(kind)) annotations[HELM_RESOURCE_POLICY] = "keep";
    if (Object.keys(annotations).length > 0) edits.push(...setEntries(src, root, ["metadata", "annotations"], annotations, keepChartValue));
    if (kind === "CustomResourceDefinition") edits.push(...crdEdits(src, root));
    return edits;
}

/** Applies edits that do not overlap (insertions at one offset keep their order). */
function applyEdits(src: string, edits: Edit[]): string {
    const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.i - b.i);
    let out = "";
    let at = 0;
    for (const e of sorted) {
        if (e.start < at) throw new Error(`chart post-render: overlapping edits at offset ${e.start}`);
        out += src.slice(at, e.start) + e.text;
        at = e.end;
    }
    return out + src.slice(at);
}

/**
 * The manifest Helm rendered (`---`-separated documents), with the policy's labels, annotations and CRD schemas in
 * their stored form. Throws, naming the line, on YAML the provider could not read either.
 */
export function postRenderManifest(manifest: string, policy: PostRenderPolicy): string {
    const lines = new LineCounter();
    const docs = parseAllDocuments(manifest, { lineCounter: lines, uniqueKeys: false });
    if (!Array.isArray(docs)) return manifest; // no document at all
    const edits: Edit[] = [];
    for (const doc of docs) {
        const err = doc.errors[0];
        if (err) {
            const { line, col } = lines.linePos(err.pos[0]);
            throw new Error(`chart post-render: the rendered manifest is not valid YAML at line ${line}, column ${col}: ${err.message}`);
        }
        if (isMap(doc.contents)) edits.push(...objectEdits(manifest, doc.contents, policy));
    }
    return applyEdits(manifest, edits);
}

/** The post-renderer process: manifest on stdin, policy as the one argument, edited manifest on stdout. */
export async function runPostRenderer(argv: string[], stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream): Promise<void> {
    const policy = parsePostRenderPolicy(argv[0]);
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
    stdout.write(postRenderManifest(Buffer.concat(chunks).toString("utf8"), policy));
}
