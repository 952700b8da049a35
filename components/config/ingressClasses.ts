// What each ingress controller needs, by IngressClass, to keep a route's timeouts and forward its prefix: the
// Ingress API has no field for either, so every controller reads its own annotations.
/** Per-route proxy behaviour the edge asks of the controller. */
export interface RouteBehaviour {
    /** Idle read/send timeout in seconds; undefined keeps the controller's default. */
    timeoutSeconds?: number;
    /** Value of X-Forwarded-Prefix for this route; undefined sends none. */
    forwardedPrefix?: string;
}

/** How one ingress controller expresses a {@link RouteBehaviour} in annotations. */
export interface IngressClassDialect {
    /** Controller this class belongs to, for messages and docs. */
    controller: string;
    /** Annotations of an Ingress whose routes all share `b`. */
    annotations(b: RouteBehaviour): Record<string, string>;
}

const NGINX = "nginx.ingress.kubernetes.io";

/**
 * ingress-nginx: timeouts are proxy-read/send-timeout (seconds; 60 by default, which drops idle WebSockets, whose
 * Upgrade the controller already passes); it sets X-Forwarded-Proto/Host/Port itself and adds X-Forwarded-Prefix
 * from the x-forwarded-prefix annotation.
 */
const ingressNginx: IngressClassDialect = {
    controller: "ingress-nginx",
    annotations: (b) => ({
        ...(b.timeoutSeconds !== undefined
            ? { [`${NGINX}/proxy-read-timeout`]: String(b.timeoutSeconds), [`${NGINX}/proxy-send-timeout`]: String(b.timeoutSeconds) }
            : {}),
        ...(b.forwardedPrefix !== undefined ? { [`${NGINX}/x-forwarded-prefix`]: b.forwardedPrefix } : {}),
    }),
};

/** Known IngressClass names → their controller's dialect. */
export const INGRESS_CLASS_DIALECTS: Readonly<Record<string, IngressClassDialect>> = { nginx: ingressNginx };

/** The dialect of an IngressClass, or undefined when the platform does not know the controller behind it. */
export function ingressClassDialect(className: string): IngressClassDialect | undefined {
    return Object.prototype.hasOwnProperty.call(INGRESS_CLASS_DIALECTS, className) ? INGRESS_CLASS_DIALECTS[className] : undefined;
}
