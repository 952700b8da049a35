// The restricted Pod Security Standard compared exactly as Pod Security admission compares it: exact capability
// strings, pod/container precedence, explicit bad values at either level, Windows relaxations, every container
// list, and Patch kinds judged only on the fields they set. Each case asserts the message a user would read.
import { expect } from "chai";
import { configFor, expectFail, expectPass, messages, notApplicable, policy } from "./helpers";
import { remediate } from "../../tools/policyRunner";
import { POD_KINDS, UNKNOWN_STRING, workload } from "./fixtures";

const dep = (patch: Record<string, unknown> = {}) => workload("Deployment", patch);

describe("policy pack: exact where Pod Security admission is exact", () => {
    describe("capabilities", () => {
        const cases: [string, unknown, boolean][] = [
            ["NET_BIND_SERVICE", ["NET_BIND_SERVICE"], true],
            ["lowercase net_bind_service", ["net_bind_service"], false],
            ["CAP_NET_BIND_SERVICE", ["CAP_NET_BIND_SERVICE"], false],
            ["NET_BIND_SERVICE with a space", [" NET_BIND_SERVICE"], false],
            ["CHOWN (baseline, not restricted)", ["CHOWN"], false],
        ];
        for (const [what, add, ok] of cases) {
            it(`add ${what} is ${ok ? "allowed" : "rejected"}`, async () => {
                const r = dep({ "$c0.securityContext.capabilities.add": add });
                if (ok) await expectPass("restrict-added-capabilities", r);
                else
                    await expectFail(
                        "restrict-added-capabilities",
                        r,
                        /securityContext\.capabilities\.add has ".+", not allowed \(allowed: NET_BIND_SERVICE\); remove them/,
                    );
            });
        }
        const drops: [string, unknown, boolean][] = [
            ["ALL", ["ALL"], true],
            ["ALL among others", ["NET_RAW", "ALL"], true],
            ["lowercase all", ["all"], false],
            ["CAP_ALL", ["CAP_ALL"], false],
            ["every capability by name but not ALL", ["NET_RAW", "CHOWN", "SYS_ADMIN"], false],
        ];
        for (const [what, drop, ok] of drops) {
            it(`drop ${what} is ${ok ? "enough" : "not enough"}`, async () => {
                const r = dep({ "$c0.securityContext.capabilities.drop": drop });
                if (ok) await expectPass("drop-all-capabilities", r);
                else
                    await expectFail(
                        "drop-all-capabilities",
                        r,
                        'container "app": securityContext.capabilities.drop does not contain "ALL"; add "ALL" to the drop list',
                    );
            });
        }
        it("a sidecar (restartable init container) is held to the same rule as the main container", async () => {
            const r = dep({
                "$pod.initContainers": [
                    {
                        name: "proxy",
                        image: "x:1",
                        restartPolicy: "Always",
                        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } },
                    },
                ],
            });
            await expectFail("restrict-added-capabilities", r, 'initContainer "proxy": securityContext.capabilities.add has "NET_ADMIN", not allowed');
        });
        it("Windows pods: restricted's Linux-only capability rules are relaxed, baseline's add list still applies", async () => {
            const win = (add: string[]) => dep({ "$pod.os": { name: "windows" }, "$c0.securityContext.capabilities": { add } });
            await expectPass("drop-all-capabilities", win([]));
            await expectPass("restrict-added-capabilities", win(["CHOWN"]));
            await expectFail(
                "restrict-added-capabilities",
                win(["SYS_ADMIN"]),
                'securityContext.capabilities.add has "SYS_ADMIN", not allowed (allowed: AUDIT_WRITE',
            );
            await expectPass("no-privilege-escalation", dep({ "$pod.os": { name: "windows" }, "$c0.securityContext.allowPrivilegeEscalation": undefined }));
            await expectPass("seccomp-profile", dep({ "$pod.os": { name: "windows" }, "$pod.securityContext.seccompProfile": undefined }));
        });
    });

    describe("runAsNonRoot precedence", () => {
        it("pod true covers containers that say nothing", async () =>
            expectPass("run-as-non-root", dep({ "$pod.initContainers": [{ name: "init", image: "x:1" }] })));
        it("every container true without a pod value passes", async () =>
            expectPass("run-as-non-root", dep({ "$pod.securityContext.runAsNonRoot": undefined, "$c0.securityContext.runAsNonRoot": true })));
        it("pod false is rejected although the containers say true", async () => {
            await expectFail(
                "run-as-non-root",
                dep({ "$pod.securityContext.runAsNonRoot": false, "$c0.securityContext.runAsNonRoot": true }),
                "pod securityContext.runAsNonRoot is false; set it to true (or remove it and set true on every container)",
            );
        });
        it("an ephemeral container that says false is rejected under a pod-level true", async () => {
            await expectFail(
                "run-as-non-root",
                dep({ "$pod.ephemeralContainers": [{ name: "debug", image: "busybox:1.36", securityContext: { runAsNonRoot: false } }] }),
                'ephemeralContainer "debug": securityContext.runAsNonRoot is false; set it to true',
            );
        });
        it("runAsUser 0 is rejected at pod and at container level, each named", async () => {
            const got = await messages(
                "run-as-user-not-root",
                dep({ "$pod.securityContext.runAsUser": 0, "$pod.initContainers": [{ name: "init", image: "x:1", securityContext: { runAsUser: 0 } }] }),
            );
            expect(got).to.deep.equal([
                "pod securityContext.runAsUser is 0 (root); set a non-zero UID such as 65532",
                'initContainer "init": securityContext.runAsUser is 0 (root); set a non-zero UID such as 65532',
            ]);
        });
    });

    describe("seccomp at pod and container level", () => {
        const profile = (podType: string | undefined, containerType: string | undefined) =>
            dep({
                "$pod.securityContext.seccompProfile":
                    podType === undefined ? undefined : { type: podType, ...(podType === "Localhost" ? { localhostProfile: "p.json" } : {}) },
                "$c0.securityContext.seccompProfile":
                    containerType === undefined ? undefined : { type: containerType, ...(containerType === "Localhost" ? { localhostProfile: "p.json" } : {}) },
            });
        const table: [string | undefined, string | undefined, RegExp | undefined][] = [
            ["RuntimeDefault", undefined, undefined],
            ["Localhost", undefined, undefined],
            [undefined, "RuntimeDefault", undefined],
            [undefined, "Localhost", undefined],
            ["Unconfined", "RuntimeDefault", /^pod securityContext\.seccompProfile\.type is Unconfined; use RuntimeDefault or Localhost$/],
            ["RuntimeDefault", "Unconfined", /^container "app": securityContext\.seccompProfile\.type is Unconfined; use RuntimeDefault or Localhost$/],
            [
                undefined,
                undefined,
                /^container "app": seccompProfile is not set on the container or the pod; set spec\.securityContext\.seccompProfile\.type: RuntimeDefault$/,
            ],
            ["Unconfined", undefined, /^pod securityContext\.seccompProfile\.type is Unconfined/],
        ];
        for (const [p, c, msg] of table) {
            it(`pod ${p ?? "unset"}, container ${c ?? "unset"}: ${msg ? "rejected" : "admitted"}`, async () => {
                if (msg) await expectFail("seccomp-profile", profile(p, c), msg);
                else await expectPass("seccomp-profile", profile(p, c));
            });
        }
    });

    describe("the remaining restricted controls name the field and the fix", () => {
        const rules: [string, Record<string, unknown>, string][] = [
            [
                "no-privileged-containers",
                { "$pod.initContainers": [{ name: "init", image: "x:1", securityContext: { privileged: true } }] },
                'initContainer "init": securityContext.privileged is true; remove it and add only the capability the process needs',
            ],
            [
                "no-host-ports",
                { "$c0.ports": [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }] },
                'container "app": ports[1].hostPort is 9090; remove it and publish the port through a Service',
            ],
            ["no-host-namespaces", { "$pod.hostIPC": true }, "pod spec.hostIPC is true; remove it (or set false)"],
            [
                "restricted-volume-types",
                { "$pod.volumes": [{ name: "repo", gitRepo: { repository: "https://example.com/r.git" } }] },
                'volume "repo" uses gitRepo, not allowed by the restricted profile',
            ],
            [
                "no-host-path",
                { "$pod.volumes": [{ name: "host", hostPath: { path: "/" } }] },
                'volume "host" is a hostPath; replace it with emptyDir, a PersistentVolumeClaim or a projected volume',
            ],
            [
                "no-unsafe-pod-options",
                { "$c0.securityContext.appArmorProfile": { type: "Unconfined" } },
                'container "app": securityContext.appArmorProfile.type is Unconfined; use RuntimeDefault or Localhost',
            ],
            [
                "no-unsafe-pod-options",
                { "$tpl.metadata.annotations": { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" } },
                "pod annotation container.apparmor.security.beta.kubernetes.io/app is unconfined; use runtime/default or localhost/<profile>, or remove it",
            ],
            [
                "no-unsafe-pod-options",
                { "$pod.securityContext.seLinuxOptions": { user: "system_u" } },
                "pod: securityContext.seLinuxOptions.user is set; remove it",
            ],
            [
                "no-privilege-escalation",
                { "$pod.ephemeralContainers": [{ name: "debug", image: "busybox:1.36" }] },
                'ephemeralContainer "debug": securityContext.allowPrivilegeEscalation is not set (defaults to true); set it to false',
            ],
        ];
        for (const [policy, patch, msg] of rules) it(`${policy}: ${msg.slice(0, 60)}…`, async () => expectFail(policy, dep(patch), msg));
        it("a volume source set to null is not a volume type (as the API server reads it)", async () => {
            await expectPass("restricted-volume-types", dep({ "$pod.volumes": [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" }, hostPath: null }] }));
        });
        it("the safe sysctls and container SELinux types pass", async () => {
            await expectPass(
                "no-unsafe-pod-options",
                dep({
                    "$pod.securityContext.sysctls": [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
                    "$c0.securityContext.seLinuxOptions": { type: "container_init_t", level: "s0:c1,c2" },
                }),
            );
        });
    });

    describe("probe and lifecycle hosts (baseline hostProbesAndHostLifecycle, Kubernetes 1.34)", () => {
        const HANDLERS: [string, Record<string, unknown>][] = [
            ["livenessProbe.httpGet", { livenessProbe: { httpGet: { path: "/health", port: 8080, host: "H" } } }],
            ["readinessProbe.tcpSocket", { readinessProbe: { tcpSocket: { port: 8080, host: "H" } } }],
            ["startupProbe.httpGet", { startupProbe: { httpGet: { path: "/health", port: 8080, host: "H" } } }],
            ["startupProbe.tcpSocket", { startupProbe: { tcpSocket: { port: 8080, host: "H" } } }],
            ["lifecycle.postStart.httpGet", { lifecycle: { postStart: { httpGet: { path: "/warm", port: 8080, host: "H" } } } }],
            ["lifecycle.preStop.tcpSocket", { lifecycle: { preStop: { tcpSocket: { port: 8080, host: "H" } } } }],
        ];
        const withHost = (handler: Record<string, unknown>, host: unknown) =>
            JSON.parse(JSON.stringify(handler).replace('"H"', JSON.stringify(host))) as Record<string, unknown>;
        const message = (who: string, field: string, host: string) =>
            `${who}: ${field}.host is ${JSON.stringify(host)}; remove it so the kubelet connects to the pod's IP`;
        for (const [field, handler] of HANDLERS) {
            it(`${field}.host is refused on the main container, a sidecar and an init container`, async () => {
                const h = withHost(handler, "10.0.0.7");
                const r = dep({
                    ...Object.fromEntries(Object.entries(h).map(([k, v]) => [`$c0.${k}`, v])),
                    "$pod.initContainers": [
                        { name: "init", image: "x:1", ...h },
                        { name: "proxy", image: "x:1", restartPolicy: "Always", ...h },
                    ],
                });
                const got = await messages("no-unsafe-pod-options", r);
                expect(got).to.have.length(3);
                for (const who of ['initContainer "init"', 'initContainer "proxy"', 'container "app"'])
                    expect(
                        got.some((m) => m.startsWith(message(who, field, "10.0.0.7"))),
                        `${who}: ${JSON.stringify(got)}`,
                    ).to.equal(true);
            });
        }
        it("every non-empty host is refused, localhost and loopback addresses included; empty and null are allowed", async () => {
            for (const host of ["localhost", "127.0.0.1", "::1", "8.8.8.8", "api.example.com"]) {
                await expectFail(
                    "no-unsafe-pod-options",
                    dep({ "$c0.readinessProbe.httpGet.host": host }),
                    message('container "app"', "readinessProbe.httpGet", host),
                );
            }
            await expectPass("no-unsafe-pod-options", dep({ "$c0.readinessProbe.httpGet.host": "", "$c0.livenessProbe.httpGet.host": null }));
        });
        it("ephemeral containers are visited too (as PSA visits them), and a grpc or exec probe has no host to check", async () => {
            await expectFail(
                "no-unsafe-pod-options",
                dep({
                    "$pod.ephemeralContainers": [
                        { name: "debug", image: "busybox:1.36", lifecycle: { preStop: { httpGet: { port: 8080, host: "localhost" } } } },
                    ],
                }),
                message('ephemeralContainer "debug"', "lifecycle.preStop.httpGet", "localhost"),
            );
            await expectPass(
                "no-unsafe-pod-options",
                dep({ "$c0.readinessProbe": { grpc: { port: 9090 } }, "$c0.livenessProbe": { exec: { command: ["/bin/true"] } } }),
            );
        });
        it("a host unknown during preview is left for up; a Patch that sets one is reported", async () => {
            await expectPass("no-unsafe-pod-options", dep({ "$c0.livenessProbe.httpGet.host": UNKNOWN_STRING }));
            const patch = {
                type: "kubernetes:apps/v1:DeploymentPatch",
                name: "p",
                props: {
                    metadata: { name: "api", namespace: "shop" },
                    spec: { template: { spec: { containers: [{ name: "app", livenessProbe: { tcpSocket: { port: 8080, host: "db" } } }] } } },
                },
            };
            await expectFail("no-unsafe-pod-options", patch, message('container "app"', "livenessProbe.tcpSocket", "db"));
        });
    });

    describe("found by the differential test against k8s.io/pod-security-admission v0.34.4 (psaOracle.test.ts)", () => {
        it("sysctls: net.ipv4.tcp_rmem and tcp_wmem are safe since Kubernetes 1.32; an empty name is unsafe", async () => {
            await expectPass(
                "no-unsafe-pod-options",
                dep({
                    "$pod.securityContext.sysctls": [
                        { name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" },
                        { name: "net.ipv4.tcp_wmem", value: "4096 16384 4194304" },
                    ],
                }),
            );
            await expectFail(
                "no-unsafe-pod-options",
                dep({ "$pod.securityContext.sysctls": [{ name: "", value: "1" }] }),
                'pod securityContext.sysctls has unsafe sysctl "" (no name); remove it (safe: kernel.shm_rmid_forced',
            );
        });
        it("procMount: an empty value is not Default and is refused, in every container list", async () => {
            await expectFail(
                "no-unsafe-pod-options",
                dep({ "$c0.securityContext.procMount": "" }),
                'container "app": securityContext.procMount is ""; remove it (Default)',
            );
            await expectFail(
                "no-unsafe-pod-options",
                dep({ "$pod.ephemeralContainers": [{ name: "debug", image: "busybox:1.36", securityContext: { procMount: "" } }] }),
                'ephemeralContainer "debug": securityContext.procMount is ""',
            );
            await expectPass("no-unsafe-pod-options", dep({ "$c0.securityContext.procMount": "Default" }));
        });
        it("AppArmor: a profile without a type is refused at pod and container level; an empty annotation value is allowed", async () => {
            await expectFail(
                "no-unsafe-pod-options",
                dep({ "$pod.securityContext.appArmorProfile": {} }),
                "pod: securityContext.appArmorProfile.type is not set; use RuntimeDefault or Localhost",
            );
            await expectFail(
                "no-unsafe-pod-options",
                dep({ "$pod.initContainers": [{ name: "init", image: "x:1", securityContext: { appArmorProfile: { localhostProfile: "k8s-app" } } }] }),
                'initContainer "init": securityContext.appArmorProfile.type is not set; use RuntimeDefault or Localhost',
            );
            await expectPass("no-unsafe-pod-options", dep({ "$tpl.metadata.annotations": { "container.apparmor.security.beta.kubernetes.io/app": "" } }));
            await expectPass("no-unsafe-pod-options", dep({ "$c0.securityContext.appArmorProfile": { type: "Localhost", localhostProfile: "k8s-app" } }));
            const patch = {
                type: "kubernetes:apps/v1:DeploymentPatch",
                name: "p",
                props: {
                    metadata: { name: "api", namespace: "shop" },
                    spec: { template: { spec: { containers: [{ name: "app", securityContext: { appArmorProfile: { localhostProfile: "k8s-app-v2" } } }] } } },
                },
            };
            await expectPass("no-unsafe-pod-options", patch);
        });
        it("volumes: image volumes are allowed (restricted since Kubernetes 1.31); a volume without a source is refused", async () => {
            await expectPass(
                "restricted-volume-types",
                dep({ "$pod.volumes": [{ name: "models", image: { reference: "registry.example.com/models:1.0", pullPolicy: "IfNotPresent" } }] }),
            );
            await expectFail(
                "restricted-volume-types",
                dep({ "$pod.volumes": [{ name: "nothing" }] }),
                'volume "nothing" has no volume source; give it one of the allowed types',
            );
            const patch = {
                type: "kubernetes:apps/v1:DeploymentPatch",
                name: "p",
                props: { metadata: { name: "api", namespace: "shop" }, spec: { template: { spec: { volumes: [{ name: "tmp" }] } } } },
            };
            await expectPass("restricted-volume-types", patch);
        });
    });

    describe("level: baseline (for a namespace that enforces baseline), as Pod Security admission's baseline level", () => {
        const baseline = { level: "baseline" };
        const rootish = dep({
            "$pod.securityContext": { runAsUser: 0 },
            "$c0.securityContext": { allowPrivilegeEscalation: true, readOnlyRootFilesystem: true, capabilities: {} },
            "$pod.volumes": [{ name: "share", nfs: { server: "nfs.example.com", path: "/export" } }],
        });
        it("the restricted-only controls are not applicable; at restricted (the default) they report", async () => {
            for (const name of ["run-as-non-root", "run-as-user-not-root", "no-privilege-escalation", "drop-all-capabilities", "restricted-volume-types"]) {
                expect(await notApplicable(name, rootish, baseline), name).to.match(/restricted-level control; this stack configures the baseline level/);
                expect(await messages(name, rootish), name).to.not.deep.equal([]);
            }
        });
        it("added capabilities may come from baseline's list (and allowedCapabilities), nothing else, on any OS", async () => {
            const add = (caps: string[], os?: string) => dep({ "$c0.securityContext.capabilities.add": caps, ...(os ? { "$pod.os": { name: os } } : {}) });
            await expectPass("restrict-added-capabilities", add(["CHOWN", "SETUID", "NET_BIND_SERVICE"]), baseline);
            await expectFail(
                "restrict-added-capabilities",
                add(["NET_RAW"]),
                'container "app": securityContext.capabilities.add has "NET_RAW", not allowed (allowed: AUDIT_WRITE, CHOWN',
                baseline,
            );
            await expectFail("restrict-added-capabilities", add(["SYS_ADMIN"], "windows"), 'has "SYS_ADMIN", not allowed', baseline);
            await expectPass("restrict-added-capabilities", add(["NET_ADMIN"]), { ...baseline, allowedCapabilities: ["NET_ADMIN"] });
            await expectFail("restrict-added-capabilities", add(["CHOWN"]), 'has "CHOWN", not allowed (allowed: NET_BIND_SERVICE)');
        });
        it("seccomp: no profile is fine, an explicit other profile is refused at pod or container level, Windows pods included", async () => {
            await expectPass("seccomp-profile", dep({ "$pod.securityContext.seccompProfile": undefined }), baseline);
            await expectFail(
                "seccomp-profile",
                dep({ "$c0.securityContext.seccompProfile": { type: "Unconfined" } }),
                'container "app": securityContext.seccompProfile.type is Unconfined; use RuntimeDefault or Localhost',
                baseline,
            );
            await expectFail(
                "seccomp-profile",
                dep({ "$pod.os": { name: "windows" }, "$pod.securityContext.seccompProfile": { type: "Unconfined" } }),
                "pod securityContext.seccompProfile.type is Unconfined",
                baseline,
            );
            await expectPass("seccomp-profile", dep({ "$pod.os": { name: "windows" }, "$pod.securityContext.seccompProfile": { type: "Unconfined" } }));
        });
        it("remediation adds no restricted-only setting at baseline", async () => {
            const bare = dep({ "$c0.securityContext": { readOnlyRootFilesystem: true } });
            for (const name of ["no-privilege-escalation", "drop-all-capabilities"]) {
                expect(await remediate(policy(name), bare, configFor(name, baseline)), name).to.equal(undefined);
                expect(await remediate(policy(name), bare, configFor(name)), name).to.not.equal(undefined);
            }
        });
    });

    describe("writable root filesystem and non-default user ids are reported at the configured level", () => {
        it("an explicitly writable root filesystem is named as such", async () => {
            await expectFail(
                "read-only-root-filesystem",
                dep({ "$pod.initContainers": [{ name: "setup", image: "x:1", securityContext: { readOnlyRootFilesystem: false } }] }),
                'initContainer "setup": securityContext.readOnlyRootFilesystem is false (writable root filesystem); set it to true',
            );
        });
        it("expected-user-ids is a no-op until a stack lists its ids", async () => {
            await expectPass("expected-user-ids", dep({ "$pod.securityContext.runAsUser": 1234 }));
            await expectFail(
                "expected-user-ids",
                dep({ "$pod.securityContext.runAsUser": 1234 }),
                "pod: securityContext.runAsUser is 1234, not one of the expected ids (10001)",
                { allowedUserIds: [10001] },
            );
        });
    });

    describe("Patch kinds: only the fields a patch sets are judged", () => {
        const patch = (kind: string, spec: Record<string, unknown>) => ({
            type: `kubernetes:${kind === "CronJob" || kind === "Job" ? "batch" : kind === "Pod" ? "core" : "apps"}/v1:${kind}Patch`,
            name: "p",
            props: {
                metadata: { name: "api", namespace: "shop" },
                spec: kind === "CronJob" ? { jobTemplate: { spec: { template: { spec } } } } : kind === "Pod" ? spec : { template: { spec } },
            },
        });
        for (const kind of POD_KINDS.filter((k) => k !== "ReplicaSet")) {
            it(`${kind}Patch: a patch that only changes an image is not reported for what it leaves alone`, async () => {
                const p = patch(kind, { containers: [{ name: "app", image: "ghcr.io/acme/api:1.2.4" }] });
                for (const name of [
                    "run-as-non-root",
                    "no-privilege-escalation",
                    "drop-all-capabilities",
                    "seccomp-profile",
                    "read-only-root-filesystem",
                    "automount-service-account-token",
                ])
                    await expectPass(name, p);
            });
            it(`${kind}Patch: a patch that sets privileged or a literal password is reported`, async () => {
                const p = patch(kind, {
                    containers: [
                        {
                            name: "app",
                            securityContext: { privileged: true, capabilities: { drop: ["NET_RAW"] } },
                            env: [{ name: "DB_PASS", value: "hunter2" }],
                        },
                    ],
                });
                await expectFail("no-privileged-containers", p, 'container "app": securityContext.privileged is true');
                await expectFail("drop-all-capabilities", p, 'container "app": securityContext.capabilities.drop does not contain "ALL"');
                await expectFail("no-secret-env-literals", p, 'container "app": env DB_PASS (env[0]) has a literal value');
            });
        }
        it("ConfigMapPatch data is checked; labels a patch does not set are not required", async () => {
            const cmPatch = {
                type: "kubernetes:core/v1:ConfigMapPatch",
                name: "c",
                props: { metadata: { name: "c", namespace: "shop" }, data: { "app.env": "LOG_LEVEL=info\nAPI_TOKEN=t0k3n-value\n" } },
            };
            await expectFail("no-secrets-in-configmaps", cmPatch, 'data["app.env"] assigns literal secrets to API_TOKEN; move the value into a Secret');
            await expectPass("required-labels", cmPatch);
        });
        it("ServiceAccountPatch is judged only when it sets automountServiceAccountToken", async () => {
            const sa = (extra: Record<string, unknown>) => ({
                type: "kubernetes:core/v1:ServiceAccountPatch",
                name: "sa",
                props: { metadata: { name: "api", namespace: "shop" }, ...extra },
            });
            await expectPass("automount-service-account-token", sa({}));
            await expectFail(
                "automount-service-account-token",
                sa({ automountServiceAccountToken: true }),
                "ServiceAccount automountServiceAccountToken is true; set it to false",
            );
        });
    });
});
