// The guard that lets `pulumi preview/up` run prebuilt JavaScript (entry.js, policy/entry.js) only while it is fresh.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { inspectBuild } from "../../policy/prebuilt";

/** A project with TypeScript sources and tsc-shaped output (JS + source maps), written at controlled times. */
function project(): {
    root: string;
    out: string;
    src: (f: string) => string;
    build: (files: string[], nested?: string) => void;
    touch: (f: string, at: number) => void;
} {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "prebuilt-"));
    const out = path.join(root, "bin");
    const src = (f: string) => path.join(root, f);
    const touch = (f: string, at: number) => fs.utimesSync(f, at / 1000, at / 1000);
    const build = (files: string[], nested = "") => {
        for (const f of files) {
            const js = path.join(out, nested, f.replace(/\.ts$/, ".js"));
            fs.mkdirSync(path.dirname(js), { recursive: true });
            fs.writeFileSync(js, "module.exports = 1;\n");
            const map = { version: 3, file: path.basename(js), sourceRoot: "", sources: [path.relative(path.dirname(js), src(f))], mappings: "" };
            fs.writeFileSync(`${js}.map`, JSON.stringify(map));
            touch(js, 2_000_000);
            touch(`${js}.map`, 2_000_000);
        }
    };
    for (const f of ["index.ts", "lib/a.ts", "tsconfig.json"]) {
        fs.mkdirSync(path.dirname(src(f)), { recursive: true });
        fs.writeFileSync(src(f), "export {};\n");
        touch(src(f), 1_000_000);
    }
    return { root, out, src, build, touch };
}

describe("prebuilt JavaScript guard (policy/prebuilt.js)", () => {
    it("hands out the compiled entry when every source is older than its JavaScript", () => {
        const p = project();
        p.build(["index.ts", "lib/a.ts"]);
        expect(inspectBuild(p.out, p.src("index.ts"), [p.src("tsconfig.json")])).to.deep.equal({ entry: path.join(p.out, "index.js") });
    });

    it("finds the entry wherever tsc put it (outputs nested under the common source root)", () => {
        const p = project();
        p.build(["index.ts", "lib/a.ts"], "policy");
        expect(inspectBuild(p.out, p.src("index.ts")).entry).to.equal(path.join(p.out, "policy", "index.js"));
    });

    it("refuses the tree when any source (not only the entry) was edited after the build, naming it", () => {
        const p = project();
        p.build(["index.ts", "lib/a.ts"]);
        p.touch(p.src("lib/a.ts"), 3_000_000);
        const r = inspectBuild(p.out, p.src("index.ts"));
        expect(r.entry).to.equal(undefined);
        expect(r.problem).to.include(path.join("lib", "a.ts"));
    });

    it("refuses the tree when a compiled module's source is gone (its importers would fail from source)", () => {
        const p = project();
        p.build(["index.ts", "lib/a.ts"]);
        fs.rmSync(p.src("lib/a.ts"));
        expect(inspectBuild(p.out, p.src("index.ts")).problem).to.match(/a\.ts \(deleted\)/);
    });

    it("refuses the tree when a build config changed after the build", () => {
        const p = project();
        p.build(["index.ts"]);
        p.touch(p.src("tsconfig.json"), 3_000_000);
        expect(inspectBuild(p.out, p.src("index.ts"), [p.src("tsconfig.json")]).problem).to.include("tsconfig.json");
    });

    it("says so when nothing was built, or the output holds no build of the entry", () => {
        const p = project();
        expect(inspectBuild(p.out, p.src("index.ts")).problem).to.match(/no prebuilt JavaScript/);
        p.build(["lib/a.ts"]);
        expect(inspectBuild(p.out, p.src("index.ts")).problem).to.match(/no JavaScript built from .*index\.ts/);
    });
});

describe("entry points wired to the prebuilt JavaScript", () => {
    const ROOT = path.resolve(__dirname, "..", "..");
    const main = (dir: string) => (JSON.parse(fs.readFileSync(path.join(ROOT, dir, "package.json"), "utf8")) as { main: string }).main;

    it("the program and the pack start from their guarded entry points, built from index.ts", () => {
        expect(main(".")).to.equal("entry.js");
        expect(main("policy")).to.equal("entry.js");
        for (const dir of [".", "policy"]) {
            const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, dir, "tsconfig.build.json"), "utf8")) as {
                files: string[];
                compilerOptions: { sourceMap: boolean };
            };
            expect(cfg.files, dir).to.deep.equal(["index.ts"]);
            expect(cfg.compilerOptions.sourceMap, `${dir}: the guard reads the source maps`).to.equal(true);
        }
        // The CLI must not start ts-node for the program: entry.js decides between JavaScript and sources.
        expect(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).to.match(/^\s+typescript: false$/m);
    });
});
