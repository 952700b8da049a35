// Kafka: the Strimzi operator, the cluster, topics, users, NetworkPolicy, monitoring and client connection.
export { Kafka } from "./kafka";
export type { KafkaArgs } from "./kafka";
export { STRIMZI_OPERATOR_NAME, strimziOperatorValues } from "./strimziOperator";
