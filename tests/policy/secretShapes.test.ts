// Secret shapes the pack must catch wherever Kubernetes keeps them readable (env, args, ConfigMap data and
// binaryData, annotations, probe headers, Helm values and config files inside them), and public or referenced
// material it must leave alone. Every failing case asserts the message, and no message may repeat the secret.
import { expect } from "chai";
import { plaintextSecretReason } from "../../policy/vocab";
import { expectFail, expectPass, messages } from "./helpers";
import { NS, object, workload } from "./fixtures";

const dep = (patch: Record<string, unknown> = {}) => workload("Deployment", patch);
const env = (name: string, value: string) => dep({ "$c0.env": [{ name, value }] });
const cm = (data: Record<string, string>, binaryData?: Record<string, string>) =>
    object("kubernetes:core/v1:ConfigMap", "cfg", { data, ...(binaryData ? { binaryData } : {}) });
const chart = (values: Record<string, unknown>, type = "kubernetes:helm.sh/v4:Chart") => ({
    type,
    name: "app",
    props: { chart: "app", version: "1.0.0", namespace: NS, values },
});
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** Every message of a policy for a subject, asserted to never contain the secret itself. */
async function reported(policy: string, subject: Parameters<typeof messages>[1], secret: string): Promise<string[]> {
    const got = await messages(policy, subject);
    for (const m of got) expect(m, "a violation message must not repeat the secret").to.not.include(secret);
    return got;
}

describe("policy pack: secret shapes", () => {
    describe("env values in connection-string forms (caught, value never echoed)", () => {
        const shapes: [string, string, string, string][] = [
            ["URL with an empty user", "redis://:Sup3rS3cret@valkey:6379/0", "Sup3rS3cret", "contains credentials in a URL (scheme://user:password@host)"],
            ["URL with user and password", "amqp://orders:Sup3rS3cret@rabbit:5672/", "Sup3rS3cret", "contains credentials in a URL"],
            [
                "query string ?password=",
                "https://api.example.com/v1?user=svc&password=Sup3rS3cret",
                "Sup3rS3cret",
                "contains a credential in a connection string (password=…)",
            ],
            [
                "query string &pwd=",
                "https://legacy.example.com/login?u=svc&pwd=Sup3rS3cret",
                "Sup3rS3cret",
                "contains a credential in a connection string (pwd=…)",
            ],
            [
                "pre-signed URL signature",
                "https://acct.blob.core.windows.net/c/f?sv=2022-11-02&sig=AbCdEf0123456789%2B",
                "AbCdEf0123456789",
                "contains a credential in a connection string (sig=…)",
            ],
            [
                "libpq key=value list",
                "host=db port=5432 user=app password=Sup3rS3cret dbname=app sslmode=require",
                "Sup3rS3cret",
                "contains a credential in a connection string (password=…)",
            ],
            [
                "ADO.NET Password=…;",
                "Server=db;Database=app;User Id=app;Password=Sup3rS3cret;Encrypt=true",
                "Sup3rS3cret",
                "contains a credential in a connection string (Password=…)",
            ],
            [
                "ADO.NET Pwd=…;",
                "Driver={ODBC Driver 18};Server=db;Uid=app;Pwd=Sup3rS3cret;",
                "Sup3rS3cret",
                "contains a credential in a connection string (Pwd=…)",
            ],
            [
                "Go DSN user:pw@tcp(…)",
                "app:Sup3rS3cret@tcp(mysql:3306)/app?parseTime=true",
                "Sup3rS3cret",
                "contains a password in a Go DSN (user:password@tcp(host))",
            ],
            [
                "JAAS config",
                'org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="Sup3rS3cret";',
                "Sup3rS3cret",
                "contains a credential in a connection string (password=…)",
            ],
            ["bearer token", "Bearer 0a1B2c3D4e5F6g7H8i9J", "0a1B2c3D4e5F6g7H8i9J", "contains a literal Authorization credential (Bearer/Basic/Token)"],
            ["private JWK", '{"kty":"oct","k":"GawgguFyGrWKav7AX4VKUg"}', "GawgguFyGrWKav7AX4VKUg", "contains a private JSON Web Key (members d/p/q/k)"],
        ];
        for (const [what, value, secret, reason] of shapes) {
            it(what, async () => {
                const got = await reported("no-secret-env-values", env("UPSTREAM", value), secret);
                expect(got.join("\n")).to.include(`container "app": env UPSTREAM (env[0]) value ${reason}`);
                expect(got.join("\n")).to.include("; move the value into a Secret and use env[].valueFrom.secretKeyRef");
            });
        }
    });

    describe("abbreviated secret names", () => {
        for (const name of [
            "PASS",
            "DB_PASS",
            "PW",
            "ADMIN_PW",
            "PWD",
            "MYSQL_PWD",
            "SECRET_KEY",
            "CLIENT_SECRET",
            "ACCOUNT_KEY",
            "requirepass",
            "masterauth",
            "SESSION_KEY",
        ]) {
            it(`${name}=<literal> is reported`, async () => {
                const got = await reported("no-secret-env-literals", env(name, "pl41nT3xt"), "pl41nT3xt");
                expect(got).to.deep.equal([
                    `container "app": env ${name} (env[0]) has a literal value; move the value into a Secret and use env[].valueFrom.secretKeyRef (or $(VAR) expansion of a secret-backed variable)`,
                ]);
            });
        }
        for (const name of ["PASS_THROUGH", "PASSTHROUGH_HEADERS", "BYPASS_CACHE", "PASSWORD_MIN_LENGTH", "PWD_FILE", "COMPASS_URL"]) {
            it(`${name} is not secret-named`, async () => expectPass("no-secret-env-literals", env(name, "enabled-for-x")));
        }
    });

    describe("references, expansions and file reads are not secrets", () => {
        const refs: [string, string][] = [
            ["DATABASE_URL", "postgres://app:$(DB_PASSWORD)@db:5432/app"],
            ["REDIS_URL", "redis://:$(REDIS_PASSWORD)@valkey:6379"],
            ["DSN", "host=db user=app password=$(DB_PASSWORD) dbname=app"],
            ["ADO", "Server=db;User Id=app;Password=${DB_PASSWORD};"],
            ["GO_DSN", "app:$(DB_PASSWORD)@tcp(mysql:3306)/app"],
            ["CALLBACK", "https://api.example.com/cb?token=$(CALLBACK_TOKEN)"],
            ["DB_PASSWORD", "$DB_PASSWORD_FROM_FILE"],
            ["AUTH_HEADER_TEMPLATE", "Bearer ${TOKEN}"],
        ];
        for (const [name, value] of refs) {
            it(`${name}=${value}`, async () => {
                await expectPass("no-secret-env-values", env(name, value));
                await expectPass("no-secret-env-literals", env(name, value));
            });
        }
        it("shell that reads a mounted secret in args", async () => {
            await expectPass(
                "no-secrets-in-args",
                dep({
                    "$c0.command": [
                        "sh",
                        "-c",
                        'export PGPASSWORD="$(cat /var/run/secrets/db/password)"\nREDISCLI_AUTH=$(cat /run/secrets/valkey/password) valkey-cli ping\nTOKEN=`cat /run/secrets/t`; curl -H "Authorization: Bearer $TOKEN" http://api',
                    ],
                }),
            );
        });
        it("shell with a literal password in args is caught, value not echoed", async () => {
            const got = await reported(
                "no-secrets-in-args",
                dep({ "$c0.command": ["sh", "-c", "mysql -h db -u app --password=Sup3rS3cret app < /sql/init.sql"] }),
                "Sup3rS3cret",
            );
            expect(got).to.deep.equal([
                'container "app": command[2] flag --password has a literal value; read it from a mounted Secret file or a secret-backed env var ($(VAR))',
            ]);
        });
    });

    describe("ConfigMaps: data, binaryData, embedded files and scripts", () => {
        it("a chart-style init script that reads passwords from mounted files passes (Valkey init-scripts shape)", async () => {
            // Written for this test in the shape the Valkey chart renders: passwords come from mounted secret files.
            const script = [
                "#!/bin/sh",
                "set -eu",
                "CONF=${VALKEY_CONFIG_PATH:-/data/conf/valkey.conf}",
                "read_password() {",
                '  user="$1"',
                '  password_key="${2:-$user}"',
                '  password=""',
                '  if [ -f "/users-secret/$password_key" ]; then',
                '    password=$(cat "/users-secret/$password_key")',
                '  elif [ -f "/auth-secret/${user}-password" ]; then',
                '    password=$(cat "/auth-secret/${user}-password")',
                "  fi",
                '  echo "$password"',
                "}",
                'PASSWORD=$(read_password "default" "default-password") || exit 1',
                'PASSHASH=$(echo -n "$PASSWORD" | sha256sum | cut -f 1 -d " ")',
                'echo "user default on #$PASSHASH ~* &* +@all" >> /etc/valkey/users.acl',
                'REPL_PASSWORD=$(read_password "replication")',
                'echo "masterauth $REPL_PASSWORD" >> "$CONF"',
            ].join("\n");
            await expectPass("no-secrets-in-configmaps", cm({ "init.sh": script }));
        });
        it("a config file with requirepass <literal> is caught", async () => {
            const got = await reported(
                "no-secrets-in-configmaps",
                cm({ "valkey.conf": "port 6379\nrequirepass Sup3rS3cret\nappendonly yes\n" }),
                "Sup3rS3cret",
            );
            expect(got).to.deep.equal([
                'data["valkey.conf"] assigns literal secrets to requirepass; move the value into a Secret and mount it, or reference it as ${ENV_VAR} / a file path in the config file',
            ]);
        });
        it("a connection string inside a YAML file is caught", async () => {
            const got = await reported("no-secrets-in-configmaps", cm({ "app.yaml": "db:\n  dsn: host=db user=app password=Sup3rS3cret\n" }), "Sup3rS3cret");
            expect(got[0]).to.match(/^data\["app\.yaml"\] contains a credential in a connection string \(password=…\); move the value into a Secret/);
        });
        it("binaryData is decoded and scanned like data", async () => {
            const got = await reported("no-secrets-in-configmaps", cm({}, { "app.env": b64("LOG_LEVEL=info\nAPI_TOKEN=Sup3rS3cret\n") }), "Sup3rS3cret");
            expect(got).to.deep.equal([
                'binaryData["app.env"] (decoded) assigns literal secrets to API_TOKEN; move the value into a Secret and mount it, or reference it as ${ENV_VAR} / a file path in the config file',
            ]);
            await expectFail(
                "no-secrets-in-configmaps",
                cm({}, { "tls.key": b64("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n") }),
                'binaryData["tls.key"] (decoded) contains a PEM private key block',
            );
            await expectPass(
                "no-secrets-in-configmaps",
                cm({}, { "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString("base64") }),
            );
        });
    });

    describe("public material never raises a false alarm", () => {
        // Public keys and certificates in these fixtures are structurally valid shapes, not real keys.
        const spki =
            "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB";
        const certBody = "MIIBszCCAVmgAwIBAgIUUJ2SDkHxMm3yQ2+3bTUMUZt4CJ8wCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHdGVzdC1jYTAeFw0yNDAxMDEwMDAwMDBaFw0zNDAxMDEwMDAwMDBa";
        const pub: [string, string][] = [
            ["PEM PUBLIC KEY block", `-----BEGIN PUBLIC KEY-----\n${spki}\n-----END PUBLIC KEY-----`],
            [
                "PEM CERTIFICATE chain",
                `-----BEGIN CERTIFICATE-----\n${certBody}\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n${certBody}\n-----END CERTIFICATE-----`,
            ],
            ["base64 DER public key on one line", spki],
            ["base64 DER certificate on one line", certBody + "AAAA"],
            [
                "JWKS document",
                JSON.stringify({
                    keys: [
                        {
                            kty: "RSA",
                            kid: "2024-01",
                            use: "sig",
                            alg: "RS256",
                            e: "AQAB",
                            n: "u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw",
                        },
                    ],
                }),
            ],
            ["SSH public key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb7Yk0pQ3s9XnQ2zL4uF1vR8tW5yH6jK0mN3bC7dE2f deploy@ci"],
            [
                "known_hosts",
                "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=",
            ],
        ];
        for (const [what, value] of pub) {
            it(`${what} in a ConfigMap, an env value and an annotation`, async () => {
                await expectPass("no-secrets-in-configmaps", cm({ material: value }));
                await expectPass("no-secret-env-values", env("MATERIAL", value));
                await expectPass("no-secrets-in-annotations", dep({ "metadata.annotations[example.com/material]": value }));
            });
        }
        it("a base64 DER private key on one line is still caught", async () => {
            const pkcs8 =
                "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvuNMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZqgtzJ6GR3eqoYSW9b9UMvkBpZODSctWSNGj3P7jRFDO5VoTwCQAWbFnOjDfH5Ulgp2PKSQnSJP3AJLQNFNe7br1XbrhV//eO+t51mIpGSDCUv3E0DDFcWDTH9cXDTTlRZVEiR2BwpZOOkE/Z0/BVnhZYL71oZV34bKfWjQIt6V/isSMahdsAASACp4ZTGtwiVuNd9tybAgMBAAE=";
            const got = await reported("no-secret-env-values", env("TLS_KEY_DER", pkcs8), pkcs8.slice(0, 40));
            expect(got).to.deep.equal([
                'container "app": env TLS_KEY_DER (env[0]) value contains a base64-encoded DER private key; move the value into a Secret and use env[].valueFrom.secretKeyRef (or $(VAR) expansion of a secret-backed variable)',
            ]);
        });
    });

    describe("annotations: narrow digest exemption, secret injectors", () => {
        it("a hex digest under checksum/config is fine, a random token under a *sha* key is not", async () => {
            await expectPass(
                "no-secrets-in-annotations",
                dep({ "$tpl.metadata.annotations": { "checksum/secret": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" } }),
            );
            const got = await reported(
                "no-secrets-in-annotations",
                dep({ "$tpl.metadata.annotations": { "example.com/shared-hash-key": "q8Vn3LzT0pXw7RkY2bHs9MdJ4fCe6Ga1" } }),
                "q8Vn3LzT0pXw7RkY2bHs9MdJ4fCe6Ga1",
            );
            expect(got[0]).to.match(
                /^pod template annotation example\.com\/shared-hash-key contains a high-entropy string .*; remove it and keep the value in a Secret$/,
            );
        });
        it("Vault Agent injection annotations (paths and templates) pass", async () => {
            await expectPass(
                "no-secrets-in-annotations",
                dep({
                    "$tpl.metadata.annotations": {
                        "vault.hashicorp.com/agent-inject": "true",
                        "vault.hashicorp.com/role": "api",
                        "vault.hashicorp.com/agent-inject-secret-db-creds": "database/creds/api",
                        "vault.hashicorp.com/agent-inject-template-db-creds":
                            '{{- with secret "database/creds/api" -}}\npostgres://{{ .Data.username }}:{{ .Data.password }}@db:5432/app\n{{- end }}',
                    },
                }),
            );
        });
        it("a literal password inside a Vault template is still caught", async () => {
            await expectFail(
                "no-secrets-in-annotations",
                dep({ "$tpl.metadata.annotations": { "vault.hashicorp.com/agent-inject-template-db": "postgres://app:Sup3rS3cret@db:5432/app" } }),
                "pod template annotation vault.hashicorp.com/agent-inject-template-db contains credentials in a URL",
            );
        });
    });

    describe("Helm values, including config files embedded in them", () => {
        it("a multi-line config file value is scanned like a ConfigMap file", async () => {
            const got = await reported("no-inline-chart-secrets", chart({ configuration: "port 6379\nrequirepass Sup3rS3cret\n" }), "Sup3rS3cret");
            expect(got).to.deep.equal([
                "values.configuration assigns literal secrets to requirepass; reference an existing Secret instead (existingSecret / secretKeyRef style value)",
            ]);
        });
        it("a script in values that reads a mounted file passes", async () => {
            await expectPass(
                "no-inline-chart-secrets",
                chart({ initScript: '#!/bin/sh\npassword=$(cat /run/secrets/valkey/password)\nexport REDISCLI_AUTH="$password"\n' }),
            );
        });
        it("helm.v3.Release values are checked too", async () => {
            await expectFail(
                "no-inline-chart-secrets",
                chart({ auth: { rootPassword: "Sup3rS3cret" } }, "kubernetes:helm.sh/v3:Release"),
                "values.auth.rootPassword is an inline secret",
            );
        });
    });

    describe("the exported detector (policy/vocab/secretValues.ts plaintextSecretReason)", () => {
        it("judges a named value and never returns the value", () => {
            expect(plaintextSecretReason("DB_PASS", "Sup3rS3cret")).to.equal("DB_PASS is a secret-bearing name with a literal value");
            expect(plaintextSecretReason("DATABASE_URL", "postgres://app:Sup3rS3cret@db/app")).to.equal(
                "contains credentials in a URL (scheme://user:password@host)",
            );
            expect(plaintextSecretReason(undefined, "app:Sup3rS3cret@tcp(db:3306)/app")).to.equal("contains a password in a Go DSN (user:password@tcp(host))");
            expect(plaintextSecretReason("DATABASE_URL", "postgres://app:$(DB_PASSWORD)@db/app")).to.equal(undefined);
            expect(plaintextSecretReason("DB_PASSWORD", "$(cat /run/secrets/db)")).to.equal(undefined);
            expect(plaintextSecretReason("CA_BUNDLE", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")).to.equal(undefined);
        });
    });

    describe("read resources and helm releases stay out of the verdicts", () => {
        it("a resource read with .get() is not analyzed (as the engine does not analyze reads)", async () => {
            const { runPack } = await import("../../tools/policyRunner");
            const read = { ...workload("Deployment", { "$c0.securityContext.privileged": true, "metadata.labels": {} }), read: true };
            const res = await runPack([read], { all: "mandatory" });
            expect(res.violations).to.deep.equal([]);
        });
    });
});
