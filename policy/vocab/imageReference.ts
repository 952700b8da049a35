// Container image references in the grammar of distribution/reference, which Docker, containerd and the kubelet
// parse: [host[:port]/]path[:tag][@algorithm:hex]. One parser for the program's config check, its labels and chart
// values, and the pack's image policies.

/** An image reference split into its parts, each as written. */
export interface ImageReference {
    /** The registry host[:port]; undefined when the first path element is not one (a Docker Hub name). */
    domain?: string;
    /** The repository path after the domain: "acme/api", "nginx". */
    path: string;
    tag?: string;
    /** algorithm:hex, e.g. sha256:<64 hex digits>. */
    digest?: string;
}

/**
 * Splits a reference the way the runtimes do, whether or not it is valid: the digest after the first '@', the tag
 * after a ':' past the last '/', and the first path element a registry when it has a '.' or a ':', is localhost, or
 * has an uppercase letter (repository paths are lowercase, so it cannot be one).
 */
export function splitImageReference(ref: string): ImageReference {
    const at = ref.indexOf("@");
    const digest = at >= 0 ? ref.slice(at + 1) : undefined;
    let name = at >= 0 ? ref.slice(0, at) : ref;
    const colon = name.lastIndexOf(":");
    const tag = colon > name.lastIndexOf("/") ? name.slice(colon + 1) : undefined;
    if (tag !== undefined) name = name.slice(0, colon);
    const slash = name.indexOf("/");
    const first = name.slice(0, slash);
    const hasDomain = slash >= 0 && (/[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase());
    // Absent parts are left out rather than set to undefined, so references compare by their parts.
    return {
        ...(hasDomain ? { domain: first, path: name.slice(slash + 1) } : { path: name }),
        ...(tag !== undefined ? { tag } : {}),
        ...(digest !== undefined ? { digest } : {}),
    };
}

/** The name as written, without tag and digest: what a chart's image.repository value takes. */
export function imageName(ref: ImageReference): string {
    return ref.domain !== undefined ? `${ref.domain}/${ref.path}` : ref.path;
}

/** The registry a runtime pulls from and the repository there: nginx → docker.io, library/nginx; index.docker.io → docker.io. */
export function canonicalRepository(ref: ImageReference): { registry: string; repository: string } {
    const registry = ref.domain === undefined || ref.domain === "index.docker.io" ? "docker.io" : ref.domain;
    const repository = registry === "docker.io" && !ref.path.includes("/") ? `library/${ref.path}` : ref.path;
    return { registry, repository };
}

// host: DNS-style components (letters, digits, inner '-') joined by '.', or an IPv6 address in brackets; then a port.
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[A-Fa-f0-9:]+\])(?::[0-9]+)?$/;
// path components: lowercase alphanumerics separated by one '.', one or two '_', or any number of '-'.
const PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** The digests runtimes verify (go-digest's registered algorithms), each with its exact length of lowercase hex. */
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
/** distribution/reference's limit on the repository path (Docker Hub's library/ prefix included). */
const PATH_MAX = 255;

/** True when `digest` is algorithm:hex of an algorithm runtimes verify (sha256, sha384, sha512) at its exact length. */
export function isValidDigest(digest: string): boolean {
    return DIGEST.test(digest);
}

/** True when `ref` is a valid image reference: every part in the grammar; a tag or digest is optional here. */
export function isValidImageReference(ref: string): boolean {
    const r = splitImageReference(ref);
    if (r.domain !== undefined && !DOMAIN.test(r.domain)) return false;
    if (!PATH.test(r.path) || canonicalRepository(r).repository.length > PATH_MAX) return false;
    if (r.tag !== undefined && !TAG.test(r.tag)) return false;
    return r.digest === undefined || isValidDigest(r.digest);
}
