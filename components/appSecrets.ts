// Kubernetes Secrets built from `pulumi config set --secret` values, with RandomPassword stand-ins where the stack
// allows generated secrets. Only names and keys leave this component; values stay secret in state.
import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CONFIG_NAMESPACE } from "./config";
import { PlatformContext, SecretRef } from "./context";
import { standardAnnotations, standardLabels } from "./labels";

/** One secret config value: `platform:<configKey>`, or undefined when the stack does not set it. */
export interface SecretEntry {
    /** Config key without namespace, e.g. "sessionKey"; also the key inside the app Secret. */
    configKey: string;
    /** The value from `config.getSecret(configKey)`; undefined when absent. */
    value: pulumi.Output<string> | undefined;
}

/** Names of the Secrets this component creates. */
export interface AppSecretNames {
    /** Secret holding every service secret (default "app-secrets"). */
    app: string;
    /** Postgres credentials, type kubernetes.io/basic-auth (default "postgres-credentials"). */
    postgres: string;
    /** Redis/Valkey credentials (default "redis-credentials"). */
    redis: string;
}

export const DEFAULT_SECRET_NAMES: Readonly<AppSecretNames> = { app: "app-secrets", postgres: "postgres-credentials", redis: "redis-credentials" };

/** Key of the password inside the Postgres and Redis credentials Secrets. */
export const PASSWORD_KEY = "password";
/** Key of the user name inside the Postgres credentials Secret (basic-auth). */
export const USERNAME_KEY = "username";

/** Arguments of {@link AppSecrets}. */
export interface AppSecretsArgs {
    /** Namespace, labels and ownership. */
    context: PlatformContext;
    /** Secrets the services read (one per distinct config key); each becomes a key of the app Secret. */
    secrets: SecretEntry[];
    /** Postgres credentials; omit when Postgres is disabled. `username` is `platform:postgres.owner`. */
    postgres?: { username: string; password: SecretEntry };
    /** Redis/Valkey credentials; omit when Redis is disabled. */
    redis?: { password: SecretEntry };
    /** `platform:secrets.allowGenerated`: absent values may be generated with RandomPassword. */
    allowGenerated: boolean;
    /** `platform:secrets.generatedLength`: length of generated passwords. */
    generatedLength: number;
    /** Secret names; defaults to {@link DEFAULT_SECRET_NAMES}. */
    names?: Partial<AppSecretNames>;
}

/** Credentials Secret of a data store, by reference. */
export interface CredentialsRef {
    /** Name of the Secret. */
    secretName: pulumi.Output<string>;
    /** Key of the password. */
    passwordKey: string;
    /** Key of the user name, when the Secret holds one (basic-auth). */
    usernameKey?: string;
    /** The password as a SecretRef, for client env. */
    password: SecretRef;
}

/**
 * Decides, per distinct config key, whether its value comes from config or must be generated.
 * Throws naming `platform:<key>` when a value is absent and generation is not allowed.
 */
export function planSecretSources(entries: readonly SecretEntry[], allowGenerated: boolean): { configKey: string; source: "config" | "generated" }[] {
    const seen = new Map<string, "config" | "generated">();
    for (const e of entries) {
        const source = e.value !== undefined ? "config" : "generated";
        const prior = seen.get(e.configKey);
        if (prior === "config") continue;
        seen.set(e.configKey, source);
    }
    const plan = [...seen.entries()].map(([configKey, source]) => ({ configKey, source }));
    const missing = plan.filter((p) => p.source === "generated").map((p) => `${CONFIG_NAMESPACE}:${p.configKey}`);
    if (!allowGenerated && missing.length > 0) {
        throw new Error(`missing secret config ${missing.join(", ")}: generated secrets are off for this stack ` +
            `(${CONFIG_NAMESPACE}:secrets.allowGenerated is false); set each with: pulumi config set --secret <key> <value>`);
    }
    return plan;
}

/** SHA-256 over named secret values (sorted by name): the pod-template stamp of a secret rotation, never a value. */
export function secretChecksum(values: Record<string, string>): string {
    const canonical = JSON.stringify(Object.keys(values).sort().map((k) => [k, createHash("sha256").update(values[k]).digest("hex")]));
    return createHash("sha256").update(`secrets:${canonical}`).digest("hex");
}

/** The service secrets, the Postgres credentials and the Redis credentials of the platform. */
export class AppSecrets extends pulumi.ComponentResource {
    /** Generated passwords, by config key (only for absent values). */
    public readonly generated: Record<string, random.RandomPassword> = {};
    public readonly appSecret?: k8s.core.v1.Secret;
    public readonly postgresSecret?: k8s.core.v1.Secret;
    public readonly redisSecret?: k8s.core.v1.Secret;
    /** Service secrets by config key: where to find them. */
    public readonly refs: Record<string, SecretRef> = {};
    /** Postgres credentials Secret (basic-auth: username + password). */
    public readonly postgresCredentials?: CredentialsRef;
    /** Redis/Valkey credentials Secret (key `password`). */
    public readonly redisCredentials?: SecretRef;
    /** Names of every Secret created here. */
    public readonly secretNames: pulumi.Output<string[]>;
    private readonly values = new Map<string, pulumi.Output<string>>();

    constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:AppSecrets", name, {}, opts);
        const child = { parent: this };
        const names: AppSecretNames = { ...DEFAULT_SECRET_NAMES, ...args.names };
        const all: SecretEntry[] = [...args.secrets];
        if (args.postgres) all.push(args.postgres.password);
        if (args.redis) all.push(args.redis.password);

        // One value per config key: a key shared by a service and a store (e.g. postgresPassword) stays consistent.
        const values = this.values;
        for (const { configKey, source } of planSecretSources(all, args.allowGenerated)) {
            if (source === "config") {
                const v = all.find((e) => e.configKey === configKey && e.value !== undefined)!.value!;
                values.set(configKey, pulumi.secret(v));
            } else {
                const pw = new random.RandomPassword(`${name}-${configKey}`, { length: args.generatedLength, special: false }, child);
                this.generated[configKey] = pw;
                values.set(configKey, pw.result);
            }
        }
        const value = (key: string) => values.get(key)!;
        const metadata = (secretName: string, description: string) => ({
            name: secretName,
            namespace: args.context.namespace,
            labels: standardLabels(args.context.labels, { name: secretName, component: "secret" }),
            annotations: standardAnnotations(args.context.ownership, description),
        });
        const created: pulumi.Output<string>[] = [];

        const serviceKeys = [...new Set(args.secrets.map((s) => s.configKey))].sort();
        if (serviceKeys.length > 0) {
            this.appSecret = new k8s.core.v1.Secret(`${name}-app`, {
                metadata: metadata(names.app, "Service secrets from platform config (one key per config key)"),
                type: "Opaque",
                stringData: Object.fromEntries(serviceKeys.map((k) => [k, value(k)])),
            }, child);
            const secretName = this.appSecret.metadata.name;
            created.push(secretName);
            for (const k of serviceKeys) this.refs[k] = { secretName, key: k };
        }
        if (args.postgres) {
            this.postgresSecret = new k8s.core.v1.Secret(`${name}-postgres`, {
                metadata: metadata(names.postgres, "PostgreSQL application owner credentials"),
                type: "kubernetes.io/basic-auth",
                stringData: {
                    [USERNAME_KEY]: args.postgres.username,
                    [PASSWORD_KEY]: value(args.postgres.password.configKey),
                },
            }, child);
            const secretName = this.postgresSecret.metadata.name;
            created.push(secretName);
            this.postgresCredentials = { secretName, passwordKey: PASSWORD_KEY, usernameKey: USERNAME_KEY, password: { secretName, key: PASSWORD_KEY } };
        }
        if (args.redis) {
            this.redisSecret = new k8s.core.v1.Secret(`${name}-redis`, {
                metadata: metadata(names.redis, "Redis/Valkey credentials"),
                type: "Opaque",
                stringData: { [PASSWORD_KEY]: value(args.redis.password.configKey) },
            }, child);
            const secretName = this.redisSecret.metadata.name;
            created.push(secretName);
            this.redisCredentials = { secretName, key: PASSWORD_KEY };
        }
        this.secretNames = pulumi.all(created);
        this.registerOutputs({ secretNames: this.secretNames });
    }

    /**
     * {@link secretChecksum} over the values of the given config keys; undefined when none of them is held here.
     * The digest is not marked secret: it is one-way, and a secret annotation would hide the whole pod spec in diffs.
     */
    checksumOf(configKeys: readonly string[]): pulumi.Output<string> | undefined {
        const held = [...new Set(configKeys)].filter((k) => this.values.has(k)).sort();
        if (held.length === 0) return undefined;
        return pulumi.unsecret(pulumi.all(held.map((k) => this.values.get(k)!)).apply((vs) => secretChecksum(Object.fromEntries(held.map((k, i) => [k, vs[i]])))));
    }
}
