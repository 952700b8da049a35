// @pulumi/policy's server converts a resource's properties from protobuf again for every policy it runs on that
// resource (server.js, analyze and analyzeStack); with 40-odd policies and the charts' large CRDs that conversion is a
// quarter of the pack's CPU. It is pure, and its result is only read (deserializeProperty copies every value), so one
// conversion per request serves every policy.
import { AnalyzeRequest, AnalyzerResource } from "@pulumi/pulumi/proto/analyzer_pb";

interface Convertible {
    toJavaScript(): unknown;
}
interface PropertiesOwner {
    prototype: { getProperties(): Convertible | undefined };
}

const MEMOIZED = Symbol("platform.convertOnce");

/** Makes `getProperties().toJavaScript()` convert once per request object of each class (later calls share it). */
export function convertPropertiesOncePerRequest(classes: PropertiesOwner[] = [AnalyzeRequest, AnalyzerResource]): void {
    for (const cls of classes) {
        const get = cls.prototype.getProperties as ((this: unknown) => Convertible | undefined) & { [MEMOIZED]?: true };
        if (get[MEMOIZED]) continue;
        const memoized = function (this: unknown): Convertible | undefined {
            const struct = get.call(this);
            if (struct && !Object.prototype.hasOwnProperty.call(struct, "toJavaScript")) {
                const convert = struct.toJavaScript.bind(struct);
                let value: unknown;
                let converted = false;
                struct.toJavaScript = () => {
                    if (!converted) {
                        value = convert();
                        converted = true;
                    }
                    return value;
                };
            }
            return struct;
        };
        cls.prototype.getProperties = Object.assign(memoized, { [MEMOIZED]: true as const });
    }
}
