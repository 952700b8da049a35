// The stack's Kubernetes Secrets: one per service and per store login, from --secret config or generated.
export { AppSecrets } from "./appSecrets";
export type { AppSecretsArgs, CredentialsRef, KafkaCredentialsRef, SecretEntry } from "./appSecrets";
