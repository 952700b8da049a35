// A shared corpus for comparing the pack's plaintext-secret rules with the detectors users already trust
// (tests/policy/secretBaselines/). It covers every place a pod spec or chart value can carry text, in two halves:
// real-looking secrets that must be caught, and public material (or secrets already in a Secret) that must be
// left alone. Every token here is generated from a fixed seed when the module loads: well-formed, never a real
// credential, and never written into the repository as a literal.
import type { FakeResource } from "../../tools/policyRunner";
import { NS, object, workload } from "./fixtures";

export type Half = "secret" | "public";

export interface CorpusCase {
    /** Stable id: "<half letter><n>", used in the table. */
    id: string;
    half: Half;
    /** Where the text sits (env value, probe httpGet header, ConfigMap data, Helm chart values …). */
    place: string;
    /** What the case is, in a few words; never the value. */
    what: string;
    /** A well-known provider token format (AWS, GitHub, GitLab, Slack, Stripe, Google, PEM private key, JWT): the pack must catch it whatever the baselines do. */
    providerFormat?: string;
    /** The objects as the pack receives them. */
    resources: FakeResource[];
}

// ---- generated, well-formed fake tokens ----------------------------------------------------------------------

/** mulberry32: a small deterministic PRNG, so the corpus is the same on every run. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const rnd = prng(0x5ec7e7);
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64 = ALNUM + "+/";
const B64URL = ALNUM + "-_";
const HEX = "0123456789abcdef";
const DIGITS = "0123456789";

/** n characters drawn from the alphabet. */
function draw(alphabet: string, n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    return s;
}
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const b64url = (s: string) => Buffer.from(s).toString("base64url");
/** PEM body lines of 64 characters. */
const pemBody = (first: string, chars: number) => (first + draw(B64, chars - first.length)).replace(/(.{64})/g, "$1\n").trim();

const T = {
    awsKeyId: "AKIA" + draw(BASE32, 16),
    awsSecret: draw(B64, 40),
    githubPat: "ghp_" + draw(ALNUM, 36),
    githubFineGrained: "github_pat_" + draw(ALNUM, 22) + "_" + draw(ALNUM, 59),
    gitlabPat: "glpat-" + draw(ALNUM, 20),
    slackBot: "xoxb-" + draw(DIGITS, 12) + "-" + draw(DIGITS, 13) + "-" + draw(ALNUM, 24),
    slackWebhook: `https://hooks.slack.com/services/T${draw(BASE32, 10)}/B${draw(BASE32, 10)}/${draw(ALNUM, 24)}`,
    stripeLive: "sk_live_" + draw(ALNUM, 32),
    stripePublishable: "pk_live_" + draw(ALNUM, 32),
    googleKey: "AIza" + draw(ALNUM, 35),
    /** Google API keys use [A-Za-z0-9_-]; this one ends in "-", where a \b-terminated pattern stops matching. */
    googleKeyDash: "AIza" + draw(B64URL, 34) + "-",
    rsaPrivatePem: `-----BEGIN RSA PRIVATE KEY-----\n${pemBody("MIIEowIBAAKCAQEA", 1588)}\n-----END RSA PRIVATE KEY-----\n`,
    ecPrivatePem: `-----BEGIN EC PRIVATE KEY-----\n${pemBody("MHcCAQEEI", 160)}\n-----END EC PRIVATE KEY-----\n`,
    jwt: `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"svc-orders","iat":1767225600,"jti":"${draw(HEX, 16)}"}`)}.${draw(B64URL, 43)}`,
    random32: draw(ALNUM, 32),
    random40: draw(ALNUM, 40),
    password: "Plum-" + draw(ALNUM, 16),
    spki: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + draw(B64, 298) + "IDAQAB",
    certBody: pemBody("MIIDdzCCAl+gAwIBAgIU", 1200),
    jwksN: draw(B64URL, 342),
    sha256: draw(HEX, 64),
    gitSha: draw(HEX, 40),
    buildId: draw(HEX, 64),
    uuid: `${draw(HEX, 8)}-${draw(HEX, 4)}-4${draw(HEX, 3)}-a${draw(HEX, 3)}-${draw(HEX, 12)}`,
    ed25519: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + draw(B64, 43) + " deploy@ci",
    sentryKey: draw(HEX, 32),
};

// ---- object builders (compliant with every other policy, so only the subject can be reported) ------------------

type Env = Record<string, unknown>;
/** A Deployment whose first container has exactly these env entries and the given container patch. */
function pod(env: Env[], patch: Record<string, unknown> = {}): FakeResource {
    return workload("Deployment", { "$c0.env": env, ...patch });
}
const lit = (name: string, value: string): Env => ({ name, value });
const fromSecret = (name: string, secret = "api-credentials", key = name.toLowerCase()): Env => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
const cm = (data: Record<string, string>, binaryData?: Record<string, string>, name = "app-config"): FakeResource =>
    object("kubernetes:core/v1:ConfigMap", name, { data, ...(binaryData ? { binaryData } : {}) });
const secretObj = (body: Record<string, unknown>, name = "app-credentials"): FakeResource => object("kubernetes:core/v1:Secret", name, body);
const chart = (values: Record<string, unknown>, type = "kubernetes:helm.sh/v4:Chart", name = "valkey"): FakeResource => ({
    type,
    name,
    props: { chart: name, version: "0.11.0", namespace: NS, values },
});
/** An object a helm.v4.Chart rendered: a resource of its own, child of the chart. */
const chartChild = (r: FakeResource): FakeResource => ({
    ...r,
    name: `valkey-${r.name}`,
    parent: "urn:pulumi:test::platform::kubernetes:helm.sh/v4:Chart::valkey",
});
const probe = (handler: Record<string, unknown>) => ({ ...handler, periodSeconds: 10, failureThreshold: 3 });
const http = (path: string, httpHeaders?: { name: string; value: string }[]) => ({ httpGet: { path, port: 8080, ...(httpHeaders ? { httpHeaders } : {}) } });
const exec = (...command: string[]) => ({ exec: { command } });

// ---- the corpus ------------------------------------------------------------------------------------------------

const secrets: Omit<CorpusCase, "id" | "half">[] = [
    // env values: provider formats under names that do not say "secret"
    { place: "env value", what: "AWS access key id", providerFormat: "AWS", resources: [pod([lit("AWS_ACCESS_KEY_ID", T.awsKeyId)])] },
    { place: "env value", what: "GitHub classic token (ghp_)", providerFormat: "GitHub", resources: [pod([lit("GH_PAT", T.githubPat)])] },
    {
        place: "env value",
        what: "GitHub fine-grained token (github_pat_)",
        providerFormat: "GitHub",
        resources: [pod([lit("GITHUB_PAT", T.githubFineGrained)])],
    },
    { place: "env value", what: "GitLab token (glpat-)", providerFormat: "GitLab", resources: [pod([lit("GITLAB_ACCESS", T.gitlabPat)])] },
    { place: "env value", what: "Slack bot token (xoxb-)", providerFormat: "Slack", resources: [pod([lit("SLACK_BOT", T.slackBot)])] },
    { place: "env value", what: "Stripe live secret key (sk_live_)", providerFormat: "Stripe", resources: [pod([lit("STRIPE_KEY", T.stripeLive)])] },
    { place: "env value", what: "Google API key (AIza…)", providerFormat: "Google", resources: [pod([lit("MAPS_API", T.googleKey)])] },
    { place: "env value", what: "PEM RSA private key", providerFormat: "PEM private key", resources: [pod([lit("TLS_MATERIAL", T.rsaPrivatePem)])] },
    { place: "env value", what: "JWT", providerFormat: "JWT", resources: [pod([lit("UPSTREAM_AUTH", T.jwt)])] },
    { place: "env value", what: "base64 of user:password (registry auth)", resources: [pod([lit("REGISTRY_AUTH", b64(`ci-bot:${T.password}`))])] },
    { place: "env value", what: "URL with user:password@", resources: [pod([lit("DATABASE_URL", `postgres://orders:${T.password}@db:5432/orders`)])] },
    // env names that say they hold a secret
    { place: "env name", what: "DB_PASSWORD with a literal", resources: [pod([lit("DB_PASSWORD", T.password)])] },
    { place: "env name", what: "OAUTH_CLIENT_SECRET with a literal", resources: [pod([lit("OAUTH_CLIENT_SECRET", T.random32)])] },
    { place: "env name", what: "REDIS_PASS (abbreviation) with a literal", resources: [pod([lit("REDIS_PASS", T.password)])] },
    {
        place: "env name",
        what: "init container API_TOKEN with a literal",
        resources: [
            pod([], {
                "$pod.initContainers": [
                    {
                        name: "migrate",
                        image: "ghcr.io/acme/migrate:1.0.0",
                        env: [lit("API_TOKEN", T.random32)],
                        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                        resources: {
                            requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "16Mi" },
                            limits: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" },
                        },
                    },
                ],
            }),
        ],
    },
    // command lines
    { place: "args", what: "--api-key=<generated key>", resources: [pod([], { "$c0.args": ["serve", `--api-key=${T.random40}`] })] },
    { place: "args", what: "--password <literal> as two entries", resources: [pod([], { "$c0.args": ["--user", "orders", "--password", T.password] })] },
    {
        place: "args",
        what: "GitHub token in a clone URL",
        providerFormat: "GitHub",
        resources: [pod([], { "$c0.args": ["clone", `https://x-access-token:${T.githubPat}@github.com/acme/config.git`] })],
    },
    {
        place: "command",
        what: "curl with a literal Bearer JWT",
        providerFormat: "JWT",
        resources: [pod([], { "$c0.command": ["sh", "-c", `curl -fsS -H "Authorization: Bearer ${T.jwt}" http://api:8080/warmup && exec /app/server`] })],
    },
    {
        place: "command",
        what: "Google API key ending in '-' in a ?key= URL",
        providerFormat: "Google",
        resources: [
            pod([], {
                "$c0.command": [
                    "sh",
                    "-c",
                    `curl -fsS "https://maps.googleapis.com/maps/api/geocode/json?address=depot&key=${T.googleKeyDash}" > /cache/depot.json`,
                ],
            }),
        ],
    },
    {
        place: "command",
        what: "export AWS_SECRET_ACCESS_KEY=<literal>",
        resources: [pod([], { "$c0.command": ["sh", "-c", `export AWS_SECRET_ACCESS_KEY=${T.awsSecret}\nexec /app/sync`] })],
    },
    // probes and lifecycle hooks
    {
        place: "probe httpGet header",
        what: "readinessProbe Authorization: Bearer <token>",
        resources: [pod([], { "$c0.readinessProbe": probe(http("/ready", [{ name: "Authorization", value: `Bearer ${T.random32}` }])) })],
    },
    {
        place: "probe httpGet header",
        what: "livenessProbe X-Api-Key: <key>",
        resources: [pod([], { "$c0.livenessProbe": probe(http("/live", [{ name: "X-Api-Key", value: T.random32 }])) })],
    },
    {
        place: "probe httpGet header",
        what: "readinessProbe Cookie with a session token",
        resources: [pod([], { "$c0.readinessProbe": probe(http("/ready", [{ name: "Cookie", value: `sessionid=${T.random40}` }])) })],
    },
    {
        place: "probe httpGet path",
        what: "startupProbe path ?token=<token>",
        resources: [pod([], { "$c0.startupProbe": probe(http(`/healthz?token=${T.random32}`)) })],
    },
    {
        place: "probe exec command",
        what: "readinessProbe PGPASSWORD=<literal> pg_isready",
        resources: [pod([], { "$c0.readinessProbe": probe(exec("sh", "-c", `PGPASSWORD=${T.password} pg_isready -h localhost`)) })],
    },
    {
        place: "probe exec command",
        what: "livenessProbe mysqladmin ping -p<password>",
        resources: [pod([], { "$c0.livenessProbe": probe(exec("sh", "-c", `mysqladmin ping -h 127.0.0.1 -uroot -p${T.password}`)) })],
    },
    {
        place: "probe exec command",
        what: "readinessProbe redis-cli -a <password> ping",
        resources: [pod([], { "$c0.readinessProbe": probe(exec("redis-cli", "-a", T.password, "ping")) })],
    },
    {
        place: "lifecycle exec",
        what: "postStart curl -u admin:<password>",
        resources: [
            pod([], { "$c0.lifecycle": { postStart: exec("sh", "-c", `curl -fsS -u admin:${T.password} -X POST http://localhost:8080/admin/reload`) } }),
        ],
    },
    {
        place: "lifecycle httpGet header",
        what: "preStop Authorization: Basic <user:password>",
        resources: [pod([], { "$c0.lifecycle": { preStop: http("/drain", [{ name: "Authorization", value: `Basic ${b64(`admin:${T.password}`)}` }]) } })],
    },
    {
        place: "lifecycle httpGet path",
        what: "postStart path ?api_key=<key>",
        resources: [pod([], { "$c0.lifecycle": { postStart: http(`/register?api_key=${T.random32}`) } })],
    },
    // annotations
    { place: "object annotation", what: "example.com/api-token: <token>", resources: [pod([], { "metadata.annotations[example.com/api-token]": T.random32 })] },
    {
        place: "pod annotation",
        what: "Slack webhook URL",
        resources: [pod([], { "$tpl.metadata.annotations": { "alerts.example.com/slack-webhook": T.slackWebhook } })],
    },
    {
        place: "pod annotation",
        what: "AWS access key id",
        providerFormat: "AWS",
        resources: [pod([], { "$tpl.metadata.annotations": { "backup.example.com/s3-access": T.awsKeyId } })],
    },
    // ConfigMaps
    { place: "ConfigMap data", what: "key DB_PASSWORD with a literal", resources: [cm({ DB_PASSWORD: T.password })] },
    {
        place: "ConfigMap data",
        what: "application.properties with a datasource password",
        resources: [
            cm({
                "application.properties": `spring.datasource.url=jdbc:postgresql://db:5432/orders\nspring.datasource.username=orders\nspring.datasource.password=${T.password}\n`,
            }),
        ],
    },
    { place: "ConfigMap data", what: ".env file with API_KEY=<generated key>", resources: [cm({ ".env": `LOG_LEVEL=info\nAPI_KEY=${T.random40}\n` })] },
    { place: "ConfigMap data", what: "tls.key PEM EC private key", providerFormat: "PEM private key", resources: [cm({ "tls.key": T.ecPrivatePem })] },
    {
        place: "ConfigMap data",
        what: "config.yaml with a GitHub token",
        providerFormat: "GitHub",
        resources: [cm({ "config.yaml": `sync:\n  repo: acme/config\n  githubToken: ${T.githubPat}\n` })],
    },
    {
        place: "ConfigMap data",
        what: "base64 of a PEM private key in data",
        providerFormat: "PEM private key",
        resources: [cm({ "key.b64": b64(T.rsaPrivatePem) })],
    },
    {
        place: "ConfigMap binaryData",
        what: ".env with a Stripe live key",
        providerFormat: "Stripe",
        resources: [cm({}, { "payments.env": b64(`STRIPE_MODE=live\nSTRIPE_KEY=${T.stripeLive}\n`) })],
    },
    {
        place: "ConfigMap binaryData",
        what: "PEM RSA private key",
        providerFormat: "PEM private key",
        resources: [cm({}, { "signing.pem": b64(T.rsaPrivatePem) })],
    },
    // Helm chart values (the helm.v3.Release reaches the pack with its values; helm.v4.Chart values only under the offline check) and rendered children
    {
        place: "Helm chart values",
        what: "helm.v3.Release auth.password literal",
        resources: [chart({ auth: { enabled: true, password: T.password } }, "kubernetes:helm.sh/v3:Release")],
    },
    {
        place: "Helm chart values",
        what: "helm.v4.Chart config file with a GitLab token",
        providerFormat: "GitLab",
        resources: [chart({ configuration: `sync:\n  token: ${T.gitlabPat}\n` })],
    },
    { place: "Helm chart values", what: "helm.v4.Chart extraEnv API_KEY literal", resources: [chart({ extraEnv: [{ name: "API_KEY", value: T.random40 }] })] },
    {
        place: "chart-rendered ConfigMap",
        what: "valkey.conf requirepass <literal>",
        resources: [chartChild(cm({ "valkey.conf": `port 6379\nrequirepass ${T.password}\nappendonly yes\n` }, undefined, "config"))],
    },
];

const publicMaterial: Omit<CorpusCase, "id" | "half">[] = [
    // public key material
    {
        place: "ConfigMap data",
        what: "PEM public key under jwt-public.key",
        resources: [cm({ "jwt-public.key": `-----BEGIN PUBLIC KEY-----\n${T.spki.replace(/(.{64})/g, "$1\n").trim()}\n-----END PUBLIC KEY-----\n` })],
    },
    {
        place: "ConfigMap data",
        what: "PEM certificate chain (ca.crt)",
        resources: [
            cm({
                "ca.crt": `-----BEGIN CERTIFICATE-----\n${T.certBody}\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n${T.certBody}\n-----END CERTIFICATE-----\n`,
            }),
        ],
    },
    {
        place: "env value",
        what: "PEM certificate (CA_BUNDLE)",
        resources: [pod([lit("CA_BUNDLE", `-----BEGIN CERTIFICATE-----\n${T.certBody}\n-----END CERTIFICATE-----`)])],
    },
    {
        place: "ConfigMap data",
        what: "JWKS document (jwks.json)",
        resources: [cm({ "jwks.json": JSON.stringify({ keys: [{ kty: "RSA", kid: "2026-01", use: "sig", alg: "RS256", e: "AQAB", n: T.jwksN }] }) })],
    },
    { place: "env value", what: "ssh-ed25519 public key", resources: [pod([lit("DEPLOY_PUBLIC_KEY", T.ed25519)])] },
    { place: "ConfigMap data", what: "authorized_keys with an ssh-ed25519 key", resources: [cm({ authorized_keys: T.ed25519 + "\n" })] },
    { place: "env value", what: "Stripe publishable key (pk_live_)", resources: [pod([lit("STRIPE_PUBLISHABLE_KEY", T.stripePublishable)])] },
    {
        place: "env value",
        what: "Sentry DSN (public key, no password)",
        resources: [pod([lit("SENTRY_DSN", `https://${T.sentryKey}@o4507.ingest.sentry.io/4508123`)])],
    },
    // digests and identifiers
    { place: "pod annotation", what: "checksum/config sha256 digest", resources: [pod([], { "$tpl.metadata.annotations": { "checksum/config": T.sha256 } })] },
    { place: "env value", what: "image digest reference", resources: [pod([lit("SIDECAR_IMAGE", `ghcr.io/acme/envoy:1.31.2@sha256:${T.sha256}`)])] },
    { place: "env value", what: "git SHA (GIT_COMMIT)", resources: [pod([lit("GIT_COMMIT", T.gitSha)])] },
    { place: "args", what: "--revision=<git SHA>", resources: [pod([], { "$c0.args": ["serve", `--revision=${T.gitSha}`] })] },
    { place: "env value", what: "UUID (TENANT_ID)", resources: [pod([lit("TENANT_ID", T.uuid)])] },
    { place: "env value", what: "long hex build id (BUILD_ID)", resources: [pod([lit("BUILD_ID", T.buildId)])] },
    {
        place: "object annotation",
        what: "ci.example.com/build-id long hex",
        resources: [pod([], { "metadata.annotations[ci.example.com/build-id]": T.buildId })],
    },
    // references and templates
    {
        place: "env value",
        what: "URL with $(DB_PASSWORD)",
        resources: [pod([fromSecret("DB_PASSWORD", "orders-credentials", "password"), lit("DATABASE_URL", "postgres://orders:$(DB_PASSWORD)@db:5432/orders")])],
    },
    { place: "args", what: "--token=$(API_TOKEN)", resources: [pod([fromSecret("API_TOKEN")], { "$c0.args": ["serve", "--token=$(API_TOKEN)"] })] },
    {
        place: "ConfigMap data",
        what: "config file with password: ${DB_PASSWORD}",
        resources: [cm({ "app.yaml": "db:\n  host: db\n  user: orders\n  password: ${DB_PASSWORD}\n" })],
    },
    { place: "env name", what: "DB_PASSWORD from secretKeyRef", resources: [pod([fromSecret("DB_PASSWORD", "orders-credentials", "password")])] },
    { place: "env name", what: "envFrom secretRef", resources: [pod([], { "$c0.envFrom": [{ secretRef: { name: "orders-credentials" } }] })] },
    { place: "env name", what: "DB_PASSWORD_FILE=/var/run/secrets/…", resources: [pod([lit("DB_PASSWORD_FILE", "/var/run/secrets/db/password")])] },
    { place: "env name", what: "REDIS_SECRET_NAME=<Secret name>", resources: [pod([lit("REDIS_SECRET_NAME", "valkey-users")])] },
    { place: "env name", what: "API_KEY_HEADER=X-Api-Key", resources: [pod([lit("API_KEY_HEADER", "X-Api-Key")])] },
    { place: "env value", what: "TOKEN_URL without credentials", resources: [pod([lit("TOKEN_URL", "https://auth.example.com/oauth/token")])] },
    { place: "ConfigMap data", what: "token-endpoint URL", resources: [cm({ "token-endpoint": "https://auth.example.com/oauth/token" })] },
    { place: "env value", what: "JWT_JWKS_URL without credentials", resources: [pod([lit("JWT_JWKS_URL", "https://auth.example.com/.well-known/jwks.json")])] },
    { place: "env value", what: "prose mentioning Bearer", resources: [pod([lit("AUTH_HELP", "Send a Bearer token issued by the gateway")])] },
    {
        place: "ConfigMap data",
        what: "Kafka JAAS with ${file:…} config-provider references",
        resources: [
            cm({
                "client.properties":
                    'security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="orders" password="${file:/opt/kafka/user-password/orders.properties:password}";\nssl.truststore.password=${file:/opt/kafka/truststore/ts.properties:password}\n',
            }),
        ],
    },
    {
        place: "pod annotation",
        what: "Subresource Integrity digest (sha384-…)",
        resources: [
            pod([], {
                "$tpl.metadata.annotations": {
                    "cdn.example.com/script-integrity": `sha384-${Buffer.from(T.sha256 + T.gitSha.slice(0, 32), "hex").toString("base64")}`,
                },
            }),
        ],
    },
    { place: "ConfigMap data", what: "cache key prefix user_key_", resources: [cm({ "cache.prefix": "user_key_" })] },
    // probes and lifecycle hooks without credentials
    {
        place: "probe httpGet header",
        what: "Cookie: shop_session-id=x-readiness-probe",
        resources: [pod([], { "$c0.readinessProbe": probe(http("/ready", [{ name: "Cookie", value: "shop_session-id=x-readiness-probe" }])) })],
    },
    {
        place: "probe httpGet header",
        what: "Authorization: $(API_TOKEN)",
        resources: [pod([fromSecret("API_TOKEN")], { "$c0.readinessProbe": probe(http("/ready", [{ name: "Authorization", value: "$(API_TOKEN)" }])) })],
    },
    {
        place: "probe httpGet path",
        what: "path with a non-secret query (?probe=readiness)",
        resources: [pod([], { "$c0.readinessProbe": probe(http("/ready?probe=readiness&verbose=1")) })],
    },
    {
        place: "probe httpGet header",
        what: "Authorization: Bearer $(API_TOKEN)",
        resources: [pod([fromSecret("API_TOKEN")], { "$c0.livenessProbe": probe(http("/live", [{ name: "Authorization", value: "Bearer $(API_TOKEN)" }])) })],
    },
    {
        place: "probe exec command",
        what: 'redis-cli -a "$REDIS_PASSWORD" ping',
        resources: [pod([fromSecret("REDIS_PASSWORD")], { "$c0.readinessProbe": probe(exec("sh", "-c", 'redis-cli -a "$REDIS_PASSWORD" ping')) })],
    },
    {
        place: "lifecycle exec",
        what: 'curl -u "$ADMIN_USER:$ADMIN_PASSWORD"',
        resources: [
            pod([fromSecret("ADMIN_USER"), fromSecret("ADMIN_PASSWORD")], {
                "$c0.lifecycle": { postStart: exec("sh", "-c", 'curl -fsS -u "$ADMIN_USER:$ADMIN_PASSWORD" -X POST http://localhost:8080/admin/reload') },
            }),
        ],
    },
    {
        place: "command",
        what: "docker-style --password-stdin",
        resources: [
            pod([], {
                "$c0.command": [
                    "sh",
                    "-c",
                    "cat /var/run/secrets/registry/password | oras login --username ci-bot --password-stdin registry.example.com && exec /app/push",
                ],
            }),
        ],
    },
    {
        place: "probe grpc",
        what: "grpc service grpc.health.v1.Health",
        resources: [pod([], { "$c0.readinessProbe": probe({ grpc: { port: 9090, service: "grpc.health.v1.Health" } }) })],
    },
    { place: "probe tcpSocket", what: "tcpSocket on a named port", resources: [pod([], { "$c0.livenessProbe": probe({ tcpSocket: { port: "http" } }) })] },
    {
        place: "probe exec command",
        what: "exec probe reading a mounted Secret file",
        resources: [pod([], { "$c0.livenessProbe": probe(exec("sh", "-c", 'PGPASSWORD="$(cat /var/run/secrets/db/password)" pg_isready -h localhost')) })],
    },
    { place: "lifecycle sleep", what: "preStop sleep", resources: [pod([], { "$c0.lifecycle": { preStop: { sleep: { seconds: 5 } } } })] },
    {
        place: "lifecycle httpGet header",
        what: "postStart X-Request-Source: lifecycle",
        resources: [pod([], { "$c0.lifecycle": { postStart: http("/started", [{ name: "X-Request-Source", value: "kubelet-post-start" }]) } })],
    },
    // base64 that is not a secret
    {
        place: "ConfigMap binaryData",
        what: "base64 of a banner text",
        resources: [cm({}, { "banner.txt": b64("Welcome to the shop. Orders ship within 2 days.\n") })],
    },
    {
        place: "env value",
        what: "base64 of a feature-flag JSON",
        resources: [pod([lit("FEATURE_FLAGS_B64", b64('{"checkout_v2":true,"search_beta":false,"max_cart_items":50}'))])],
    },
    {
        place: "ConfigMap data",
        what: "base64 of a non-secret properties file",
        resources: [cm({ "defaults.b64": b64("log.level=info\nhttp.port=8080\ncache.ttl=300\n") })],
    },
    // secrets where they belong, and charts that reference them
    {
        place: "Secret",
        what: "Secret stringData password (allowed)",
        resources: [secretObj({ type: "Opaque", stringData: { password: T.password, "api-token": T.random32 } })],
    },
    {
        place: "Secret",
        what: "kubernetes.io/tls Secret data (allowed)",
        resources: [
            secretObj(
                {
                    type: "kubernetes.io/tls",
                    data: { "tls.crt": b64(`-----BEGIN CERTIFICATE-----\n${T.certBody}\n-----END CERTIFICATE-----\n`), "tls.key": b64(T.rsaPrivatePem) },
                },
                "api-tls",
            ),
        ],
    },
    {
        place: "chart-rendered Secret",
        what: "Secret a chart rendered from values (allowed)",
        resources: [chartChild(secretObj({ type: "Opaque", data: { "default-password": b64(T.password) } }, "users"))],
    },
    {
        place: "Helm chart values",
        what: "existingSecret and passwordKey references",
        resources: [
            chart({
                auth: { enabled: true, usersExistingSecret: "valkey-users", aclUsers: { default: { permissions: "~* &* +@all", passwordKey: "default" } } },
            }),
        ],
    },
    {
        place: "Helm chart values",
        what: "helm.v3.Release with a Secret name and a CA bundle",
        resources: [
            chart(
                { tls: { existingSecret: "api-tls", caBundle: `-----BEGIN CERTIFICATE-----\n${T.certBody}\n-----END CERTIFICATE-----\n` } },
                "kubernetes:helm.sh/v3:Release",
                "gateway",
            ),
        ],
    },
    {
        place: "pod annotation",
        what: "Vault Agent injection path and template",
        resources: [
            pod([], {
                "$tpl.metadata.annotations": {
                    "vault.hashicorp.com/agent-inject": "true",
                    "vault.hashicorp.com/role": "orders",
                    "vault.hashicorp.com/agent-inject-secret-db": "database/creds/orders",
                    "vault.hashicorp.com/agent-inject-template-db":
                        '{{- with secret "database/creds/orders" -}}\npostgres://{{ .Data.username }}:{{ .Data.password }}@db:5432/orders\n{{- end }}',
                },
            }),
        ],
    },
];

export const CORPUS: CorpusCase[] = [
    ...secrets.map((c, i): CorpusCase => ({ ...c, id: `S${i + 1}`, half: "secret" })),
    ...publicMaterial.map((c, i): CorpusCase => ({ ...c, id: `P${i + 1}`, half: "public" })),
];

/** Generated values a message must never repeat (the secrets half's tokens). */
export const GENERATED_SECRETS: readonly string[] = [
    T.awsKeyId,
    T.awsSecret,
    T.githubPat,
    T.githubFineGrained,
    T.gitlabPat,
    T.slackBot,
    T.stripeLive,
    T.googleKey,
    T.googleKeyDash,
    T.jwt,
    T.random32,
    T.random40,
    T.password,
];
