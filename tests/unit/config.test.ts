import { expect } from "chai";
import {
    ConfigError,
    cpuMillis,
    cronProblem,
    durationProblem,
    formatKey,
    memoryBytes,
    parsePlatformConfig,
    parseQuantity,
    PlatformConfig,
    quantityProblem,
    RawConfig,
    requiredSecretKeys,
    SecretPresence,
} from "../../components/config";
import { baseConfig as base, baseConfig, Json, REFUSAL_CASES, SecretSetup, services } from "./configCases";

function toRaw(cfg: Json): RawConfig {
    const raw: RawConfig = {};
    for (const [k, v] of Object.entries(cfg)) raw[k] = typeof v === "string" ? v : JSON.stringify(v);
    return raw;
}

const allSecretsSet: SecretPresence = { isSet: () => true, isSecret: () => true };
const noSecretsSet: SecretPresence = { isSet: () => false, isSecret: () => false };

/** The secret presence a case's setup stands for. */
function presence(setup: SecretSetup | undefined): SecretPresence {
    if (setup === undefined) return allSecretsSet;
    if (setup === "none") return noSecretsSet;
    return { isSet: () => true, isSecret: (k) => k !== setup.plaintext };
}

function parse(cfg: Json, secrets: SecretPresence = allSecretsSet): PlatformConfig {
    return parsePlatformConfig(toRaw(cfg), secrets);
}

/** Parses and returns the ConfigError; fails the test when the config is accepted. */
function errorOf(cfg: Json, secrets: SecretPresence = allSecretsSet): ConfigError {
    try {
        parse(cfg, secrets);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return e as ConfigError;
    }
    throw new Error("expected the config to be rejected");
}

function expectIssue(err: ConfigError, key: string, fragment: string | RegExp): void {
    const hit = err.issues.find((i) => i.key === key);
    expect(hit, `no issue for ${key}; got:\n${err.message}`).to.not.equal(undefined);
    if (typeof fragment === "string") expect(hit!.message).to.include(fragment);
    else expect(hit!.message).to.match(fragment);
    expect(err.message).to.include(key);
}

describe("config model", () => {
    describe("valid stacks", () => {
        for (const stack of ["dev", "staging", "production"]) {
            it(`accepts Pulumi.${stack}.yaml`, () => {
                const cfg = parse(base(stack));
                expect(cfg.environment).to.equal(stack);
                expect(cfg.services.map((s) => s.name)).to.deep.equal(["web", "api", "worker"]);
            });
        }

        it("applies code defaults under stack defaults under service settings", () => {
            const c = base();
            (c.defaults as Json).replicas = 2;
            services(c)[1].replicas = 4;
            services(c)[1].readinessProbe = { periodSeconds: 7 };
            const cfg = parse(c);
            const [web, api] = cfg.services;
            expect(web.replicas).to.equal(2);
            expect(api.replicas).to.equal(4);
            expect(api.readinessProbe).to.deep.equal({
                type: "http",
                path: "/readyz",
                port: "http",
                scheme: "HTTP",
                httpHeaders: [],
                initialDelaySeconds: 10,
                periodSeconds: 7,
                timeoutSeconds: 3,
                failureThreshold: 3,
            });
            expect(api.livenessProbe).to.deep.include({ path: "/healthz", initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 });
            expect(api.podSecurity).to.deep.equal({ runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, runAsNonRoot: true, readOnlyRootFilesystem: true });
            expect(api.secretKeys).to.deep.equal(["sessionSigningKey"]);
        });

        it("fills chart coordinates with pinned defaults and accepts a local chart path", () => {
            const c = base();
            (c.redis as Json).chart = { chart: "valkey", path: "./vendor/charts/valkey" };
            const cfg = parse(c);
            expect(cfg.postgres.operatorChart.repo).to.match(/^https:\/\//);
            expect(cfg.postgres.operatorChart.version).to.match(/^\d+\.\d+\.\d+$/);
            expect(cfg.redis.chart).to.deep.equal({ chart: "valkey", path: "./vendor/charts/valkey", version: undefined });
        });

        it("lists the secrets a stack needs, once each", () => {
            const cfg = parse(base("production"));
            // One password per service and store (api splits owner and runtime roles), the replication user, the service secret.
            expect(requiredSecretKeys(cfg).map((s) => s.key)).to.deep.equal([
                "apiPostgresOwnerPassword",
                "apiPostgresPassword",
                "apiRedisPassword",
                "apiKafkaPassword",
                "workerKafkaPassword",
                "redisReplicationPassword",
                "sessionSigningKey",
            ]);
        });

        it("formats keys the way `pulumi config` names them", () => {
            expect(formatKey(["services", 1, "port"])).to.equal("platform:services[1].port");
            expect(formatKey(["edge", "tls", "enabled"])).to.equal("platform:edge.tls.enabled");
        });

        it("parses Kubernetes quantities", () => {
            expect(cpuMillis("250m")).to.equal(250);
            expect(cpuMillis("1.5")).to.equal(1500);
            expect(memoryBytes("512Mi")).to.equal(512 * 1024 * 1024);
            expect(memoryBytes("1G")).to.equal(1e9);
            expect(memoryBytes("512k")).to.equal(512e3);
            expect(memoryBytes("1e3")).to.equal(1000);
            expect(memoryBytes(".5Gi")).to.equal(512 * 1024 * 1024);
            expect(cpuMillis("100n")).to.be.closeTo(1e-4, 1e-12);
            for (const bad of ["512K", "512KB", "1e3Mi", "5e2m", "1.5 Gi", "Mi", "1,5", "0x10", "1Gib"]) expect(parseQuantity(bad), bad).to.equal(undefined);
            expect(quantityProblem("512K")).to.include('write "512k" (×1000) or "512Ki" (×1024)');
        });

        it("reads durations and cron schedules the way Prometheus and the CronJob controller do", () => {
            for (const ok of ["30s", "1m30s", "2h30m15s", "1d12h", "500ms", "1y2w"]) expect(durationProblem(ok), ok).to.equal(undefined);
            for (const bad of ["0", "", "1.5m", "30s1m", "1m 30s", "30sec", "-5s"]) expect(durationProblem(bad), bad).to.be.a("string");
            for (const ok of ["*/15 0-6 * JAN-MAR MON-FRI", "@hourly", "@every 1h30m", "0 0 1,15 * *", "5/10 * * * ?", "0 3 * * sun", "59 23 31 12 6"]) {
                expect(cronProblem(ok), ok).to.equal(undefined);
            }
            expect(cronProblem("0 0 2 * * *", { seconds: true })).to.equal(undefined);
            expect(cronProblem("60 0 2 * * *", { seconds: true })).to.include("second 60 is out of range");
        });
    });

    describe("valid configs the check must not refuse", () => {
        const accepted: { title: string; stack?: string; mutate: (c: Json) => void }[] = [
            {
                title: "a scrape interval with several units",
                mutate: (c) => {
                    c.observability = { scrapeInterval: "1m30s" };
                },
            },
            {
                title: "lowercase k memory and decimal-exponent quantities",
                mutate: (c) => {
                    services(c)[0].resources = { requests: { cpu: "0.1", memory: "65536k" }, limits: { cpu: "5e-1", memory: "512Mi" } };
                },
            },
            {
                title: "a cleanup schedule with names, lists, ranges and steps",
                mutate: (c) => {
                    (services(c)[1].cleanup as Json).schedule = "*/20 1-5 1,15 JAN-JUN MON-FRI";
                },
            },
            {
                title: "every Kafka version of the pinned Strimzi",
                mutate: (c) => {
                    (c.kafka as Json).version = "4.2.0";
                },
            },
            {
                title: "a URL env value without a password, one with a placeholder, and a plain connection string",
                mutate: (c) => {
                    services(c)[2].env = {
                        API_URL: "https://api.example.com/v1?page=2",
                        DB_URL: "postgres://app@db:5432/app",
                        TEMPLATE_URL: "https://user:${PASSWORD}@host/",
                        DSN: "Server=db;Database=app;Password=;",
                    };
                },
            },
            {
                title: "a request equal to its limit inherited from platform:defaults",
                mutate: (c) => {
                    services(c)[0].resources = { requests: { memory: "512Mi", cpu: "0.5" } };
                },
            },
            {
                title: "a 44-character service name with a cleanup CronJob",
                mutate: (c) => {
                    services(c)[1].name = `api-${"x".repeat(40)}`;
                    services(c)[0].dependsOn = [];
                    ((c.kafka as Json).topics as Json[])[0].producers = [];
                },
            },
            {
                title: "production autoscaling from 2",
                stack: "production",
                mutate: (c) => {
                    ((c.defaults as Json).autoscaling as Json).minReplicas = 2;
                },
            },
            {
                title: "a store's request raised with its limit",
                mutate: (c) => {
                    c.postgres = { ...(c.postgres as Json), resources: { requests: { memory: "2Gi" }, limits: { memory: "4Gi" } } };
                },
            },
        ];
        for (const tc of accepted) {
            it(`${tc.stack ?? "dev"}: ${tc.title}`, () => {
                const c = base(tc.stack);
                tc.mutate(c);
                expect(() => parse(c)).to.not.throw();
            });
        }
    });

    describe("malformed config is rejected with the full key and the fix", () => {
        for (const tc of REFUSAL_CASES) {
            it(`${tc.stack ?? "dev"}: ${tc.title}`, () => {
                const c = baseConfig(tc.stack);
                tc.mutate(c);
                expectIssue(errorOf(c, presence(tc.secrets)), tc.key, tc.message);
            });
        }

        it("states every refusal in its own words: no library wording, no raw pattern", () => {
            for (const tc of REFUSAL_CASES) {
                const c = baseConfig(tc.stack);
                tc.mutate(c);
                for (const issue of errorOf(c, presence(tc.secrets)).issues) {
                    expect(issue.message, `${tc.title}: ${issue.key}`).to.not.match(
                        /^(Invalid|Too (small|big)|Unrecognized|Expected)|received (string|number|undefined)|\/\^|\[A-Za-z|\\[dsw]/,
                    );
                }
            }
        });

        it("reports every problem at once, not just the first", () => {
            const c = base();
            services(c)[0].port = 0;
            services(c)[1].image = "nginx:latest";
            const err = errorOf(c);
            expect(err.issues.map((i) => i.key)).to.include.members(["platform:services[0].port", "platform:services[1].image"]);
        });

        it("rejects a value that is not JSON where JSON is expected", () => {
            const raw = toRaw(base());
            raw.services = "[{ broken";
            expect(() => parsePlatformConfig(raw, allSecretsSet)).to.throw(ConfigError, "platform:services: is not valid JSON");
        });

        it("accepts generated secrets in production only with the explicit opt-in", () => {
            const c = base("production");
            (c.secrets as Json) = { allowGenerated: true, allowGeneratedInProduction: true };
            expect(parse(c, noSecretsSet).secrets.allowGenerated).to.equal(true);
        });
    });
});
