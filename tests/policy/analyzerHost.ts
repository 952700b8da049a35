// Starts a policy pack exactly as the Pulumi CLI does (the pack's own @pulumi/pulumi/cmd/run-policy-pack, loading
// package.json main) and talks to it over the analyzer gRPC protocol. Shared by the analyzer and standalone tests.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";

export interface Message {
    [method: string]: unknown;
}
type Callback<T> = (err: Error | null, res: T) => void;
export interface AnalyzerClient {
    getAnalyzerInfo(req: Message, cb: Callback<AnalyzerInfo>): void;
    configure(req: Message, cb: Callback<Message>): void;
    analyze(req: Message, cb: Callback<AnalyzeResponse>): void;
    close(): void;
}
export interface AnalyzerInfo {
    getName(): string;
    getVersion(): string;
    getPoliciesList(): { getName(): string; getRemediationSteps(): string; getConfigschema(): unknown }[];
}
export interface Diagnostic {
    getPolicyname(): string;
    getMessage(): string;
    getEnforcementlevel(): number;
}
export interface AnalyzeResponse {
    getDiagnosticsList(): Diagnostic[];
}
interface Settable {
    [setter: string]: (v: unknown) => void;
}
type Ctor<T = Settable> = new () => T;
export interface AnalyzerPb {
    AnalyzeRequest: Ctor;
    AnalyzerResourceOptions: Ctor;
    PolicyConfig: Ctor;
    ConfigureAnalyzerRequest: Ctor<Settable & { getPolicyconfigMap(): { set(k: string, v: unknown): void } }>;
    EnforcementLevel: Record<string, number>;
}

export function call<T>(fn: (cb: Callback<T>) => void): Promise<T> {
    return new Promise((resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));
}

export interface RunningPack {
    client: AnalyzerClient;
    pb: AnalyzerPb;
    struct: (o: unknown) => unknown;
    empty: () => Message;
    /** Analyzes one resource and returns "policy: message" lines. */
    analyze(type: string, name: string, props: Record<string, unknown>): Promise<Diagnostic[]>;
    stop(): void;
}

/** Starts the pack in `packDir` with modules resolved from its own node_modules, like the analyzer plugin host does. */
export async function startPack(packDir: string): Promise<RunningPack> {
    const packRequire = <T>(id: string): T => require(require.resolve(id, { paths: [packDir] })) as T;
    const entry = path.join(packDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
    let stderr = "";
    const child: ChildProcess = spawn(process.execPath, [entry, "127.0.0.1:0", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        child.stdout?.on("data", (d: Buffer) => {
            out += d.toString();
            const m = /^(\d+)\s*$/m.exec(out);
            if (m) resolve(Number(m[1]));
        });
        child.on("exit", (code) => reject(new Error(`policy pack exited with ${code} before serving:\n${stderr}`)));
    });
    const grpc = packRequire<{ credentials: { createInsecure(): unknown } }>("@grpc/grpc-js");
    const rpc = packRequire<{ AnalyzerClient: new (addr: string, creds: unknown) => AnalyzerClient }>("@pulumi/pulumi/proto/analyzer_grpc_pb");
    const pb = packRequire<AnalyzerPb>("@pulumi/pulumi/proto/analyzer_pb");
    const Struct = packRequire<{ Struct: { fromJavaScript(o: unknown): unknown } }>("google-protobuf/google/protobuf/struct_pb").Struct;
    const Empty = packRequire<{ Empty: new () => Message }>("google-protobuf/google/protobuf/empty_pb").Empty;
    const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return {
        client,
        pb,
        struct: (o) => Struct.fromJavaScript(o),
        empty: () => new Empty(),
        analyze: async (type, name, props) => {
            const req = new pb.AnalyzeRequest();
            req["setType"](type);
            req["setName"](name);
            req["setUrn"](`urn:pulumi:test::platform::${type}::${name}`);
            req["setOptions"](new pb.AnalyzerResourceOptions());
            req["setProperties"](Struct.fromJavaScript(props));
            const res = await call<AnalyzeResponse>((cb) => client.analyze(req, cb));
            return res.getDiagnosticsList();
        },
        stop: () => {
            client.close();
            child.kill();
        },
    };
}
