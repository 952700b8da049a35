// One microservice: Deployment, Service, scaling, access, NetworkPolicy, migration Job and cleanup CronJob.
export { Microservice } from "./microservice";
export type { MicroserviceArgs } from "./microservice";
export { clientSelectors } from "./serviceNetworkPolicy";
