// One fixture per fix the detector comparison (Kubescape C-0012, Polaris, gitleaks over a shared corpus) led to:
// places the pack did not read (probe and hook httpGet paths) and public material it took for a secret (probe
// cookie constants, header references). Every failing case asserts the message, which names the
// field and the fix and never repeats the value.
import { expect } from "chai";
import { expectPass, messages } from "./helpers";
import { workload } from "./fixtures";

const dep = (patch: Record<string, unknown> = {}) => workload("Deployment", patch);
const TOKEN = "q8Vn3LzT0pXw7RkY2bHs9MdJ4fCe6Ga1";
const PROBE_FIX = "serve health without credentials or use an exec probe reading a mounted Secret file";

async function reported(policy: string, subject: Parameters<typeof messages>[1], secret: string): Promise<string[]> {
    const got = await messages(policy, subject);
    for (const m of got) expect(m, "a violation message must not repeat the secret").to.not.include(secret);
    return got;
}

describe("policy pack: secret places the comparison found", () => {
    describe("probe and lifecycle handlers: paths, cookies, Authorization references", () => {
        const readiness = (httpGet: Record<string, unknown>) => dep({ "$c0.readinessProbe": { httpGet: { port: 8080, ...httpGet }, periodSeconds: 10 } });

        it("a token in a probe's httpGet.path query is caught, naming the field", async () => {
            const got = await reported("no-secrets-in-probes", dep({ "$c0.startupProbe": { httpGet: { path: `/healthz?token=${TOKEN}`, port: 8080 } } }), TOKEN);
            expect(got).to.deep.equal([`container "app": startupProbe.httpGet.path contains a credential in a connection string (token=…); ${PROBE_FIX}`]);
        });
        it("an api_key in a lifecycle hook's httpGet.path is caught", async () => {
            const got = await reported("no-secrets-in-probes", dep({ "$c0.lifecycle": { postStart: { httpGet: { path: `/register?api_key=${TOKEN}`, port: 8080 } } } }), TOKEN);
            expect(got).to.deep.equal([`container "app": lifecycle.postStart.httpGet.path contains a credential in a connection string (api_key=…); ${PROBE_FIX}`]);
        });
        it("paths without credentials pass", async () => {
            await expectPass("no-secrets-in-probes", readiness({ path: "/ready?probe=readiness&verbose=1" }));
            await expectPass("no-secrets-in-probes", readiness({ path: "/actuator/health/readiness" }));
        });

        it("a probe cookie constant passes (Cookie: shop_session-id=x-readiness-probe)", async () => {
            await expectPass("no-secrets-in-probes", readiness({ path: "/ready", httpHeaders: [{ name: "Cookie", value: "shop_session-id=x-readiness-probe" }] }));
            await expectPass("no-secrets-in-probes", readiness({ path: "/ready", httpHeaders: [{ name: "Cookie", value: "locale=en; probe=1" }] }));
        });
        it("a session cookie holding a generated value is caught, even as hex", async () => {
            const sid = "9f86d081884c7d659a2feaa0c55ad015";
            const got = await reported("no-secrets-in-probes", readiness({ path: "/ready", httpHeaders: [{ name: "Cookie", value: `locale=en; JSESSIONID=${sid}` }] }), sid);
            expect(got).to.deep.equal([`container "app": readinessProbe.httpGet.httpHeaders[0] (Cookie) cookie JSESSIONID holds a generated session value; ${PROBE_FIX}`]);
        });
        it("a secret-named cookie with a literal is caught", async () => {
            await expectFailWith("no-secrets-in-probes", readiness({ path: "/ready", httpHeaders: [{ name: "Cookie", value: "auth_token=abc" }] }), `httpHeaders[0] (Cookie) contains a credential in a connection string (auth_token=…); ${PROBE_FIX}`);
        });

        it("Authorization: $(API_TOKEN) and Bearer $(API_TOKEN) are no secret (the kubelet sends them as written)", async () => {
            await expectPass("no-secrets-in-probes", readiness({ path: "/ready", httpHeaders: [{ name: "Authorization", value: "$(API_TOKEN)" }] }));
            await expectPass("no-secrets-in-probes", readiness({ path: "/ready", httpHeaders: [{ name: "Authorization", value: "Bearer $(API_TOKEN)" }] }));
        });
        it("a literal Authorization value is still caught, whatever its shape", async () => {
            await expectFailWith("no-secrets-in-probes", readiness({ path: "/ready", httpHeaders: [{ name: "Authorization", value: "Bearer abc" }] }), `readinessProbe.httpGet.httpHeaders[0] (Authorization) is a credential header with a literal value; ${PROBE_FIX}`);
        });
    });
});

async function expectFailWith(policy: string, subject: Parameters<typeof messages>[1], fragment: string): Promise<void> {
    const got = await messages(policy, subject);
    expect(got.some((m) => m.includes(fragment)), `${policy}: expected ${fragment}; got ${JSON.stringify(got)}`).to.equal(true);
}
