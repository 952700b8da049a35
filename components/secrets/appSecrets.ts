// Kubernetes Secrets built from `pulumi config set --secret` values, with RandomPassword stand-ins where the stack
// allows generated secrets. One credentials Secret per service (what its pods read), plus the server-side copies the
// stores need (CNPG role Secrets, the Valkey users Secret). Only names and keys leave this component.
import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { BuiltinStore, CONFIG_NAMESPACE, CredentialPurpose, StoreUser, VALKEY_REPLICATION_CONFIG_KEY, VALKEY_REPLICATION_USER } from "../config";
import { FORCE_APPLY_ANNOTATIONS, PlatformContext, SecretRef, standardAnnotations, standardLabels } from "../k8s";

/** One secret config value: `platform:<configKey>`, or undefined when the stack does not set it. */
export interface SecretEntry {
    /** Config key without namespace, e.g. "sessionKey". */
    configKey: string;
    /** The value from `config.getSecret(configKey)`; undefined when absent. */
    value: pulumi.Output<string> | undefined;
}

/** A store login by reference: the user name by value, where its password (and name) live. */
export interface CredentialsRef {
    /** User name inside the store (role, ACL user, KafkaUser). */
    username: string;
    /** The user name, from the Secret (for env). */
    usernameRef: SecretRef;
    /** The password, from the Secret (for env). */
    passwordRef: SecretRef;
}

/** Kafka client credentials: the SCRAM login plus a ready `sasl.jaas.config` line, both by reference. */
export interface KafkaCredentialsRef extends CredentialsRef {
    jaasConfigRef: SecretRef;
}

/** One service: the secret config keys its `secretEnv` reads, by config key. */
export interface ServiceSecretKeys {
    service: string;
    configKeys: string[];
}

/** Arguments of {@link AppSecrets}. */
export interface AppSecretsArgs {
    /** Namespace, labels and ownership. */
    context: PlatformContext;
    /** Every secret config value the stack reads (service secrets and store passwords), by config key. */
    values: SecretEntry[];
    /** The service secrets each service reads. */
    services: ServiceSecretKeys[];
    /** The store users (from `storeUsers(cfg)`): their passwords go into their service's Secret. */
    users: readonly StoreUser[];
    /** Valkey is on: create the users Secret the chart mounts (service users + the replication user). */
    valkey: boolean;
    /** `platform:secrets.allowGenerated`: absent values may be generated with RandomPassword. */
    allowGenerated: boolean;
    /** `platform:secrets.generatedLength`: length of generated passwords. */
    generatedLength: number;
}

/** Name of a service's credentials Secret: everything its pods read, and nothing of any other service. */
export function serviceSecretName(service: string): string {
    return `${service}-credentials`;
}

/** Name of the basic-auth Secret CloudNativePG reads a managed role's password from. */
export function postgresRoleSecretName(user: Pick<StoreUser, "service" | "purpose">): string {
    return `${user.service}-postgres-${user.purpose}`;
}

/** Name of the Secret the Valkey chart mounts (`auth.usersExistingSecret`): one key per ACL user. */
export const VALKEY_USERS_SECRET = "valkey-users";

/** Keys of one store user inside its service's credentials Secret. */
export function credentialKeys(store: BuiltinStore, purpose: CredentialPurpose): { username: string; password: string; jaasConfig: string } {
    const p = `${store}-${purpose}`;
    return { username: `${p}-username`, password: `${p}-password`, jaasConfig: `${p}-sasl-jaas-config` };
}

/** The `sasl.jaas.config` client property for a SCRAM login (quotes and backslashes escaped). */
export function scramJaasConfig(username: string, password: string): string {
    const q = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    return `org.apache.kafka.common.security.scram.ScramLoginModule required username="${q(username)}" password="${q(password)}";`;
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
        throw new Error(
            `missing secret config ${missing.join(", ")}: generated secrets are off for this stack ` +
                `(${CONFIG_NAMESPACE}:secrets.allowGenerated is false); set each with: pulumi config set --secret <key> <value>`,
        );
    }
    return plan;
}

/** SHA-256 over named secret values (sorted by name): the pod-template stamp of a secret rotation, never a value. */
export function secretChecksum(values: Record<string, string>): string {
    const canonical = JSON.stringify(
        Object.keys(values)
            .sort()
            .map((k) => [k, createHash("sha256").update(values[k]).digest("hex")]),
    );
    return createHash("sha256").update(`secrets:${canonical}`).digest("hex");
}

/** Per-service credentials Secrets and the stores' server-side copies. */
export class AppSecrets extends pulumi.ComponentResource {
    /** Generated passwords, by config key (only for absent values). */
    public readonly generated: Record<string, random.RandomPassword> = {};
    /** Credentials Secret of each service that reads any secret, by service name. */
    public readonly serviceSecrets: Record<string, k8s.core.v1.Secret> = {};
    /** CNPG role Secrets (basic-auth), by role name. */
    public readonly postgresRoleSecrets: Record<string, k8s.core.v1.Secret> = {};
    /** The Secret the Valkey chart mounts. */
    public readonly valkeyUsersSecret?: k8s.core.v1.Secret;
    /** Names of every Secret created here. */
    public readonly secretNames: pulumi.Output<string[]>;
    private readonly values = new Map<string, pulumi.Output<string>>();

    private readonly serviceSecretNames: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:AppSecrets", name, {}, opts);
        const child = { parent: this };

        // One value per config key: a key read by two services stays one value.
        const values = this.values;
        for (const { configKey, source } of planSecretSources(args.values, args.allowGenerated)) {
            if (source === "config") {
                values.set(configKey, pulumi.secret(args.values.find((e) => e.configKey === configKey && e.value !== undefined)!.value!));
            } else {
                const pw = new random.RandomPassword(`${name}-${configKey}`, { length: args.generatedLength, special: false }, child);
                this.generated[configKey] = pw;
                values.set(configKey, pw.result);
            }
        }
        const value = (key: string) => {
            const v = values.get(key);
            if (!v) throw new Error(`AppSecrets: no value for ${CONFIG_NAMESPACE}:${key}; pass it in args.values`);
            return v;
        };
        const metadata = (secretName: string, description: string, extraLabels: Record<string, string> = {}) => ({
            name: secretName,
            namespace: args.context.namespace,
            labels: { ...standardLabels(args.context.labels, { name: secretName, component: "secret" }), ...extraLabels },
            annotations: { ...standardAnnotations(args.context.ownership, description), ...FORCE_APPLY_ANNOTATIONS },
        });
        const created: pulumi.Output<string>[] = [];

        const serviceNames = [...new Set([...args.services.map((s) => s.service), ...args.users.map((u) => u.service)])];
        for (const service of serviceNames) {
            const data: Record<string, pulumi.Input<string>> = {};
            for (const k of [...new Set(args.services.filter((s) => s.service === service).flatMap((s) => s.configKeys))].sort()) data[k] = value(k);
            for (const u of args.users.filter((x) => x.service === service)) {
                const keys = credentialKeys(u.store, u.purpose);
                data[keys.username] = u.username;
                data[keys.password] = value(u.configKey);
                if (u.store === "kafka") data[keys.jaasConfig] = value(u.configKey).apply((pw) => scramJaasConfig(u.username, pw));
            }
            if (Object.keys(data).length === 0) continue;
            const secret = new k8s.core.v1.Secret(
                `${name}-${service}`,
                {
                    metadata: metadata(serviceSecretName(service), `Credentials of service ${service}: its secretEnv and its data-store logins`),
                    type: "Opaque",
                    stringData: pulumi.secret(data),
                },
                child,
            );
            this.serviceSecrets[service] = secret;
            this.serviceSecretNames[service] = secret.metadata.name;
            created.push(secret.metadata.name);
        }

        for (const u of args.users.filter((x) => x.store === "postgres")) {
            const secret = new k8s.core.v1.Secret(
                `${name}-pg-${u.username}`,
                {
                    // CloudNativePG re-reads a role Secret that carries this label when its password changes.
                    metadata: metadata(postgresRoleSecretName(u), `Password of PostgreSQL role ${u.username} (read by CloudNativePG)`, {
                        "cnpg.io/reload": "true",
                    }),
                    type: "kubernetes.io/basic-auth",
                    stringData: { username: u.username, password: value(u.configKey) },
                },
                child,
            );
            this.postgresRoleSecrets[u.username] = secret;
            created.push(secret.metadata.name);
        }

        if (args.valkey) {
            const data: Record<string, pulumi.Input<string>> = { [VALKEY_REPLICATION_USER]: value(VALKEY_REPLICATION_CONFIG_KEY) };
            for (const u of args.users.filter((x) => x.store === "redis")) data[u.username] = value(u.configKey);
            this.valkeyUsersSecret = new k8s.core.v1.Secret(
                `${name}-valkey-users`,
                {
                    metadata: metadata(VALKEY_USERS_SECRET, "Valkey ACL user passwords (mounted by the Valkey pods only), key = user name"),
                    type: "Opaque",
                    stringData: pulumi.secret(data),
                },
                child,
            );
            created.push(this.valkeyUsersSecret.metadata.name);
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
        return pulumi.unsecret(
            pulumi.all(held.map((k) => this.values.get(k)!)).apply((vs) => secretChecksum(Object.fromEntries(held.map((k, i) => [k, vs[i]])))),
        );
    }

    /** Where a service's `secretEnv` value of `platform:<configKey>` lives. */
    serviceSecretRef(service: string, configKey: string): SecretRef {
        return { secretName: this.secretNameOf(service), key: configKey };
    }

    /** A service's login to a store, by reference. */
    credentials(user: StoreUser): CredentialsRef {
        const keys = credentialKeys(user.store, user.purpose);
        const secretName = this.secretNameOf(user.service);
        return { username: user.username, usernameRef: { secretName, key: keys.username }, passwordRef: { secretName, key: keys.password } };
    }

    /** A service's Kafka login, with the JAAS line, by reference. */
    kafkaCredentials(user: StoreUser): KafkaCredentialsRef {
        const base = this.credentials(user);
        return { ...base, jaasConfigRef: { secretName: base.passwordRef.secretName, key: credentialKeys(user.store, user.purpose).jaasConfig } };
    }

    /** Name of the CNPG Secret of a PostgreSQL role. */
    postgresRoleSecret(user: StoreUser): pulumi.Output<string> {
        const s = this.postgresRoleSecrets[user.username];
        if (!s) throw new Error(`AppSecrets: no role Secret for PostgreSQL user ${user.username}`);
        return s.metadata.name;
    }

    /** Name of the Valkey users Secret. */
    valkeyUsersSecretName(): pulumi.Output<string> {
        if (!this.valkeyUsersSecret) throw new Error("AppSecrets: Valkey is off, there is no users Secret");
        return this.valkeyUsersSecret.metadata.name;
    }

    private secretNameOf(service: string): pulumi.Output<string> {
        const n = this.serviceSecretNames[service];
        if (!n) throw new Error(`AppSecrets: service ${service} has no credentials Secret`);
        return n;
    }
}
