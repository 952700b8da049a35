// How many pods a service runs and how many may go at once: HorizontalPodAutoscaler and PodDisruptionBudget specs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedService } from "../config";
import { LabelContext, selectorLabels } from "../k8s";

/** HPA (autoscaling/v2) on CPU and memory utilization. */
export function hpaSpec(svc: ResolvedService, deploymentName: pulumi.Input<string>): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const utilization = (name: "cpu" | "memory", averageUtilization: number) => ({
        type: "Resource",
        resource: { name, target: { type: "Utilization", averageUtilization } },
    });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        minReplicas: svc.autoscaling.minReplicas,
        maxReplicas: svc.autoscaling.maxReplicas,
        metrics: [utilization("cpu", svc.autoscaling.cpuUtilization), utilization("memory", svc.autoscaling.memoryUtilization)],
    };
}

/** The smallest number of replicas the workload runs with. */
export function minimumReplicas(svc: ResolvedService): number {
    return svc.autoscaling.enabled ? svc.autoscaling.minReplicas : svc.replicas;
}

/** A PDB is created when the budget is enabled and the workload is replicated (a PDB on one pod blocks drains). */
export function needsDisruptionBudget(svc: ResolvedService): boolean {
    return svc.disruptionBudget.enabled && minimumReplicas(svc) > 1;
}

/** PodDisruptionBudget spec (policy/v1); maxUnavailable is at least 1. */
export function pdbSpec(labels: LabelContext, svc: ResolvedService): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return {
        maxUnavailable: Math.max(1, svc.disruptionBudget.maxUnavailable),
        selector: { matchLabels: selectorLabels(labels, svc.name) },
        unhealthyPodEvictionPolicy: "AlwaysAllow",
    };
}
