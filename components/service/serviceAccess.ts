// Kubernetes API access of a service: a namespaced Role with the rules from config, bound to its ServiceAccount.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedService } from "../config";

/** The Role's rules, as declared (config refuses wildcards, escalation verbs and unnamed Secrets). */
export function roleRules(svc: Pick<ResolvedService, "rbac">): k8s.types.input.rbac.v1.PolicyRule[] {
    return (svc.rbac?.rules ?? []).map((r) => ({
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
        verbs: [...r.verbs],
    }));
}

/** True when the service talks to the Kubernetes API (then its token is mounted and egress to the API is open). */
export function needsApiAccess(svc: Pick<ResolvedService, "rbac">): boolean {
    return roleRules(svc).length > 0;
}

/** RoleBinding of the service's Role to its ServiceAccount, in the platform namespace. */
export function roleBindingSubjects(serviceAccountName: pulumi.Input<string>, namespace: pulumi.Input<string>): k8s.types.input.rbac.v1.Subject[] {
    return [{ kind: "ServiceAccount", name: serviceAccountName, namespace }];
}
