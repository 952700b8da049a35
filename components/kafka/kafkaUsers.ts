// One `KafkaUser` per client service: SCRAM-SHA-512 login with the password from its credentials Secret, and the
// ACLs its topics' `producers`/`consumers` grant (the simple authorizer allows nothing else).
import * as pulumi from "@pulumi/pulumi";
import type { TopicConfig } from "../config";
import type { KafkaCredentialsRef } from "../secrets";
import { STRIMZI_API_VERSION, STRIMZI_CLUSTER_LABEL, StrimziResource } from "./kafkaCluster";

/** A service's Kafka login: the KafkaUser name and where its password lives. */
export interface KafkaClientUser {
    /** The service (also the KafkaUser name, the SCRAM user name and its consumer group). */
    service: string;
    /** Its credentials, by reference. */
    credentials: KafkaCredentialsRef;
}

/** One ACL rule of a KafkaUser (kafka.strimzi.io/v1 `spec.authorization.acls[]`). */
export interface KafkaAcl {
    resource: { type: "topic" | "group"; name: string; patternType: "literal" };
    operations: ("Read" | "Write" | "Describe")[];
}

/**
 * The ACLs of one service, from the topics' `producers`/`consumers`: Write+Describe on each topic it produces,
 * Read+Describe on each topic it consumes and Read on its own consumer group (named after the service). Nothing on
 * a topic that does not list it.
 */
export function kafkaAcls(service: string, topics: readonly TopicConfig[]): KafkaAcl[] {
    const acls: KafkaAcl[] = [];
    for (const t of topics) {
        const ops = new Set<KafkaAcl["operations"][number]>();
        if (t.producers.includes(service)) {
            ops.add("Write");
            ops.add("Describe");
        }
        if (t.consumers.includes(service)) {
            ops.add("Read");
            ops.add("Describe");
        }
        if (ops.size > 0)
            acls.push({
                resource: { type: "topic", name: t.name, patternType: "literal" },
                operations: (["Read", "Write", "Describe"] as const).filter((o) => ops.has(o)),
            });
    }
    if (topics.some((t) => t.consumers.includes(service)))
        acls.push({ resource: { type: "group", name: service, patternType: "literal" }, operations: ["Read"] });
    return acls;
}

/** One `KafkaUser`: SCRAM-SHA-512 with the password from the service's credentials Secret, and its ACLs. */
export function kafkaUserResource(input: {
    clusterName: string;
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    user: KafkaClientUser;
    topics: readonly TopicConfig[];
}): StrimziResource {
    const pw = input.user.credentials.passwordRef;
    return {
        apiVersion: STRIMZI_API_VERSION,
        kind: "KafkaUser",
        metadata: {
            name: input.user.credentials.username,
            namespace: input.namespace,
            labels: { ...input.labels, [STRIMZI_CLUSTER_LABEL]: input.clusterName },
            annotations: { ...input.annotations },
        },
        spec: {
            authentication: { type: "scram-sha-512", password: { valueFrom: { secretKeyRef: { name: pw.secretName, key: pw.key } } } },
            // An empty list is explicit: the user may connect but touch nothing.
            authorization: { type: "simple", acls: kafkaAcls(input.user.service, input.topics) },
        },
    };
}
