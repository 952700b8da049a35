// One fixture per fix the detector comparison (tests/policy/secretBaselines.test.ts) led to: places the pack did
// not read (probe and hook httpGet paths, client password options on command lines), and public material it
// took for a secret (probe cookie constants, header references, base64 of plain text, publishable keys,
// integrity digests, Kafka config-provider references). Every failing case asserts the message, which names the
// field and the fix and never repeats the value.
import { expect } from "chai";
import { expectPass, messages } from "./helpers";
import { object, workload } from "./fixtures";

const dep = (patch: Record<string, unknown> = {}) => workload("Deployment", patch);
const b64 = (s: string) => Buffer.from(s).toString("base64");
const TOKEN = "q8Vn3LzT0pXw7RkY2bHs9MdJ4fCe6Ga1";
const PROBE_FIX = "serve health without credentials or use an exec probe reading a mounted Secret file";

async function reported(policy: string, subject: Parameters<typeof messages>[1], secret: string): Promise<string[]> {
    const got = await messages(policy, subject);
    for (const m of got) expect(m, "a violation message must not repeat the secret").to.not.include(secret);
    return got;
}

describe("policy pack: secret places the comparison found", () => {
    describe("probe and lifecycle handlers: paths, cookies, Authorization references", () => {
        const readiness = (httpGet: Record<string, unknown>) => dep({ "$c0.readinessProbe": { httpGet: { port: 8080, ...httpGet }, periodSeconds: 10 } });

        it("a token in a probe's httpGet.path query is caught, naming the field", async () => {
            const got = await reported(
                "no-secrets-in-probes",
                dep({ "$c0.startupProbe": { httpGet: { path: `/healthz?token=${TOKEN}`, port: 8080 } } }),
                TOKEN,
            );
            expect(got).to.deep.equal([`container "app": startupProbe.httpGet.path contains a credential in a connection string (token=…); ${PROBE_FIX}`]);
        });
        it("an api_key in a lifecycle hook's httpGet.path is caught", async () => {
            const got = await reported(
                "no-secrets-in-probes",
                dep({ "$c0.lifecycle": { postStart: { httpGet: { path: `/register?api_key=${TOKEN}`, port: 8080 } } } }),
                TOKEN,
            );
            expect(got).to.deep.equal([
                `container "app": lifecycle.postStart.httpGet.path contains a credential in a connection string (api_key=…); ${PROBE_FIX}`,
            ]);
        });
        it("paths without credentials pass", async () => {
            await expectPass("no-secrets-in-probes", readiness({ path: "/ready?probe=readiness&verbose=1" }));
            await expectPass("no-secrets-in-probes", readiness({ path: "/actuator/health/readiness" }));
        });

        it("a probe cookie constant passes (Cookie: shop_session-id=x-readiness-probe)", async () => {
            await expectPass(
                "no-secrets-in-probes",
                readiness({ path: "/ready", httpHeaders: [{ name: "Cookie", value: "shop_session-id=x-readiness-probe" }] }),
            );
            await expectPass("no-secrets-in-probes", readiness({ path: "/ready", httpHeaders: [{ name: "Cookie", value: "locale=en; probe=1" }] }));
        });
        it("a session cookie holding a generated value is caught, even as hex", async () => {
            const sid = "9f86d081884c7d659a2feaa0c55ad015";
            const got = await reported(
                "no-secrets-in-probes",
                readiness({ path: "/ready", httpHeaders: [{ name: "Cookie", value: `locale=en; JSESSIONID=${sid}` }] }),
                sid,
            );
            expect(got).to.deep.equal([
                `container "app": readinessProbe.httpGet.httpHeaders[0] (Cookie) cookie JSESSIONID holds a generated session value; ${PROBE_FIX}`,
            ]);
        });
        it("a secret-named cookie with a literal is caught", async () => {
            await expectFailWith(
                "no-secrets-in-probes",
                readiness({ path: "/ready", httpHeaders: [{ name: "Cookie", value: "auth_token=abc" }] }),
                `httpHeaders[0] (Cookie) contains a credential in a connection string (auth_token=…); ${PROBE_FIX}`,
            );
        });

        it("Authorization: $(API_TOKEN) and Bearer $(API_TOKEN) are no secret (the kubelet sends them as written)", async () => {
            await expectPass("no-secrets-in-probes", readiness({ path: "/ready", httpHeaders: [{ name: "Authorization", value: "$(API_TOKEN)" }] }));
            await expectPass("no-secrets-in-probes", readiness({ path: "/ready", httpHeaders: [{ name: "Authorization", value: "Bearer $(API_TOKEN)" }] }));
        });
        it("a literal Authorization value is still caught, whatever its shape", async () => {
            await expectFailWith(
                "no-secrets-in-probes",
                readiness({ path: "/ready", httpHeaders: [{ name: "Authorization", value: "Bearer abc" }] }),
                `readinessProbe.httpGet.httpHeaders[0] (Authorization) is a credential header with a literal value; ${PROBE_FIX}`,
            );
        });
    });

    describe("values: base64 judged by its decoding, public token formats, config-provider references, token ends", () => {
        const env = (name: string, value: string) => dep({ "$c0.env": [{ name, value }] });
        const cm = (data: Record<string, string>) => object("kubernetes:core/v1:ConfigMap", "cfg", { data });

        it("base64 of plain text (JSON, a properties file) passes in env and in ConfigMap data", async () => {
            await expectPass("no-secret-env-values", env("FEATURE_FLAGS_B64", b64('{"checkout_v2":true,"search_beta":false,"max_cart_items":50}')));
            await expectPass("no-secrets-in-configmaps", cm({ "defaults.b64": b64("log.level=info\nhttp.port=8080\ncache.ttl=300\n") }));
        });
        it("base64 of a config file with a password line in ConfigMap data is caught through its decoding", async () => {
            const got = await reported("no-secrets-in-configmaps", cm({ "app.b64": b64("db.user=orders\ndb.password=Sup3rS3cret\n") }), "Sup3rS3cret");
            expect(got).to.deep.equal([
                'data["app.b64"] (decoded from base64) assigns literal secrets to db.password; move the value into a Secret and mount it, or reference it as ${ENV_VAR} / a file path in the config file',
            ]);
        });
        it("base64 of user:password is caught, base64 of host:port is not", async () => {
            const got = await reported("no-secret-env-values", env("REGISTRY_AUTH", b64("ci-bot:Sup3rS3cret")), "Sup3rS3cret");
            expect(got).to.deep.equal([
                'container "app": env REGISTRY_AUTH (env[0]) value contains base64-encoded user:password credentials; move the value into a Secret and use env[].valueFrom.secretKeyRef (or $(VAR) expansion of a secret-backed variable)',
            ]);
            await expectPass("no-secret-env-values", env("UPSTREAM_B64", b64("orders.shop.svc.cluster.local:8080")));
        });
        it("a token inside base64 text is found through the decoding", async () => {
            const ghp = "ghp_" + "Ab1".repeat(12);
            const got = await reported("no-secret-env-values", env("BOOTSTRAP", b64(`{"token":"${ghp}"}`)), ghp);
            expect(got[0]).to.include("value contains base64-encoded text that contains a GitHub token; move the value into a Secret");
        });
        it("a Stripe publishable key (pk_live_) is public, the secret key (sk_live_) is not", async () => {
            await expectPass("no-secret-env-values", env("STRIPE_PUBLISHABLE", "pk_live_" + TOKEN));
            await expectPass("no-secrets-in-annotations", dep({ "$tpl.metadata.annotations": { "payments.example.com/publishable": "pk_test_" + TOKEN } }));
            const got = await reported("no-secret-env-values", env("STRIPE", "sk_live_" + TOKEN), TOKEN);
            expect(got[0]).to.include("value contains a Stripe live key;");
        });
        it("Subresource Integrity digests (sha256-/sha384-/sha512- + base64 of the digest) are public", async () => {
            const sha384 = "sha384-" + Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 37 + 11) % 256)).toString("base64");
            await expectPass("no-secrets-in-annotations", dep({ "$tpl.metadata.annotations": { "cdn.example.com/integrity": sha384 } }));
            await expectPass("no-secret-env-values", env("SCRIPT_INTEGRITY", sha384));
            // The same shape with the wrong length is not a digest: judged like any other token.
            await expectFailWith(
                "no-secret-env-values",
                env("NOT_A_DIGEST", "sha384-" + TOKEN),
                "env NOT_A_DIGEST (env[0]) value contains a high-entropy string",
            );
        });
        it("Kafka/Strimzi config-provider references (${file:/path:key}, ${secrets:ns/name:key}) are no secret", async () => {
            const props =
                'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="orders" password="${file:/opt/kafka/user/orders.properties:password}";\nssl.truststore.password=${secrets:shop/ts:password}\n';
            await expectPass("no-secrets-in-configmaps", cm({ "client.properties": props }));
            // ${VAR:-literal} still carries its default: judged.
            await expectFailWith(
                "no-secrets-in-configmaps",
                cm({ "app.env": "DB_PASSWORD=${DB_PASSWORD:-Sup3rS3cret}\nLOG=info\n" }),
                'data["app.env"] assigns literal secrets to DB_PASSWORD',
            );
        });
        it("a Google API key or GitLab token ending in '-' is still one (the pattern ends at the token's alphabet, not at a word boundary)", async () => {
            const key = "AIza" + "Sy0Fake".repeat(5).slice(0, 34) + "-";
            const got = await reported(
                "no-secrets-in-args",
                dep({ "$c0.command": ["sh", "-c", `curl "https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${key}"`] }),
                key,
            );
            expect(got).to.deep.equal([
                'container "app": command[2] contains a Google API key; read it from a mounted Secret file or a secret-backed env var ($(VAR))',
            ]);
            const glpat = "glpat-" + "Fak3T0ken".repeat(3).slice(0, 19) + "-";
            await expectFailWith(
                "no-secrets-in-args",
                dep({ "$c0.args": ["--remote", `https://gitlab.example.com?private=${glpat}`] }),
                "args[1] contains a GitLab token",
            );
        });
    });

    describe("command lines: client password options and flag values inside a shell line", () => {
        const cmd = (...command: string[]) => dep({ "$c0.command": command });
        const ARGS_FIX = "read it from a mounted Secret file or a secret-backed env var ($(VAR))";

        it('curl -u user:password is caught (attached, separate, inside sh -c), curl -u "$USER:$PASS" is not', async () => {
            expect(
                await reported("no-secrets-in-args", cmd("sh", "-c", "curl -fsS -u admin:Sup3rS3cret http://localhost/reload"), "Sup3rS3cret"),
            ).to.deep.equal([`container "app": command[2] curl -u has a literal user:password; ${ARGS_FIX}`]);
            expect(await reported("no-secrets-in-args", cmd("curl", "--user", "admin:Sup3rS3cret", "http://localhost/reload"), "Sup3rS3cret")).to.deep.equal([
                `container "app": command[2] curl --user has a literal user:password; ${ARGS_FIX}`,
            ]);
            await expectPass("no-secrets-in-args", cmd("sh", "-c", 'curl -fsS -u "$ADMIN_USER:$ADMIN_PASSWORD" http://localhost/reload'));
            await expectPass("no-secrets-in-args", cmd("sh", "-c", 'curl -u "admin:$(cat /var/run/secrets/admin/password)" http://localhost/reload'));
        });
        it("redis-cli -a <password> and mysqladmin -p<password> are caught; their $VAR forms are not", async () => {
            const probe = (command: string[]) => dep({ "$c0.readinessProbe": { exec: { command }, periodSeconds: 10 } });
            expect(await reported("no-secrets-in-probes", probe(["redis-cli", "-a", "Sup3rS3cret", "ping"]), "Sup3rS3cret")).to.deep.equal([
                'container "app": readinessProbe.exec.command[2] redis-cli -a (its password option) has a literal value; read it from a mounted Secret file',
            ]);
            expect(
                await reported("no-secrets-in-probes", probe(["sh", "-c", "mysqladmin ping -h 127.0.0.1 -uroot -pSup3rS3cret"]), "Sup3rS3cret"),
            ).to.deep.equal([
                'container "app": readinessProbe.exec.command[2] mysqladmin -p<password> has a literal value; read it from a mounted Secret file',
            ]);
            await expectPass("no-secrets-in-probes", probe(["sh", "-c", 'redis-cli -a "$REDIS_PASSWORD" ping']));
            await expectPass("no-secrets-in-probes", probe(["sh", "-c", 'mysqladmin ping -h 127.0.0.1 -uroot -p"$MYSQL_ROOT_PASSWORD"']));
        });
        it("--password <literal> inside one shell line is caught like two list entries", async () => {
            expect(
                await reported("no-secrets-in-args", cmd("sh", "-c", "pg_dump --host db --password Sup3rS3cret orders > /backup/orders.sql"), "Sup3rS3cret"),
            ).to.deep.equal([`container "app": command[2] value of flag --password is a literal; ${ARGS_FIX}`]);
            await expectPass("no-secrets-in-args", cmd("sh", "-c", 'pg_dump --host db --password "$(cat /run/secrets/pg)" orders'));
        });
        it("--password-stdin and --password-prompt are switches, not values", async () => {
            await expectPass(
                "no-secrets-in-args",
                cmd("sh", "-c", "cat /var/run/secrets/registry/password | oras login --username ci-bot --password-stdin registry.example.com"),
            );
            await expectPass("no-secrets-in-args", cmd("vault-cli", "--password-prompt", "login"));
        });
    });
});

async function expectFailWith(policy: string, subject: Parameters<typeof messages>[1], fragment: string): Promise<void> {
    const got = await messages(policy, subject);
    expect(
        got.some((m) => m.includes(fragment)),
        `${policy}: expected ${fragment}; got ${JSON.stringify(got)}`,
    ).to.equal(true);
}
