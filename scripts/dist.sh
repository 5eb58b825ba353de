#!/usr/bin/env bash
# Packs a relocatable release archive from a binary linked with --static-swift-stdlib.
#
#   scripts/dist.sh --binary PATH [--out DIR]      (default DIR: dist)
#
# Writes DIR/mmetl-<version>-linux-<arch>.tar.gz and DIR/mmetl-<version>-linux-<arch>.tar.gz.sha256
# (sha256sum format). The archive holds one folder, mmetl-<version>-linux-<arch>/, with the layout of
# `make install` (bin/, share/): unpack it anywhere, or into a prefix with --strip-components=1. The
# version is the first word of `mmetl --version`. Refuses a binary that needs a Swift runtime
# library (ldd), so the archive runs on a host with only the Debian runtime packages of
# docs/install.md. Archives of the same binary are byte-identical (sorted, fixed owner and mtime).
set -euo pipefail

binary="" out=dist
while [[ $# -gt 0 ]]; do
    case $1 in
        --binary) binary=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) sed -n '4p' "$0" | sed 's/^# *//' >&2; exit 64 ;;
    esac
done
[[ -x $binary ]] || { echo "dist: --binary '$binary' is not an executable" >&2; exit 64; }
here=$(cd "$(dirname "$0")" && pwd)

bash "$here/check-no-swift-libs.sh" "$binary"

version=$("$binary" --version | awk '{ print $1 }')
[[ -n $version ]] || { echo "dist: $binary --version printed nothing" >&2; exit 1; }
name="mmetl-$version-linux-$(uname -m)"

stage=$(mktemp -d)
trap 'rm -rf -- "$stage"' EXIT
bash "$here/install.sh" install --binary "$binary" --destdir "$stage" --prefix "/$name" >/dev/null

mkdir -p "$out"
archive="$out/$name.tar.gz"
tar --sort=name --mtime='2000-01-01 00:00:00Z' --owner=0 --group=0 --numeric-owner \
    -C "$stage" -cf - "$name" | gzip -n -9 >"$archive.tmp"
mv "$archive.tmp" "$archive"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "dist: $archive ($(du -h "$archive" | cut -f1)), $(cut -c1-16 "$archive.sha256")…"
