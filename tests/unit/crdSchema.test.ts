import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { normalizeCrd, normalizeSchema } from "../../components/charts/crdSchema";
import { chartChildrenTransform } from "../../components/charts/chartChildren";
import { requireChartMirror } from "../../tools/chartMirror";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-side access to untyped objects

const crd = (schema: unknown): Obj => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "things.example.com" },
    spec: { group: "example.com", versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
});

/** Paths (a.b.c) of every empty omitempty collection left in a schema. */
function emptyCollections(node: unknown, at = ""): string[] {
    if (Array.isArray(node)) return node.flatMap((n, i) => emptyCollections(n, `${at}[${i}]`));
    if (typeof node !== "object" || node === null) return [];
    return Object.entries(node).flatMap(([k, v]) => {
        const here = `${at}.${k}`;
        if (
            ["properties", "required", "allOf", "anyOf", "oneOf", "patternProperties"].includes(k) &&
            (Array.isArray(v) ? v.length === 0 : typeof v === "object" && v !== null && Object.keys(v).length === 0)
        )
            return [here];
        if (["default", "example", "enum"].includes(k)) return [];
        return emptyCollections(v, here);
    });
}

describe("CRD schemas in the form the API server stores them", () => {
    it("drops empty properties/required/allOf at every depth (properties, items, allOf) and keeps data fields as they are", () => {
        const schema = {
            type: "object",
            required: [],
            properties: {
                status: { type: "object", properties: { clusterSecurity: { type: "object", properties: {} } } },
                list: { type: "array", items: { type: "object", properties: {}, required: [] } },
                either: { allOf: [{ properties: {} }], anyOf: [] },
                conf: { type: "object", default: {}, example: { properties: {} }, "x-kubernetes-preserve-unknown-fields": true },
                mode: { type: "string", enum: ["a", "b"] },
                open: { type: "object", additionalProperties: { type: "object", properties: {} } },
                closed: { type: "object", additionalProperties: false },
            },
        };
        const out = normalizeCrd(crd(schema)).spec.versions[0].schema.openAPIV3Schema;
        expect(out.required, "top level").to.equal(undefined);
        expect(out.properties.status.properties.clusterSecurity).to.deep.equal({ type: "object" });
        expect(out.properties.list.items).to.deep.equal({ type: "object" });
        expect(out.properties.either).to.deep.equal({ allOf: [{}] });
        expect(out.properties.conf, "default and example are data").to.deep.equal(schema.properties.conf);
        expect(out.properties.mode.enum).to.deep.equal(["a", "b"]);
        expect(out.properties.open.additionalProperties).to.deep.equal({ type: "object" });
        expect(out.properties.closed.additionalProperties).to.equal(false);
        expect(schema.properties.status.properties.clusterSecurity.properties, "the input is not mutated").to.deep.equal({});
    });

    it("leaves every other object, and CRDs of other API versions, as they came", () => {
        const cm = { apiVersion: "v1", kind: "ConfigMap", data: { properties: "{}" } };
        expect(normalizeCrd(cm)).to.equal(cm);
        const beta = { ...crd({ properties: {} }), apiVersion: "apiextensions.k8s.io/v1beta1" };
        expect(normalizeCrd(beta)).to.equal(beta);
        expect(normalizeSchema(true)).to.equal(true);
    });

    it("the chart transform applies it: Strimzi's kafkas CRD from the mirror loses exactly its empty `properties`, nothing else", async () => {
        const file = path.join(requireChartMirror(), "strimzi-kafka-operator-1.2.0", "crds", "040-Crd-kafka.yaml");
        const rendered = yaml.load(fs.readFileSync(file, "utf8")) as Obj;
        const before = emptyCollections(rendered.spec.versions);
        expect(before, "the real chart ships an empty schema map").to.include(
            "[0].schema.openAPIV3Schema.properties.status.properties.clusterSecurity.properties",
        );
        const r = await chartChildrenTransform({ labels: { team: "t" } })({
            type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
            name: "c",
            custom: true,
            props: rendered,
            opts: {},
        });
        const out = (r as { props: Obj }).props;
        expect(emptyCollections(out.spec.versions)).to.deep.equal([]);
        // Put the dropped map back: the rest is the chart's, value for value.
        out.spec.versions[0].schema.openAPIV3Schema.properties.status.properties.clusterSecurity.properties = {};
        expect(out.spec).to.deep.equal(rendered.spec);
    });

    it("every CRD the Strimzi chart ships comes out with no empty omitempty collection, and normalizing twice changes nothing", () => {
        const dir = path.join(requireChartMirror(), "strimzi-kafka-operator-1.2.0", "crds");
        const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"));
        expect(files.length).to.be.greaterThan(5);
        for (const f of files) {
            for (const doc of yaml.loadAll(fs.readFileSync(path.join(dir, f), "utf8")) as Obj[]) {
                if (doc?.kind !== "CustomResourceDefinition") continue;
                const once = normalizeCrd(doc);
                expect(emptyCollections(once.spec.versions), f).to.deep.equal([]);
                expect(normalizeCrd(once), f).to.deep.equal(once);
            }
        }
    });
});
