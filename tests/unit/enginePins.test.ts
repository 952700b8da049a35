// One engine everywhere: the CLI and language host the toolchain builds, the SDK the program and the pack load, and
// the provider plugin the engine resolves by version are the same releases, so `npm ls` and `pulumi version` agree.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8");
const pin = (name: string) => {
    const m = read("e2e/versions.env").match(new RegExp(`^${name}=(\\S+)$`, "m"));
    if (!m) throw new Error(`e2e/versions.env has no ${name}=`);
    return m[1];
};
const lockVersion = (lockFile: string, pkg: string) =>
    (JSON.parse(read(lockFile)) as { packages: Record<string, { version?: string }> }).packages[`node_modules/${pkg}`]?.version;
const goRequire = (goMod: string, module: string) => read(goMod).match(new RegExp(`^\\s*(?:require\\s+)?${module.replace(/\./g, "\\.")} (v\\S+)`, "m"))?.[1];

describe("engine pins", () => {
    const cli = pin("PULUMI_VERSION");

    it("builds the CLI and the language host from the SDK release the program and the pack install", () => {
        expect(goRequire("e2e/toolchain/pulumi/go.mod", "github.com/pulumi/pulumi/pkg/v3")).to.equal(`v${cli}`);
        for (const mod of ["e2e/toolchain/pulumi/go.mod", "e2e/toolchain/langhost-nodejs/go.mod", "e2e/toolchain/provider-random/go.mod"]) {
            expect(goRequire(mod, "github.com/pulumi/pulumi/sdk/v3"), mod).to.equal(`v${cli}`);
        }
        expect(lockVersion("package-lock.json", "@pulumi/pulumi")).to.equal(cli);
        expect(lockVersion("policy/package-lock.json", "@pulumi/pulumi")).to.equal(cli);
    });

    it("builds the provider plugins at the versions the npm SDKs ask the engine for", () => {
        expect(lockVersion("package-lock.json", "@pulumi/kubernetes")).to.equal(pin("PULUMI_KUBERNETES_VERSION"));
        expect(goRequire("e2e/toolchain/provider-kubernetes/go.mod", "github.com/pulumi/pulumi-kubernetes/provider/v4")).to.equal(
            pin("PULUMI_KUBERNETES_MODULE_VERSION"),
        );
        expect(lockVersion("package-lock.json", "@pulumi/random")).to.equal(pin("PULUMI_RANDOM_VERSION"));
    });
});
