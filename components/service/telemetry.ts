// Structured logs and OpenTelemetry export as configuration: the OTEL_* env the SDKs read, LOG_FORMAT, and the
// egress rule that lets the pods reach their collector.
import * as k8s from "@pulumi/kubernetes";
import { ResolvedService } from "../config";
import { LabelContext, namespaceSelector, tcpPorts, versionFromImage } from "../k8s";

/** LOG_FORMAT and the OTel SDK env of a service; empty when neither is configured. */
export function telemetryEnv(svc: Pick<ResolvedService, "name" | "image" | "logFormat" | "otel">, labels: LabelContext): Record<string, string> {
    const out: Record<string, string> = {};
    if (svc.logFormat) out.LOG_FORMAT = svc.logFormat;
    if (!svc.otel) return out;
    const attributes = {
        "service.namespace": labels.partOf,
        "service.version": versionFromImage(svc.image),
        "deployment.environment": labels.environment,
        ...svc.otel.resourceAttributes,
    };
    out.OTEL_SERVICE_NAME = svc.name;
    out.OTEL_EXPORTER_OTLP_ENDPOINT = svc.otel.endpoint;
    out.OTEL_EXPORTER_OTLP_PROTOCOL = svc.otel.protocol;
    out.OTEL_RESOURCE_ATTRIBUTES = Object.entries(attributes)
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
    return out;
}

/** Egress to the collector's namespace on the OTLP port; none for a localhost agent or without OTel. */
export function telemetryEgress(svc: Pick<ResolvedService, "otel">): k8s.types.input.networking.v1.NetworkPolicyEgressRule[] {
    const o = svc.otel;
    if (!o || o.local || !o.collectorNamespace) return [];
    return [{ to: [{ namespaceSelector: namespaceSelector(o.collectorNamespace) }], ports: tcpPorts([o.port]) }];
}
