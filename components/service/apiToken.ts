// The Kubernetes API credential of a service with RBAC rules: instead of automounting the ServiceAccount token into
// every container, the pod keeps automountServiceAccountToken: false and the main container alone mounts a projected
// volume with a short-lived, kubelet-rotated token, the cluster CA and the namespace — the files in-cluster clients read.
import * as k8s from "@pulumi/kubernetes";
import { API_TOKEN_MOUNT_PATH, API_TOKEN_VOLUME, ResolvedService } from "../config";
import { needsApiAccess } from "./serviceAccess";

/** ConfigMap Kubernetes publishes in every namespace with the cluster's CA bundle. */
export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";

/** The projected volume (token + CA + namespace), or none for a service that does not use the API. */
export function apiTokenVolumes(svc: Pick<ResolvedService, "rbac">): k8s.types.input.core.v1.Volume[] {
    if (!needsApiAccess(svc)) return [];
    return [
        {
            name: API_TOKEN_VOLUME,
            projected: {
                defaultMode: 0o444,
                sources: [
                    { serviceAccountToken: { path: "token", expirationSeconds: svc.rbac!.tokenExpirationSeconds } },
                    { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: "ca.crt", path: "ca.crt" }] } },
                    { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
                ],
            },
        },
    ];
}

/** The read-only mount of the token volume, for the main container only (sidecars get no API credential). */
export function apiTokenMounts(svc: Pick<ResolvedService, "rbac">): k8s.types.input.core.v1.VolumeMount[] {
    return needsApiAccess(svc) ? [{ name: API_TOKEN_VOLUME, mountPath: API_TOKEN_MOUNT_PATH, readOnly: true }] : [];
}
