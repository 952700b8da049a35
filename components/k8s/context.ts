// Types shared by components: where they deploy, how they label, and how they refer to secrets and network peers.
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedService } from "../config";
import { LabelContext, OwnershipMetadata } from "./labels";

/** Stack-wide facts every component needs. */
export interface PlatformContext {
    /** Namespace everything of the platform lives in (from NamespaceBaseline). */
    namespace: pulumi.Input<string>;
    /** Stack-wide label values (environment, team, cost center, part-of). */
    labels: LabelContext;
    /** Ownership annotations. */
    ownership: OwnershipMetadata;
}

/** A reference to one key of a Kubernetes Secret; values never travel, only names. */
export interface SecretRef {
    /** Name of the Secret in the platform namespace. */
    secretName: pulumi.Input<string>;
    /** Key inside the Secret. */
    key: string;
}

/** A set of pods other workloads may talk to, for NetworkPolicy peers. */
export interface NetworkPeer {
    /** Labels that select the pods (matchLabels semantics). */
    podLabels: Record<string, string>;
    /** Namespace of the pods; undefined means the platform namespace. */
    namespace?: string;
    /** TCP ports the pods accept. */
    ports: number[];
}

/** What a data store hands to the services that use it: connection settings by value, credentials by reference. */
export interface ClientConnection {
    /** Non-secret environment (host, port, database name…). */
    env: Record<string, pulumi.Input<string>>;
    /** Secret environment, by reference. */
    secretEnv: Record<string, SecretRef>;
    /** Secret environment of the migration Job when it logs in differently (a database owner); defaults to `secretEnv`. */
    migrationSecretEnv?: Record<string, SecretRef>;
    /** The store's pods, for the client's egress NetworkPolicy. */
    peer: NetworkPeer;
}

/** Prometheus Operator scraping of the data stores, set when the stack asks for it (observability.serviceMonitors). */
export interface MonitoringSettings {
    /** Namespace of Prometheus: admitted to the stores' metrics ports only. */
    namespace: string;
    /** Scrape interval of the PodMonitors/ServiceMonitors, e.g. "30s". */
    scrapeInterval: string;
}

/** What every workload of a service (Deployment, migration Job, cleanup CronJob) is built from. */
export interface ServiceWorkloadInputs {
    /** Namespace, labels and ownership. */
    context: PlatformContext;
    /** The resolved service the workload belongs to. */
    service: ResolvedService;
    /** ConfigMap with the service's non-secret env, consumed with envFrom. */
    configMapName: pulumi.Input<string>;
    /** The service's ServiceAccount. */
    serviceAccountName: pulumi.Input<string>;
    /** Secret env by reference (service secrets and store credentials), env name → SecretRef. */
    secretEnv: Record<string, SecretRef>;
}
