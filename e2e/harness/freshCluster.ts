// What every e2e suite starts from: a fresh cluster and backend (nothing left over from an earlier run can make a test
// pass or fail), and typed API clients for it.
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { clusterUp, e2eEnv, REPO, requireToolchain, runVisible } from "./localCluster";

/** Purges this slot's cluster, starts a new one and returns the environment that points the CLI and kubectl at it. */
export async function freshCluster(): Promise<NodeJS.ProcessEnv> {
    const bin = requireToolchain();
    await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down", "--purge"], e2eEnv(bin));
    const env = e2eEnv(bin);
    await clusterUp(env);
    return env;
}

/** The API clients the suites read the cluster with. */
export interface KubeApis {
    kc: k8s.KubeConfig;
    core: k8s.CoreV1Api;
    apps: k8s.AppsV1Api;
    batch: k8s.BatchV1Api;
    net: k8s.NetworkingV1Api;
    rbac: k8s.RbacAuthorizationV1Api;
    policy: k8s.PolicyV1Api;
    autoscaling: k8s.AutoscalingV2Api;
    custom: k8s.CustomObjectsApi;
}

export function kubeApis(env: NodeJS.ProcessEnv): KubeApis {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(env.KUBECONFIG ?? "");
    return {
        kc,
        core: kc.makeApiClient(k8s.CoreV1Api),
        apps: kc.makeApiClient(k8s.AppsV1Api),
        batch: kc.makeApiClient(k8s.BatchV1Api),
        net: kc.makeApiClient(k8s.NetworkingV1Api),
        rbac: kc.makeApiClient(k8s.RbacAuthorizationV1Api),
        policy: kc.makeApiClient(k8s.PolicyV1Api),
        autoscaling: kc.makeApiClient(k8s.AutoscalingV2Api),
        custom: kc.makeApiClient(k8s.CustomObjectsApi),
    };
}
