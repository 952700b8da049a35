// The vocabulary the program and the pack share (policy/vocab): image references, label keys and the required list,
// quantities, secret-bearing names and probe headers — and that both sides reach the same verdict through it,
// including the inputs where the three image parsers it replaced disagreed.
import { expect } from "chai";
import { image } from "../../components/config/validators";
import { labelKeyProblem } from "../../components/config";
import { operatorImageValue } from "../../components/postgres/cnpgOperator";
import { versionFromImage } from "../../components/k8s/labels";
import {
    DEFAULT_SECRET_DETECTION,
    REQUIRED_LABELS,
    canonicalRepository,
    headerFindings,
    imageName,
    isValidDigest,
    isValidImageReference,
    labelKeyFault,
    missingLabels,
    parseQuantity,
    splitImageReference,
} from "../../policy/vocab";
import { workload } from "./fixtures";
import { expectFail, expectPass, messages } from "./helpers";

const HEX64 = "a1".repeat(32);

describe("shared vocabulary (policy/vocab)", () => {
    describe("image references", () => {
        it("splits domain, path, tag and digest as written", () => {
            expect(splitImageReference("nginx")).to.deep.equal({ path: "nginx" });
            expect(splitImageReference("ghcr.io/acme/api:1.2.3")).to.deep.equal({ domain: "ghcr.io", path: "acme/api", tag: "1.2.3" });
            expect(splitImageReference(`localhost:5000/api:1.0@sha256:${HEX64}`)).to.deep.equal({
                domain: "localhost:5000",
                path: "api",
                tag: "1.0",
                digest: `sha256:${HEX64}`,
            });
            expect(splitImageReference("registry.example.com:5000/cloudnative-pg")).to.deep.equal({
                domain: "registry.example.com:5000",
                path: "cloudnative-pg",
            });
            expect(splitImageReference("[::1]:5000/app:1")).to.deep.equal({ domain: "[::1]:5000", path: "app", tag: "1" });
        });

        it("takes the first path element for a registry only with a '.', a ':', localhost or an uppercase letter", () => {
            expect(splitImageReference("acme/api:1").domain).to.equal(undefined);
            expect(splitImageReference("localhost/api:1").domain).to.equal("localhost");
            expect(splitImageReference("MyRegistry/app:1").domain).to.equal("MyRegistry");
            // A bare host:port is a Docker Hub name with a tag, as the runtimes read it.
            expect(splitImageReference("localhost:5000")).to.deep.equal({ path: "localhost", tag: "5000" });
        });

        it("normalizes Docker Hub names to the registry and repository runtimes pull", () => {
            const canon = (r: string) => canonicalRepository(splitImageReference(r));
            expect(canon("nginx:1.27")).to.deep.equal({ registry: "docker.io", repository: "library/nginx" });
            expect(canon("acme/api:1")).to.deep.equal({ registry: "docker.io", repository: "acme/api" });
            expect(canon("docker.io/nginx:1.27")).to.deep.equal({ registry: "docker.io", repository: "library/nginx" });
            expect(canon("index.docker.io/library/nginx:1.27")).to.deep.equal({ registry: "docker.io", repository: "library/nginx" });
            expect(canon("quay.io/evil/miner:1")).to.deep.equal({ registry: "quay.io", repository: "evil/miner" });
            expect(imageName(splitImageReference("docker.io/nginx:1.27"))).to.equal("docker.io/nginx");
        });

        const valid = [
            "nginx",
            "nginx:1.27",
            "ghcr.io/stefanprodan/podinfo:6.9.2",
            "localhost:5000/api:1.0",
            `ghcr.io/acme/api:1.2.3@sha256:${HEX64}`,
            // Refused by the config's old regex, valid in the grammar:
            "my__app:1.0",
            "my--app:1.0",
            "ghcr.io/acme/my---api:1",
            "Registry.Example.com/app:1.0",
            "MyRegistry/app:1.0",
            "[::1]:5000/app:1.0",
            `app@sha512:${"b".repeat(128)}`,
            `app@sha384:${"c".repeat(96)}`,
        ];
        const invalid = [
            "",
            "Not An Image!",
            "ghcr.io/Acme/app:1",
            "a..b:1",
            "a_.b:1",
            "-app:1",
            "app:",
            "app:.1",
            `app:${"x".repeat(129)}`,
            "app@",
            `app@sha256:${"A".repeat(64)}`,
            `app@md5:${"a".repeat(32)}`,
            "ghcr.io//app:1",
            "ghcr.io/app/:1",
            // Accepted by the config's old regex, not in the grammar (a host has no '_'; a digest has its exact length; paths stop at 255):
            "my_registry.io/app:1.0",
            `app@sha256:${"a".repeat(32)}`,
            `a/${"b".repeat(254)}:1`,
        ];
        for (const r of valid) it(`${r.slice(0, 50)} is a valid reference`, () => expect(isValidImageReference(r)).to.equal(true));
        for (const r of invalid) it(`${JSON.stringify(r.slice(0, 50))} is not a valid reference`, () => expect(isValidImageReference(r)).to.equal(false));

        it("takes as a digest only a verified algorithm with its exact length of lowercase hex", () => {
            expect(isValidDigest(`sha256:${HEX64}`)).to.equal(true);
            expect(isValidDigest(`sha256:${HEX64}0`)).to.equal(false);
            expect(isValidDigest(`sha1:${"a".repeat(40)}`)).to.equal(false);
        });
    });

    describe("image references on both sides", () => {
        const configProblems = (r: string) => {
            const result = image.safeParse(r);
            return result.success ? [] : result.error.issues.map((i) => i.message);
        };

        it("the config check refuses what the grammar refuses, an untagged name and latest", () => {
            expect(configProblems("my__app:1.0")).to.deep.equal([]);
            expect(configProblems("[::1]:5000/app:1.0")).to.deep.equal([]);
            expect(configProblems("my_registry.io/app:1.0")[0]).to.include("is not a valid image reference");
            expect(configProblems("registry:5000/app")[0]).to.include("has no tag");
            expect(configProblems(`registry:5000/app@sha256:${HEX64}`)).to.deep.equal([]);
            expect(configProblems("app:latest")[0]).to.include('"latest" tag');
        });

        it("the pack reads the same tag and digest as the config check", async () => {
            await expectPass("image-tag-not-latest", workload("Deployment", { "$c0.image": "[::1]:5000/app:1.0" }));
            await expectFail("image-tag-not-latest", workload("Deployment", { "$c0.image": "registry:5000/app" }), "has no tag (resolves to latest)");
            await expectPass("image-digest-pinned", workload("Deployment", { "$c0.image": `app@sha512:${"b".repeat(128)}` }));
            // A sha256 of 32 hex digits passed before; no runtime verifies it, so it pins nothing.
            await expectFail("image-digest-pinned", workload("Deployment", { "$c0.image": `app@sha256:${"a".repeat(32)}` }), "is not pinned by digest");
        });

        it("the pack normalizes docker.io names as the runtimes do, so an allow list reads one name per image", async () => {
            const props = { allowedRegistries: ["docker.io/library"] };
            for (const r of ["nginx:1.27", "docker.io/nginx:1.27", "index.docker.io/library/nginx:1.27"])
                await expectPass("allowed-image-registries", workload("Deployment", { "$c0.image": r }), props);
            expect(
                await messages("allowed-image-registries", workload("Deployment", { "$c0.image": "docker.io/nginx:1.27" }), {
                    allowedRegistries: ["docker.io/nginx"],
                }),
            ).to.deep.equal([
                'container "app": image docker.io/nginx:1.27 (docker.io/library/nginx) is not from an allowed registry (docker.io/nginx); mirror it into one of them',
            ]);
        });

        it("the program's version label and operator chart value read the same parts", () => {
            expect(versionFromImage("ghcr.io/acme/api:1.2.3")).to.equal("1.2.3");
            expect(versionFromImage("localhost:5000/api")).to.equal("unknown");
            expect(versionFromImage(`ghcr.io/acme/api:1.2.3@sha256:${HEX64}`)).to.equal(HEX64.slice(0, 12));
            expect(versionFromImage(`app@sha512:${"b".repeat(128)}`)).to.equal("b".repeat(12));
            expect(operatorImageValue("registry.example.com:5000/team/cloudnative-pg:1.30.0")).to.deep.equal({
                repository: "registry.example.com:5000/team/cloudnative-pg",
                tag: "1.30.0",
            });
            expect(() => operatorImageValue(`ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0@sha256:${HEX64}`)).to.throw(/repository:tag/);
        });
    });

    describe("label keys", () => {
        const faults: [string, string | undefined][] = [
            ["app.kubernetes.io/name", undefined],
            ["team", undefined],
            ["a/b/c", "slashes"],
            ["/x", "empty-prefix"],
            [`${"p".repeat(254)}/x`, "long-prefix"],
            ["A.b/c", "prefix"],
            ["x/", "empty-name"],
            ["", "empty-name"],
            ["x".repeat(64), "long-name"],
            ["-x", "name"],
        ];
        for (const [key, fault] of faults) it(`${JSON.stringify(key.slice(0, 30))}: ${fault ?? "valid"}`, () => expect(labelKeyFault(key)).to.equal(fault));

        it("the config check and the pack refuse the same keys", async () => {
            for (const [key, fault] of faults) {
                const pack = await messages("label-values-valid", workload("Deployment", { "metadata.labels": { [key]: "v" } }));
                expect(pack.length > 0, `pack on ${key}`).to.equal(fault !== undefined);
                expect(labelKeyProblem(key) !== undefined, `config on ${key}`).to.equal(fault !== undefined);
            }
        });

        it("counts a label missing when absent, empty or not a string, unless the caller says the value is there", () => {
            expect(missingLabels(undefined, ["team"])).to.deep.equal(["team"]);
            expect(missingLabels({ team: "", environment: 3 }, ["team", "environment"])).to.deep.equal(["team", "environment"]);
            expect(missingLabels({ team: { pending: true } }, ["team"], (v) => typeof v === "object")).to.deep.equal([]);
            expect(missingLabels({})).to.deep.equal([...REQUIRED_LABELS]);
        });
    });

    describe("quantities and secrets", () => {
        it("parses Kubernetes quantities into base units", () => {
            expect(parseQuantity("250m")).to.equal(0.25);
            expect(parseQuantity("512Mi")).to.equal(512 * 1024 ** 2);
            expect(parseQuantity("1e3")).to.equal(1000);
            expect(parseQuantity("512MB")).to.equal(undefined);
        });

        it("judges probe headers from their plain name and value, keeping each entry's index", () => {
            const headers = [{ name: "Accept" }, { name: "X-Api-Key", value: "k3y-v4lue" }, { name: "Authorization", value: "Bearer $(API_TOKEN)" }];
            expect(headerFindings(headers, DEFAULT_SECRET_DETECTION)).to.deep.equal(["httpHeaders[1] (X-Api-Key) is a credential header with a literal value"]);
        });
    });
});
