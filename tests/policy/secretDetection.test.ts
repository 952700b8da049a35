// The content heuristics behind the no-secret policies, with the false positives they must avoid.
import { expect } from "chai";
import { DEFAULT_SECRET_DETECTION as D, highEntropyToken, nameLooksSecret, secretValueReason, shannonEntropy, tokenizeName } from "../../policy/vocab";
import { secretAssignmentsInText, secretsInArgs } from "../../policy/lib/secretFields";

describe("secret detection heuristics", () => {
    it("tokenizes camelCase, PascalCase, kebab, dotted and snake names", () => {
        expect(tokenizeName("dbPassword")).to.equal("db_password");
        expect(tokenizeName("APIKey")).to.equal("api_key");
        expect(tokenizeName("auth.existingSecretPasswordKey")).to.equal("auth_existing_secret_password_key");
        expect(tokenizeName("x-api-key")).to.equal("x_api_key");
    });

    const secretNames = [
        "DB_PASSWORD",
        "password",
        "POSTGRES_PASSWD",
        "dbPwd",
        "JWT_SECRET",
        "client_secret",
        "GITHUB_TOKEN",
        "accessToken",
        "API_KEY",
        "apiKey",
        "STRIPE_APIKEY",
        "PRIVATE_KEY",
        "privateKey",
        "AWS_SECRET_ACCESS_KEY",
        "CREDENTIALS",
        "gcpCredentials",
        "BEARER",
        "SIGNING_KEY",
        "rootPassword",
        "passphrase",
        "SECRET_KEY",
    ];
    const plainNames = [
        "DB_PASSWORD_FILE",
        "REDIS_SECRET_NAME",
        "TOKEN_URL",
        "PRIVATE_KEY_PATH",
        "PASSWORD_MIN_LENGTH",
        "TOKEN_TTL",
        "API_KEY_HEADER",
        "OAUTH_CLIENT_ID",
        "existingSecret",
        "existingSecretPasswordKey",
        "usersExistingSecret",
        "passwordKey",
        "usePasswordFiles",
        "secretRef",
        "secretKeyRef",
        "tokenizer",
        "PASS_THROUGH",
        "BYPASS_CACHE",
        "KEYCLOAK_REALM",
        "SECRETS_DIR",
        "TOKEN_ENDPOINT",
        "AUTH_ENABLED",
        "LOG_LEVEL",
    ];
    for (const n of secretNames) it(`${n} is a secret-bearing name`, () => expect(nameLooksSecret(n, D)).to.equal(true));
    for (const n of plainNames) it(`${n} is not a secret-bearing name`, () => expect(nameLooksSecret(n, D)).to.equal(false));

    it("custom name patterns extend and override the defaults", () => {
        const cfg = {
            ...D,
            secretNamePatterns: [...D.secretNamePatterns, "(^|_)license(_|$)"],
            nonSecretNamePatterns: [...D.nonSecretNamePatterns, "^github_token$"],
        };
        expect(nameLooksSecret("LICENSE", cfg)).to.equal(true);
        expect(nameLooksSecret("GITHUB_TOKEN", cfg)).to.equal(false);
    });

    it("recognizes secret content", () => {
        expect(secretValueReason("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n", D, { entropy: false })).to.equal("contains a PEM private key block");
        expect(secretValueReason("amqp://guest:guest@rabbit:5672/", D, { entropy: false })).to.include("credentials in a URL");
        expect(secretValueReason("AKIAIOSFODNN7EXAMPLE", D, { entropy: false })).to.equal("contains a AWS access key id");
        expect(secretValueReason("ghp_" + "a".repeat(36), D, { entropy: false })).to.equal("contains a GitHub token");
        expect(secretValueReason(Buffer.from("-----BEGIN PRIVATE KEY-----\nMIIE").toString("base64"), D, { entropy: false })).to.equal(
            "contains a base64-encoded PEM private key",
        );
    });

    const benign = [
        "postgres://app@db:5432/app", // no password
        "postgres://app:$(DB_PASSWORD)@db:5432/app", // Kubernetes env expansion
        "redis://:${REDIS_PASSWORD}@valkey:6379", // template
        "sha256:4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b",
        "550e8400-e29b-41d4-a716-446655440000",
        "ghcr.io/stefanprodan/podinfo:6.9.2",
        "api.shop-production.svc.cluster.local",
        "/var/run/secrets/kubernetes.io/serviceaccount/token",
        "MyApplicationName2024Release",
        "io.strimzi.kafka.KafkaTopicV1beta2",
        "shop.orders.order-created.v1",
        "-XX:MaxRAMPercentage=75.0 -Dlog4j2.formatMsgNoLookups=true",
        Buffer.from("-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ").toString("base64"),
        "Orders API backed by PostgreSQL, Valkey and Kafka",
    ];
    for (const v of benign) it(`does not flag ${v.slice(0, 40)}`, () => expect(secretValueReason(v, D, { entropy: true })).to.equal(undefined));

    it("flags generated-looking tokens by entropy and respects the threshold", () => {
        const token = "q8Vn3LzT0pXw7RkY2bHs9MdJ4fCe6Ga1";
        expect(shannonEntropy(token)).to.be.greaterThan(4.5);
        expect(highEntropyToken(token, D)).to.be.a("number");
        expect(highEntropyToken(token, { ...D, entropyThreshold: 5.5 })).to.equal(undefined);
        expect(highEntropyToken(token, { ...D, minEntropyLength: 40 })).to.equal(undefined);
        expect(secretValueReason(`key=${token}`, D, { entropy: false })).to.equal(undefined);
    });

    it("finds secret assignments in embedded config files", () => {
        const text = [
            "db:",
            "  user: app",
            "  password: hunter2",
            "  passwordFile: /run/secrets/pw",
            'api_token = "abc"',
            "secret_ref: ${SECRET}",
            "export SESSION_SECRET=s3cr3t",
        ].join("\n");
        expect(secretAssignmentsInText(text, D)).to.deep.equal(["password", "api_token", "SESSION_SECRET"]);
    });

    it("finds secrets on command lines", () => {
        expect(secretsInArgs(["--password=hunter2"], D)).to.deep.equal([{ index: 0, reason: "flag --password has a literal value" }]);
        expect(secretsInArgs(["--token", "abc"], D)).to.deep.equal([{ index: 1, reason: "value of flag --token is a literal" }]);
        expect(secretsInArgs(["--password-file=/run/secrets/pw", "--token", "$(TOKEN)", "--token-ttl", "30"], D)).to.deep.equal([]);
        expect(secretsInArgs(["sh", "-c", "PGPASSWORD=pw psql"], D)).to.deep.equal([{ index: 2, reason: "assigns a literal to PGPASSWORD" }]);
    });
});
