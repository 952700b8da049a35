// What a blueprint needs on the hermetic cluster beyond its own file, shared by the suites that bring blueprints up
// (tests/e2e/blueprints.e2e.test.ts on kwok nodes, tests/e2e/runtimeBlueprints.e2e.test.ts on the real node).
import { parsePlatformConfig, requiredSecretKeys, TOP_LEVEL_KEYS } from "../../components/config";
import { readStackFile, StackTarget } from "../../tools/stackTargets";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- live objects read as JSON

/** Open-schema CRDs for kinds whose operators are not installed here (so only the kind, not its fields, is checked). */
function standInCrd(group: string, kind: string, plural: string, version: string): Obj {
    return {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: `${plural}.${group}` },
        spec: {
            group,
            scope: "Namespaced",
            names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
            versions: [
                { name: version, served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } },
            ],
        },
    };
}
export const STAND_IN_CRDS = [
    standInCrd("monitoring.coreos.com", "ServiceMonitor", "servicemonitors", "v1"),
    standInCrd("monitoring.coreos.com", "PodMonitor", "podmonitors", "v1"),
    standInCrd("monitoring.coreos.com", "PrometheusRule", "prometheusrules", "v1"),
    standInCrd("dapr.io", "Component", "components", "v1alpha1"),
    standInCrd("dapr.io", "Subscription", "subscriptions", "v2alpha1"),
    // The Barman Cloud plugin is a cluster prerequisite next to the CNPG operator (docs/deployment.md); Sorcha's backups use it.
    standInCrd("barmancloud.cnpg.io", "ObjectStore", "objectstores", "v1"),
];

/**
 * kwok has no volume provisioner: static PersistentVolumes (no storage class, never mounted since no container runs)
 * let the blueprints' claims (Valkey data, the Market Spine queue, Sorcha's docket cache) bind, so their pods schedule.
 */
export const STATIC_VOLUMES = Array.from({ length: 12 }, (_, i) => ({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: `e2e-blueprint-pv-${i}` },
    spec: {
        capacity: { storage: "100Gi" },
        accessModes: ["ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany"],
        persistentVolumeReclaimPolicy: "Retain",
        hostPath: { path: `/tmp/e2e-blueprint-pv-${i}` },
    },
}));

/** Every secret the blueprint's config requires, as an operator would set them (random, never written to a file). */
export function requiredSecrets(t: StackTarget): string[] {
    const raw: Record<string, string> = {};
    for (const [k, v] of Object.entries(readStackFile(t.name, t.configFile))) {
        const key = k.replace(/^platform:/, "");
        if (k.startsWith("platform:") && (TOP_LEVEL_KEYS as string[]).includes(key)) raw[key] = typeof v === "string" ? v : JSON.stringify(v);
    }
    const cfg = parsePlatformConfig(raw, { isSet: () => true, isSecret: () => true });
    return cfg.secrets.allowGenerated ? [] : requiredSecretKeys(cfg).map((s) => s.key);
}

/** The lines of a failed CLI run that say why: errors and mandatory violations with the two lines that explain each. */
export function failureLines(r: { stdout: string; stderr: string }): string {
    const lines = `${r.stdout}\n${r.stderr}`.split("\n");
    return lines
        .flatMap((l, i) => (/\[mandatory\]/.test(l) ? lines.slice(i, i + 3) : /error/i.test(l) ? [l] : []))
        .slice(0, 40)
        .join("\n");
}

/** The operators a blueprint's file installs (postgres/kafka with installOperator not false). */
export function operatorsOf(t: StackTarget): ("postgres" | "kafka")[] {
    const cfg = readStackFile(t.name, t.configFile);
    return (["postgres", "kafka"] as const).filter((k) => {
        const store = cfg[`platform:${k}`] as Obj | undefined;
        return store?.enabled === true && store.installOperator !== false;
    });
}
