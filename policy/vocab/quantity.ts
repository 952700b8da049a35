// Kubernetes resource quantities in the grammar of k8s.io/apimachinery `resource.Quantity`: one parser for the
// policy pack (requests against limits) and the program's config check (CPU and memory strings, sizes).

/** Multipliers of the suffixes the apiserver accepts: binary SI, decimal SI (n and u included, as the parser does). */
const SUFFIX: Readonly<Record<string, number>> = {
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
    Pi: 1024 ** 5,
    Ei: 1024 ** 6,
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
};

// <signedNumber><suffix>, where suffix is a binary SI unit, a decimal SI unit, or a decimal exponent e<int>/E<int>.
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE])([+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/** The quantity's value in base units (cores, bytes); undefined when the string is not a Kubernetes quantity. */
export function parseQuantity(q: string): number | undefined {
    const m = QUANTITY.exec(q);
    if (!m) return undefined;
    const n = Number(m[1]);
    if (m[2] !== undefined) return n * 10 ** Number(m[3]);
    return n * SUFFIX[m[4] ?? ""];
}

/** True when `q` is a Kubernetes quantity. */
export function isQuantity(q: string): boolean {
    return QUANTITY.test(q);
}

// Units people write that Kubernetes does not know, and the units to write instead.
const FIXES: Readonly<Record<string, readonly string[]>> = {
    K: ["k", "Ki"],
    KB: ["k", "Ki"],
    kB: ["k", "Ki"],
    kb: ["k", "Ki"],
    KiB: ["Ki"],
    ki: ["Ki"],
    MB: ["M", "Mi"],
    mb: ["M", "Mi"],
    MiB: ["Mi"],
    mi: ["Mi"],
    GB: ["G", "Gi"],
    gb: ["G", "Gi"],
    g: ["G", "Gi"],
    GiB: ["Gi"],
    gi: ["Gi"],
    TB: ["T", "Ti"],
    TiB: ["Ti"],
    ti: ["Ti"],
    B: [""],
};
const MEANING: Readonly<Record<string, string>> = {
    k: "×1000",
    Ki: "×1024",
    M: "×1000²",
    Mi: "×1024²",
    G: "×1000³",
    Gi: "×1024³",
    T: "×1000⁴",
    Ti: "×1024⁴",
    "": "bytes",
};

/**
 * Why `q` is not a Kubernetes quantity, in words, naming what to write instead when the unit is a common
 * misspelling (`512K` → `512k` or `512Ki`). Undefined when `q` is a valid quantity.
 */
export function quantityProblem(q: string): string | undefined {
    if (isQuantity(q)) return undefined;
    const m = /^\s*([+-]?[0-9]*\.?[0-9]+)\s*([A-Za-z]*)\s*$/.exec(q);
    if (!m) return `"${q}" is not a Kubernetes quantity; write a number with an optional unit, e.g. "250m" or "512Mi"`;
    const [, num, unit] = m;
    const fixes = FIXES[unit];
    if (fixes) return `"${unit}" is not a Kubernetes unit; write ${fixes.map((u) => `"${num}${u}" (${MEANING[u]})`).join(" or ")}`;
    if (isQuantity(num + unit)) return `"${q}" contains spaces; write "${num}${unit}"`;
    return `"${unit}" is not a Kubernetes unit; use Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000), e.g. "512Mi"`;
}
