// What `pulumi destroy` leaves behind on purpose: the data of stores whose stack asks to keep it, and the namespace
// that holds that data (deleting a namespace deletes everything in it, whatever the resources' own options say).
import type { PlatformConfig } from "../config";

/** One kept piece of data, in words, for the stack output, the log and docs/deployment.md. */
export interface RetainedData {
    /** Config key that decides it. */
    key: string;
    /** What stays after `pulumi destroy`. */
    what: string;
}

/** The data a destroy leaves in place for this config (empty: destroy removes everything, namespace included). */
export function retainedOnDestroy(cfg: PlatformConfig): RetainedData[] {
    const out: RetainedData[] = [];
    if (cfg.postgres.enabled && cfg.postgres.pvcRetention === "retain") {
        out.push({ key: "platform:postgres.pvcRetention", what: "the CloudNativePG Cluster and its PVCs" });
    }
    if (cfg.redis.enabled && cfg.redis.persistence.enabled && cfg.redis.pvcRetention === "retain") {
        out.push({ key: "platform:redis.pvcRetention", what: "the Valkey data PVCs" });
    }
    if (cfg.kafka.enabled && cfg.kafka.storage.type === "persistent-claim" && !cfg.kafka.storage.deleteClaim) {
        out.push({ key: "platform:kafka.storage.deleteClaim", what: "the Kafka broker PVCs (Strimzi keeps them when the Kafka CR goes)" });
    }
    return out;
}

/** The log line a preview/up prints when destroy would keep data, or undefined when it would not. */
export function retentionNotice(namespace: string, kept: readonly RetainedData[]): string | undefined {
    if (kept.length === 0) return undefined;
    return (
        `pulumi destroy keeps namespace ${namespace} with ${kept.map((k) => `${k.what} (${k.key})`).join(", ")}; ` +
        "delete them by hand once the data is no longer needed, or set the keys to delete before destroying"
    );
}
