import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tuneProcess } = require("../../programProcess.js") as { tuneProcess(env: NodeJS.ProcessEnv): void };

describe("the program's node process", () => {
    const saved = Error.stackTraceLimit;
    afterEach(() => { Error.stackTraceLimit = saved; });

    it("formats no stack trace per SDK promise under the CLI, unless PLATFORM_STACK_TRACES=1 asks for them", () => {
        Error.stackTraceLimit = 10;
        tuneProcess({});
        expect(Error.stackTraceLimit).to.equal(0);
        Error.stackTraceLimit = 10;
        tuneProcess({ PLATFORM_STACK_TRACES: "1" });
        expect(Error.stackTraceLimit).to.equal(10);
    });

    it("entry.js applies it, and Pulumi.yaml gives the program a larger young generation (what bench.ts passes too)", () => {
        const root = path.join(__dirname, "..", "..");
        expect(fs.readFileSync(path.join(root, "entry.js"), "utf8")).to.match(/require\("\.\/programProcess"\)\.tuneProcess\(\)/);
        const project = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { runtime: { options: { nodeargs: string } } };
        expect(project.runtime.options.nodeargs).to.match(/--max-semi-space-size=\d+/);
    });
});
