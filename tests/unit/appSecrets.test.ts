import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { AppSecrets, AppSecretsArgs, planSecretSources } from "../../components/appSecrets";
import { MOCK_PASSWORD_PREFIX, resolve } from "../../tools/mocks";
import { allStrings, expectAllDescendFrom, expectRequiredLabels, inputs, isSecretValue, platformContext, SECRET_SIG, underMocks } from "./componentFixtures";

const TYPE = "platform:index:AppSecrets";
const SECRET = "kubernetes:core/v1:Secret";
const RANDOM = "random:index/randomPassword:RandomPassword";
const CANARY = "canary-session-5d1e9a";

function args(over: Partial<AppSecretsArgs> = {}): AppSecretsArgs {
    return {
        context: platformContext(),
        secrets: [
            { configKey: "sessionKey", value: pulumi.secret(CANARY) },
            { configKey: "stripeApiKey", value: undefined },
        ],
        postgres: { username: "shop", password: { configKey: "postgresPassword", value: undefined } },
        redis: { password: { configKey: "redisPassword", value: pulumi.secret("canary-redis-77aa") } },
        allowGenerated: true,
        generatedLength: 40,
        ...over,
    };
}

describe("AppSecrets", () => {
    it("plans config values first and refuses absent values when generation is off, naming the key", () => {
        const plan = planSecretSources([{ configKey: "a", value: undefined }, { configKey: "a", value: pulumi.output("x") }, { configKey: "b", value: undefined }], true);
        expect(plan).to.deep.equal([{ configKey: "a", source: "config" }, { configKey: "b", source: "generated" }]);
        expect(() => planSecretSources([{ configKey: "b", value: undefined }], false)).to.throw(/platform:b/);
        expect(() => planSecretSources([{ configKey: "b", value: pulumi.output("x") }], false)).not.to.throw();
    });

    it("creates the app, Postgres (basic-auth) and Redis Secrets, parented and labelled, with secret stringData", async () => {
        const { recorder } = await underMocks((opts) => new AppSecrets("secrets", args(), opts));
        const children = expectAllDescendFrom(recorder, TYPE, "secrets");
        expectRequiredLabels(children);
        const app = inputs(recorder.get(SECRET, "secrets-app"));
        expect(app.metadata.name).to.equal("app-secrets");
        expect(app.metadata.namespace).to.equal("shop-staging");
        expect(isSecretValue(app.stringData), "app stringData is secret").to.equal(true);
        expect(Object.keys(app.stringData.value).sort()).to.deep.equal(["sessionKey", "stripeApiKey"]);
        expect(app.stringData.value.sessionKey).to.equal(CANARY);
        expect(app.data).to.equal(undefined);

        const pg = inputs(recorder.get(SECRET, "secrets-postgres"));
        expect(pg.type).to.equal("kubernetes.io/basic-auth");
        expect(isSecretValue(pg.stringData)).to.equal(true);
        expect(pg.stringData.value.username).to.equal("shop");
        expect(pg.stringData.value.password).to.equal(`${MOCK_PASSWORD_PREFIX}secrets-postgresPassword`);

        const redis = inputs(recorder.get(SECRET, "secrets-redis"));
        expect(isSecretValue(redis.stringData)).to.equal(true);
        expect(redis.stringData.value).to.deep.equal({ password: "canary-redis-77aa" });
    });

    it("generates URL-safe RandomPasswords of the configured length only for absent values", async () => {
        const { recorder } = await underMocks((opts) => new AppSecrets("secrets", args(), opts));
        const generated = recorder.ofType(RANDOM);
        expect(generated.map((r) => r.name).sort()).to.deep.equal(["secrets-postgresPassword", "secrets-stripeApiKey"]);
        for (const r of generated) expect(inputs(r)).to.deep.include({ length: 40, special: false });
    });

    it("shares one value per config key between a service secret and a store credential", async () => {
        const a = args({ secrets: [{ configKey: "postgresPassword", value: undefined }] });
        const { recorder } = await underMocks((opts) => new AppSecrets("secrets", a, opts));
        expect(recorder.ofType(RANDOM)).to.have.length(1);
        const app = inputs(recorder.get(SECRET, "secrets-app"));
        const pg = inputs(recorder.get(SECRET, "secrets-postgres"));
        expect(app.stringData.value.postgresPassword).to.equal(pg.stringData.value.password);
    });

    it("throws naming platform:<key> when a value is absent and generation is off, before registering anything", async () => {
        let error: Error | undefined;
        const { recorder } = await underMocks((opts) => {
            try { return new AppSecrets("secrets", args({ allowGenerated: false }), opts); } catch (e) { error = e as Error; return undefined; }
        });
        expect(error?.message).to.match(/platform:stripeApiKey/).and.match(/platform:postgresPassword/);
        expect(recorder.ofType(SECRET)).to.have.length(0);
        expect(recorder.ofType(RANDOM)).to.have.length(0);
    });

    it("exposes only names and keys, never values", async () => {
        const { component } = await underMocks((opts) => new AppSecrets("secrets", args(), opts));
        expect(Object.keys(component.refs).sort()).to.deep.equal(["sessionKey", "stripeApiKey"]);
        expect(component.refs.sessionKey.key).to.equal("sessionKey");
        expect(await resolve(component.refs.sessionKey.secretName)).to.equal("app-secrets");
        expect(await resolve(component.postgresCredentials!.secretName)).to.equal("postgres-credentials");
        expect(component.postgresCredentials!.password.key).to.equal("password");
        expect(component.redisCredentials!.key).to.equal("password");
        expect(await resolve(component.redisCredentials!.secretName)).to.equal("redis-credentials");
        expect((await resolve(component.secretNames)).sort()).to.deep.equal(["app-secrets", "postgres-credentials", "redis-credentials"]);
        const exposed = {
            refs: component.refs, pg: component.postgresCredentials, redis: component.redisCredentials, names: await resolve(component.secretNames),
        };
        const strings = allStrings(JSON.parse(JSON.stringify(exposed, (_k, v) => (pulumi.Output.isInstance(v) ? "<output>" : v))));
        for (const s of strings) {
            expect(s).not.to.contain("canary");
            expect(s).not.to.contain(MOCK_PASSWORD_PREFIX);
            expect(s).not.to.equal(SECRET_SIG);
        }
    });

    it("creates no app Secret when no service reads a secret, and no store Secrets when the stores are off", async () => {
        const { recorder, component } = await underMocks((opts) => new AppSecrets("secrets", args({ secrets: [], postgres: undefined, redis: undefined }), opts));
        expect(recorder.ofType(SECRET)).to.have.length(0);
        expect(component.postgresCredentials).to.equal(undefined);
        expect(await resolve(component.secretNames)).to.deep.equal([]);
    });
});
