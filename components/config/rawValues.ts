// One Pulumi config value as the runtime stores it (a string) turned into what the schema reads: JSON objects, lists,
// booleans and numbers parsed, anything else kept as text. Shared by the app and the cluster layer config.
import { ConfigError } from "./errors";
import { CONFIG_NAMESPACE } from "./validators";

/** The value of `platform:<key>`; malformed JSON is a ConfigError naming the key. */
export function parseRawValue(key: string, raw: string): unknown {
    const t = raw.trim();
    if (t.startsWith("{") || t.startsWith("[") || t === "true" || t === "false" || /^-?[0-9]+(\.[0-9]+)?$/.test(t)) {
        try {
            return JSON.parse(t);
        } catch {
            throw new ConfigError([{ key: `${CONFIG_NAMESPACE}:${key}`, message: "is not valid JSON" }]);
        }
    }
    return raw;
}
