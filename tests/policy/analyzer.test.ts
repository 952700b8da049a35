// Loads the pack exactly as the Pulumi CLI does (the pack's own @pulumi/pulumi/cmd/run-policy-pack, which loads
// package.json main: entry.js, the prebuilt JavaScript that `npm test` builds first) and talks to it over gRPC.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { expect } from "chai";
import { policies } from "../../policy/pack";

const PACK = path.resolve(__dirname, "..", "..", "policy");

// Modules are resolved from the pack's node_modules, like the analyzer plugin host does.
function packRequire<T>(id: string): T {
    return require(require.resolve(id, { paths: [PACK] })) as T;
}

interface Message {
    [method: string]: unknown;
}
type Callback<T> = (err: Error | null, res: T) => void;
interface AnalyzerClient {
    getAnalyzerInfo(req: Message, cb: Callback<AnalyzerInfo>): void;
    configure(req: Message, cb: Callback<Message>): void;
    analyze(req: Message, cb: Callback<AnalyzeResponse>): void;
    close(): void;
}
interface AnalyzerInfo {
    getName(): string;
    getVersion(): string;
    getPoliciesList(): { getName(): string; getRemediationSteps(): string; getConfigschema(): unknown }[];
}
interface Diagnostic {
    getPolicyname(): string;
    getMessage(): string;
    getEnforcementlevel(): number;
}
interface AnalyzeResponse {
    getDiagnosticsList(): Diagnostic[];
}
interface Settable {
    [setter: string]: (v: unknown) => void;
}
type Ctor<T = Settable> = new () => T;
interface AnalyzerPb {
    AnalyzeRequest: Ctor;
    AnalyzerResourceOptions: Ctor;
    PolicyConfig: Ctor;
    ConfigureAnalyzerRequest: Ctor<Settable & { getPolicyconfigMap(): { set(k: string, v: unknown): void } }>;
    EnforcementLevel: Record<string, number>;
}

async function call<T>(fn: (cb: Callback<T>) => void): Promise<T> {
    return new Promise((resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));
}

describe("policy pack under the real analyzer host", function () {
    this.timeout(240_000);
    let child: ChildProcess | undefined;
    let client: AnalyzerClient;
    let pb: AnalyzerPb;
    let Struct: { fromJavaScript(o: unknown): unknown };
    let stderr = "";

    before(async () => {
        const entry = path.join(PACK, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
        child = spawn(process.execPath, [entry, "127.0.0.1:0", "."], { cwd: PACK, stdio: ["ignore", "pipe", "pipe"] });
        child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            child?.stdout?.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(Number(m[1]));
            });
            child?.on("exit", (code) => reject(new Error(`policy pack exited with ${code} before serving:\n${stderr}`)));
        });
        const grpc = packRequire<{ credentials: { createInsecure(): unknown } }>("@grpc/grpc-js");
        const rpc = packRequire<{ AnalyzerClient: new (addr: string, creds: unknown) => AnalyzerClient }>("@pulumi/pulumi/proto/analyzer_grpc_pb");
        pb = packRequire<AnalyzerPb>("@pulumi/pulumi/proto/analyzer_pb");
        Struct = packRequire<{ Struct: { fromJavaScript(o: unknown): unknown } }>("google-protobuf/google/protobuf/struct_pb").Struct;
        client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        child?.kill();
    });

    it("type-checks, starts and describes every policy with remediation steps", async () => {
        const Empty = packRequire<{ Empty: new () => Message }>("google-protobuf/google/protobuf/empty_pb").Empty;
        const info = await call<AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
        expect(info.getName()).to.equal("platform-kubernetes");
        expect(info.getVersion()).to.match(/^\d+\.\d+\.\d+/);
        const names = info.getPoliciesList().map((p) => p.getName());
        expect(names).to.deep.equal(policies.map((p) => p.name));
        expect(info.getPoliciesList().every((p) => p.getRemediationSteps().length > 20 && p.getConfigschema())).to.equal(true);
    });

    it("applies --policy-pack-config properties and reports violations over gRPC", async () => {
        const cfg = new pb.ConfigureAnalyzerRequest();
        const hpaCfg = new pb.PolicyConfig();
        hpaCfg["setEnforcementlevel"](pb.EnforcementLevel.MANDATORY);
        hpaCfg["setProperties"](Struct.fromJavaScript({ minReplicas: 3, exemptNamespaces: [] }));
        cfg.getPolicyconfigMap().set("hpa-min-replicas", hpaCfg);
        await call((cb) => client.configure(cfg, cb));

        const opts = new pb.AnalyzerResourceOptions();
        const req = new pb.AnalyzeRequest();
        req["setType"]("kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        req["setName"]("api");
        req["setUrn"]("urn:pulumi:production::platform::kubernetes:autoscaling/v2:HorizontalPodAutoscaler::api");
        req["setOptions"](opts);
        req["setProperties"](Struct.fromJavaScript({ metadata: { name: "api", namespace: "shop" }, spec: { minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: "Deployment", name: "api" } } }));
        const res = await call<AnalyzeResponse>((cb) => client.analyze(req, cb));
        const hpa = res.getDiagnosticsList().filter((d) => d.getPolicyname() === "hpa-min-replicas");
        expect(hpa.map((d) => d.getMessage()).join("\n")).to.include("minReplicas is 2; at least 3 required");
        expect(hpa[0].getEnforcementlevel()).to.equal(pb.EnforcementLevel.MANDATORY);
    });

    it("does not fail or guess on values that are unknown during preview", async () => {
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const req = new pb.AnalyzeRequest();
        req["setType"]("kubernetes:apps/v1:Deployment");
        req["setName"]("api");
        req["setUrn"]("urn:pulumi:dev::platform::kubernetes:apps/v1:Deployment::api");
        req["setOptions"](new pb.AnalyzerResourceOptions());
        req["setProperties"](Struct.fromJavaScript({ metadata: { name: "api", namespace: unknown, labels: unknown, annotations: unknown }, spec: { template: unknown } }));
        const res = await call<AnalyzeResponse>((cb) => client.analyze(req, cb));
        expect(res.getDiagnosticsList().map((d) => `${d.getPolicyname()}: ${d.getMessage()}`)).to.deep.equal([]);
    });
});
