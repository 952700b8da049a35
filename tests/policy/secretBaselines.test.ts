// The pack's plaintext-secret rules side by side with the detectors users already trust (Kubescape C-0012,
// Polaris' sensitive-content checks, gitleaks' default rules; tests/policy/secretBaselines/) over one corpus
// (tests/policy/secretCorpus.ts). A false mandatory violation blocks a deploy, so the public half must pass the
// whole pack; the secrets half must be caught — at the least what two of the three baselines catch and every
// provider token format, and as the corpus stands, all of it.
import { expect } from "chai";
import * as fs from "fs";
import type { FakeResource } from "../../tools/policyRunner";
import { CaseResult, DOC, PACK, compare, flagged, mustCatch, renderDoc, renderTable, summarize } from "./secretBaselines/compare";
import { BASELINES } from "./secretBaselines/index";
import { gitleaks } from "./secretBaselines/gitleaks";
import { kubescape } from "./secretBaselines/kubescape";
import { polaris } from "./secretBaselines/polaris";
import { CORPUS, GENERATED_SECRETS } from "./secretCorpus";
import { object, workload } from "./fixtures";

const label = (r: CaseResult) => `${r.c.id} ${r.c.place}: ${r.c.what}`;

describe("secret detection compared with Kubescape C-0012, Polaris and gitleaks", () => {
    let results: CaseResult[];
    before(async () => {
        results = await compare();
        const rows = summarize(results);
        const width = Math.max(...rows.map((s) => s.detector.length));
        console.log(`\n      ${"detector".padEnd(width)}  secrets caught  false alarms on public material`);
        for (const s of rows)
            console.log(`      ${s.detector.padEnd(width)}  ${`${s.caught} of ${s.secrets}`.padEnd(14)}  ${s.falseAlarms} of ${s.publicCases}`);
    });

    it("the corpus covers both halves and every place a pod spec or chart value carries text", () => {
        const places = new Set(CORPUS.map((c) => c.place));
        for (const p of [
            "env value",
            "env name",
            "args",
            "command",
            "probe httpGet header",
            "probe httpGet path",
            "probe exec command",
            "probe grpc",
            "probe tcpSocket",
            "lifecycle exec",
            "lifecycle httpGet header",
            "lifecycle sleep",
            "object annotation",
            "pod annotation",
            "ConfigMap data",
            "ConfigMap binaryData",
            "Helm chart values",
            "chart-rendered ConfigMap",
            "Secret",
        ]) {
            expect(places.has(p), `a case at ${p}`).to.equal(true);
        }
        expect(CORPUS.filter((c) => c.half === "secret").length).to.be.greaterThan(30);
        expect(CORPUS.filter((c) => c.half === "public").length).to.be.greaterThan(30);
        expect(new Set(CORPUS.map((c) => c.id)).size).to.equal(CORPUS.length);
    });

    it("the pack raises no mandatory violation on the public half", () => {
        const alarms = results.filter((r) => r.c.half === "public" && flagged(r.verdicts[PACK]));
        expect(alarms.map((r) => `${label(r)} -> ${r.verdicts[PACK].findings.join(" | ")}`)).to.deep.equal([]);
    });

    it("the pack catches what two baselines catch and every provider token format", () => {
        const missed = results.filter((r) => mustCatch(r) && !flagged(r.verdicts[PACK]));
        expect(missed.map(label)).to.deep.equal([]);
        // The floor is not empty: the comparison means something.
        expect(results.filter(mustCatch).length).to.be.greaterThan(20);
    });

    it("the pack catches every case of the secrets half", () => {
        const missed = results.filter((r) => r.c.half === "secret" && !flagged(r.verdicts[PACK]));
        expect(missed.map(label)).to.deep.equal([]);
    });

    it("no pack message repeats a generated secret", () => {
        for (const r of results) {
            for (const m of r.verdicts[PACK].findings) for (const s of GENERATED_SECRETS) expect(m, label(r)).to.not.include(s);
        }
    });

    it("the reference detectors behave as their rules say (a fixture each)", () => {
        const env = (name: string, value: string): FakeResource => workload("Deployment", { "$c0.env": [{ name, value }] });
        const cm = (data: Record<string, string>): FakeResource => object("kubernetes:core/v1:ConfigMap", "c", { data });
        // Kubescape: substring key names (key, token …), a "/" value exempt, envFrom.secretRef reported, ConfigMap data base64-decoded.
        expect(kubescape.findings(env("KEYCLOAK_REALM", "shop"))).to.have.length(1);
        expect(kubescape.findings(env("DB_PASSWORD_FILE", "/run/secrets/db"))).to.deep.equal([]);
        expect(kubescape.findings(workload("Deployment", { "$c0.env": [], "$c0.envFrom": [{ secretRef: { name: "s" } }] }))).to.deep.equal([
            "containers[0].envFrom[0].secretRef",
        ]);
        expect(kubescape.findings(cm({ blob: Buffer.from("-----BEGIN RSA PRIVATE KEY-----").toString("base64") }))).to.deep.equal(["data[blob]"]);
        // Polaris: password/token/bearer/secret in names, a PEM private key in values, valueFrom passes.
        expect(polaris.findings(env("DB_PASSWORD_FILE", "/run/secrets/db"))).to.have.length(1);
        expect(polaris.findings(env("API_KEY", "x"))).to.deep.equal([]);
        expect(
            polaris.findings(workload("Deployment", { "$c0.env": [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "s", key: "t" } } }] })),
        ).to.deep.equal([]);
        // gitleaks: token formats in the manifest text, the generic rule needs keyword, operator and entropy.
        expect(gitleaks.findings(cm({ "a.env": "api_key=q8Vn3LzT0pXw7RkY2bHs9MdJ4fCe6Ga1" }))).to.include("generic-api-key");
        expect(gitleaks.findings(cm({ "a.env": "api_key=aaaaaaaaaaaaaaaa" }))).to.deep.equal([]);
        expect(gitleaks.findings(env("X", "AKIAIOSFODNN7EXAMPLE"))).to.deep.equal([]);
        for (const b of BASELINES)
            expect(
                results.some((r) => r.c.half === "secret" && flagged(r.verdicts[b.name])),
                `${b.name} catches something`,
            ).to.equal(true);
    });

    it("docs/policy.md carries the current table (npx ts-node --transpile-only tests/policy/secretBaselines/compare.ts --write)", () => {
        const current = fs.readFileSync(DOC, "utf8");
        expect(current, "run: npx ts-node --transpile-only tests/policy/secretBaselines/compare.ts --write").to.equal(renderDoc(current, renderTable(results)));
    });
});
