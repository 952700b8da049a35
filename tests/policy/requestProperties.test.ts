// The pack converts each analyzer request's properties once for all its policies (policy/lib/requestProperties.ts):
// the shared conversion must be the request's own, and no policy may see another policy's edits.
import * as path from "path";
import { expect } from "chai";
import { convertPropertiesOncePerRequest } from "../../policy/lib/requestProperties";

const PACK = path.resolve(__dirname, "..", "..", "policy");
const packRequire = <T>(id: string): T => require(require.resolve(id, { paths: [PACK] })) as T;

interface Struct {
    toJavaScript(): Record<string, unknown>;
}
interface Request {
    setProperties(s: Struct): void;
    getProperties(): Struct;
}
const { AnalyzeRequest, AnalyzerResource } = packRequire<{ AnalyzeRequest: new () => Request; AnalyzerResource: new () => Request }>(
    "@pulumi/pulumi/proto/analyzer_pb",
);
const { Struct } = packRequire<{ Struct: { fromJavaScript(o: unknown): Struct } }>("google-protobuf/google/protobuf/struct_pb");
const { deserializeProperties } = packRequire<{ deserializeProperties(s: Struct, proxySecrets: boolean): Record<string, unknown> }>(
    "@pulumi/policy/deserialize",
);

// A secret as the engine sends it: the SDK's signature key and secret signature (@pulumi/pulumi runtime/rpc).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const crd = () => ({
    kind: "CustomResourceDefinition",
    spec: { versions: [{ name: "v1", schema: { openAPIV3Schema: { properties: { spec: { type: "object" } } } } }] },
    token: { [SIG_KEY]: SECRET_SIG, value: "s3cr3t" },
});

function request<T extends Request>(Cls: new () => T, props: unknown): T {
    const r = new Cls();
    r.setProperties(Struct.fromJavaScript(props));
    return r;
}

describe("policy pack: one property conversion per analyzer request", () => {
    before(() => convertPropertiesOncePerRequest());

    for (const [name, Cls] of [
        ["AnalyzeRequest", AnalyzeRequest],
        ["AnalyzerResource (analyzeStack)", AnalyzerResource],
    ] as const) {
        it(`${name}: every policy's call gets the one conversion of that request`, () => {
            const a = request(Cls, crd());
            const b = request(Cls, { kind: "ConfigMap" });
            const first = a.getProperties().toJavaScript();
            expect(a.getProperties().toJavaScript()).to.equal(first);
            expect(first).to.deep.equal(crd());
            expect(b.getProperties().toJavaScript()).to.deep.equal({ kind: "ConfigMap" });
        });
    }

    it("each policy still gets its own copy: an edit by one is not seen by the next, secrets are unwrapped", () => {
        const req = request(AnalyzeRequest, crd());
        const one = deserializeProperties(req.getProperties(), false) as ReturnType<typeof crd> & { token: unknown };
        (one.spec.versions[0].schema.openAPIV3Schema.properties as Record<string, unknown>).injected = true;
        one.kind = "edited";
        const two = deserializeProperties(req.getProperties(), false);
        expect(two).to.deep.equal({ ...crd(), token: "s3cr3t" });
        expect(req.getProperties().toJavaScript()).to.deep.equal(crd());
    });

    it("is applied once however often the pack calls it", () => {
        convertPropertiesOncePerRequest();
        const req = request(AnalyzeRequest, { kind: "Secret" });
        expect(req.getProperties().toJavaScript()).to.equal(req.getProperties().toJavaScript());
        expect(Object.keys(req.getProperties()).filter((k) => k === "toJavaScript")).to.have.length(1);
    });
});
