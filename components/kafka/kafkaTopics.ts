// One `KafkaTopic` per configured topic, managed by the cluster's topic operator.
import * as pulumi from "@pulumi/pulumi";
import type { TopicConfig } from "../config";
import { STRIMZI_API_VERSION, STRIMZI_CLUSTER_LABEL, StrimziResource } from "./kafkaCluster";

/** One `KafkaTopic` (managed by the topic operator of the cluster named in `strimzi.io/cluster`). */
export function kafkaTopicResource(input: {
    clusterName: string;
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    topic: TopicConfig;
}): StrimziResource {
    const t = input.topic;
    return {
        apiVersion: STRIMZI_API_VERSION,
        kind: "KafkaTopic",
        metadata: {
            // Topic names (app.domain.event-type.version) are valid DNS subdomains, so the CR carries the topic's name.
            name: t.name,
            namespace: input.namespace,
            labels: { ...input.labels, [STRIMZI_CLUSTER_LABEL]: input.clusterName },
            annotations: { ...input.annotations },
        },
        spec: {
            topicName: t.name,
            partitions: t.partitions,
            replicas: t.replicas,
            config: { "retention.ms": t.retentionHours * 3_600_000 },
        },
    };
}
