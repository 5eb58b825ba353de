#!/usr/bin/env bash
# Install the system packages mmetl builds and tests against (Debian/Ubuntu).
# Idempotent and fast: asks dpkg first and touches apt only for what is missing.
set -euo pipefail

# chromium: the browser test renders the HTML report headless (Tests/EndToEndTests/ReportBrowserTests.swift).
# python3-venv: scripts/dbt.sh keeps dbt in its own virtual environment (.venv-dbt).
packages=(libcurl4-openssl-dev libpq-dev zlib1g-dev pkg-config postgresql-15 postgresql-client-15 tzdata openssl chromium python3-venv)

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#packages[@]} packages already installed"
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    sudo_cmd=()
elif command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
else
    echo "install-deps: missing ${missing[*]}; run as root or install sudo" >&2
    exit 77
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
