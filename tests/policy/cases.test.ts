// One passing and at least one failing fixture per policy, with the violation message asserted.
// A final test proves the table covers every policy in the pack.
import { expect } from "chai";
import { policies } from "../../policy/pack";
import type { FakeResource } from "../../tools/policyRunner";
import { expectFail, expectPass, messages } from "./helpers";
import { NS, Patch, defaultDeny, hpa, namespace, object, pdb, quota, workload, workloadPolicy } from "./fixtures";

interface FailCase {
    what: string;
    subject: () => FakeResource | FakeResource[];
    message: RegExp | string;
    config?: Record<string, unknown>;
}

interface Case {
    pass: (() => FakeResource | FakeResource[])[];
    fail: FailCase[];
    config?: Record<string, unknown>;
}

const dep = (patch: Patch = {}) => workload("Deployment", patch);
const svc = (patch: Patch = {}) =>
    object("kubernetes:core/v1:Service", "api", { spec: { selector: { app: "api" }, ports: [{ port: 80, targetPort: 8080 }] } }, patch);
const cm = (data: Record<string, string>) => object("kubernetes:core/v1:ConfigMap", "api-config", { data });
const chart = (values: Record<string, unknown>) => ({
    type: "kubernetes:helm.sh/v4:Chart",
    name: "valkey",
    props: { chart: "valkey", version: "0.9.0", namespace: NS, values },
});
const ingress = (spec: Record<string, unknown>) => object("kubernetes:networking.k8s.io/v1:Ingress", "edge", { spec });
const route = (parentRefs: unknown[]) =>
    object("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "edge", { spec: { parentRefs, hostnames: ["shop.example.com"], rules: [] } });
/** A projected API token volume (token + CA + namespace), as the platform mounts for a service with RBAC rules. */
const tokenVolume = (expirationSeconds: number | undefined) => ({
    name: "kube-api-access",
    projected: {
        sources: [
            { serviceAccountToken: { path: "token", ...(expirationSeconds === undefined ? {} : { expirationSeconds }) } },
            { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        ],
    },
});
const replicated = (patch: Patch = {}) => dep({ "spec.replicas": 3, ...patch });

export const CASES: Record<string, Case> = {
    "required-labels": {
        pass: [() => dep(), () => namespace(), () => object("kubernetes:core/v1:Secret", "db", { type: "Opaque" })],
        fail: [
            { what: "missing team", subject: () => dep({ "metadata.labels.team": undefined }), message: "missing required labels: team" },
            {
                what: "no labels on a ConfigMap",
                subject: () => object("kubernetes:core/v1:ConfigMap", "c", {}, { "metadata.labels": undefined }),
                message: /missing required labels: app\.kubernetes\.io\/name, .*cost-center/,
            },
            { what: "empty value", subject: () => namespace(NS, { "metadata.labels.environment": "" }), message: "environment" },
        ],
    },
    "pod-template-labels": {
        pass: [() => dep(), () => workload("CronJob")],
        fail: [
            {
                what: "template without cost-center",
                subject: () => dep({ "$tpl.metadata.labels.cost-center": undefined }),
                message: "pod template (spec.template) is missing required labels: cost-center",
            },
            {
                what: "cronjob template",
                subject: () => workload("CronJob", { "$tpl.metadata.labels": { app: "x" } }),
                message: /spec\.jobTemplate\.spec\.template\) is missing required labels/,
            },
        ],
    },
    "label-values-valid": {
        pass: [() => dep()],
        fail: [
            {
                what: "value with a space",
                subject: () => dep({ "metadata.labels.team": "platform team" }),
                message: 'label team="platform team" has an invalid value',
            },
            { what: "bad key", subject: () => dep({ "$tpl.metadata.labels.-bad": "x" }), message: "pod template: label key -bad is invalid" },
        ],
    },
    "recommended-annotations": {
        pass: [() => dep(), () => namespace()],
        fail: [{ what: "no owner", subject: () => dep({ "metadata.annotations.owner": undefined }), message: "missing recommended annotations: owner" }],
    },
    "run-as-non-root": {
        pass: [() => dep(), () => dep({ "$pod.securityContext.runAsNonRoot": undefined, "$c0.securityContext.runAsNonRoot": true })],
        fail: [
            {
                what: "unset everywhere",
                subject: () => dep({ "$pod.securityContext.runAsNonRoot": undefined }),
                message: 'container "app": runAsNonRoot is not set',
            },
            {
                what: "container overrides pod",
                subject: () => dep({ "$c0.securityContext.runAsNonRoot": false }),
                message: 'container "app": securityContext.runAsNonRoot is false; set it to true',
            },
            {
                what: "init container",
                subject: () =>
                    dep({
                        "$pod.securityContext.runAsNonRoot": undefined,
                        "$c0.securityContext.runAsNonRoot": true,
                        "$pod.initContainers": [{ name: "migrate", image: "x:1" }],
                    }),
                message: 'initContainer "migrate": runAsNonRoot is not set on the container or the pod; set securityContext.runAsNonRoot: true on the pod',
            },
        ],
    },
    "run-as-user-not-root": {
        pass: [() => dep(), () => dep({ "$pod.securityContext.runAsUser": undefined })],
        fail: [
            {
                what: "pod uid 0 with runAsNonRoot",
                subject: () => dep({ "$pod.securityContext.runAsUser": 0 }),
                message: "pod securityContext.runAsUser is 0 (root); set a non-zero UID such as 65532",
            },
            {
                what: "container uid 0",
                subject: () => dep({ "$c0.securityContext.runAsUser": 0 }),
                message: 'container "app": securityContext.runAsUser is 0 (root); set a non-zero UID such as 65532',
            },
        ],
    },
    "expected-user-ids": {
        pass: [() => dep(), () => dep({ "$pod.securityContext.runAsUser": 999, "$pod.securityContext.runAsGroup": 999 })],
        config: { allowedUserIds: [10001, 999], allowedGroupIds: [10001, 999] },
        fail: [
            {
                what: "image UID not in the stack's list",
                subject: () => dep({ "$c0.securityContext.runAsUser": 1000 }),
                message: 'container "app": securityContext.runAsUser is 1000, not one of the expected ids (10001, 999); use an expected id or add it',
            },
            {
                what: "fsGroup",
                subject: () => dep({ "$pod.securityContext.fsGroup": 2000 }),
                message: "pod: securityContext.fsGroup is 2000, not one of the expected ids",
            },
        ],
    },
    "no-privilege-escalation": {
        pass: [() => dep()],
        fail: [
            {
                what: "unset",
                subject: () => dep({ "$c0.securityContext.allowPrivilegeEscalation": undefined }),
                message: 'container "app": securityContext.allowPrivilegeEscalation is not set (defaults to true); set it to false',
            },
            {
                what: "ephemeral container",
                subject: () =>
                    dep({ "$pod.ephemeralContainers": [{ name: "debug", image: "busybox:1.36", securityContext: { allowPrivilegeEscalation: true } }] }),
                message: 'ephemeralContainer "debug": securityContext.allowPrivilegeEscalation is true; set it to false',
            },
        ],
    },
    "no-privileged-containers": {
        pass: [() => dep(), () => dep({ "$c0.securityContext.privileged": false })],
        fail: [
            {
                what: "privileged",
                subject: () => dep({ "$c0.securityContext.privileged": true }),
                message: 'container "app": securityContext.privileged is true; remove it',
            },
        ],
    },
    "drop-all-capabilities": {
        pass: [() => dep(), () => dep({ "$c0.securityContext.capabilities": { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } })],
        fail: [
            {
                what: "drops only NET_RAW",
                subject: () => dep({ "$c0.securityContext.capabilities.drop": ["NET_RAW"] }),
                message: 'container "app": securityContext.capabilities.drop does not contain "ALL"; add "ALL" to the drop list',
            },
            {
                what: "no securityContext on init container",
                subject: () => dep({ "$pod.initContainers": [{ name: "init", image: "x:1" }] }),
                message: 'initContainer "init": securityContext.capabilities.drop does not contain "ALL"',
            },
        ],
    },
    "restrict-added-capabilities": {
        pass: [() => dep({ "$c0.securityContext.capabilities.add": ["NET_BIND_SERVICE"] })],
        config: {},
        fail: [
            {
                what: "SYS_ADMIN",
                subject: () => dep({ "$c0.securityContext.capabilities.add": ["SYS_ADMIN", "NET_BIND_SERVICE"] }),
                message: 'container "app": securityContext.capabilities.add has "SYS_ADMIN", not allowed (allowed: NET_BIND_SERVICE); remove them',
            },
            {
                what: "CAP_ prefix is not NET_BIND_SERVICE (compared exactly, as PSA does)",
                subject: () => dep({ "$c0.securityContext.capabilities.add": ["CAP_NET_BIND_SERVICE"] }),
                message: 'securityContext.capabilities.add has "CAP_NET_BIND_SERVICE", not allowed',
            },
        ],
    },
    "read-only-root-filesystem": {
        pass: [() => dep()],
        fail: [
            {
                what: "writable root",
                subject: () => dep({ "$c0.securityContext.readOnlyRootFilesystem": false }),
                message: 'container "app": securityContext.readOnlyRootFilesystem is false (writable root filesystem); set it to true',
            },
        ],
    },
    "seccomp-profile": {
        pass: [
            () => dep(),
            () =>
                dep({
                    "$pod.securityContext.seccompProfile": undefined,
                    "$c0.securityContext.seccompProfile": { type: "Localhost", localhostProfile: "p.json" },
                }),
        ],
        fail: [
            {
                what: "no profile",
                subject: () => dep({ "$pod.securityContext.seccompProfile": undefined }),
                message: 'container "app": seccompProfile is not set on the container or the pod; set spec.securityContext.seccompProfile.type: RuntimeDefault',
            },
            {
                what: "container Unconfined overrides pod",
                subject: () => dep({ "$c0.securityContext.seccompProfile": { type: "Unconfined" } }),
                message: 'container "app": securityContext.seccompProfile.type is Unconfined; use RuntimeDefault or Localhost',
            },
            {
                what: "pod Unconfined",
                subject: () => dep({ "$pod.securityContext.seccompProfile": { type: "Unconfined" } }),
                message: "pod securityContext.seccompProfile.type is Unconfined",
            },
        ],
    },
    "no-host-namespaces": {
        pass: [() => dep(), () => dep({ "$pod.hostNetwork": false })],
        fail: [
            { what: "hostNetwork", subject: () => dep({ "$pod.hostNetwork": true }), message: "pod spec.hostNetwork is true; remove it" },
            { what: "hostPID", subject: () => dep({ "$pod.hostPID": true }), message: "pod spec.hostPID is true" },
        ],
    },
    "no-host-path": {
        pass: [() => dep()],
        fail: [
            {
                what: "docker socket",
                subject: () => dep({ "$pod.volumes": [{ name: "sock", hostPath: { path: "/var/run/docker.sock" } }] }),
                message: 'volume "sock" is a hostPath; replace it with emptyDir',
            },
        ],
    },
    "no-host-ports": {
        pass: [() => dep()],
        fail: [{ what: "hostPort", subject: () => dep({ "$c0.ports.0.hostPort": 8080 }), message: 'container "app": ports[0].hostPort is 8080; remove it' }],
    },
    "restricted-volume-types": {
        pass: [
            () => dep(),
            () =>
                dep({
                    "$pod.volumes": [
                        { name: "data", persistentVolumeClaim: { claimName: "d" } },
                        { name: "p", projected: { sources: [] } },
                    ],
                }),
        ],
        fail: [
            {
                what: "nfs",
                subject: () => dep({ "$pod.volumes": [{ name: "share", nfs: { server: "nfs", path: "/x" } }] }),
                message: 'volume "share" uses nfs, not allowed by the restricted profile',
            },
        ],
    },
    "no-unsafe-pod-options": {
        pass: [
            () => dep(),
            () => dep({ "$pod.securityContext.sysctls": [{ name: "net.ipv4.tcp_syncookies", value: "1" }] }),
            // An empty host is what Pod Security admission allows (the kubelet uses the pod IP).
            () => dep({ "$c0.livenessProbe.httpGet.host": "", "$c0.lifecycle": { preStop: { httpGet: { path: "/drain", port: 8080, host: "" } } } }),
        ],
        fail: [
            {
                what: "probe host (baseline since 1.34)",
                subject: () => dep({ "$c0.livenessProbe.httpGet.host": "127.0.0.1" }),
                message:
                    'container "app": livenessProbe.httpGet.host is "127.0.0.1"; remove it so the kubelet connects to the pod\'s IP (listen there, or use an exec probe for a localhost-only check): Pod Security baseline refuses any probe or lifecycle host since Kubernetes 1.34, localhost included',
            },
            {
                what: "unsafe sysctl",
                subject: () => dep({ "$pod.securityContext.sysctls": [{ name: "kernel.msgmax", value: "1" }] }),
                message: "pod securityContext.sysctls has unsafe sysctl kernel.msgmax; remove it",
            },
            {
                what: "unmasked proc",
                subject: () => dep({ "$c0.securityContext.procMount": "Unmasked" }),
                message: 'container "app": securityContext.procMount is Unmasked',
            },
            {
                what: "apparmor unconfined",
                subject: () => dep({ "$pod.securityContext.appArmorProfile": { type: "Unconfined" } }),
                message: "pod: securityContext.appArmorProfile.type is Unconfined; use RuntimeDefault or Localhost",
            },
            {
                what: "selinux type",
                subject: () => dep({ "$c0.securityContext.seLinuxOptions": { type: "spc_t" } }),
                message: "seLinuxOptions.type spc_t is not a container type",
            },
        ],
    },
    "automount-service-account-token": {
        pass: [
            () => dep(),
            () => object("kubernetes:core/v1:ServiceAccount", "api", { automountServiceAccountToken: false }),
            () => dep({ "$pod.automountServiceAccountToken": undefined, "$pod.serviceAccountName": "api" }),
            // The platform's shape for a service with RBAC rules: no automount, its own ServiceAccount, a short projected token.
            () => dep({ "$pod.serviceAccountName": "api", "$pod.volumes": [tokenVolume(3600)] }),
            () => dep({ "$pod.serviceAccountName": "api", "$pod.volumes": [tokenVolume(undefined)] }),
        ],
        fail: [
            {
                what: "SA default",
                subject: () => object("kubernetes:core/v1:ServiceAccount", "api", {}),
                message: "ServiceAccount automountServiceAccountToken is not set (defaults to true); set it to false",
            },
            {
                what: "default SA",
                subject: () => dep({ "$pod.automountServiceAccountToken": undefined, "$pod.serviceAccountName": undefined }),
                message: "pod uses the default ServiceAccount without automountServiceAccountToken: false",
            },
            {
                what: "explicit true",
                subject: () => dep({ "$pod.automountServiceAccountToken": true }),
                message: "pod spec.automountServiceAccountToken is true; set it to false",
            },
            {
                what: "long-lived projected token",
                subject: () => dep({ "$pod.serviceAccountName": "api", "$pod.volumes": [tokenVolume(86400)] }),
                message: 'volume "kube-api-access" requests a token valid for 86400 s; set serviceAccountToken.expirationSeconds to at most 3600',
            },
            {
                what: "projected token of the default SA",
                subject: () => dep({ "$pod.serviceAccountName": "default", "$pod.volumes": [tokenVolume(600)] }),
                message: 'volume "kube-api-access" projects a token of the default ServiceAccount; give the workload its own ServiceAccount',
            },
            {
                what: "token longer than the stack allows",
                subject: () => dep({ "$pod.serviceAccountName": "api", "$pod.volumes": [tokenVolume(1800)] }),
                config: { maxTokenExpirationSeconds: 900 },
                message: "set serviceAccountToken.expirationSeconds to at most 900",
            },
        ],
    },
    "no-secret-env-literals": {
        pass: [
            () => dep(),
            () =>
                dep({
                    "$c0.env": [
                        { name: "PASSWORD_MIN_LENGTH", value: "12" },
                        { name: "API_KEY_HEADER", value: "X-Api-Key" },
                        { name: "DB_PASSWORD", value: "$(PG_PASSWORD)" },
                    ],
                }),
        ],
        fail: [
            {
                what: "DB_PASSWORD literal",
                subject: () => dep({ "$c0.env": [{ name: "DB_PASSWORD", value: "hunter2" }] }),
                message: 'container "app": env DB_PASSWORD (env[0]) has a literal value; move the value into a Secret and use env[].valueFrom.secretKeyRef',
            },
            {
                what: "camelCase apiKey",
                subject: () => dep({ "$c0.env": [{ name: "stripeApiKey", value: "abc" }] }),
                message: "env stripeApiKey (env[0]) has a literal value",
            },
            {
                what: "init container token",
                subject: () => dep({ "$pod.initContainers": [{ name: "init", image: "x:1", env: [{ name: "GITHUB_TOKEN", value: "t0ken" }] }] }),
                message: 'initContainer "init": env GITHUB_TOKEN (env[0]) has a literal value',
            },
        ],
    },
    "no-secret-env-values": {
        pass: [
            () => dep(),
            () =>
                dep({
                    "$c0.env": [
                        { name: "BUILD_SHA", value: "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b" },
                        { name: "REQUEST_ID", value: "550e8400-e29b-41d4-a716-446655440000" },
                        { name: "DATABASE_URL", value: "postgres://app@db:5432/app" },
                    ],
                }),
        ],
        fail: [
            {
                what: "url with password",
                subject: () => dep({ "$c0.env": [{ name: "DATABASE_URL", value: "postgres://app:s3cr3t@db:5432/app" }] }),
                message: "env DATABASE_URL (env[0]) value contains credentials in a URL (scheme://user:password@host); move the value into a Secret",
            },
            {
                what: "pem",
                subject: () => dep({ "$c0.env": [{ name: "TLS_KEY", value: "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----" }] }),
                message: "env TLS_KEY (env[0]) value contains a PEM private key block",
            },
            {
                what: "jwt",
                subject: () =>
                    dep({
                        "$c0.env": [{ name: "AUTH", value: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" }],
                    }),
                message: "env AUTH (env[0]) value contains a JWT",
            },
            {
                what: "entropy",
                subject: () => dep({ "$c0.env": [{ name: "UPSTREAM_KEY_MATERIAL", value: "q8Vn3LzT0pXw7RkY2bHs9MdJ4fCe6Ga1" }] }),
                message: /env UPSTREAM_KEY_MATERIAL \(env\[0\]\) value contains a high-entropy string \(\d\.\d\d bits\/char over 32 chars, threshold 4\)/,
            },
        ],
    },
    "no-secrets-in-args": {
        pass: [() => dep({ "$c0.args": ["--password-file=/var/run/secrets/db/password", "--token", "$(API_TOKEN)", "--log-level=debug"] })],
        fail: [
            {
                what: "--password=",
                subject: () => dep({ "$c0.args": ["--db-password=hunter2"] }),
                message:
                    'container "app": args[0] flag --db-password has a literal value; read it from a mounted Secret file or a secret-backed env var ($(VAR))',
            },
            {
                what: "--token value",
                subject: () => dep({ "$c0.command": ["app", "--token", "abc123"] }),
                message: 'container "app": command[2] value of flag --token is a literal',
            },
            {
                what: "shell script",
                subject: () => dep({ "$c0.command": ["sh", "-c", "export PGPASSWORD=hunter2 && psql -h db"] }),
                message: 'container "app": command[2] assigns a literal to PGPASSWORD',
            },
            {
                what: "url credentials",
                subject: () => workload("Job", { "$c0.args": ["migrate", "--url", "postgres://app:pw@db/app"] }),
                message: "args[2] contains credentials in a URL",
            },
        ],
    },
    "no-secrets-in-probes": {
        pass: [
            () => dep(),
            () =>
                dep({
                    "$c0.readinessProbe.httpGet.httpHeaders": [
                        { name: "X-Probe", value: "readiness" },
                        { name: "Accept", value: "application/json" },
                    ],
                }),
        ],
        fail: [
            {
                what: "bearer token header",
                subject: () => dep({ "$c0.readinessProbe.httpGet.httpHeaders": [{ name: "Authorization", value: "Bearer 9f8e7d6c5b4a3f2e1d0c" }] }),
                message:
                    'container "app": readinessProbe.httpGet.httpHeaders[0] (Authorization) contains a literal Authorization credential (Bearer/Basic/Token); serve health without credentials',
            },
            {
                what: "api key header on a sidecar",
                subject: () =>
                    dep({
                        "$pod.initContainers": [
                            {
                                name: "proxy",
                                image: "x:1",
                                restartPolicy: "Always",
                                livenessProbe: { httpGet: { port: 9000, httpHeaders: [{ name: "X-Api-Key", value: "k3y-v4lue" }] } },
                            },
                        ],
                    }),
                message: 'initContainer "proxy": livenessProbe.httpGet.httpHeaders[0] (X-Api-Key) is a credential header with a literal value',
            },
            {
                what: "exec probe with a password flag",
                subject: () => dep({ "$c0.livenessProbe": { exec: { command: ["redis-cli", "--pass", "hunter2", "ping"] } } }),
                message: 'container "app": livenessProbe.exec.command[2] value of flag --pass is a literal',
            },
        ],
    },
    "no-secrets-in-configmaps": {
        pass: [
            () =>
                cm({
                    LOG_LEVEL: "info",
                    "app.properties": "db.password=${DB_PASSWORD}\ndb.user=app\n",
                    "ca.crt": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
                }),
        ],
        fail: [
            {
                what: "secret key",
                subject: () => cm({ DB_PASSWORD: "hunter2" }),
                message: 'data["DB_PASSWORD"] is a secret-named key with a literal value; move the value into a Secret and mount it',
            },
            {
                what: "properties file",
                subject: () => cm({ "app.properties": "db.user=app\ndb.password=hunter2\n" }),
                message: 'data["app.properties"] assigns literal secrets to db.password',
            },
            {
                what: "yaml file with url creds",
                subject: () => cm({ "config.yaml": "redis:\n  url: redis://default:pw123@valkey:6379\n" }),
                message: 'data["config.yaml"] contains credentials in a URL',
            },
        ],
    },
    "no-secrets-in-annotations": {
        pass: [
            () =>
                dep({
                    "$tpl.metadata.annotations": {
                        "checksum/config": "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b",
                        "dapr.io/app-id": "api",
                    },
                }),
        ],
        fail: [
            {
                what: "token annotation",
                subject: () => dep({ "metadata.annotations.slack-token": "xoxb-1234567890-abcdefghij" }),
                message: "metadata annotation slack-token is secret-named and has a literal value",
            },
            {
                what: "pod template jwt",
                subject: () => dep({ "$tpl.metadata.annotations": { "example.com/auth": "Bearer abcdefghijklmnopqrstuvwxyz012345" } }),
                message:
                    "pod template annotation example.com/auth contains a literal Authorization credential (Bearer/Basic/Token); remove it and keep the value in a Secret",
            },
        ],
    },
    "no-inline-chart-secrets": {
        pass: [
            () =>
                chart({
                    auth: { enabled: true, existingSecret: "valkey-auth", existingSecretPasswordKey: "password", usePasswordFiles: true },
                    image: { tag: "8.0.2" },
                }),
        ],
        fail: [
            {
                what: "auth.password",
                subject: () => chart({ auth: { enabled: true, password: "hunter2" } }),
                message: "values.auth.password is an inline secret; reference an existing Secret instead",
            },
            {
                what: "env list",
                subject: () => chart({ extraEnv: [{ name: "ADMIN_TOKEN", value: "abc" }] }),
                message: "values.extraEnv[0] sets env ADMIN_TOKEN to a literal",
            },
            {
                what: "connection string",
                subject: () => chart({ externalDatabase: { url: "postgres://u:p4ss@db/x" } }),
                message: "values.externalDatabase.url contains credentials in a URL",
            },
        ],
    },
    "helm-release-not-analyzed": {
        pass: [() => [dep(), chart({})]],
        fail: [
            {
                what: "a v3 Release",
                subject: () => [dep(), { type: "kubernetes:helm.sh/v3:Release", name: "kafka", props: { chart: "strimzi", namespace: NS, values: {} } }],
                message:
                    "1 helm.v3.Release resource(s) (kafka) are rendered inside the provider: the pack cannot check the objects they create; use helm.v4.Chart",
            },
        ],
    },
    "bounded-ephemeral-storage": {
        pass: [() => dep(), () => workload("CronJob")],
        fail: [
            {
                what: "no ephemeral-storage limit",
                subject: () => dep({ "$c0.resources.limits.ephemeral-storage": undefined }),
                message: 'container "app": missing resources.limits["ephemeral-storage"]; set ephemeral-storage requests and limits',
            },
            {
                what: "init container without any",
                subject: () => dep({ "$pod.initContainers": [{ name: "migrate", image: "x:1", resources: { requests: { cpu: "1" } } }] }),
                message: 'initContainer "migrate": missing resources.requests["ephemeral-storage"], resources.limits["ephemeral-storage"]',
            },
            {
                what: "emptyDir without sizeLimit",
                subject: () => dep({ "$pod.volumes.0": { name: "tmp", emptyDir: {} } }),
                message: 'volume "tmp" is an emptyDir without sizeLimit; set emptyDir.sizeLimit',
            },
        ],
    },
    "container-resources": {
        pass: [() => dep(), () => dep({ "$c0.resources.limits.cpu": undefined })],
        config: { requireCpuLimit: false },
        fail: [
            { what: "no memory limit", subject: () => dep({ "$c0.resources.limits": undefined }), message: 'container "app": missing limits.memory' },
            {
                what: "no requests on init",
                subject: () => dep({ "$pod.initContainers": [{ name: "init", image: "x:1" }] }),
                message: 'initContainer "init": missing requests.cpu, requests.memory, limits.memory',
            },
            {
                what: "request above limit",
                subject: () => dep({ "$c0.resources.requests.memory": "1Gi" }),
                message: 'container "app": requests.memory is above limits.memory',
            },
            {
                what: "cpu limit required by default",
                subject: () => dep({ "$c0.resources.limits.cpu": undefined }),
                message: "missing limits.cpu",
                config: { requireCpuLimit: true },
            },
        ],
    },
    "readiness-probe": {
        pass: [() => dep(), () => workload("Job", { "$c0.readinessProbe": undefined })],
        fail: [
            { what: "missing", subject: () => dep({ "$c0.readinessProbe": undefined }), message: 'container "app": no readinessProbe' },
            {
                what: "sidecar init container",
                subject: () =>
                    dep({ "$pod.initContainers": [{ name: "proxy", image: "x:1", restartPolicy: "Always", livenessProbe: { tcpSocket: { port: 1 } } }] }),
                message: 'initContainer "proxy": no readinessProbe',
            },
            {
                what: "no handler",
                subject: () => workload("StatefulSet", { "$c0.readinessProbe": { periodSeconds: 5 } }),
                message: "readinessProbe has no handler",
            },
        ],
    },
    "liveness-probe": {
        pass: [() => dep(), () => workload("CronJob", { "$c0.livenessProbe": undefined })],
        fail: [{ what: "missing", subject: () => workload("DaemonSet", { "$c0.livenessProbe": undefined }), message: 'container "app": no livenessProbe' }],
    },
    "image-tag-not-latest": {
        pass: [() => dep(), () => dep({ "$c0.image": "ghcr.io/stefanprodan/podinfo:6.9.2" }), () => dep({ "$c0.image": "localhost:5000/api:1.0" })],
        fail: [
            { what: "latest", subject: () => dep({ "$c0.image": "nginx:latest" }), message: 'container "app": image nginx:latest uses the latest tag' },
            {
                what: "untagged with registry port",
                subject: () => dep({ "$c0.image": "localhost:5000/api" }),
                message: "image localhost:5000/api has no tag (resolves to latest)",
            },
        ],
    },
    "image-digest-pinned": {
        pass: [() => dep()],
        fail: [
            {
                what: "tag only",
                subject: () => dep({ "$c0.image": "ghcr.io/stefanprodan/podinfo:6.9.2" }),
                message: 'container "app": image ghcr.io/stefanprodan/podinfo:6.9.2 is not pinned by digest',
            },
        ],
    },
    "allowed-image-registries": {
        pass: [() => dep(), () => dep({ "$c0.image": "docker.io/library/nginx:1.27" })],
        config: { allowedRegistries: ["ghcr.io/acme/", "docker.io/library"] },
        fail: [
            {
                what: "other registry",
                subject: () => dep({ "$c0.image": "quay.io/evil/miner:1" }),
                message: "image quay.io/evil/miner:1 (quay.io/evil/miner) is not from an allowed registry",
            },
        ],
    },
    "service-type": {
        pass: [() => svc(), () => svc({ "spec.type": "ClusterIP" })],
        fail: [
            {
                what: "LoadBalancer",
                subject: () => svc({ "spec.type": "LoadBalancer" }),
                message: "Service type LoadBalancer is not allowed (allowed: ClusterIP)",
            },
            { what: "NodePort", subject: () => svc({ "spec.type": "NodePort" }), message: "Service type NodePort is not allowed" },
        ],
    },
    "no-service-external-ips": {
        pass: [() => svc()],
        fail: [{ what: "externalIPs", subject: () => svc({ "spec.externalIPs": ["10.0.0.1"] }), message: "Service sets externalIPs: 10.0.0.1" }],
    },
    "ingress-tls": {
        pass: [
            () => ingress({ ingressClassName: "nginx", tls: [{ hosts: ["shop.example.com"], secretName: "shop-tls" }], rules: [{ host: "shop.example.com" }] }),
            () => ingress({ tls: [{ hosts: ["*.example.com"], secretName: "wild" }], rules: [{ host: "api.example.com" }] }),
        ],
        fail: [
            {
                what: "no tls",
                subject: () => ingress({ rules: [{ host: "shop.example.com" }] }),
                message: "Ingress has no spec.tls: traffic is served over plain HTTP",
            },
            {
                what: "uncovered host",
                subject: () => ingress({ tls: [{ hosts: ["a.example.com"], secretName: "a" }], rules: [{ host: "b.example.com" }] }),
                message: "host b.example.com is not covered by spec.tls",
            },
            {
                what: "wildcard is one level",
                subject: () => ingress({ tls: [{ hosts: ["*.example.com"], secretName: "w" }], rules: [{ host: "a.b.example.com" }] }),
                message: "host a.b.example.com is not covered",
            },
        ],
    },
    "httproute-tls": {
        pass: [
            () => route([{ name: "edge", sectionName: "https" }]),
            () => route([{ name: "edge", port: 443 }]),
            () => route([{ kind: "Service", name: "mesh" }]),
        ],
        fail: [
            {
                what: "unpinned",
                subject: () => route([{ name: "edge", namespace: "gateway" }]),
                message: "parentRef Gateway edge does not pin an HTTPS listener (set sectionName or port)",
            },
            {
                what: "http listener",
                subject: () => route([{ name: "edge", sectionName: "http" }]),
                message: "parentRef Gateway edge listener http is not an HTTPS listener",
            },
            { what: "no parents", subject: () => route([]), message: "HTTPRoute has no parentRefs" },
        ],
    },
    "namespace-pod-security-admission": {
        pass: [() => namespace()],
        fail: [
            {
                what: "no label",
                subject: () => namespace(NS, { "metadata.labels[pod-security.kubernetes.io/enforce]": undefined }),
                message: "pod-security.kubernetes.io/enforce is not set (need restricted)",
            },
            {
                what: "baseline",
                subject: () => namespace(NS, { "metadata.labels": { "pod-security.kubernetes.io/enforce": "baseline" } }),
                message: "pod-security.kubernetes.io/enforce is baseline (need restricted)",
            },
        ],
    },
    "no-default-namespace": {
        pass: [() => dep(), () => ({ ...dep({ "metadata.namespace": undefined }), providerProps: { namespace: "shop" } })],
        fail: [
            { what: "explicit default", subject: () => dep({ "metadata.namespace": "default" }), message: "resource is in the default namespace" },
            { what: "unset", subject: () => svc({ "metadata.namespace": undefined }), message: "resource is in the default namespace" },
        ],
    },
    "pdb-allows-disruption": {
        pass: [() => pdb(), () => pdb("api", { "spec.maxUnavailable": undefined, "spec.minAvailable": "50%" })],
        fail: [
            { what: "maxUnavailable 0", subject: () => pdb("api", { "spec.maxUnavailable": 0 }), message: "maxUnavailable is 0: no pod may ever be evicted" },
            {
                what: "minAvailable 100%",
                subject: () => pdb("api", { "spec.maxUnavailable": undefined, "spec.minAvailable": "100%" }),
                message: "minAvailable is 100%: no pod may ever be evicted",
            },
        ],
    },
    "hpa-min-replicas": {
        pass: [() => hpa(), () => hpa("api", { "spec.minReplicas": 2 })],
        fail: [
            { what: "min 1", subject: () => hpa("api", { "spec.minReplicas": 1 }), message: "minReplicas is 1; at least 2 required" },
            { what: "default", subject: () => hpa("api", { "spec.minReplicas": undefined }), message: "minReplicas is 1 (default); at least 2 required" },
            {
                what: "production threshold",
                subject: () => hpa("api", { "spec.minReplicas": 2 }),
                message: "minReplicas is 2; at least 3 required",
                config: { minReplicas: 3 },
            },
        ],
    },
    "pdb-for-replicated-workloads": {
        pass: [() => [replicated(), pdb()], () => [dep()], () => [dep(), hpa("api", { "spec.minReplicas": 1 })]],
        fail: [
            {
                what: "3 replicas, no pdb",
                subject: () => [replicated()],
                message: "Deployment api (namespace shop) runs at least 3 replicas but no PodDisruptionBudget selects its pods",
            },
            {
                what: "hpa min 3, pdb selects other app",
                subject: () => [dep(), hpa(), pdb("web")],
                message: "runs at least 3 replicas but no PodDisruptionBudget",
            },
            {
                what: "pdb in another namespace",
                subject: () => [replicated(), pdb("api", { "metadata.namespace": "other" })],
                message: "no PodDisruptionBudget selects its pods",
            },
        ],
    },
    "pdb-min-available-below-replicas": {
        pass: [() => [replicated(), pdb("api", { "spec.maxUnavailable": undefined, "spec.minAvailable": 2 })]],
        fail: [
            {
                what: "minAvailable == replicas",
                subject: () => [replicated(), pdb("api", { "spec.maxUnavailable": undefined, "spec.minAvailable": 3 })],
                message: "PodDisruptionBudget api-pdb (namespace shop) requires minAvailable 3 but Deployment api (namespace shop) runs 3 replica(s)",
            },
            {
                what: "minAvailable 1 on single replica",
                subject: () => [dep(), pdb("api", { "spec.maxUnavailable": undefined, "spec.minAvailable": 1 })],
                message: "runs 1 replica(s): no voluntary eviction is possible",
            },
        ],
    },
    "hpa-owned-deployment-no-replicas": {
        pass: [() => [dep(), hpa()], () => [replicated()]],
        fail: [
            {
                what: "replicas with hpa",
                subject: () => [replicated(), hpa()],
                message: "Deployment api (namespace shop) sets spec.replicas although HorizontalPodAutoscaler api-hpa (namespace shop) scales it",
            },
        ],
    },
    "namespace-default-deny": {
        pass: [() => [namespace(), defaultDeny()]],
        fail: [
            { what: "none", subject: () => [namespace()], message: "Namespace shop has no default-deny NetworkPolicy" },
            {
                what: "ingress only",
                subject: () => [namespace(), defaultDeny(NS, { "spec.policyTypes": ["Ingress"] })],
                message: "Namespace shop has no default-deny NetworkPolicy",
            },
            { what: "allow-all is not deny", subject: () => [namespace(), defaultDeny(NS, { "spec.ingress": [{}] })], message: "has no default-deny" },
        ],
    },
    "workload-network-policy": {
        pass: [
            () => [dep(), workloadPolicy()],
            () => [
                dep(),
                workloadPolicy("api", {
                    "spec.podSelector": { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["api", "web"] }] },
                }),
            ],
        ],
        fail: [
            {
                what: "only default deny",
                subject: () => [dep(), defaultDeny()],
                message: /Deployment api \(namespace shop\) is not selected by any workload NetworkPolicy \(pod labels: app\.kubernetes\.io\/name=api/,
            },
            {
                what: "selector mismatch",
                subject: () => [workload("Job", {}, "migrate"), workloadPolicy("api")],
                message: "Job migrate (namespace shop) is not selected",
            },
        ],
    },
    "namespace-quota-and-limits": {
        pass: [() => [namespace(), ...quota()]],
        fail: [{ what: "none", subject: () => [namespace()], message: "Namespace shop has no ResourceQuota and no LimitRange" }],
    },
};

describe("policy pack: passing and failing fixture per policy", () => {
    for (const [name, c] of Object.entries(CASES)) {
        describe(name, () => {
            c.pass.forEach((subject, i) => {
                it(`passes fixture ${i + 1}`, async () => expectPass(name, subject(), c.config));
            });
            for (const f of c.fail) {
                it(`catches: ${f.what}`, async () => expectFail(name, f.subject(), f.message, { ...c.config, ...f.config }));
            }
        });
    }

    it('every violation message ends with the fix, after the finding ("…; <what to do>")', async () => {
        const noFix: string[] = [];
        for (const [name, c] of Object.entries(CASES)) {
            for (const f of c.fail) {
                for (const m of await messages(name, f.subject(), { ...c.config, ...f.config })) if (!/; [a-z]/.test(m)) noFix.push(`${name}: ${m}`);
            }
        }
        expect(noFix).to.deep.equal([]);
    });

    it("covers every policy of the pack with at least one passing and one failing fixture", () => {
        const missing = policies.map((p) => p.name).filter((n) => !CASES[n] || CASES[n].pass.length === 0 || CASES[n].fail.length === 0);
        expect(missing).to.deep.equal([]);
        expect(Object.keys(CASES).filter((n) => !policies.some((p) => p.name === n))).to.deep.equal([]);
    });
});
