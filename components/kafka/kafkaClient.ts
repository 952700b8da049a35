// What a client service of Kafka gets: bootstrap address and security settings by value, its SCRAM login and the
// cluster CA by Secret reference, and the broker pods as its egress peer.
import * as pulumi from "@pulumi/pulumi";
import { SecretRef } from "../k8s";
import type { KafkaCredentialsRef } from "../secrets";
import { StoreConnection } from "../stores";
import { KAFKA_PLAIN_PORT, KAFKA_TLS_PORT, kafkaBrokerLabels } from "./kafkaCluster";

/** SASL mechanism of every client login. */
export const KAFKA_SASL_MECHANISM = "SCRAM-SHA-512";

/** Secret (written by the cluster operator) with the cluster CA certificate clients verify the brokers with. */
export function clusterCaSecretRef(clusterName: string): SecretRef {
    return { secretName: `${clusterName}-cluster-ca-cert`, key: "ca.crt" };
}

/**
 * Connection settings for one client service, as env named after the Kafka client properties (KAFKA_ + the property
 * in upper snake case): bootstrap address and security settings by value; user name, password, `sasl.jaas.config`
 * and the cluster CA certificate (PEM) by Secret reference. Consumers also get KAFKA_GROUP_ID, the group their ACL names.
 */
export function kafkaClientConnection(input: {
    bootstrapServers: pulumi.Input<string>;
    clusterName: string;
    tls: boolean;
    credentials: KafkaCredentialsRef;
    consumerGroup?: string;
}): StoreConnection<"kafka"> {
    const env: StoreConnection<"kafka">["env"] = {
        KAFKA_BOOTSTRAP_SERVERS: input.bootstrapServers,
        KAFKA_SECURITY_PROTOCOL: input.tls ? "SASL_SSL" : "SASL_PLAINTEXT",
        KAFKA_SASL_MECHANISM: KAFKA_SASL_MECHANISM,
    };
    if (input.tls) env.KAFKA_SSL_TRUSTSTORE_TYPE = "PEM";
    if (input.consumerGroup) env.KAFKA_GROUP_ID = input.consumerGroup;
    const secretEnv: StoreConnection<"kafka">["secretEnv"] = {
        KAFKA_SASL_USERNAME: input.credentials.usernameRef,
        KAFKA_SASL_PASSWORD: input.credentials.passwordRef,
        KAFKA_SASL_JAAS_CONFIG: input.credentials.jaasConfigRef,
    };
    if (input.tls) secretEnv.KAFKA_SSL_TRUSTSTORE_CERTIFICATES = clusterCaSecretRef(input.clusterName);
    return { env, secretEnv, peer: { podLabels: kafkaBrokerLabels(input.clusterName), ports: [input.tls ? KAFKA_TLS_PORT : KAFKA_PLAIN_PORT] } };
}

/** `<cluster>-kafka-bootstrap.<ns>.svc:<client port>`. */
export function bootstrapAddress(clusterName: string, namespace: pulumi.Input<string>, port: number): pulumi.Output<string> {
    return pulumi.interpolate`${clusterName}-kafka-bootstrap.${namespace}.svc:${port}`;
}
