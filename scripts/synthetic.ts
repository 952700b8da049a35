// Synthetic platforms for scale benchmarks: N services shaped like the sample ones (public, chained, store users).

/** Config overrides (for the dev stack) that declare `n` services. */
export function syntheticServices(n: number): Record<string, unknown> {
    const services = Array.from({ length: n }, (_, i) => ({
        name: `svc-${i}`,
        image: "ghcr.io/stefanprodan/podinfo:6.9.2",
        port: 9898,
        component: "backend",
        // Every 10th service is public; each calls its predecessor; a third use a data store.
        public: i % 10 === 0,
        pathPrefix: i % 10 === 0 ? (i === 0 ? "/" : `/s${i}`) : undefined,
        dependsOn: i > 0 ? [`svc-${i - 1}`] : [],
        uses: i % 3 === 0 ? ["postgres"] : i % 3 === 1 ? ["redis"] : [],
        env: { FEATURE: `f${i}` },
    }));
    return { services, kafka: { enabled: false, topics: [] } };
}
