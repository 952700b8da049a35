import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tuneProcess } = require("../../programProcess.js") as { tuneProcess(env: NodeJS.ProcessEnv, sdkUtils?: SdkUtils): void };
interface SdkUtils {
    disableResourceReferences: boolean;
}

describe("the program's node process", () => {
    const saved = Error.stackTraceLimit;
    afterEach(() => {
        Error.stackTraceLimit = saved;
    });

    it("formats no stack trace per SDK promise under the CLI, unless PLATFORM_STACK_TRACES=1 asks for them", () => {
        Error.stackTraceLimit = 10;
        tuneProcess({}, { disableResourceReferences: false });
        expect(Error.stackTraceLimit).to.equal(0);
        Error.stackTraceLimit = 10;
        tuneProcess({ PLATFORM_STACK_TRACES: "1" }, { disableResourceReferences: false });
        expect(Error.stackTraceLimit).to.equal(10);
    });

    it("takes chart outputs as URNs (no getResource of every chart child), unless PULUMI_DISABLE_RESOURCE_REFERENCES says otherwise", () => {
        const sdk: SdkUtils = { disableResourceReferences: false };
        tuneProcess({}, sdk);
        expect(sdk.disableResourceReferences).to.equal(true);
        const kept: SdkUtils = { disableResourceReferences: false };
        tuneProcess({ PULUMI_DISABLE_RESOURCE_REFERENCES: "false" }, kept);
        expect(kept.disableResourceReferences).to.equal(false);
        // The switch tuneProcess sets is the one the SDK reads when it registers resources (a rename would fail here).
        const utils = require("@pulumi/pulumi/utils") as SdkUtils; // eslint-disable-line @typescript-eslint/no-require-imports
        expect(utils.disableResourceReferences).to.be.a("boolean");
        const registration = fs.readFileSync(require.resolve("@pulumi/pulumi/runtime/resource.js"), "utf8");
        expect(registration).to.include("req.setAcceptresources(!utils.disableResourceReferences)");
    });

    it("entry.js applies it, and Pulumi.yaml gives the program a larger young generation (what bench.ts passes too)", () => {
        const root = path.join(__dirname, "..", "..");
        expect(fs.readFileSync(path.join(root, "entry.js"), "utf8")).to.match(/require\("\.\/programProcess"\)\.tuneProcess\(\)/);
        const project = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { runtime: { options: { nodeargs: string } } };
        expect(project.runtime.options.nodeargs).to.match(/--max-semi-space-size=\d+/);
    });
});
