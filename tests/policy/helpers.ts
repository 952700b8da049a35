// Assertions over single policies, built on the pack's in-process runner.
import { expect } from "chai";
import { policies } from "../../policy/pack";
import type { PlatformPolicy } from "../../policy/lib/policy";
import { FakeResource, checkResource, checkStack, resolveConfig } from "../../tools/policyRunner";

export function policy(name: string): PlatformPolicy {
    const p = policies.find((x) => x.name === name);
    if (!p) throw new Error(`no policy ${name}`);
    return p;
}

export function isStack(p: PlatformPolicy): boolean {
    return "validateStack" in p;
}

/** Schema defaults overlaid with the given properties, as the CLI would send them. */
export function configFor(name: string, props: Record<string, unknown> = {}): Record<string, unknown> {
    return { ...resolveConfig([policy(name)]).get(name)?.properties, ...props };
}

/** All violation messages of one policy for a resource (resource policy) or a set of resources (stack policy). */
export async function messages(name: string, subject: FakeResource | FakeResource[], props: Record<string, unknown> = {}): Promise<string[]> {
    const p = policy(name);
    const cfg = configFor(name, props);
    if (isStack(p)) return (await checkStack(p, Array.isArray(subject) ? subject : [subject], cfg)).messages.map((m) => m.message);
    const list = Array.isArray(subject) ? subject : [subject];
    const out: string[] = [];
    for (const r of list) {
        const res = await checkResource(p, r, cfg);
        if (res.unknown) throw new Error(`${name} hit an unknown value: ${res.unknown}`);
        out.push(...res.messages);
    }
    return out;
}

export async function expectPass(name: string, subject: FakeResource | FakeResource[], props: Record<string, unknown> = {}): Promise<void> {
    expect(await messages(name, subject, props), `${name} should pass`).to.deep.equal([]);
}

export async function expectFail(
    name: string,
    subject: FakeResource | FakeResource[],
    message: RegExp | string,
    props: Record<string, unknown> = {},
): Promise<void> {
    const got = await messages(name, subject, props);
    const match = (m: string) => (typeof message === "string" ? m.includes(message) : message.test(m));
    expect(got.some(match), `${name} should report ${message}; got ${JSON.stringify(got)}`).to.equal(true);
}

/** True when the policy reported the resource as not applicable (e.g. other kinds, exempt namespaces). */
export async function notApplicable(name: string, r: FakeResource, props: Record<string, unknown> = {}): Promise<string | undefined> {
    return (await checkResource(policy(name), r, configFor(name, props))).notApplicable;
}
