// How the Valkey pods run beyond what the chart defaults give: probes that authenticate, the rollout strategy a
// ReadWriteOnce volume needs, the exporter sidecar, and what `pulumi destroy` keeps.
import type { ChartChildPolicy } from "../charts";
import { VALKEY_REPLICATION_USER } from "../config";
import { containerSecurityContext, type MonitoringSettings } from "../k8s";

/** Port of the redis_exporter sidecar the chart adds with metrics.enabled. */
export const VALKEY_METRICS_PORT = 9121;
/** Where the main container sees the users Secret, so its probes can authenticate (the init container has its own mount). */
export const VALKEY_AUTH_MOUNT = "/run/valkey-auth";

const EXPORTER_RESOURCES = {
    requests: { cpu: "10m", memory: "32Mi", "ephemeral-storage": "16Mi" },
    limits: { cpu: "100m", memory: "64Mi", "ephemeral-storage": "64Mi" },
};

/**
 * A probe that authenticates as the replication user (which may PING): the chart's own probe runs a bare
 * `valkey-cli ping`, which only gets NOAUTH once the default user is off, so it would pass or fail regardless of health.
 */
export function valkeyProbe(timing: { periodSeconds: number; failureThreshold: number }): Record<string, unknown> {
    const password = `$(cat ${VALKEY_AUTH_MOUNT}/${VALKEY_REPLICATION_USER})`;
    const ping = `[ "$(REDISCLI_AUTH="${password}" valkey-cli --user ${VALKEY_REPLICATION_USER} --no-auth-warning ping)" = PONG ]`;
    return { enabled: true, customProbe: { exec: { command: ["sh", "-c", ping] }, initialDelaySeconds: 0, timeoutSeconds: 3, ...timing } };
}

/** Probes, rollout strategy and the users Secret mount of the Valkey container (chart values). */
export function valkeyPodValues(cfg: { replicas: number; persistence: { enabled: boolean } }): Record<string, unknown> {
    return {
        // A RollingUpdate of the single standalone pod would wait forever for its ReadWriteOnce volume.
        deploymentStrategy: cfg.replicas === 0 && cfg.persistence.enabled ? "Recreate" : "RollingUpdate",
        extraVolumeMounts: [{ name: "valkey-users-secret", mountPath: VALKEY_AUTH_MOUNT, readOnly: true }],
        startupProbe: valkeyProbe({ periodSeconds: 5, failureThreshold: 24 }),
        livenessProbe: valkeyProbe({ periodSeconds: 10, failureThreshold: 3 }),
        readinessProbe: valkeyProbe({ periodSeconds: 5, failureThreshold: 3 }),
    };
}

/**
 * The chart's `metrics` block: the redis_exporter sidecar under the restricted profile, logged in as the replication
 * user (the chart hands it the password of `aclUsers.default.passwordKey`, which is that user's), and a ServiceMonitor.
 */
export function valkeyMetricsValues(monitoring: MonitoringSettings | undefined): Record<string, unknown> {
    if (!monitoring) return { enabled: false };
    return {
        enabled: true,
        exporter: { securityContext: containerSecurityContext(), resources: EXPORTER_RESOURCES, extraEnvs: { REDIS_USER: VALKEY_REPLICATION_USER } },
        serviceMonitor: { enabled: true, interval: monitoring.scrapeInterval },
    };
}

/** What the Valkey chart's transform does: labels, and with "retain" the standalone PVC survives `pulumi destroy`. */
export function valkeyChartPolicy(cfg: { pvcRetention: "retain" | "delete" }, labels: Record<string, string>): ChartChildPolicy {
    return { labels, retain: (obj) => cfg.pvcRetention === "retain" && obj.kind === "PersistentVolumeClaim" };
}
