// Kubernetes quantities as numbers, for comparing requests with limits.

/** CPU quantity in millicores. */
export function cpuMillis(q: string): number {
    return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

const MEMORY_UNITS: Record<string, number> = { "": 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** Memory quantity in bytes. */
export function memoryBytes(q: string): number {
    const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q);
    if (!m) return NaN;
    return Number(m[1]) * (MEMORY_UNITS[m[2]] ?? NaN);
}
