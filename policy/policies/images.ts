// Supply chain: images referenced by version or digest and pulled from allowed registries, judged on the shared
// image-reference parser (vocab/imageReference.ts) that the program's config check uses too.
import { ContainerView } from "../lib/k8s";
import { DEFAULT_EXEMPT_NAMESPACES, ExemptConfig, podPolicy } from "../lib/policy";
import { str } from "../lib/values";
import { canonicalRepository, isValidDigest, splitImageReference } from "../vocab";

const base: ExemptConfig = { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES] };

function images(containers: ContainerView[]): [ContainerView, string][] {
    const out: [ContainerView, string][] = [];
    for (const c of containers) {
        const img = str(c.spec["image"]);
        if (img !== undefined) out.push([c, img]);
    }
    return out;
}

export const imageTagNotLatest = podPolicy({
    name: "image-tag-not-latest",
    description: "Images are referenced by an explicit version tag or digest, never `latest` or untagged.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: ["hygiene", "supply-chain"],
    remediationSteps:
        "Use an immutable version tag (api:1.4.2) or a digest (api@sha256:...). `latest` and untagged images make rollbacks and drift detection meaningless.",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const [c, img] of images(pod.containers)) {
            const ref = splitImageReference(img);
            if (ref.digest) continue;
            if (!ref.tag) report(`${c.label}: image ${img} has no tag (resolves to latest); pin a version tag or digest`);
            else if (ref.tag === "latest") report(`${c.label}: image ${img} uses the latest tag; pin a version tag or digest`);
        }
    },
});

export const imageDigestPinned = podPolicy({
    name: "image-digest-pinned",
    description: "Images are pinned by digest (image@sha256:...), so the bytes that run are the bytes that were reviewed.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["supply-chain"],
    remediationSteps: "Resolve the tag to its digest in CI and deploy `repo:tag@sha256:<digest>` (the tag stays readable, the digest wins).",
    defaults: base,
    validate: ({ pod }, report) => {
        for (const [c, img] of images(pod.containers)) {
            const d = splitImageReference(img).digest;
            if (d === undefined || !isValidDigest(d)) report(`${c.label}: image ${img} is not pinned by digest; deploy repo:tag@sha256:<digest>`);
        }
    },
});

interface RegistryConfig extends ExemptConfig {
    allowedRegistries: string[];
}

export const allowedImageRegistries = podPolicy<RegistryConfig>({
    name: "allowed-image-registries",
    description: "Images come from an allowed registry or repository prefix (no-op while the list is empty).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: ["supply-chain"],
    remediationSteps:
        "Mirror the image into an allowed registry, or add the registry/repository prefix (e.g. ghcr.io/acme/) to allowedRegistries in the stack's policy config.",
    defaults: { ...base, allowedRegistries: [] },
    schema: {
        allowedRegistries: {
            type: "array",
            items: { type: "string" },
            default: [],
            description: "Registry hosts or host/path prefixes; docker.io short names are normalized (nginx -> docker.io/library/nginx).",
        },
    },
    validate: ({ pod, config }, report) => {
        if (config.allowedRegistries.length === 0) return;
        for (const [c, img] of images(pod.containers)) {
            const { registry, repository } = canonicalRepository(splitImageReference(img));
            const full = `${registry}/${repository}`;
            const ok = config.allowedRegistries.some((p) => full === p.replace(/\/$/, "") || full.startsWith(p.endsWith("/") ? p : `${p}/`));
            if (!ok)
                report(
                    `${c.label}: image ${img} (${full}) is not from an allowed registry (${config.allowedRegistries.join(", ")}); mirror it into one of them`,
                );
        }
    },
});
