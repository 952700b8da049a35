import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { AppSecrets, AppSecretsArgs, credentialKeys, planSecretSources, scramJaasConfig } from "../../components/secrets/appSecrets";
import { StoreUser } from "../../components/config";
import { MOCK_PASSWORD_PREFIX, resolve } from "../../tools/mocks";
import {
    allStrings,
    expectAllDescendFrom,
    expectRequiredLabels,
    inputs,
    isSecretValue,
    kubeResources,
    platformContext,
    SECRET_SIG,
    underMocks,
} from "./componentFixtures";

const TYPE = "platform:index:AppSecrets";
const SECRET = "kubernetes:core/v1:Secret";
const RANDOM = "random:index/randomPassword:RandomPassword";
const CANARY = "canary-session-5d1e9a";

const USERS: StoreUser[] = [
    { service: "api", store: "postgres", purpose: "owner", username: "api", configKey: "apiPostgresOwnerPassword" },
    { service: "api", store: "postgres", purpose: "runtime", username: "api_runtime", configKey: "apiPostgresPassword" },
    { service: "api", store: "redis", purpose: "runtime", username: "api", configKey: "apiRedisPassword" },
    { service: "worker", store: "kafka", purpose: "runtime", username: "worker", configKey: "workerKafkaPassword" },
];

function args(over: Partial<AppSecretsArgs> = {}): AppSecretsArgs {
    const values = [
        { configKey: "sessionKey", value: pulumi.secret(CANARY) },
        { configKey: "stripeApiKey", value: undefined },
        { configKey: "apiPostgresOwnerPassword", value: undefined },
        { configKey: "apiPostgresPassword", value: pulumi.secret("canary-pg-runtime-1b2c") },
        { configKey: "apiRedisPassword", value: pulumi.secret("canary-redis-77aa") },
        { configKey: "workerKafkaPassword", value: pulumi.secret('canary-kafka"q-3d4e') },
        { configKey: "redisReplicationPassword", value: undefined },
    ];
    return {
        context: platformContext(),
        values,
        services: [
            { service: "api", configKeys: ["sessionKey", "stripeApiKey"] },
            { service: "web", configKeys: [] },
        ],
        users: USERS,
        valkey: true,
        allowGenerated: true,
        generatedLength: 40,
        ...over,
    };
}

describe("AppSecrets", () => {
    it("plans config values first and refuses absent values when generation is off, naming the key", () => {
        const plan = planSecretSources(
            [
                { configKey: "a", value: undefined },
                { configKey: "a", value: pulumi.output("x") },
                { configKey: "b", value: undefined },
            ],
            true,
        );
        expect(plan).to.deep.equal([
            { configKey: "a", source: "config" },
            { configKey: "b", source: "generated" },
        ]);
        expect(() => planSecretSources([{ configKey: "b", value: undefined }], false)).to.throw(/platform:b/);
        expect(() => planSecretSources([{ configKey: "b", value: pulumi.output("x") }], false)).not.to.throw();
    });

    it("gives each service one credentials Secret with its own secrets and logins, and nothing of another service", async () => {
        const { recorder } = await underMocks((opts) => new AppSecrets("secrets", args(), opts));
        const children = expectAllDescendFrom(recorder, TYPE, "secrets");
        expectRequiredLabels(children);
        const api = inputs(recorder.get(SECRET, "secrets-api"));
        expect(api.metadata.name).to.equal("api-credentials");
        expect(api.metadata.namespace).to.equal("shop-staging");
        expect(isSecretValue(api.stringData), "stringData is secret").to.equal(true);
        const data = api.stringData.value;
        expect(Object.keys(data).sort()).to.deep.equal([
            "postgres-owner-password",
            "postgres-owner-username",
            "postgres-runtime-password",
            "postgres-runtime-username",
            "redis-runtime-password",
            "redis-runtime-username",
            "sessionKey",
            "stripeApiKey",
        ]);
        expect(data.sessionKey).to.equal(CANARY);
        expect(data["postgres-runtime-username"]).to.equal("api_runtime");
        expect(data["postgres-runtime-password"]).to.equal("canary-pg-runtime-1b2c");
        expect(data["postgres-owner-password"]).to.equal(`${MOCK_PASSWORD_PREFIX}secrets-apiPostgresOwnerPassword`);
        expect(JSON.stringify(data)).not.to.contain("canary-kafka");

        const worker = inputs(recorder.get(SECRET, "secrets-worker")).stringData.value;
        expect(Object.keys(worker).sort()).to.deep.equal(["kafka-runtime-password", "kafka-runtime-sasl-jaas-config", "kafka-runtime-username"]);
        expect(worker["kafka-runtime-sasl-jaas-config"]).to.equal(
            'org.apache.kafka.common.security.scram.ScramLoginModule required username="worker" password="canary-kafka\\"q-3d4e";',
        );
        // A service that reads no secret and uses no store gets no Secret at all.
        expect(recorder.ofType(SECRET).map((r) => r.name)).not.to.include("secrets-web");
    });

    it("writes the stores' server-side copies: one basic-auth Secret per PostgreSQL role (reloaded by CNPG), one Valkey users Secret", async () => {
        const { recorder } = await underMocks((opts) => new AppSecrets("secrets", args(), opts));
        const owner = inputs(recorder.get(SECRET, "secrets-pg-api"));
        expect(owner.metadata.name).to.equal("api-postgres-owner");
        expect(owner.type).to.equal("kubernetes.io/basic-auth");
        expect(owner.metadata.labels["cnpg.io/reload"]).to.equal("true");
        expect(isSecretValue(owner.stringData)).to.equal(true);
        expect(owner.stringData.value.username).to.equal("api");
        const runtime = inputs(recorder.get(SECRET, "secrets-pg-api_runtime"));
        expect(runtime.metadata.name).to.equal("api-postgres-runtime");
        expect(runtime.stringData.value).to.deep.equal({ username: "api_runtime", password: "canary-pg-runtime-1b2c" });
        const valkey = inputs(recorder.get(SECRET, "secrets-valkey-users"));
        expect(valkey.metadata.name).to.equal("valkey-users");
        expect(Object.keys(valkey.stringData.value).sort()).to.deep.equal(["api", "replication"]);
        expect(valkey.stringData.value.api).to.equal("canary-redis-77aa");
    });

    it("marks every Secret for a forced apply, so a rotation after an out-of-band edit updates it in place instead of failing on a field conflict", async () => {
        const { recorder } = await underMocks((opts) => new AppSecrets("secrets", args(), opts));
        const secrets = kubeResources(recorder).filter((r) => r.type === SECRET);
        expect(secrets.length).to.be.greaterThan(2);
        for (const r of secrets) expect(inputs(r).metadata.annotations, r.name).to.include({ "pulumi.com/patchForce": "true" });
    });

    it("generates URL-safe RandomPasswords of the configured length only for absent values", async () => {
        const { recorder } = await underMocks((opts) => new AppSecrets("secrets", args(), opts));
        const generated = recorder.ofType(RANDOM);
        expect(generated.map((r) => r.name).sort()).to.deep.equal([
            "secrets-apiPostgresOwnerPassword",
            "secrets-redisReplicationPassword",
            "secrets-stripeApiKey",
        ]);
        for (const r of generated) expect(inputs(r)).to.deep.include({ length: 40, special: false });
    });

    it("throws naming platform:<key> when a value is absent and generation is off, before registering anything", async () => {
        let error: Error | undefined;
        const { recorder } = await underMocks((opts) => {
            try {
                return new AppSecrets("secrets", args({ allowGenerated: false }), opts);
            } catch (e) {
                error = e as Error;
                return undefined;
            }
        });
        expect(error?.message)
            .to.match(/platform:stripeApiKey/)
            .and.match(/platform:apiPostgresOwnerPassword/)
            .and.match(/platform:redisReplicationPassword/);
        expect(recorder.ofType(SECRET)).to.have.length(0);
        expect(recorder.ofType(RANDOM)).to.have.length(0);
    });

    it("hands out typed references (Secret name + key), never values", async () => {
        const { component } = await underMocks((opts) => new AppSecrets("secrets", args(), opts));
        const session = component.serviceSecretRef("api", "sessionKey");
        expect(session.key).to.equal("sessionKey");
        expect(await resolve(session.secretName)).to.equal("api-credentials");
        const runtime = component.credentials(USERS[1]);
        expect(runtime.username).to.equal("api_runtime");
        expect(runtime.passwordRef.key).to.equal(credentialKeys("postgres", "runtime").password);
        expect(await resolve(runtime.passwordRef.secretName)).to.equal("api-credentials");
        const kafka = component.kafkaCredentials(USERS[3]);
        expect(kafka.jaasConfigRef.key).to.equal("kafka-runtime-sasl-jaas-config");
        expect(await resolve(kafka.jaasConfigRef.secretName)).to.equal("worker-credentials");
        expect(await resolve(component.postgresRoleSecret(USERS[0]))).to.equal("api-postgres-owner");
        expect(() => component.serviceSecretRef("web", "x")).to.throw(/web has no credentials Secret/);
        expect((await resolve(component.secretNames)).sort()).to.deep.equal([
            "api-credentials",
            "api-postgres-owner",
            "api-postgres-runtime",
            "valkey-users",
            "worker-credentials",
        ]);
        const exposed = { session, runtime, kafka, names: await resolve(component.secretNames) };
        const strings = allStrings(JSON.parse(JSON.stringify(exposed, (_k, v) => (pulumi.Output.isInstance(v) ? "<output>" : v))));
        for (const s of strings) {
            expect(s).not.to.contain("canary");
            expect(s).not.to.contain(MOCK_PASSWORD_PREFIX);
            expect(s).not.to.equal(SECRET_SIG);
        }
    });

    it("escapes quotes and backslashes in the JAAS line", () => {
        expect(scramJaasConfig("u", 'a"b\\c')).to.equal('org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="a\\"b\\\\c";');
    });

    it("creates nothing when no service reads a secret and the stores are off", async () => {
        const { recorder, component } = await underMocks(
            (opts) => new AppSecrets("secrets", args({ values: [], services: [], users: [], valkey: false }), opts),
        );
        expect(recorder.ofType(SECRET)).to.have.length(0);
        expect(component.valkeyUsersSecret).to.equal(undefined);
        expect(await resolve(component.secretNames)).to.deep.equal([]);
    });
});
