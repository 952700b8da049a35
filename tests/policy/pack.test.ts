// The pack as a product: metadata, per-stack config files, pins, and docs that match what runs.
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import type { PolicyConfigJSONSchema } from "../../policy/lib/policy";
import { REQUIRED_LABELS } from "../../components/k8s/labels";
import { policies } from "../../policy/pack";
import { loadConfigFile, resolveConfig } from "../../tools/policyRunner";
import { DOC, renderDoc } from "../../scripts/policy-docs";

const ROOT = path.resolve(__dirname, "..", "..");
const PACK = path.join(ROOT, "policy");
const STACKS = ["dev", "staging", "production"];
const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** The subset of JSON Schema our config schemas use, checked the way the CLI's validator would. */
function schemaErrors(schema: PolicyConfigJSONSchema, value: unknown, at: string): string[] {
    const errs: string[] = [];
    const t = schema.type;
    const typeOk = (name: string) =>
        name === "array"
            ? Array.isArray(value)
            : name === "object"
              ? typeof value === "object" && value !== null && !Array.isArray(value)
              : name === "integer"
                ? Number.isInteger(value)
                : typeof value === name;
    if (typeof t === "string" && !typeOk(t)) return [`${at}: expected ${t}`];
    if (schema.enum && !schema.enum.some((e) => e === value)) errs.push(`${at}: ${JSON.stringify(value)} not in enum`);
    if (typeof schema.minimum === "number" && typeof value === "number" && value < schema.minimum) errs.push(`${at}: below minimum`);
    if (Array.isArray(value) && schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
        const items = schema.items;
        value.forEach((v, i) => errs.push(...schemaErrors(items, v, `${at}[${i}]`)));
    }
    if (t === "object" && value && typeof schema.additionalProperties === "object") {
        const ap = schema.additionalProperties;
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) errs.push(...schemaErrors(ap, v, `${at}.${k}`));
    }
    return errs;
}

describe("policy pack: product", () => {
    it("has at least 30 uniquely named policies, each with description, severity, level and remediation steps", () => {
        expect(policies.length).to.be.greaterThanOrEqual(30);
        expect(new Set(policies.map((p) => p.name)).size).to.equal(policies.length);
        for (const p of policies) {
            expect(p.name, p.name).to.match(/^[a-z0-9-]+$/);
            expect(p.description.length, p.name).to.be.greaterThan(20);
            expect(["low", "medium", "high", "critical"], p.name).to.include(p.severity);
            expect(LEVELS, p.name).to.include(p.enforcementLevel);
            expect(p.remediationSteps.length, p.name).to.be.greaterThan(40);
            expect(p.configSchema?.properties, p.name).to.have.property("exemptNamespaces");
        }
    });

    it("requires the label list of components/k8s/labels.ts by default", () => {
        const cfg = resolveConfig(policies).get("required-labels");
        expect(cfg?.properties["requiredLabels"]).to.deep.equal([...REQUIRED_LABELS]);
    });

    for (const stack of STACKS) {
        describe(`policy/config/${stack}.json`, () => {
            const file = loadConfigFile(path.join(PACK, "config", `${stack}.json`));
            it("sets a level and a rationale for every policy, and nothing else", () => {
                expect(Object.keys(file).sort()).to.deep.equal(policies.map((p) => p.name).sort());
                for (const [name, entry] of Object.entries(file)) {
                    expect(typeof entry, name).to.equal("object");
                    const e = entry as Record<string, unknown>;
                    expect(LEVELS, name).to.include(e["enforcementLevel"]);
                    expect(String(e["rationale"] ?? "").length, `${name} rationale`).to.be.greaterThan(30);
                }
            });
            it("uses remediate only for policies that can remediate", () => {
                for (const p of policies) {
                    const level = resolveConfig(policies, file).get(p.name)?.level;
                    if (level === "remediate") expect("remediateResource" in p && !!p.remediateResource, p.name).to.equal(true);
                }
            });
            it("validates against every policy's configSchema (declared properties, right types)", () => {
                const errs: string[] = [];
                for (const p of policies) {
                    const props = p.configSchema?.properties ?? {};
                    const { enforcementLevel: _level, ...rest } = file[p.name] as Record<string, unknown>;
                    for (const [k, v] of Object.entries(rest)) {
                        if (!props[k]) errs.push(`${p.name}.${k}: not declared in configSchema`);
                        else errs.push(...schemaErrors(props[k], v, `${p.name}.${k}`));
                    }
                }
                expect(errs).to.deep.equal([]);
            });
            it("keeps pod security and plaintext-secret policies at mandatory or remediate", () => {
                const levels = resolveConfig(policies, file);
                for (const p of policies.filter((x) => x.tags?.some((t) => t === "pod-security" || t === "secrets"))) {
                    expect(["mandatory", "remediate"], p.name).to.include(levels.get(p.name)?.level);
                }
            });
        });
    }

    it("production is at least as strict as staging, and staging as dev", () => {
        const rank = (l?: string) => ({ disabled: 0, advisory: 1, mandatory: 2, remediate: 2 })[l ?? "disabled"] ?? 0;
        const [dev, staging, prod] = STACKS.map((s) => resolveConfig(policies, loadConfigFile(path.join(PACK, "config", `${s}.json`))));
        for (const p of policies) {
            expect(rank(staging.get(p.name)?.level), p.name).to.be.greaterThanOrEqual(rank(dev.get(p.name)?.level));
            expect(rank(prod.get(p.name)?.level), p.name).to.be.greaterThanOrEqual(rank(staging.get(p.name)?.level));
        }
    });

    it("is a loadable pack: PulumiPolicy.yaml, pinned package.json with a version, lockfile, one PolicyPack", () => {
        expect(fs.readFileSync(path.join(PACK, "PulumiPolicy.yaml"), "utf8")).to.match(/^runtime: nodejs$/m);
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8")) as {
            version: string;
            dependencies: Record<string, string>;
            devDependencies: Record<string, string>;
        };
        expect(pkg.version).to.match(/^\d+\.\d+\.\d+$/);
        expect(pkg.dependencies["@pulumi/policy"]).to.match(/^1\.\d+\.\d+$/);
        // The pack runs in the same engine as the program: one SDK version on both sides.
        const programPulumi = (JSON.parse(fs.readFileSync(path.join(PACK, "..", "package.json"), "utf8")) as { dependencies: Record<string, string> })
            .dependencies["@pulumi/pulumi"];
        expect(pkg.dependencies["@pulumi/pulumi"]).to.equal(programPulumi).and.to.equal("3.276.0");
        expect(pkg.dependencies).to.not.have.property("@pulumi/kubernetes");
        for (const v of [...Object.values(pkg.dependencies), ...Object.values(pkg.devDependencies)]) expect(v).to.match(/^\d+\.\d+\.\d+$/);
        const lock = JSON.parse(fs.readFileSync(path.join(PACK, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
        expect(lock.packages["node_modules/@pulumi/pulumi"]?.version).to.equal(programPulumi);
        expect(lock.packages["node_modules/@pulumi/policy"]?.version).to.equal(pkg.dependencies["@pulumi/policy"]);
        const index = fs.readFileSync(path.join(PACK, "index.ts"), "utf8");
        expect(index.match(/new PolicyPack\(/g)).to.have.length(1);
        const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        expect(root.dependencies["@pulumi/pulumi"], "pack and program pin the same SDK").to.equal(pkg.dependencies["@pulumi/pulumi"]);
    });

    it("documents every policy with its level per stack (docs/policy.md is regenerated)", () => {
        const current = fs.readFileSync(DOC, "utf8");
        expect(current, "run: npx ts-node scripts/policy-docs.ts --write").to.equal(renderDoc(current));
        for (const p of policies) expect(current).to.include(`| \`${p.name}\``);
    });
});
