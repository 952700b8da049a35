// Composes the platform from validated stack config. Nothing is registered until the whole config is valid.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, parsePlatformConfig, RawConfig, SecretPresence } from "./components/config";

// isConfigSecret is internal to the SDK (runtime/config.js); it tells a `secure:` value from a plaintext one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(k: string): boolean };

function readRawConfig(): RawConfig {
    const raw: RawConfig = {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
        if (k.startsWith(prefix)) raw[k.slice(prefix.length)] = v;
    }
    return raw;
}

const secretPresence: SecretPresence = {
    isSet: (key) => pulumi.runtime.getConfig(`${CONFIG_NAMESPACE}:${key}`) !== undefined,
    isSecret: (key) => runtimeConfig.isConfigSecret(`${CONFIG_NAMESPACE}:${key}`),
};

const cfg = parsePlatformConfig(readRawConfig(), secretPresence);

export const environment = cfg.environment;
export const namespace = cfg.namespace.name;
