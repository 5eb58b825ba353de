#!/usr/bin/env bash
# Fails when a binary needs a shared library of the Swift toolchain, or one that cannot be found.
#
#   scripts/check-no-swift-libs.sh BINARY
#
# A binary linked with --static-swift-stdlib carries the Swift runtime, Foundation, Dispatch and
# ICU inside; ldd may then list only system libraries (libpq, libcurl, zlib, libstdc++, libgcc_s,
# libc …). Prints ldd's list on failure.
set -euo pipefail
binary=${1:?usage: $0 BINARY}
libs=$(ldd "$binary")
swift_libs=$(grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libXCTest|libTesting' <<<"$libs" || true)
missing=$(grep 'not found' <<<"$libs" || true)
if [[ -n $swift_libs || -n $missing ]]; then
    echo "check-no-swift-libs: $binary needs libraries a host without a Swift toolchain lacks:" >&2
    echo "$libs" >&2
    exit 1
fi
echo "check-no-swift-libs: $binary needs only: $(awk '{ print $1 }' <<<"$libs" | tr '\n' ' ')"
