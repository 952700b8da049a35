// PostgreSQL backups to an S3-compatible object store: the Barman Cloud plugin path (default) or the deprecated
// in-tree `barmanObjectStore`. Credentials stay in an existing Secret (ACCESS_KEY_ID / ACCESS_SECRET_KEY), by name.
import type * as pulumi from "@pulumi/pulumi";
import type { BackupConfig } from "../config";

/** Name of the Barman Cloud plugin in the Cluster's `plugins` and in ScheduledBackup.pluginConfiguration. */
export const BARMAN_CLOUD_PLUGIN = "barman-cloud.cloudnative-pg.io";
/** API version of the plugin's ObjectStore CRD (installed with the plugin, not by this program). */
export const BARMAN_OBJECT_STORE_API = "barmancloud.cnpg.io/v1";

type EnabledBackups = Extract<BackupConfig, { enabled: true }>;

/** Requests/limits of the plugin's sidecar in each instance pod (a quota'd namespace needs them set). */
export const BARMAN_SIDECAR_RESOURCES = {
    requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "256Mi" },
    limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "1Gi" },
};

/** The object-store endpoint: the configured URL, else AWS S3 in the configured region (as the cluster chart derives it). */
export function backupEndpoint(b: EnabledBackups): string {
    return b.endpointURL ?? `https://s3.${b.s3Region}.amazonaws.com`;
}

/** Name of the ObjectStore the cluster chart's plugin entry points at (its default `barmanObjectName`). */
export function objectStoreName(clusterName: string): string {
    return `${clusterName}-backups`;
}

/**
 * The cluster chart's `backups` block. With the plugin, the chart renders the Cluster's `plugins` entry (WAL archiver,
 * `barmanObjectName: <cluster>-backups`) and ScheduledBackups with `method: plugin`; its ObjectStore is a Helm hook,
 * which helm.v4.Chart does not render, so the component registers the ObjectStore itself ({@link objectStoreResource}).
 */
export function cnpgBackupValues(b: BackupConfig): Record<string, unknown> {
    if (!b.enabled) return { enabled: false };
    const plugin = b.method === "plugin" ? { pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN } } : {};
    return {
        enabled: true,
        method: b.method,
        ...plugin,
        provider: "s3",
        // Without an endpoint the chart derives https://s3.<region>.amazonaws.com from s3.region.
        ...(b.endpointURL ? { endpointURL: b.endpointURL } : {}),
        destinationPath: b.destinationPath,
        s3: { inheritFromIAMRole: false, ...(b.s3Region ? { region: b.s3Region } : {}) },
        // Existing Secret with ACCESS_KEY_ID and ACCESS_SECRET_KEY, created out of band; the chart creates none.
        secret: { create: false, name: b.credentialsSecret },
        scheduledBackups: [{ name: "scheduled", schedule: b.schedule, backupOwnerReference: "self", method: b.method, ...plugin }],
        retentionPolicy: b.retentionPolicy,
    };
}

/** The plugin's ObjectStore: where WALs and base backups go, with the same compression/encryption as the chart's defaults. */
export function objectStoreResource(input: {
    clusterName: string;
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    backups: EnabledBackups;
}): { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> } {
    const b = input.backups;
    const key = (k: string) => ({ name: b.credentialsSecret, key: k });
    return {
        apiVersion: BARMAN_OBJECT_STORE_API,
        kind: "ObjectStore",
        metadata: {
            name: objectStoreName(input.clusterName),
            namespace: input.namespace,
            labels: { ...input.labels, "cnpg.io/cluster": input.clusterName },
            annotations: { ...input.annotations },
        },
        spec: {
            retentionPolicy: b.retentionPolicy,
            configuration: {
                destinationPath: b.destinationPath,
                endpointURL: backupEndpoint(b),
                s3Credentials: { accessKeyId: key("ACCESS_KEY_ID"), secretAccessKey: key("ACCESS_SECRET_KEY") },
                wal: { compression: "gzip", encryption: "AES256", maxParallel: 1 },
                data: { compression: "gzip", encryption: "AES256", jobs: 2 },
            },
            instanceSidecarConfiguration: { resources: BARMAN_SIDECAR_RESOURCES },
        },
    };
}

/** TCP port of the backup object store: the endpoint URL's port, else its scheme's (443 without an endpoint: S3). */
export function backupEgressPort(endpointURL: string | undefined): number {
    if (!endpointURL) return 443;
    try {
        const u = new URL(endpointURL);
        return u.port ? Number(u.port) : u.protocol === "http:" ? 80 : 443;
    } catch {
        return 443;
    }
}
