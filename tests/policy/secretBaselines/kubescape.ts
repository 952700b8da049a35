// Rules of Kubescape control C-0012 "Applications credentials in configuration files" (kubescape/regolibrary: rules rule-credentials-in-env-var and rule-credentials-configmap, inputs from default-config-inputs.json, HEAD ce7ef32 of 2026-08-21), re-implemented here from their description.
//
// What it scans: env entries of `containers` (not init or ephemeral containers) of Pod, Deployment, ReplicaSet,
// DaemonSet, StatefulSet, Job and CronJob, envFrom.secretRef of containers and init containers, and ConfigMap
// `data` (not binaryData). It does not read command, args, probes, lifecycle hooks, annotations, Secrets or Helm
// values.
// - An env entry with a non-empty literal value that does not start with "/" is reported when its name, lowercased,
//   contains one of the sensitive key names, or when its value matches one of the sensitive-value patterns (case
//   folded).
// - Every envFrom.secretRef is reported.
// - A ConfigMap data entry with a non-empty value is reported when its key, lowercased, contains a sensitive key
//   name, or when its value (or its base64 decoding) matches a sensitive-value pattern (case-sensitive there).
import type { FakeResource } from "../../../tools/policyRunner";
import { Baseline, asArr, asObj, asStr, containersOf, kindOf, podSpec } from "./common";

/** postureControlInputs.sensitiveKeyNames (substring match on the lowercased name). */
const KEY_NAMES = [
    "aws_secret_access_key",
    "azure_batchai_storage_key",
    "azure_batch_key",
    "secret",
    "key",
    "password",
    "pwd",
    "token",
    "jwt",
    "bearer",
    "credential",
];
/** postureControlInputs.sensitiveValues (regular expressions, unanchored). */
const VALUE_PATTERNS = [
    "BEGIN \\w+ PRIVATE KEY",
    "PRIVATE KEY",
    "eyJhbGciO",
    "JWT",
    "Bearer",
    "_key_",
    "_secret_",
    "AKIA[0-9A-Z]{16}",
    "ghp_[0-9A-Za-z]{36}",
    "AIza[0-9A-Za-z\\-_]{35}",
    "xox[baprs]-[0-9A-Za-z]{10,48}",
];

const WORKLOADS = ["Pod", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob"];

const nameHit = (name: string) => KEY_NAMES.some((k) => name.toLowerCase().includes(k));
const valueHit = (value: string, flags: string) => VALUE_PATTERNS.some((p) => new RegExp(p, flags).test(value));

/** OPA's base64.decode: only well-formed standard base64 decodes; anything else leaves the rule undefined. */
function strictBase64(s: string): string | undefined {
    if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return undefined;
    return Buffer.from(s, "base64").toString("latin1");
}

function findings(r: FakeResource): string[] {
    const kind = kindOf(r.type);
    const out: string[] = [];
    if (WORKLOADS.includes(kind)) {
        const spec = podSpec(kind, r.props);
        for (const { list, index, c } of containersOf(spec, ["containers"])) {
            asArr(c["env"]).forEach((e, j) => {
                const name = asStr(asObj(e)?.["name"]) ?? "";
                const value = asStr(asObj(e)?.["value"]);
                if (value === undefined || value.startsWith("/")) return;
                if (value !== "" && nameHit(name)) out.push(`${list}[${index}].env[${j}] name`);
                else if (valueHit(value, "i")) out.push(`${list}[${index}].env[${j}] value`);
            });
        }
        for (const { list, index, c } of containersOf(spec, ["containers", "initContainers"])) {
            asArr(c["envFrom"]).forEach((e, j) => {
                if (asObj(e)?.["secretRef"]) out.push(`${list}[${index}].envFrom[${j}].secretRef`);
            });
        }
    }
    if (kind === "ConfigMap") {
        for (const [key, raw] of Object.entries(asObj(r.props["data"]) ?? {})) {
            const value = asStr(raw);
            if (!value) continue;
            const decoded = strictBase64(value);
            if (nameHit(key) || valueHit(value, "") || (decoded !== undefined && valueHit(decoded, ""))) out.push(`data[${key}]`);
        }
    }
    return out;
}

export const kubescape: Baseline = {
    name: "Kubescape C-0012",
    source: "kubescape/regolibrary rule-credentials-in-env-var, rule-credentials-configmap, default-config-inputs.json",
    findings,
};
