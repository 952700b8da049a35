// The one home of every config default. The schema applies them (its doc comments say "Defaults to …"), the
// resolved model layers platform:defaults over WORKLOAD_DEFAULTS, and components read resolved config only.
import { STRIMZI_DEFAULT_KAFKA_VERSION } from "./chartPins";

/** Requests and limits of one container with every quantity set; `ephemeralStorage` bounds the writable layer, logs and emptyDirs. */
export interface ResolvedResources {
    requests: { cpu: string; memory: string; ephemeralStorage: string };
    limits: { cpu: string; memory: string; ephemeralStorage: string };
}

/** The timings of a probe (the part a default can give). */
export interface ProbeTimings {
    initialDelaySeconds: number;
    periodSeconds: number;
    timeoutSeconds: number;
    failureThreshold: number;
}

/** Per-workload settings when neither the service nor platform:defaults sets them (model.ts checks them against WorkloadSettings). */
export const WORKLOAD_DEFAULTS = {
    replicas: 1,
    logLevel: "info" as const,
    imagePullPolicy: "IfNotPresent" as const,
    resources: { requests: { cpu: "100m", memory: "128Mi", ephemeralStorage: "64Mi" }, limits: { cpu: "500m", memory: "512Mi", ephemeralStorage: "256Mi" } },
    autoscaling: { enabled: false, minReplicas: 2, maxReplicas: 5, cpuUtilization: 70, memoryUtilization: 80 },
    disruptionBudget: { enabled: true, maxUnavailable: 1 },
    readinessProbe: { type: "http" as const, path: "/health", initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
    livenessProbe: { type: "http" as const, path: "/health", initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    terminationGracePeriodSeconds: 30,
    preStopSleepSeconds: 5,
    topologySpread: true,
    podSecurity: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, runAsNonRoot: true, readOnlyRootFilesystem: true },
    tmpSizeLimit: "64Mi",
    tmpMedium: "Disk" as const,
    nodeSelector: {},
    tolerations: [],
};

/** Timings of a startup probe that sets none: up to 30 × 5 s for the process to come up. */
export const STARTUP_PROBE_TIMINGS: Readonly<ProbeTimings> = { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 30 };
/** Timings of a sidecar probe that sets none. */
export const SIDECAR_PROBE_TIMINGS: Readonly<ProbeTimings> = { initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };
/** Requests/limits of a sidecar or init container that sets none. */
export const EXTRA_CONTAINER_RESOURCES: Readonly<ResolvedResources> = {
    requests: { cpu: "50m", memory: "64Mi", ephemeralStorage: "16Mi" },
    limits: { cpu: "200m", memory: "128Mi", ephemeralStorage: "128Mi" },
};

/** Defaults of everything outside the per-workload settings, by config key. */
export const DEFAULTS = {
    service: { component: "service", public: false, metricsEnabled: true, metricsPath: "/metrics", postgresRuntimeRole: false },
    migration: { backoffLimit: 3, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 7 * 24 * 3600 },
    /** A token lives one hour (the Kubernetes default) and the kubelet rotates it at 80 % of that. */
    rbac: { tokenExpirationSeconds: 3600 },
    /** History limits from config; retries, run deadline and missed-schedule window are fixed for every cleanup. */
    cleanup: { successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, backoffLimit: 2, activeDeadlineSeconds: 3600, startingDeadlineSeconds: 300 },
    edge: {
        mode: "none",
        ingressClassName: "nginx",
        tlsEnabled: false,
        controllerNamespace: "ingress-nginx",
        forwardedHeaders: false,
        websocketTimeoutSeconds: 3600,
    },
    postgres: {
        enabled: false,
        installOperator: true,
        operatorNamespace: "cnpg-system",
        instances: 1,
        database: "app",
        owner: "app",
        storageSize: "1Gi",
        pvcRetention: "retain",
        isolation: "database",
        // PostgreSQL 16 as the cluster chart's default major, pinned to a minor release (standard image: no Barman
        // tools inside; backups run in the Barman Cloud plugin's sidecar).
        image: "ghcr.io/cloudnative-pg/postgresql:16.10-standard-trixie",
        backups: { schedule: "0 0 2 * * *", retentionPolicy: "30d", method: "plugin" },
        // Ephemeral storage: logs and temporary files; the data lives on the instance's volume.
        resources: {
            requests: { cpu: "250m", memory: "512Mi", ephemeralStorage: "256Mi" },
            limits: { cpu: "1", memory: "1Gi", ephemeralStorage: "1Gi" },
        } as ResolvedResources,
    },
    redis: {
        enabled: false,
        persistenceEnabled: false,
        persistenceSize: "1Gi",
        replicas: 0,
        pvcRetention: "retain",
        // Reads, writes, key-space and transaction commands, minus every admin and dangerous one.
        aclCommands: "-@all +@read +@write +@keyspace +@transaction +@connection -@admin -@dangerous",
        // Ephemeral storage also holds the dump when persistence is off (the chart's data emptyDir has no sizeLimit).
        resources: {
            requests: { cpu: "100m", memory: "128Mi", ephemeralStorage: "128Mi" },
            limits: { cpu: "500m", memory: "512Mi", ephemeralStorage: "1Gi" },
        } as ResolvedResources,
    },
    kafka: {
        enabled: false,
        installOperator: true,
        operatorNamespace: "strimzi-system",
        clusterName: "events",
        version: STRIMZI_DEFAULT_KAFKA_VERSION,
        replicas: 1,
        storageType: "ephemeral",
        storageSize: "10Gi",
        deleteClaim: false,
        tls: true,
        // With ephemeral storage the log directory (storage.size) is added to the limit.
        resources: {
            requests: { cpu: "250m", memory: "1Gi", ephemeralStorage: "256Mi" },
            limits: { cpu: "1", memory: "2Gi", ephemeralStorage: "1Gi" },
        } as ResolvedResources,
        topic: { partitions: 3, replicas: 1, retentionHours: 168 },
    },
    // RFC 1918: in-cluster and private control-plane API endpoints; never the internet.
    network: { apiServerCidrs: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], apiServerPorts: [443, 6443] },
    metadata: { partOf: "platform" },
    namespace: { podSecurityLevel: "restricted" },
    secrets: { allowGenerated: false, allowGeneratedInProduction: false, generatedLength: 32 },
    observability: { monitoringNamespace: "monitoring", serviceMonitors: false, scrapeInterval: "30s" },
    dapr: {
        enabled: false,
        namespace: "dapr-system",
        logLevel: "info",
        pubsubName: "pubsub",
        stateStoreName: "statestore",
        sidecarResources: {
            requests: { cpu: "50m", memory: "64Mi", ephemeralStorage: "16Mi" },
            limits: { cpu: "500m", memory: "256Mi", ephemeralStorage: "128Mi" },
        } as ResolvedResources,
    },
} as const;
