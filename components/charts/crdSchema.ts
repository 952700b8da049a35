// A chart's CRDs in the form the API server stores them. apiextensions/v1 drops empty `omitempty` collections of a
// schema (Strimzi's kafkas CRD has `properties: {}`), so the applied value never equals the stored one: every preview
// plans an update, and an apply by another field manager (the same stack after a destroy that kept the CRD) conflicts
// on the atomic `.spec.versions` list.

type Obj = Record<string, unknown>;

/** JSONSchemaProps fields whose empty value (`{}` / `[]`) the API server omits. */
export const OMITEMPTY_COLLECTIONS: readonly string[] = [
    "properties",
    "patternProperties",
    "definitions",
    "dependencies",
    "required",
    "enum",
    "allOf",
    "oneOf",
    "anyOf",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-validations",
];
/** Fields that hold a schema or a map/list of schemas (recursed into); `default`, `example` and `enum` are data. */
export const SCHEMA_MAPS: readonly string[] = ["properties", "patternProperties", "definitions", "dependencies"];
export const SCHEMA_LISTS: readonly string[] = ["allOf", "oneOf", "anyOf"];
export const SCHEMA_VALUES: readonly string[] = ["items", "additionalProperties", "additionalItems", "not"];

function isObj(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isEmptyCollection(v: unknown): boolean {
    return Array.isArray(v) ? v.length === 0 : isObj(v) && Object.keys(v).length === 0;
}

/** A copy of one JSONSchemaProps node without empty omitempty collections, at every depth. */
export function normalizeSchema(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(normalizeSchema); // `items` may be a list of schemas
    if (!isObj(node)) return node; // `additionalProperties: false` and the like
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) {
        if (OMITEMPTY_COLLECTIONS.includes(k) && isEmptyCollection(v)) continue;
        if (SCHEMA_MAPS.includes(k) && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, normalizeSchema(s)]));
        else if (SCHEMA_LISTS.includes(k) && Array.isArray(v)) out[k] = v.map(normalizeSchema);
        else if (SCHEMA_VALUES.includes(k)) out[k] = normalizeSchema(v);
        else out[k] = v;
    }
    return out;
}

/** A CRD object with every version's openAPIV3Schema normalized; any other object is returned as it came. */
export function normalizeCrd<T extends { apiVersion?: string; kind?: string; spec?: Obj }>(obj: T): T {
    if (obj.kind !== "CustomResourceDefinition" || obj.apiVersion !== "apiextensions.k8s.io/v1" || !Array.isArray(obj.spec?.versions)) return obj;
    const versions = (obj.spec.versions as unknown[]).map((v) => {
        if (!isObj(v) || !isObj(v.schema) || !("openAPIV3Schema" in v.schema)) return v;
        return { ...v, schema: { ...v.schema, openAPIV3Schema: normalizeSchema(v.schema.openAPIV3Schema) } };
    });
    return { ...obj, spec: { ...obj.spec, versions } };
}
