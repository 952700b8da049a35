#!/usr/bin/env node
// Packs one static binary (or a prebuilt layer tar) as a single-layer OCI image layout tar that
// `ctr -n k8s.io images import` accepts. Node 20 stdlib only (no buildah, no
// docker, no npm packages). Output is a pure function of the inputs: fixed
// mtimes/owners in both tars, no timestamps in the config, stable JSON key order.
//
// Usage:
//   node oci-archive.js --binary FILE --path /testsvc --name localhost/NAME:TAG \
//     --user UID:GID --out FILE.tar [--cmd ARG]... [--tmp]
//   node oci-archive.js --layer LAYER.tar [--path /entrypoint] --name localhost/NAME:TAG \
//     --user UID:GID --out FILE.tar [--env K=V]...
// --layer takes an uncompressed layer tar written reproducibly by the caller (e2e/images/build-stores.sh:
// GNU tar --sort=name --mtime=@0 --owner=0 --group=0); --env adds to (or, for PATH=, replaces) the image's env.
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const MT = {
    index: "application/vnd.oci.image.index.v1+json",
    manifest: "application/vnd.oci.image.manifest.v1+json",
    config: "application/vnd.oci.image.config.v1+json",
    layer: "application/vnd.oci.image.layer.v1.tar+gzip",
};

function parseArgs(argv) {
    const opts = { cmd: [], tmp: false, env: [] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const next = () => {
            if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
            return argv[++i];
        };
        if (a === "--binary") opts.binary = next();
        else if (a === "--path") opts.path = next();
        else if (a === "--name") opts.name = next();
        else if (a === "--user") opts.user = next();
        else if (a === "--out") opts.out = next();
        else if (a === "--cmd") opts.cmd.push(next());
        else if (a === "--tmp") opts.tmp = true;
        else if (a === "--layer") opts.layer = next();
        else if (a === "--env") opts.env.push(next());
        else throw new Error(`unknown argument ${a}`);
    }
    if (!opts.binary === !opts.layer) throw new Error("give exactly one of --binary and --layer");
    for (const k of [...(opts.binary ? ["path"] : []), "name", "user", "out"]) {
        if (!opts[k]) throw new Error(`--${k} is required`);
    }
    if (opts.layer && opts.tmp) throw new Error("--tmp goes with --binary (a --layer brings its own /tmp)");
    for (const e of opts.env) if (!/^[A-Z_][A-Z0-9_]*=/.test(e)) throw new Error(`--env ${e}: want NAME=value`);
    // A local-only name can never be mistaken for (or resolved as) an upstream image.
    if (!/^localhost\/[a-z0-9._\/-]+:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(opts.name)) {
        throw new Error(`--name ${opts.name}: want localhost/<path>:<tag>`);
    }
    if (opts.path !== undefined && !/^\/[A-Za-z0-9._-]+$/.test(opts.path)) throw new Error(`--path ${opts.path}: want /<file>`);
    if (!/^\d+:\d+$/.test(opts.user)) throw new Error(`--user ${opts.user}: want UID:GID`);
    return opts;
}

// One ustar header block; every entry is owned by 0:0 with mtime 0 so the bytes never vary.
function tarHeader(name, size, mode, type) {
    if (Buffer.byteLength(name) > 100) throw new Error(`tar name too long: ${name}`);
    const h = Buffer.alloc(512);
    const put = (off, len, s) => h.write(s, off, len, "latin1");
    const octal = (off, len, n) => put(off, len, n.toString(8).padStart(len - 1, "0") + "\0");
    put(0, 100, name);
    octal(100, 8, mode);
    octal(108, 8, 0); // uid
    octal(116, 8, 0); // gid
    octal(124, 12, size);
    octal(136, 12, 0); // mtime
    put(148, 8, "        "); // checksum placeholder: spaces, per the spec
    put(156, 1, type);
    put(257, 6, "ustar\0");
    put(263, 2, "00");
    let sum = 0;
    for (const b of h) sum += b;
    put(148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
    return h;
}

// tar builds an archive from entries in the given order: {name, mode, data} files or {name, mode, dir: true}.
function tar(entries) {
    const parts = [];
    for (const e of entries) {
        const size = e.dir ? 0 : e.data.length;
        parts.push(tarHeader(e.name, size, e.mode, e.dir ? "5" : "0"));
        if (!e.dir) {
            parts.push(e.data);
            if (size % 512) parts.push(Buffer.alloc(512 - (size % 512)));
        }
    }
    parts.push(Buffer.alloc(1024)); // end-of-archive marker
    return Buffer.concat(parts);
}

const sha256 = (buf) => crypto.createHash("sha256").update(buf).digest("hex");
const json = (obj) => Buffer.from(JSON.stringify(obj));

function main() {
    const opts = parseArgs(process.argv.slice(2));
    const tag = opts.name.slice(opts.name.lastIndexOf(":") + 1);

    let layerTar;
    if (opts.layer) {
        layerTar = fs.readFileSync(opts.layer);
    } else {
        const layerEntries = [];
        // /tmp as in distroless images: lets readOnlyRootFilesystem tests see a difference.
        if (opts.tmp) layerEntries.push({ name: "tmp/", mode: 0o1777, dir: true });
        layerEntries.push({ name: opts.path.slice(1), mode: 0o755, data: fs.readFileSync(opts.binary) });
        layerEntries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        layerTar = tar(layerEntries);
    }
    const pathEnv = opts.env.find((e) => e.startsWith("PATH=")) ?? PATH_ENV;
    const env = [pathEnv, ...opts.env.filter((e) => !e.startsWith("PATH="))];
    // zlib writes mtime 0 into the gzip header, so the same tar gzips to the same bytes (with the same zlib).
    const layer = zlib.gzipSync(layerTar, { level: 9 });

    const config = json({
        architecture: "amd64",
        os: "linux",
        config: {
            User: opts.user,
            Env: env,
            ...(opts.path ? { Entrypoint: [opts.path] } : {}),
            ...(opts.cmd.length ? { Cmd: opts.cmd } : {}),
            WorkingDir: "/",
        },
        rootfs: { type: "layers", diff_ids: [`sha256:${sha256(layerTar)}`] },
        history: [{ created_by: `e2e/images/oci-archive.js ${opts.layer ? path.basename(opts.layer) : opts.path}` }],
    });
    const desc = (mediaType, buf) => ({ mediaType, digest: `sha256:${sha256(buf)}`, size: buf.length });
    const manifest = json({
        schemaVersion: 2,
        mediaType: MT.manifest,
        config: desc(MT.config, config),
        layers: [desc(MT.layer, layer)],
    });
    const index = json({
        schemaVersion: 2,
        mediaType: MT.index,
        manifests: [
            {
                ...desc(MT.manifest, manifest),
                platform: { architecture: "amd64", os: "linux" },
                annotations: {
                    "io.containerd.image.name": opts.name,
                    "org.opencontainers.image.ref.name": tag,
                },
            },
        ],
    });

    const blobs = [layer, config, manifest]
        .map((data) => ({ name: `blobs/sha256/${sha256(data)}`, mode: 0o644, data }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    const archive = tar([
        { name: "oci-layout", mode: 0o644, data: json({ imageLayoutVersion: "1.0.0" }) },
        { name: "index.json", mode: 0o644, data: index },
        { name: "blobs/", mode: 0o755, dir: true },
        { name: "blobs/sha256/", mode: 0o755, dir: true },
        ...blobs,
    ]);

    // Write-then-rename so a crashed run never leaves a truncated archive behind.
    const tmp = `${opts.out}.tmp-${process.pid}`;
    fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
    fs.writeFileSync(tmp, archive);
    fs.renameSync(tmp, opts.out);
    console.log(`packed ${opts.name} manifest=sha256:${sha256(manifest)} ` + `layer=sha256:${sha256(layer)} (${layer.length} bytes) -> ${opts.out}`);
}

try {
    main();
} catch (err) {
    console.error(`oci-archive: ${err.message}`);
    process.exit(1);
}
