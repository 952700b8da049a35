#!/usr/bin/env bash
# Builds the PostgreSQL store's images for the e2e kubelet node, with nothing pulled from a registry:
#   - the CloudNativePG manager image: the toolchain's cnpg-manager build (the operator, and the instance manager
#     the operator copies into every PostgreSQL pod with `manager bootstrap`) at /operator/manager_amd64, with
#     /manager linking to it, as upstream's image;
#   - a PostgreSQL image assembled from the Debian packages e2e/node-deps.sh installs (postgresql-15,
#     postgresql-client-15, tzdata, dash): the server and client binaries under /usr/lib/postgresql/<major>/bin
#     (on PATH, where the instance manager looks for initdb, pg_ctl, postgres, pg_controldata …), their shared
#     libraries (ldd closure), /usr/share/postgresql/<major>, the system zoneinfo Debian's build reads, /bin/sh
#     (PostgreSQL runs archive_command through it) and a passwd/group naming uid/gid 26 (initdb looks the user up).
# Each is an OCI image archive for `ctr -n k8s.io images import`, named under localhost/platform-e2e/.
#
# Usage: e2e/images/build-stores.sh OUT_DIR CNPG_MANAGER_BINARY
# Writes OUT_DIR/cnpg-manager.tar, OUT_DIR/postgresql.tar and OUT_DIR/stores.env (CNPG_IMAGE=..., POSTGRES_IMAGE=...).
# Same inputs (manager binary, installed package versions, GNU tar) give the same digests.
set -euo pipefail

IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_DIR="$(dirname "$IMAGES_DIR")"
# shellcheck source=../versions.env
source "$E2E_DIR/versions.env" # CNPG_VERSION, POSTGRES_MAJOR

if [[ $# -ne 2 ]]; then
  echo "usage: $0 OUT_DIR CNPG_MANAGER_BINARY" >&2
  exit 64
fi
mkdir -p "$1"
OUT="$(cd "$1" && pwd)"
MANAGER="$2"
[[ -x "$MANAGER" ]] || { echo "build-stores.sh: no manager binary at $MANAGER (toolchain component cnpg-manager)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
step() { echo "==> $*"; }

MAJOR="$POSTGRES_MAJOR"
PGBIN="/usr/lib/postgresql/$MAJOR/bin"
for pkg in "postgresql-$MAJOR" "postgresql-client-$MAJOR" tzdata dash; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
    { echo "build-stores.sh: Debian package $pkg is not installed; run e2e/node-deps.sh (as root)" >&2; exit 1; }
done

# A reproducible layer tar: sorted names, mtime 0, owner 0:0, no atime/ctime.
layer_tar() {
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$1" -cf "$2" .
}

step "packing the CloudNativePG manager $CNPG_VERSION"
# Laid out as upstream's image: /operator/manager_<arch> (the operator finds the instance-manager builds it can hand
# to pods by globbing operator/manager_* from /, and refuses a Cluster with "invalid architecture: amd64" without
# one), and /manager a link to this machine's build. 65532 as upstream's image (distroless nonroot); the chart's
# security context sets the uid the pod runs as.
OPROOT="$WORK/operator-root"
mkdir -p "$OPROOT/operator"
install -m 0755 "$MANAGER" "$OPROOT/operator/manager_amd64"
ln -s operator/manager_amd64 "$OPROOT/manager"
layer_tar "$OPROOT" "$WORK/cnpg-layer.tar"
CNPG_IMAGE="localhost/platform-e2e/cnpg-manager:$CNPG_VERSION-$(sha256sum "$WORK/cnpg-layer.tar" | cut -c1-12)"
node "$IMAGES_DIR/oci-archive.js" --layer "$WORK/cnpg-layer.tar" --path /manager --name "$CNPG_IMAGE" \
  --user 65532:65532 --out "$OUT/cnpg-manager.tar"

PG_VERSION="$(dpkg-query -W -f='${Version}' "postgresql-$MAJOR")" # e.g. 15.18-0+deb12u1
step "assembling PostgreSQL $PG_VERSION from Debian's packages"
ROOT="$WORK/rootfs"
# Debian 12 is merged-/usr: /bin, /lib and /lib64 are links into /usr, as on the host, so the paths ldd names land
# in /usr whichever spelling they use.
mkdir -p "$ROOT/usr/bin" "$ROOT/usr/lib" "$ROOT/usr/lib64"
for d in bin lib lib64; do
  [[ "$(readlink "/$d")" == "usr/$d" ]] || { echo "build-stores.sh: expected a merged-/usr host (/$d -> usr/$d)" >&2; exit 1; }
  ln -s "usr/$d" "$ROOT/$d"
done
# The packages' files under the server's lib and share dirs; JIT (llvmjit, bitcode) is left out: it would pull
# libLLVM (~100 MB) and PostgreSQL runs without it (jit becomes unavailable, as in a build without --with-llvm).
dpkg -L "postgresql-$MAJOR" "postgresql-client-$MAJOR" |
  grep -E "^/usr/(lib|share)/postgresql/$MAJOR/" | grep -vE '/llvmjit|/bitcode' |
  while read -r f; do
    [[ -d "$f" && ! -L "$f" ]] && continue
    [[ -e "$f" || -L "$f" ]] || continue
    mkdir -p "$ROOT$(dirname "$f")"
    cp -a "$f" "$ROOT$f"
  done
# The system time zones (Debian builds with --with-system-tzdata=/usr/share/zoneinfo).
mkdir -p "$ROOT/usr/share"
cp -a /usr/share/zoneinfo "$ROOT/usr/share/zoneinfo"
# /bin/sh: PostgreSQL runs archive_command and restore_command (the instance manager) with sh -c.
cp -a "$(readlink -f /bin/dash)" "$ROOT/usr/bin/dash"
ln -s dash "$ROOT/usr/bin/sh"

# The shared libraries every ELF file needs, with the dynamic loader, at the paths ldd names.
find "$ROOT" -type f \( -perm -u+x -o -name '*.so*' \) -print0 |
  xargs -0 file | grep -E 'ELF .*(executable|shared object)' | cut -d: -f1 >"$WORK/elves"
: >"$WORK/libs"
while read -r f; do
  ldd "$f" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^\s*\(\/[^ ]*\) (.*/\1/p' >>"$WORK/libs" || true
done <"$WORK/elves"
sort -u "$WORK/libs" | while read -r lib; do
  for p in "$lib" "$(readlink -f "$lib")"; do
    mkdir -p "$ROOT$(dirname "$p")"
    cp -a "$p" "$ROOT$p"
  done
done
# The user PostgreSQL runs as (CloudNativePG's uid/gid 26); initdb refuses to run for a uid with no passwd entry.
mkdir -p "$ROOT/etc" "$ROOT/tmp" "$ROOT/var/run/postgresql"
printf 'root:x:0:0:root:/root:/bin/sh\npostgres:x:26:26:PostgreSQL:/var/lib/postgresql:/bin/sh\n' >"$ROOT/etc/passwd"
printf 'root:x:0:\npostgres:x:26:\n' >"$ROOT/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$ROOT/etc/nsswitch.conf"
chmod 1777 "$ROOT/tmp"
chmod 2775 "$ROOT/var/run/postgresql"
layer_tar "$ROOT" "$WORK/postgresql-layer.tar"
PG_TAG="$(sed 's/^\([0-9.]*\).*/\1/' <<<"$PG_VERSION")-$(sha256sum "$WORK/postgresql-layer.tar" | cut -c1-12)"
# The tag starts with the server version: CloudNativePG reads the major version from it.
POSTGRES_IMAGE="localhost/platform-e2e/postgresql:$PG_TAG"
step "packing $POSTGRES_IMAGE ($(du -sh "$ROOT" | cut -f1) unpacked, $(wc -l <"$WORK/elves") ELF files)"
node "$IMAGES_DIR/oci-archive.js" --layer "$WORK/postgresql-layer.tar" --name "$POSTGRES_IMAGE" \
  --user 26:26 --env "PATH=$PGBIN:/usr/sbin:/usr/bin:/sbin:/bin" --out "$OUT/postgresql.tar"

step "self-check: the image's initdb, postgres and psql run from its own root (after packing; the image is unchanged)"
# chroot into the assembled tree: the binaries and every library they load come from the image, not the host. The
# server listens on a Unix socket in the tree's /tmp only (no TCP), and is stopped before the script ends.
# initdb's post-bootstrap step writes to /dev/null (a container gets its own /dev; the chroot gets this one node).
mkdir -p "$ROOT/dev" && mknod -m 666 "$ROOT/dev/null" c 1 3
in_root() { env -i LC_ALL=C "$(command -v chroot)" --userspec=26:26 "$ROOT" "$PGBIN/$1" "${@:2}"; }
in_root initdb --auth=trust --username=postgres -D /tmp/selfcheck >"$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log" >&2; exit 1; }
in_root pg_ctl -D /tmp/selfcheck -l /tmp/selfcheck.log -w -o "-c listen_addresses='' -k /tmp" start >/dev/null ||
  { cat "$ROOT/tmp/selfcheck.log" >&2; exit 1; }
trap 'in_root pg_ctl -D /tmp/selfcheck -m immediate stop >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
in_root psql -h /tmp -U postgres -d postgres -Atc 'select version()'
in_root pg_ctl -D /tmp/selfcheck -m fast -w stop >/dev/null

printf 'CNPG_IMAGE=%s\nPOSTGRES_IMAGE=%s\nPOSTGRES_VERSION=%s\n' "$CNPG_IMAGE" "$POSTGRES_IMAGE" "$PG_VERSION" >"$OUT/stores.env.tmp"
mv "$OUT/stores.env.tmp" "$OUT/stores.env"
step "done"
cat "$OUT/stores.env"
(cd "$OUT" && sha256sum cnpg-manager.tar postgresql.tar)
