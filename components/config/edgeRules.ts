// Cross-field rules of the edge: per-route proxy behaviour needs a controller the platform can speak to, and a
// local origin never serves production.
import { INGRESS_CLASS_DIALECTS, ingressClassDialect } from "./ingressClasses";
import type { ConfigIssue } from "./errors";
import { formatKey } from "./errors";
import { LOCAL_HOST } from "./schema";
import type { PlatformConfig } from "./resolve";

/** Problems of `platform:edge` that depend on other values (services, environment). */
export function edgeIssues(cfg: PlatformConfig): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add = (path: PropertyKey[], message: string) => issues.push({ key: formatKey(path), message });
    const edge = cfg.edge;
    if (edge.mode === "none") return issues;
    if (cfg.environment === "production" && edge.host === LOCAL_HOST)
        add(["edge", "host"], `"${LOCAL_HOST}" is a local origin; production needs its public hostname`);
    const websocket = cfg.services.findIndex((s) => s.public && s.websocket);
    if (edge.mode === "ingress" && !ingressClassDialect(edge.ingress.className)) {
        const needs = [
            edge.forwardedHeaders ? "platform:edge.forwardedHeaders" : undefined,
            edge.timeouts.requestSeconds !== undefined ? "platform:edge.timeouts.requestSeconds" : undefined,
            websocket >= 0 ? `${formatKey(["services", websocket, "websocket"])} (its idle timeout)` : undefined,
        ].filter((x): x is string => x !== undefined);
        if (needs.length > 0) {
            add(
                ["edge", "ingress", "className"],
                `"${edge.ingress.className}" is not a controller the platform knows how to annotate for ${needs.join(", ")}; ` +
                    `known classes: ${Object.keys(INGRESS_CLASS_DIALECTS).join(", ")}. Use one of them, mode "gateway", or set your controller's annotations in platform:edge.ingress.annotations and turn these off`,
            );
        }
    }
    cfg.services.forEach((s, i) => {
        if (s.websocket && !s.public)
            add(
                ["services", i, "websocket"],
                `is true but the service is not public; only edge routes have WebSocket timeouts (set public: true and a pathPrefix, or remove websocket)`,
            );
    });
    return issues;
}
