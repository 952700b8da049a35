// Cases where naive policies go wrong: every pod-bearing kind and container list, secrets that arrive as
// Outputs or secret-wrapped values, preview-time unknowns, pod vs container securityContext, indirections.
import { expect } from "chai";
import { policies } from "../../policy/pack";
import { FakeResource, runPack } from "../../tools/policyRunner";
import { expectFail, expectPass, messages, notApplicable } from "./helpers";
import {
    NS,
    POD_KINDS,
    UNKNOWN_BOOL,
    UNKNOWN_OBJECT,
    UNKNOWN_STRING,
    Patch,
    defaultDeny,
    hpa,
    namespace,
    pdb,
    quota,
    workload,
    workloadPolicy,
} from "./fixtures";

/** One violating patch per pod-security policy, applicable to any pod-bearing kind. */
const POD_VIOLATIONS: Record<string, [Patch, string]> = {
    "run-as-non-root": [{ "$c0.securityContext.runAsNonRoot": false }, "runAsNonRoot is false"],
    "run-as-user-not-root": [{ "$c0.securityContext.runAsUser": 0 }, "runAsUser is 0"],
    "no-privilege-escalation": [{ "$c0.securityContext.allowPrivilegeEscalation": true }, "allowPrivilegeEscalation is true"],
    "no-privileged-containers": [{ "$c0.securityContext.privileged": true }, "privileged is true"],
    "drop-all-capabilities": [{ "$c0.securityContext.capabilities.drop": [] }, 'capabilities.drop does not contain "ALL"'],
    "restrict-added-capabilities": [{ "$c0.securityContext.capabilities.add": ["NET_RAW"] }, 'capabilities.add has "NET_RAW", not allowed'],
    "read-only-root-filesystem": [{ "$c0.securityContext.readOnlyRootFilesystem": undefined }, "readOnlyRootFilesystem is not set"],
    "seccomp-profile": [{ "$pod.securityContext.seccompProfile.type": "Unconfined" }, "seccompProfile.type is Unconfined"],
    "no-host-namespaces": [{ "$pod.hostIPC": true }, "hostIPC is true"],
    "no-host-path": [{ "$pod.volumes.0": { name: "h", hostPath: { path: "/etc" } } }, 'volume "h" is a hostPath'],
    "no-host-ports": [{ "$c0.ports.0.hostPort": 80 }, "ports[0].hostPort is 80"],
    "restricted-volume-types": [{ "$pod.volumes.0": { name: "g", gitRepo: { repository: "x" } } }, 'volume "g" uses gitRepo'],
    "no-unsafe-pod-options": [{ "$c0.securityContext.windowsOptions.hostProcess": true }, "windowsOptions.hostProcess is true"],
    "automount-service-account-token": [{ "$pod.automountServiceAccountToken": true }, "pod spec.automountServiceAccountToken is true"],
    "no-secret-env-literals": [{ "$c0.env.0": { name: "REDIS_PASSWORD", value: "pw" } }, "env REDIS_PASSWORD (env[0]) has a literal value"],
    "no-secrets-in-args": [{ "$c0.args": ["--api-key=abc123"] }, "flag --api-key has a literal value"],
    "container-resources": [{ "$c0.resources.requests": undefined }, "missing requests.cpu, requests.memory"],
    "image-tag-not-latest": [{ "$c0.image": "api" }, "image api has no tag"],
};

describe("policy pack: tricky cases", () => {
    describe("every pod-bearing kind is inspected", () => {
        for (const [policyName, [patch, message]] of Object.entries(POD_VIOLATIONS)) {
            for (const kind of POD_KINDS) {
                it(`${policyName} on ${kind}`, async () => {
                    await expectPass(policyName, workload(kind));
                    await expectFail(policyName, workload(kind, patch), message);
                });
            }
        }
    });

    describe("every container list is inspected", () => {
        const lists: [string, string][] = [
            ["initContainers", "initContainer"],
            ["ephemeralContainers", "ephemeralContainer"],
        ];
        for (const [field, label] of lists) {
            it(`${field}: privileged, escalation and capabilities`, async () => {
                const r = workload("StatefulSet", { [`$pod.${field}`]: [{ name: "side", image: "busybox:1.36", securityContext: { privileged: true } }] });
                await expectFail("no-privileged-containers", r, `${label} "side": securityContext.privileged is true`);
                await expectFail("no-privilege-escalation", r, `${label} "side": securityContext.allowPrivilegeEscalation is not set`);
                await expectFail("drop-all-capabilities", r, `${label} "side": securityContext.capabilities.drop does not contain "ALL"`);
                await expectFail(
                    "run-as-non-root",
                    workload("StatefulSet", {
                        "$pod.securityContext.runAsNonRoot": undefined,
                        "$c0.securityContext.runAsNonRoot": true,
                        [`$pod.${field}`]: [{ name: "side", image: "busybox:1.36" }],
                    }),
                    `${label} "side": runAsNonRoot is not set`,
                );
            });
        }
    });

    describe("pod-level vs container-level securityContext", () => {
        it("pod-level runAsNonRoot and seccomp cover every container", async () => {
            const r = workload("Deployment", { "$pod.containers.1": { name: "sidecar", image: "x:1", securityContext: { allowPrivilegeEscalation: false } } });
            await expectPass("run-as-non-root", r);
            await expectPass("seccomp-profile", r);
        });
        it("a container-level value overrides the pod-level one", async () => {
            await expectFail(
                "run-as-non-root",
                workload("Deployment", { "$c0.securityContext.runAsNonRoot": false }),
                'container "app": securityContext.runAsNonRoot is false',
            );
            await expectPass(
                "run-as-non-root",
                workload("Deployment", { "$pod.securityContext.runAsNonRoot": undefined, "$c0.securityContext.runAsNonRoot": true }),
            );
            await expectFail(
                "seccomp-profile",
                workload("Deployment", { "$c0.securityContext.seccompProfile.type": "Unconfined" }),
                'container "app": securityContext.seccompProfile.type is Unconfined',
            );
        });
        it("an explicit pod-level false is rejected even when every container says true (as Pod Security admission does)", async () => {
            await expectFail(
                "run-as-non-root",
                workload("Deployment", { "$pod.securityContext.runAsNonRoot": false, "$c0.securityContext.runAsNonRoot": true }),
                "pod securityContext.runAsNonRoot is false; set it to true",
            );
        });
        it("runAsUser: 0 with runAsNonRoot: true is still root (kubelet refuses it)", async () => {
            await expectFail(
                "run-as-user-not-root",
                workload("Deployment", { "$c0.securityContext.runAsUser": 0, "$c0.securityContext.runAsNonRoot": true }),
                'container "app": securityContext.runAsUser is 0 (root)',
            );
            await expectFail(
                "run-as-user-not-root",
                workload("Deployment", { "$pod.securityContext.runAsUser": 0, "$c0.securityContext.runAsUser": 1000 }),
                "pod securityContext.runAsUser is 0",
            );
        });
        it("container-level-only settings (privileged, capabilities, readOnlyRootFilesystem) are not inherited from the pod", async () => {
            const r = workload("Deployment", { "$pod.securityContext.readOnlyRootFilesystem": true, "$c0.securityContext.readOnlyRootFilesystem": undefined });
            await expectFail("read-only-root-filesystem", r, "readOnlyRootFilesystem is not set");
        });
    });

    describe("secrets that arrive as Outputs or secret-wrapped values", () => {
        const sig = "4dabf18193072939515e22adb298388d";
        const secretSig = "1b47061264138c4ac30d75fd1eb44270";
        it("a resolved secret Output is plaintext to the pack and is caught by name and by value", async () => {
            const wrapped = { [sig]: secretSig, value: "postgres://app:hunter2@db:5432/app" };
            const r = workload("Deployment", {
                "$c0.env": [
                    { name: "DB_PASSWORD", value: { [sig]: secretSig, value: "hunter2" } },
                    { name: "DATABASE_URL", value: wrapped },
                ],
            });
            await expectFail("no-secret-env-literals", r, "env DB_PASSWORD (env[0]) has a literal value");
            await expectFail("no-secret-env-values", r, "env DATABASE_URL (env[1]) value contains credentials in a URL");
        });
        it("@pulumi/policy Secret wrappers are unwrapped too", async () => {
            class Secret {
                constructor(public value: unknown) {}
            }
            await expectFail(
                "no-secrets-in-configmaps",
                { type: "kubernetes:core/v1:ConfigMap", name: "c", props: { metadata: { namespace: NS }, data: { API_TOKEN: new Secret("abc123") } } },
                'data["API_TOKEN"] is a secret-named key',
            );
        });
        it("an unresolved Output is unknown: no violation, no crash", async () => {
            const output = { __pulumiOutput: true };
            await expectPass("no-secret-env-literals", workload("Deployment", { "$c0.env": [{ name: "DB_PASSWORD", value: output }] }));
            await expectPass("no-inline-chart-secrets", {
                type: "kubernetes:helm.sh/v4:Chart",
                name: "c",
                props: { namespace: NS, values: { auth: { password: output } } },
            });
        });
        it("secret Kubernetes objects themselves are where secrets belong and are not reported", async () => {
            const secret: FakeResource = {
                type: "kubernetes:core/v1:Secret",
                name: "db",
                props: { metadata: { name: "db", namespace: NS }, stringData: { password: "hunter2" } },
            };
            const res = await runPack([secret], { all: "mandatory" });
            expect(res.violations.filter((v) => v.policy.startsWith("no-secret"))).to.deep.equal([]);
        });
    });

    describe("indirections are not secrets", () => {
        it("*_FILE, *_SECRET_NAME, *_URL, *_PATH and valueFrom pass every secret policy", async () => {
            const env = [
                { name: "DB_PASSWORD_FILE", value: "/var/run/secrets/db/password" },
                { name: "REDIS_SECRET_NAME", value: "valkey-auth" },
                { name: "TOKEN_URL", value: "https://auth.example.com/token" },
                { name: "PRIVATE_KEY_PATH", value: "/etc/tls/tls.key" },
                { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "api", key: "token" } } },
                { name: "PASSWORD", value: "$(DB_PASSWORD)" },
                { name: "AUTH_ENABLED", value: "true" },
            ];
            const r = workload("Deployment", { "$c0.env": env, "$c0.args": ["--password-file", "/var/run/secrets/db/password"] });
            const res = await runPack([r], { all: "mandatory" });
            expect(res.violations.filter((v) => /secret/.test(v.policy)).map((v) => v.message)).to.deep.equal([]);
        });
    });

    describe("values unknown during preview", () => {
        it("unknown env values, securityContext, labels, images and pod specs never produce violations", async () => {
            const r = workload("Deployment", {
                "metadata.labels": UNKNOWN_OBJECT,
                "$tpl.metadata.labels": UNKNOWN_OBJECT,
                "$c0.env": [{ name: "DB_PASSWORD", value: UNKNOWN_STRING }],
                "$c0.image": UNKNOWN_STRING,
                "$c0.securityContext": UNKNOWN_OBJECT,
                "$pod.securityContext.runAsNonRoot": UNKNOWN_BOOL,
                "$pod.hostNetwork": UNKNOWN_BOOL,
            });
            const res = await runPack([r], { all: "mandatory" });
            expect(res.violations.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
        });
        it("an unknown pod template makes pod policies not applicable instead of failing", async () => {
            const r = workload("Deployment", { "spec.template": UNKNOWN_OBJECT });
            expect(await notApplicable("run-as-non-root", r)).to.equal("pod template unknown during preview");
            expect(await messages("pod-template-labels", r)).to.deep.equal([]);
        });
        it("unknown selectors and names keep stack policies silent", async () => {
            const dep = workload("Deployment", { "spec.replicas": 3 });
            await expectPass("pdb-for-replicated-workloads", [dep, pdb("api", { "spec.selector": UNKNOWN_OBJECT })]);
            await expectPass("workload-network-policy", [dep, workloadPolicy("api", { "spec.podSelector.matchLabels": UNKNOWN_OBJECT })]);
            await expectPass("namespace-default-deny", [namespace(NS, { "metadata.name": UNKNOWN_STRING })]);
        });
        it("undefined values (unresolved under mocks) do not crash any policy", async () => {
            const r = workload("CronJob", {
                "$c0.env": [{ name: "API_TOKEN", value: undefined }],
                "$c0.args": [undefined],
                "metadata.annotations": { a: undefined },
            });
            const res = await runPack([r], { all: "mandatory" });
            expect(res.violations.filter((v) => /secret/.test(v.policy))).to.deep.equal([]);
        });
    });

    describe("HPA-owned replicas on live outputs", () => {
        it("uses managedFields to tell Pulumi-set replicas from the server's", async () => {
            const live = (manager: string) =>
                workload("Deployment", {
                    "spec.replicas": 3,
                    "metadata.uid": "u-1",
                    "metadata.managedFields": [{ manager, operation: "Apply", fieldsV1: { "f:spec": { "f:replicas": {}, "f:template": {} } } }],
                });
            await expectPass("hpa-owned-deployment-no-replicas", [live("kube-controller-manager"), hpa()]);
            await expectFail("hpa-owned-deployment-no-replicas", [live("pulumi-kubernetes-a1b2c3"), hpa()], "sets spec.replicas although");
        });
    });

    describe("exemptions", () => {
        it("exempt namespaces skip resources and stack checks there", async () => {
            const r = workload("Deployment", { "metadata.namespace": "cnpg-system", "$pod.automountServiceAccountToken": true });
            expect(await notApplicable("automount-service-account-token", r, { exemptNamespaces: ["cnpg-system"] })).to.equal(
                "namespace cnpg-system is exempt",
            );
            await expectPass("namespace-default-deny", [namespace("cnpg-system")], { exemptNamespaces: ["cnpg-system"] });
        });
        it("the provider's default namespace counts as the resource's namespace", async () => {
            const r: FakeResource = {
                ...workload("Deployment", { "metadata.namespace": undefined, "$pod.hostPID": true }),
                providerProps: { namespace: "kube-system" },
            };
            expect(await notApplicable("no-host-namespaces", r)).to.equal("namespace kube-system is exempt");
        });
    });

    it("a full compliant namespace passes the whole pack at mandatory level", async () => {
        const resources = [namespace(), defaultDeny(), ...quota(), workload("Deployment", {}, "api"), workloadPolicy("api"), hpa(), pdb()];
        const res = await runPack(resources, { all: "mandatory" });
        expect(res.violations.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
        expect(policies.length).to.be.greaterThanOrEqual(30);
    });
});
