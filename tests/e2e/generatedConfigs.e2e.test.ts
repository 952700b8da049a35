// The generated configs against the real apiserver: every config the schema accepts (tests/unit/configArbitraries.ts,
// seeded) runs through the program under mocks, and each object it renders is submitted with server-side apply and
// --dry-run=server to the local cluster, with the pinned operators' CRDs (Strimzi, CloudNativePG) installed from the
// chart mirror and the stacks' namespaces (which enforce Pod Security restricted) created. Goal: the apiserver refuses
// none of what the config accepted — no invalid field, no name over a limit, no Pod Security warning. Kinds whose CRD
// is not in the mirror (monitoring.coreos.com, Dapr) cannot be judged here and are counted apart.
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { toManifest } from "../../scripts/bench-real";
import { requireChartMirror } from "../../tools/chartMirror";
import { RegisteredResource, runStack } from "../../tools/stackEvaluator";
import { freshCluster } from "../../e2e/harness/freshCluster";
import { REPO, kubectl, runVisible, stderrLog } from "../../e2e/harness/localCluster";
import { acceptedConfig, quietly, sampleConfigs } from "../unit/configArbitraries";
import type { Json } from "../unit/configCases";

const SEED = Number(process.env.PLATFORM_CONFIG_SEED ?? 24_003);
const COUNT = 300;
const FIELD_MANAGER = "platform-generated-configs";
/** Stands in for the provider's random auto-name suffix, at its length. */
const AUTONAME_SUFFIX = "0f1e2d3c";

/** `kubernetes:apps/v1:Deployment` → ["apps/v1", "Deployment"]; the core group is plain `v1`. */
function apiVersionKind(type: string): [string, string] {
    const [, gv, kind] = type.split(":");
    return [gv.startsWith("core/") ? gv.slice("core/".length) : gv, kind];
}

/** The Kubernetes objects a program run registered, as manifests (components, charts and reads left out). */
function manifests(resources: RegisteredResource[]): Json[] {
    return resources
        .filter((r) => r.custom && !r.read && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/"))
        .map((r) => {
            const [apiVersion, kind] = apiVersionKind(r.type);
            // Secret values reach the mocks wrapped as Pulumi secrets: unwrapped as the provider would send them.
            const m = toManifest(JSON.parse(JSON.stringify({ ...r.inputs, apiVersion, kind }))) as Json;
            const meta = (m.metadata ??= {}) as Json;
            // An object without a name is auto-named by the provider: its resource name, '-' and 8 random hex digits.
            meta.name ??= `${r.name}-${AUTONAME_SUFFIX}`;
            return m;
        });
}

/** The CRD manifests of the pinned operators, from the chart mirror (the CloudNativePG file is one `if crds.create` block). */
function operatorCrds(): string[] {
    const strimzi = path.join(requireChartMirror(), "strimzi-kafka-operator-1.2.0", "crds");
    const docs = fs
        .readdirSync(strimzi)
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => fs.readFileSync(path.join(strimzi, f), "utf8"));
    const cnpg = fs.readFileSync(path.join(requireChartMirror(), "cloudnative-pg-0.29.0", "templates", "crds", "crds.yaml"), "utf8");
    docs.push(
        cnpg
            .split("\n")
            .filter((l) => !/^\{\{-? (if \.Values\.crds\.create|end) -?\}\}$/.test(l.trim()))
            .join("\n"),
    );
    return docs;
}

/** apiVersion/kind of everything the apiserver serves now. */
function servedKinds(env: NodeJS.ProcessEnv): Set<string> {
    const r = kubectl(["api-resources", "--no-headers", "-o", "wide"], env);
    if (r.status !== 0) throw new Error(`kubectl api-resources: ${r.stderr}`);
    const out = new Set<string>();
    for (const line of r.stdout.split("\n").filter(Boolean)) {
        const cols = line.trim().split(/\s+/);
        // NAME [SHORTNAMES] APIVERSION NAMESPACED KIND VERBS [CATEGORIES]
        const i = cols.findIndex((c) => c === "true" || c === "false");
        if (i > 1) out.add(`${cols[i - 1]}/${cols[i + 1]}`);
    }
    return out;
}

describe("generated configs on the apiserver: what the config accepts, server-side dry-run admits", function () {
    this.timeout(1_800_000);
    let env: NodeJS.ProcessEnv;

    before(async () => {
        env = await freshCluster();
        for (const doc of operatorCrds()) {
            const r = kubectl(["apply", "--server-side", "--field-manager", FIELD_MANAGER, "-f", "-"], env, doc);
            if (r.status !== 0) throw new Error(`installing the operators' CRDs: ${r.stderr}`);
        }
        const r = kubectl(["wait", "--for=condition=Established", "crd", "--all", "--timeout=120s"], env);
        if (r.status !== 0) throw new Error(`CRDs not established: ${r.stderr}`);
    });

    after(async () => {
        if (!env || process.env.PLATFORM_E2E_KEEP === "1") return;
        await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down"], env);
    });

    it(`${COUNT} configs from seed ${SEED}: every object of every accepted config passes server-side dry-run (0 refused)`, async () => {
        const served = servedKinds(env);
        const cases = sampleConfigs(SEED, COUNT).filter((c) => acceptedConfig(c.config));
        const submitted = new Set<string>();
        const namespaces = new Set<string>();
        const notServed = new Map<string, number>();
        const refusals: string[] = [];
        let objects = 0;
        for (const [n, { stack, config }] of cases.entries()) {
            const out = await quietly(() => runStack(stack, { configOverrides: config }));
            if (out.error) {
                refusals.push(`config ${n} (${stack}): the program threw ${out.error.message}`);
                continue;
            }
            const fresh: Json[] = [];
            for (const m of manifests(out.resources)) {
                const gvk = `${m.apiVersion as string}/${m.kind as string}`;
                if (!served.has(gvk)) {
                    notServed.set(gvk, (notServed.get(gvk) ?? 0) + 1);
                    continue;
                }
                const key = JSON.stringify(m);
                if (submitted.has(key)) continue;
                submitted.add(key);
                if (m.kind === "Namespace") {
                    // Created for real: the dry-run of what lives in it needs it, and it carries the Pod Security labels.
                    const name = (m.metadata as Json).name as string;
                    if (namespaces.has(name)) continue;
                    namespaces.add(name);
                    const r = kubectl(["apply", "--server-side", "--force-conflicts", "--field-manager", FIELD_MANAGER, "-f", "-"], env, JSON.stringify(m));
                    if (r.status !== 0) refusals.push(`config ${n} (${stack}): Namespace ${name}: ${r.stderr.trim()}`);
                    objects++;
                    continue;
                }
                fresh.push(m);
            }
            if (fresh.length === 0) continue;
            objects += fresh.length;
            const r = kubectl(
                ["apply", "--server-side", "--force-conflicts", "--dry-run=server", "--field-manager", FIELD_MANAGER, "-f", "-"],
                env,
                JSON.stringify({ apiVersion: "v1", kind: "List", items: fresh }),
            );
            const said = `${r.stdout}\n${r.stderr}`.split("\n").filter((l) => /^(Error|error|Warning: would violate PodSecurity)/.test(l));
            if (r.status !== 0 && said.length === 0) said.push(`kubectl exit ${r.status}: ${r.stderr.trim()}`);
            for (const l of said) refusals.push(`config ${n} (${stack}): ${l}\n    service: ${JSON.stringify((config.services as Json[]).at(-1))}`);
            if ((n + 1) % 10 === 0) stderrLog(`generated configs: ${n + 1}/${cases.length} submitted`);
        }
        const skipped = [...notServed].map(([k, v]) => `${k} ×${v}`).join(", ") || "none";
        console.log(
            `      ${COUNT} configs drawn, ${cases.length} accepted; ${objects} distinct objects submitted, ${refusals.length} refused by the apiserver`,
        );
        console.log(`      not judged here (no CRD in the chart mirror): ${skipped}`);
        expect(refusals.slice(0, 10), `${refusals.length} refusals`).to.deep.equal([]);
        expect(cases.length, "accepted configs").to.be.greaterThan(COUNT / 20);
        expect(objects, "objects submitted").to.be.greaterThan(cases.length);
    });
});
