// The pack's Pod Security policies against Pod Security admission itself: a seeded corpus of pod specs
// (psaCorpus.ts) judged by the real library (tools/psa-oracle: k8s.io/pod-security-admission at the version of the
// pinned cluster, e2e/versions.env) and by the pack's Pod Security Standard policies, in-process, at both levels, with
// every spec wrapped in every pod-bearing kind the pack handles. Every spec the oracle refuses must be refused (0
// misses); every spec only the pack refuses must be one of the deliberate extras listed below, with its reason.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { podSecurityStandardPolicies } from "../../policy/policies/podSecurity";
import type { PlatformPolicy } from "../../policy/lib/policy";
import { PolicyPackConfigFile, checkResource, resolveConfig } from "../../tools/policyRunner";
import { OracleInput, OracleVerdict, ORACLE_DIR, oracleBinary, runOracle } from "../../tools/psaOracle";
import { CorpusEntry, Obj, PACK_KINDS, generateCorpus, wrap } from "./psaCorpus";

const SEED = 20260134;
const CORPUS_SIZE = 5000;
const LEVELS = ["baseline", "restricted"] as const;
type Level = (typeof LEVELS)[number];

interface PackMessage {
    policy: string;
    message: string;
}

interface Extra {
    id: string;
    /** Why the pack refuses what Pod Security admission admits. */
    reason: string;
    /** True when this pack message is explained by the extra, for this spec and level. */
    explains: (m: PackMessage, e: CorpusEntry, level: Level) => boolean;
}

const volumes = (e: CorpusEntry): Obj[] => (Array.isArray(e.spec.volumes) ? (e.spec.volumes as Obj[]) : []);
const sources = (v: Obj): string[] => Object.keys(v).filter((k) => k !== "name" && v[k] !== undefined && v[k] !== null);
const isWindows = (e: CorpusEntry): boolean => (e.spec.os as Obj | undefined)?.name === "windows";

/**
 * The pack's deliberate refusals beyond Pod Security admission, within its Pod Security Standard policies — the only
 * pack verdicts allowed to differ from the oracle's. Each explains a pack message by its policy and the spec.
 */
export const DELIBERATE_EXTRAS: Extra[] = [
    {
        id: "legacy seccomp annotation unconfined",
        reason: "Pod Security admission reads the seccomp.security.alpha.kubernetes.io annotations only for policy versions before v1.19 and judges the seccompProfile fields since; the pack still refuses an annotation that asks for unconfined, so no manifest requests an unconfined profile in any form",
        explains: (m) =>
            m.policy === "seccomp-profile" &&
            /^pod annotation (seccomp\.security\.alpha\.kubernetes\.io\/pod|container\.seccomp\.security\.alpha\.kubernetes\.io\/\S+) is unconfined;/.test(
                m.message,
            ),
    },
    {
        id: "Windows pod adds a non-baseline capability at restricted",
        reason: "at restricted, Pod Security admission's capabilities_restricted check replaces capabilities_baseline and admits every Windows pod, so restricted admits capabilities baseline refuses (the API server refuses capabilities on Windows pods anyway); the pack keeps baseline's list for them",
        explains: (m, e, level) =>
            level === "restricted" &&
            isWindows(e) &&
            m.policy === "restrict-added-capabilities" &&
            m.message.includes("not allowed (allowed: AUDIT_WRITE, CHOWN"),
    },
    {
        id: "volume with two sources",
        reason: "Pod Security admission's restrictedVolumes check admits a volume as soon as one of its sources is an allowed type (and replaces the hostPath check at restricted); the API server refuses a volume with more than one source; the pack judges every source",
        explains: (m, e, level) => {
            if (level !== "restricted" || !["no-host-path", "restricted-volume-types"].includes(m.policy)) return false;
            const name = /^volume "([^"]*)"/.exec(m.message)?.[1];
            const v = volumes(e).find((x) => x.name === name);
            return !!v && sources(v).length > 1;
        },
    },
];

/** Every ForbiddenReason of the library's default checks (policy/check_*.go, v0.34): the corpus must provoke each. */
const PSA_REASONS = [
    "allowPrivilegeEscalation != false",
    "forbidden AppArmor profile",
    "non-default capabilities",
    "unrestricted capabilities",
    "host namespaces",
    "hostPath volumes",
    "hostPort",
    "probe or lifecycle host",
    "privileged",
    "procMount",
    "restricted volume types",
    "runAsNonRoot != true",
    "runAsUser=0",
    "seLinuxOptions",
    "seccompProfile",
    "forbidden sysctls",
    "hostProcess",
];

/** The policy version matching the pinned cluster, checked against the oracle's go.mod. */
function pinnedPolicyVersion(): string {
    const root = path.resolve(__dirname, "..", "..");
    const env = fs.readFileSync(path.join(root, "e2e", "versions.env"), "utf8");
    const k8s = /^KUBERNETES_VERSION=(\d+)\.(\d+)\.(\d+)\s*$/m.exec(env);
    if (!k8s) throw new Error("e2e/versions.env has no KUBERNETES_VERSION=1.x.y");
    const module = `v0.${k8s[2]}.${k8s[3]}`;
    const gomod = fs.readFileSync(path.join(ORACLE_DIR, "go.mod"), "utf8");
    for (const dep of ["k8s.io/pod-security-admission", "k8s.io/api", "k8s.io/apimachinery"]) {
        if (!new RegExp(`^\\s*${dep.replace(/[./]/g, "\\$&")} ${module.replace(/\./g, "\\.")}\\s*$`, "m").test(gomod)) {
            throw new Error(`tools/psa-oracle/go.mod must require ${dep} ${module} (Kubernetes ${k8s[1]}.${k8s[2]}.${k8s[3]} in e2e/versions.env)`);
        }
    }
    return `v${k8s[1]}.${k8s[2]}`;
}

/** Per level, the config the CLI would send each PSS policy: schema defaults, `level: baseline` where a policy takes it. */
function levelConfigs(policies: PlatformPolicy[]): Record<Level, Map<string, Record<string, unknown>>> {
    const out = {} as Record<Level, Map<string, Record<string, unknown>>>;
    for (const level of LEVELS) {
        const file: PolicyPackConfigFile = {};
        for (const p of policies) if (p.configSchema?.properties?.["level"]) file[p.name] = { level };
        out[level] = new Map([...resolveConfig(policies, file)].map(([name, c]) => [name, c.properties]));
    }
    return out;
}

async function packMessages(policies: PlatformPolicy[], config: Map<string, Record<string, unknown>>, kind: string, e: CorpusEntry): Promise<PackMessage[]> {
    const r = wrap(kind, e);
    const out: PackMessage[] = [];
    for (const p of policies) {
        const res = await checkResource(p, r, config.get(p.name));
        if (res.unknown) throw new Error(`${p.name} on ${kind} ${e.id}: unexpected unknown value (${res.unknown})`);
        if (res.notApplicable && !/restricted-level control/.test(res.notApplicable))
            throw new Error(`${p.name} on ${kind} ${e.id}: not applicable (${res.notApplicable})`);
        for (const message of res.messages) out.push({ policy: p.name, message });
    }
    return out;
}

describe("policy pack: Pod Security policies against Pod Security admission (k8s.io/pod-security-admission)", function () {
    let bin: string;
    let version: string;

    before(function () {
        this.timeout(20 * 60_000); // a cold module cache downloads the library and its dependencies once
        version = pinnedPolicyVersion();
        bin = oracleBinary();
    });

    it("draws the same corpus from the same seed (a pure function, no Math.random)", () => {
        const a = generateCorpus(SEED, 2600);
        expect(a).to.deep.equal(generateCorpus(SEED, 2600));
        expect(a.slice(-300)).to.not.deep.equal(generateCorpus(SEED + 1, 2600).slice(-300));
    });

    it("refuses every spec the oracle refuses, at baseline and restricted, in every pod-bearing kind; refuses more only where documented", async function () {
        this.timeout(5 * 60_000);
        const started = Date.now();
        const corpus = generateCorpus(SEED, CORPUS_SIZE);
        const inputs: OracleInput[] = corpus.flatMap((e) =>
            LEVELS.map((level): OracleInput => ({ id: `${e.id}/${level}`, level, version, metadata: e.metadata, spec: e.spec })),
        );
        const verdicts = new Map<string, OracleVerdict>(runOracle(bin, inputs).map((v) => [v.id, v]));
        const undecodable = [...verdicts.values()].filter((v) => v.reasons.includes("decodeError"));
        expect(
            undecodable.map((v) => `${v.id}: ${v.error}`),
            "specs the Kubernetes types cannot decode (a corpus bug)",
        ).to.deep.equal([]);

        const config = levelConfigs(podSecurityStandardPolicies);
        const counts = { agreements: 0, misses: 0, documented: 0, undocumented: 0 };
        const perExtra = new Map<string, number>();
        const reports: string[] = [];
        for (const e of corpus) {
            for (const level of LEVELS) {
                const oracle = verdicts.get(`${e.id}/${level}`)!;
                // Kinds that disagree, grouped by what the pack said, so one report covers every kind it holds for.
                const wrong = new Map<string, { kinds: string[]; miss: boolean; msgs: PackMessage[] }>();
                for (const kind of PACK_KINDS) {
                    const msgs = await packMessages(podSecurityStandardPolicies, config[level], kind, e);
                    const packAllows = msgs.length === 0;
                    if (packAllows === oracle.allowed) {
                        counts.agreements++;
                        continue;
                    }
                    if (!packAllows) {
                        const unexplained = msgs.filter((m) => !DELIBERATE_EXTRAS.some((x) => x.explains(m, e, level)));
                        if (unexplained.length === 0) {
                            counts.documented++;
                            for (const x of DELIBERATE_EXTRAS) if (msgs.some((m) => x.explains(m, e, level))) perExtra.set(x.id, (perExtra.get(x.id) ?? 0) + 1);
                            continue;
                        }
                        counts.undocumented++;
                    } else counts.misses++;
                    const key = JSON.stringify(msgs);
                    const group = wrong.get(key) ?? { kinds: [], miss: packAllows, msgs };
                    group.kinds.push(kind);
                    wrong.set(key, group);
                }
                for (const { kinds, miss, msgs } of wrong.values()) {
                    reports.push(
                        [
                            `${e.id} at ${level} (${kinds.length === PACK_KINDS.length ? "every kind" : kinds.join(", ")}): ${miss ? "MISS — the oracle refuses, the pack admits" : "UNDOCUMENTED EXTRA — the oracle admits, the pack refuses"}`,
                            `  mutations: ${e.mutations.join(" | ")}`,
                            `  oracle: ${oracle.allowed ? "allowed" : `refused: ${oracle.reasons.map((r, i) => `${r}${oracle.details?.[i] ? ` (${oracle.details[i]})` : ""}`).join("; ")}`}`,
                            `  pack: ${miss ? "allowed" : `refused: ${msgs.map((m) => `[${m.policy}] ${m.message}`).join("; ")}`}`,
                            `  metadata: ${JSON.stringify(e.metadata)}`,
                            `  spec: ${JSON.stringify(e.spec)}`,
                        ].join("\n"),
                    );
                }
            }
        }
        const evaluations = corpus.length * LEVELS.length * PACK_KINDS.length;
        const extras = [...perExtra].map(([id, n]) => `${id}: ${n}`).join(", ");
        const refused = LEVELS.map((l) => `${corpus.filter((e) => !verdicts.get(`${e.id}/${l}`)!.allowed).length} at ${l}`).join(", ");
        console.log(
            `      psa oracle ${version}: ${corpus.length} specs (the oracle refuses ${refused}) × ${LEVELS.length} levels × ${PACK_KINDS.length} kinds = ${evaluations} verdicts in ${((Date.now() - started) / 1000).toFixed(1)} s — agreements ${counts.agreements}, misses ${counts.misses}, documented extras ${counts.documented}${extras ? ` (${extras})` : ""}, undocumented extras ${counts.undocumented}`,
        );
        const shown = process.env.PSA_ORACLE_SHOW_ALL ? reports.length : 40; // PSA_ORACLE_SHOW_ALL=1: every disagreement
        if (reports.length)
            console.log(
                `${reports.slice(0, shown).join("\n")}${reports.length > shown ? `\n… and ${reports.length - shown} more (PSA_ORACLE_SHOW_ALL=1 prints them all)` : ""}`,
            );
        expect(corpus.length).to.be.at.least(5000);
        const provoked = new Set(
            [...verdicts.values()].flatMap((v) => v.reasons.map((r) => r.replace(/^forbidden AppArmor profiles$/, "forbidden AppArmor profile"))),
        );
        expect(
            PSA_REASONS.filter((r) => !provoked.has(r)),
            "Pod Security checks the corpus never trips",
        ).to.deep.equal([]);
        expect(
            [...provoked].filter((r) => !PSA_REASONS.includes(r)),
            "reasons this test does not know (a new check in the library?)",
        ).to.deep.equal([]);
        expect(
            DELIBERATE_EXTRAS.filter((x) => !perExtra.has(x.id)).map((x) => x.id),
            "documented extras the corpus never meets (stale?)",
        ).to.deep.equal([]);
        expect({ misses: counts.misses, undocumented: counts.undocumented }, "disagreements with Pod Security admission (listed above)").to.deep.equal({
            misses: 0,
            undocumented: 0,
        });
    });
});
