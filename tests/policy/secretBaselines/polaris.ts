// Rules of Polaris' checks sensitiveContainerEnvVar and sensitiveConfigmapContent (FairwindsOps/polaris pkg/config/checks, HEAD c0e23a2 of 2026-08-21), re-implemented here from their description.
//
// What it scans: the env of every container (Polaris' Container target: containers and init containers) of the
// pod controllers, and ConfigMap `data` (keys and values; not binaryData). It does not read command, args,
// probes, lifecycle hooks, annotations, Secrets or Helm values.
// - An env entry with a literal `value` (valueFrom entries pass) fails when its name is AWS_SECRET_ACCESS_KEY,
//   GOOGLE_APPLICATION_CREDENTIALS, OCI_CLI_KEY_CONTENT or AZURE_…KEY, or contains password, token, bearer or
//   secret (case-insensitive), or when its value holds a "-BEGIN … PRIVATE KEY-" line.
// - A ConfigMap fails on the same key-name rules for its data keys and the same private-key rule for its values.
import type { FakeResource } from "../../../tools/policyRunner";
import { Baseline, asArr, asObj, asStr, containersOf, kindOf, podSpec } from "./common";

const EXACT_NAMES = /^(AWS_SECRET_ACCESS_KEY|GOOGLE_APPLICATION_CREDENTIALS|OCI_CLI_KEY_CONTENT|AZURE_.+KEY)$/i;
const NAME_WORDS = /password|token|bearer|secret/i;
const PRIVATE_KEY = /\s*-BEGIN\s+.*PRIVATE KEY-\s*/i;

const CONTROLLERS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"];
const badName = (n: string) => EXACT_NAMES.test(n) || NAME_WORDS.test(n);

function findings(r: FakeResource): string[] {
    const kind = kindOf(r.type);
    const out: string[] = [];
    if (CONTROLLERS.includes(kind)) {
        for (const { list, index, c } of containersOf(podSpec(kind, r.props), ["containers", "initContainers"])) {
            asArr(c["env"]).forEach((e, j) => {
                const o = asObj(e) ?? {};
                if (!("value" in o)) return;
                const name = asStr(o["name"]) ?? "";
                const value = asStr(o["value"]) ?? "";
                if (badName(name) || PRIVATE_KEY.test(value)) out.push(`${list}[${index}].env[${j}]`);
            });
        }
    }
    if (kind === "ConfigMap") {
        for (const [key, raw] of Object.entries(asObj(r.props["data"]) ?? {})) {
            if (badName(key) || PRIVATE_KEY.test(asStr(raw) ?? "")) out.push(`data[${key}]`);
        }
    }
    return out;
}

export const polaris: Baseline = {
    name: "Polaris",
    source: "FairwindsOps/polaris checks sensitiveContainerEnvVar, sensitiveConfigmapContent",
    findings,
};
