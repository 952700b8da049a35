// Remediations add hardening and derivable labels, never weaken or overwrite what is there.
import { expect } from "chai";
import { LABELS, MANAGED_BY, REQUIRED_LABELS } from "../../components/k8s/labels";
import { policies } from "../../policy/pack";
import { FakeResource, remediate, runPack } from "../../tools/policyRunner";
import { configFor, expectPass, policy } from "./helpers";
import { POD_KINDS, PodKind, UNKNOWN_OBJECT, podPath, workload } from "./fixtures";

type Obj = Record<string, unknown>;

function at(obj: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((cur, seg) => (cur && typeof cur === "object" ? (cur as Obj)[seg] : undefined), obj);
}

async function fix(name: string, r: FakeResource, props: Obj = {}): Promise<FakeResource> {
    const out = await remediate(policy(name), r, configFor(name, props));
    expect(out, `${name} should remediate`).to.not.equal(undefined);
    return { ...r, props: out as Obj };
}

/** Every leaf of `before` is still present with the same value in `after` (remediation only adds). */
function assertOnlyAdds(before: unknown, after: unknown, path = ""): void {
    if (Array.isArray(before)) {
        expect(Array.isArray(after), path).to.equal(true);
        const a = after as unknown[];
        before.forEach((v, i) => {
            if (typeof v === "string") expect(a, path).to.include(v);
            else assertOnlyAdds(v, a[i], `${path}[${i}]`);
        });
        return;
    }
    if (before && typeof before === "object" && Object.getPrototypeOf(before) === Object.prototype) {
        for (const [k, v] of Object.entries(before as Obj)) assertOnlyAdds(v, (after as Obj)?.[k], `${path}.${k}`);
        return;
    }
    expect(after, path).to.equal(before);
}

const REMEDIABLE = ["seccomp-profile", "drop-all-capabilities", "no-privilege-escalation", "required-labels", "pod-template-labels"];

describe("policy pack: remediations", () => {
    it("exist exactly for the safe policies", () => {
        expect(
            policies
                .filter((p) => "remediateResource" in p && p.remediateResource)
                .map((p) => p.name)
                .sort(),
        ).to.deep.equal([...REMEDIABLE].sort());
    });

    for (const kind of POD_KINDS) {
        it(`harden a bare ${kind}: seccomp RuntimeDefault, drop ALL, allowPrivilegeEscalation false`, async () => {
            const bare = workload(kind, {
                "$pod.securityContext.seccompProfile": undefined,
                "$c0.securityContext": undefined,
                "$pod.initContainers": [{ name: "init", image: "x:1", securityContext: { capabilities: { drop: ["NET_RAW"], add: ["NET_BIND_SERVICE"] } } }],
            });
            let r = await fix("seccomp-profile", bare);
            r = await fix("drop-all-capabilities", r);
            r = await fix("no-privilege-escalation", r);
            const spec = at(r.props, podPath(kind as PodKind));
            expect(at(spec, "securityContext.seccompProfile")).to.deep.equal({ type: "RuntimeDefault" });
            expect(at(spec, "containers.0.securityContext")).to.deep.equal({ capabilities: { drop: ["ALL"] }, allowPrivilegeEscalation: false });
            expect(at(spec, "initContainers.0.securityContext.capabilities")).to.deep.equal({ drop: ["NET_RAW", "ALL"], add: ["NET_BIND_SERVICE"] });
            await expectPass("seccomp-profile", r);
            await expectPass("drop-all-capabilities", r);
            await expectPass("no-privilege-escalation", r);
            assertOnlyAdds(bare.props, r.props);
        });
    }

    it("never weakens: explicit Unconfined, allowPrivilegeEscalation: true and privileged stay and are still reported", async () => {
        const r = workload("Deployment", {
            "$c0.securityContext.seccompProfile": { type: "Unconfined" },
            "$c0.securityContext.allowPrivilegeEscalation": true,
            "$pod.containers.1": { name: "priv", image: "x:1", securityContext: { privileged: true } },
        });
        expect(await remediate(policy("seccomp-profile"), r, configFor("seccomp-profile"))).to.equal(undefined);
        expect(await remediate(policy("no-privilege-escalation"), r, configFor("no-privilege-escalation"))).to.equal(undefined);
        const res = await runPack([r], { "seccomp-profile": "remediate", "no-privilege-escalation": "remediate" }, [
            policy("seccomp-profile"),
            policy("no-privilege-escalation"),
        ]);
        expect(res.violations.map((v) => `${v.level} ${v.message}`)).to.include.members([
            'mandatory container "app": securityContext.seccompProfile.type is Unconfined; use RuntimeDefault or Localhost',
            'mandatory container "app": securityContext.allowPrivilegeEscalation is true; set it to false',
            'mandatory container "priv": securityContext.allowPrivilegeEscalation is not set (defaults to true); set it to false',
        ]);
    });

    it("does not add allowPrivilegeEscalation: false next to CAP_SYS_ADMIN (the API server would reject it)", async () => {
        const r = workload("Deployment", { "$c0.securityContext": { capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } } });
        expect(await remediate(policy("no-privilege-escalation"), r, configFor("no-privilege-escalation"))).to.equal(undefined);
    });

    it("adds derivable labels without touching present values", async () => {
        const r = workload("Deployment", {
            "metadata.labels": { [LABELS.name]: "api", [LABELS.team]: "payments" },
            "$tpl.metadata.labels": { [LABELS.name]: "api", [LABELS.instance]: "api-dev", [LABELS.version]: "1.0.0", [LABELS.component]: "backend" },
        });
        const fixed = await fix("required-labels", r, {
            labelDefaults: { environment: "dev", [LABELS.partOf]: "platform", [LABELS.team]: "platform-team", "cost-center": "cc-9" },
        });
        expect(at(fixed.props, "metadata.labels")).to.deep.equal({
            [LABELS.name]: "api",
            [LABELS.team]: "payments",
            [LABELS.instance]: "api-dev",
            [LABELS.version]: "1.0.0",
            [LABELS.component]: "backend",
            [LABELS.partOf]: "platform",
            [LABELS.managedBy]: MANAGED_BY,
            environment: "dev",
            "cost-center": "cc-9",
        });
        await expectPass("required-labels", fixed);
        const tpl = await fix("pod-template-labels", fixed);
        const labels = at(tpl.props, "spec.template.metadata.labels") as Obj;
        expect(Object.keys(labels).sort()).to.deep.equal([...REQUIRED_LABELS].sort());
        expect(labels[LABELS.team]).to.equal("payments");
        assertOnlyAdds(fixed.props, tpl.props);
    });

    it("leaves labels missing when no value can be derived (still a violation)", async () => {
        const r = workload("Deployment", { "metadata.labels": {}, "$tpl.metadata.labels": {} });
        const fixed = await fix("required-labels", r);
        expect(at(fixed.props, "metadata.labels")).to.deep.equal({ [LABELS.managedBy]: MANAGED_BY });
        const res = await runPack([r], { "required-labels": "remediate" }, [policy("required-labels")]);
        expect(res.remediations).to.have.length(1);
        expect(res.violations[0].level).to.equal("mandatory");
        expect(res.violations[0].message).to.match(/^missing required labels: app\.kubernetes\.io\/name/);
    });

    it("keeps secret-wrapped values and unknowns as they are", async () => {
        class Secret {
            constructor(public value: unknown) {}
        }
        const secret = new Secret("hunter2");
        const r = workload("Deployment", {
            "$c0.securityContext.capabilities.drop": [],
            "$c0.env.0": { name: "X", value: secret },
            "$pod.containers.1": { name: "u", image: "x:1", securityContext: UNKNOWN_OBJECT },
        });
        const fixed = await fix("drop-all-capabilities", r);
        expect(at(fixed.props, "spec.template.spec.containers.0.env.0.value")).to.equal(secret);
        expect(at(fixed.props, "spec.template.spec.containers.1.securityContext")).to.equal(UNKNOWN_OBJECT);
    });
});
