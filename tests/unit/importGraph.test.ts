// The product's imports point one way: no file reaches itself through its imports (type-only ones included, since a
// loop of types is a loop of design), nothing outside tests/ imports from tests/, and the folders of components/ are
// imported through their index.ts with no loop between folders. Read from the sources with the TypeScript scanner
// (import, import type, export … from, require, import()), so no build is needed.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
/** What the product is: the program's entry files and the folders of its sources (tests/ and e2e/ are not). */
const PRODUCT = ["index.ts", "entry.js", "programProcess.js", "chartPostRender.js", "components", "policy", "scripts", "tools"];
const SKIP_DIRS = new Set(["node_modules", "bin"]);
const SOURCE = /\.(ts|js)$/;

function sourceFiles(rel: string): string[] {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return [];
    if (fs.statSync(abs).isFile()) return SOURCE.test(rel) ? [rel] : [];
    return (
        fs
            .readdirSync(abs, { withFileTypes: true })
            // By name: a linked node_modules (a worktree sharing another's) is skipped too.
            .filter((e) => !SKIP_DIRS.has(e.name))
            .flatMap((e) => sourceFiles(path.posix.join(rel, e.name)))
    );
}

/** The file a relative specifier names, as TypeScript and Node resolve it; undefined for packages. */
function resolve(from: string, spec: string): string | undefined {
    if (!spec.startsWith(".")) return undefined;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
    const candidates = [base, `${base}.ts`, `${base}.d.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`];
    return candidates.find((c) => fs.existsSync(path.join(ROOT, c)) && fs.statSync(path.join(ROOT, c)).isFile()) ?? base;
}

/** Every file of the product with the files of this tree it imports. */
export function importGraph(): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const file of PRODUCT.flatMap(sourceFiles)) {
        const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), "utf8"), true, true);
        const targets = info.importedFiles.map((i) => resolve(file, i.fileName)).filter((t): t is string => t !== undefined);
        graph.set(file, [...new Set(targets)]);
    }
    return graph;
}

/** One loop per strongly connected component of more than one file (or a file importing itself), as a path. */
export function cycles(graph: Map<string, string[]>): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const out: string[][] = [];
    let next = 0;
    const visit = (v: string): void => {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        onStack.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!graph.has(w)) continue;
            if (!index.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        if (low.get(v) !== index.get(v)) return;
        const scc: string[] = [];
        let w: string;
        do {
            w = stack.pop()!;
            onStack.delete(w);
            scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(loopThrough(graph, new Set(scc), v));
    };
    for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
    return out;
}

/** A shortest loop from `start` back to itself inside one component, so the message names the files that tie it. */
function loopThrough(graph: Map<string, string[]>, scc: Set<string>, start: string): string[] {
    const prev = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
        const v = queue.shift()!;
        for (const w of graph.get(v) ?? []) {
            if (!scc.has(w)) continue;
            if (w === start) {
                const loop = [start];
                for (let at = v; at !== start; at = prev.get(at)!) loop.splice(1, 0, at);
                return [...loop, start];
            }
            if (!prev.has(w)) {
                prev.set(w, v);
                queue.push(w);
            }
        }
    }
    return [start, start];
}

/** The capability folder of a product file (components/<folder>/…), undefined outside them. */
function folderOf(file: string): string | undefined {
    return /^components\/([^/]+)\//.exec(file)?.[1];
}

/**
 * The folder rule: product code outside a folder of components/ imports it only through its index.ts. config/ is the
 * one exception: its index is the app config's parse, and its leaves (chartPins, errors, rawValues, validators …) are
 * imported by file by the cluster layer's config and the chart code. tests/ and e2e/ are not product code and may
 * import a folder's files to test its parts.
 */
export const DEEP_IMPORTABLE = new Set(["config"]);

/** Imports that reach past a folder's index.ts from outside the folder. */
export function deepImports(graph: Map<string, string[]>): string[] {
    return [...graph].flatMap(([file, targets]) =>
        targets
            .filter(
                (t) =>
                    folderOf(t) !== undefined &&
                    folderOf(t) !== folderOf(file) &&
                    !DEEP_IMPORTABLE.has(folderOf(t)!) &&
                    t !== `components/${folderOf(t)}/index.ts`,
            )
            .map((t) => `${file} -> ${t}`),
    );
}

/** Which folders each folder's files import (itself left out). */
export function folderGraph(graph: Map<string, string[]>): Map<string, string[]> {
    const out = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
        const from = folderOf(file);
        if (from === undefined) continue;
        const to = out.get(from) ?? new Set<string>();
        for (const t of targets) if (folderOf(t) !== undefined && folderOf(t) !== from) to.add(folderOf(t)!);
        out.set(from, to);
    }
    return new Map([...out].map(([f, to]) => [f, [...to].sort()]));
}

describe("import graph of the product", () => {
    const graph = importGraph();

    it("reads the product's sources", () => {
        expect(graph.has("index.ts")).to.equal(true);
        expect(graph.get("components/charts/charts.ts")).to.include("components/config/chartPins.ts");
    });

    it("has no import loop", () => {
        const found = cycles(graph).map((c) => c.join(" -> "));
        expect(found, `import loops:\n  ${found.join("\n  ")}`).to.deep.equal([]);
    });

    it("imports nothing from tests/", () => {
        const bad = [...graph].flatMap(([file, targets]) => targets.filter((t) => t.startsWith("tests/")).map((t) => `${file} -> ${t}`));
        expect(bad, `product code importing tests:\n  ${bad.join("\n  ")}`).to.deep.equal([]);
    });

    it("keeps policy/ to itself, so the pack publishes on its own", () => {
        const bad = [...graph]
            .filter(([file]) => file.startsWith("policy/"))
            .flatMap(([file, targets]) => targets.filter((t) => !t.startsWith("policy/")).map((t) => `${file} -> ${t}`));
        expect(bad, `policy/ importing outside itself:\n  ${bad.join("\n  ")}`).to.deep.equal([]);
    });

    it("keeps every file of components/ in a capability folder", () => {
        const loose = [...graph.keys()].filter((f) => f.startsWith("components/") && folderOf(f) === undefined);
        expect(loose, `files directly in components/:\n  ${loose.join("\n  ")}`).to.deep.equal([]);
    });

    it("gives every capability folder an index.ts", () => {
        const folders = [...new Set([...graph.keys()].map(folderOf).filter((f): f is string => f !== undefined))];
        expect(folders.filter((f) => !graph.has(`components/${f}/index.ts`))).to.deep.equal([]);
    });

    it("imports a capability folder from outside only through its index.ts (config/ excepted)", () => {
        const deep = deepImports(graph);
        expect(deep, `imports past a folder's index.ts:\n  ${deep.join("\n  ")}`).to.deep.equal([]);
    });

    it("has no loop between folders", () => {
        const found = cycles(folderGraph(graph)).map((c) => c.join(" -> "));
        expect(found, `folder import loops:\n  ${found.join("\n  ")}`).to.deep.equal([]);
    });

    it("keeps config/ and k8s/ lowest: config/ imports no folder, k8s/ only config/", () => {
        const folders = folderGraph(graph);
        expect(folders.get("config"), "config/ imports").to.deep.equal([]);
        expect(folders.get("k8s"), "k8s/ imports").to.deep.equal(["config"]);
    });

    it("finds a deep import and a folder loop when there is one", () => {
        const g = new Map([
            ["components/a/index.ts", ["components/a/x.ts"]],
            ["components/a/x.ts", ["components/b/index.ts", "components/config/errors.ts"]],
            ["components/b/index.ts", ["components/b/y.ts"]],
            ["components/b/y.ts", ["components/a/x.ts"]],
        ]);
        expect(deepImports(g)).to.deep.equal(["components/b/y.ts -> components/a/x.ts"]);
        expect(cycles(folderGraph(g))).to.deep.equal([["a", "b", "a"]]);
    });

    it("finds a loop when there is one", () => {
        const loop = cycles(
            new Map([
                ["a.ts", ["b.ts"]],
                ["b.ts", ["c.ts"]],
                ["c.ts", ["a.ts"]],
                ["d.ts", ["a.ts"]],
            ]),
        );
        expect(loop).to.deep.equal([["a.ts", "b.ts", "c.ts", "a.ts"]]);
    });
});
