#!/usr/bin/env bash
# Installs mmetl under a prefix, or removes exactly what an install put there.
#
#   scripts/install.sh install   --binary PATH --prefix PREFIX [--destdir DIR]
#   scripts/install.sh uninstall --prefix PREFIX [--destdir DIR]
#
# `make install`, `make uninstall` and `make dist` call it; the tests call it with the debug binary.
# Layout under DESTDIR/PREFIX (what the binary's SQL lookup expects: ../share/mmetl/sql):
#   bin/mmetl
#   share/mmetl/sql/{migrations,transforms,queries,summary,report}/…     share/mmetl/pipelines/… (examples, units)
#   share/mmetl/install-manifest                          (what uninstall removes)
#   share/bash-completion/completions/mmetl   share/zsh/site-functions/_mmetl
#   share/fish/vendor_completions.d/mmetl.fish            share/man/man1/mmetl.1
# Completions and the man page are generated from the binary being installed, so they match its
# --help. The manifest lists every file installed and every directory the install created (paths
# relative to PREFIX); uninstall removes those files, then those directories if empty. Installing
# over an earlier install first removes what the earlier one installed (so no stale SQL remains).
set -euo pipefail

usage() { sed -n '4,5p' "$0" | sed 's/^# *//' >&2; exit 64; }
[[ $# -ge 1 ]] || usage
action=$1; shift
binary="" prefix="" destdir=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --binary) binary=$2; shift 2 ;;
        --prefix) prefix=$2; shift 2 ;;
        --destdir) destdir=$2; shift 2 ;;
        *) usage ;;
    esac
done
[[ $prefix == /* ]] || { echo "install: --prefix must be an absolute path, got '$prefix'" >&2; exit 64; }
prefix=${prefix%/}
root="$destdir$prefix"
manifest_rel=share/mmetl/install-manifest
checkout=$(cd "$(dirname "$0")/.." && pwd)

uninstall() {
    local manifest="$root/$manifest_rel"
    if [[ ! -f $manifest ]]; then
        echo "uninstall: no mmetl install at $root ($manifest_rel missing): nothing to remove" >&2
        return 1
    fi
    local kind path files=0 dirs=()
    while read -r kind path; do
        case $kind in
            f) rm -f -- "${root:?}/$path"; files=$((files + 1)) ;;
            d) dirs+=("$path") ;;
        esac
    done <"$manifest"
    rm -f -- "$manifest"
    # Deepest first; a directory someone else put files in stays.
    local d
    while read -r d; do
        [[ -n $d ]] || continue
        rmdir -- "$root/$d" 2>/dev/null || echo "uninstall: kept $root/$d (not empty)" >&2
    done < <(printf '%s\n' "${dirs[@]+"${dirs[@]}"}" | awk '{ print gsub("/", "/"), $0 }' | sort -rn | cut -d' ' -f2-)
    echo "uninstall: removed $files files from $root"
}

# Records the directories of $1 (relative to root) that do not exist yet, outermost first.
new_dirs() {
    local rel=$1 acc="" part
    local IFS=/
    for part in $rel; do
        acc=${acc:+$acc/}$part
        [[ -d "$root/$acc" ]] || echo "d $acc"
    done
}

install_tree() {
    [[ -x $binary ]] || { echo "install: --binary $binary is not an executable" >&2; exit 64; }
    if [[ -f "$root/$manifest_rel" ]]; then uninstall; fi
    gen=$(mktemp -d)
    trap 'rm -rf -- "$gen"' EXIT
    mkdir -p "$gen/completions"
    "$binary" --generate-completion-script bash >"$gen/completions/mmetl"
    "$binary" --generate-completion-script zsh >"$gen/completions/_mmetl"
    "$binary" --generate-completion-script fish >"$gen/completions/mmetl.fish"
    python3 "$checkout/scripts/manpage.py" "$binary" "$gen/mmetl.1"

    # source<TAB>destination (relative to root)<TAB>mode
    local plan="$gen/plan"
    {
        printf '%s\t%s\t%s\n' "$binary" bin/mmetl 0755
        local f
        while IFS= read -r f; do
            printf '%s\t%s\t%s\n' "$checkout/$f" "share/mmetl/$f" 0644
        done < <(cd "$checkout" && find sql pipelines -type f | LC_ALL=C sort)
        printf '%s\t%s\t%s\n' "$gen/completions/mmetl" share/bash-completion/completions/mmetl 0644
        printf '%s\t%s\t%s\n' "$gen/completions/_mmetl" share/zsh/site-functions/_mmetl 0644
        printf '%s\t%s\t%s\n' "$gen/completions/mmetl.fish" share/fish/vendor_completions.d/mmetl.fish 0644
        printf '%s\t%s\t%s\n' "$gen/mmetl.1" share/man/man1/mmetl.1 0644
    } >"$plan"

    local created="$gen/created" files="$gen/files" src dst mode
    : >"$created"; : >"$files"
    mkdir -p "$root"
    while IFS=$'\t' read -r src dst mode; do
        new_dirs "$(dirname "$dst")" >>"$created"
        install -D -m "$mode" "$src" "$root/$dst"
        echo "f $dst" >>"$files"
    done <"$plan"
    new_dirs "$(dirname "$manifest_rel")" >>"$created"
    mkdir -p "$root/$(dirname "$manifest_rel")"
    cat "$created" "$files" >"$root/$manifest_rel"
    echo "install: $(wc -l <"$files") files under $root ($("$binary" --version))"
}

case $action in
    install) install_tree ;;
    uninstall) uninstall ;;
    *) usage ;;
esac
