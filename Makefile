# mmetl — the two commands are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
SWIFT ?= swift
# Two cores: one job per core.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# make install PREFIX=/usr/local DESTDIR=/tmp/pkg (DESTDIR for packagers); make uninstall the same way.
PREFIX ?= /usr/local
DESTDIR ?=
RELEASE_BIN := .build/release/mmetl

.PHONY: help deps build release release-static test faults demo bench install uninstall dist dist-check clean-local

help:
	@echo "make demo    install what is missing, build, start a local PostgreSQL and the Graph API simulator,"
	@echo "             run the nightly pipeline and a send log load, print what an analyst would see, write the HTML report"
	@echo "make test    install, build, start a throwaway PostgreSQL and run every test, then dbt build of dbt/"
	@echo "make bench   release build; end-to-end throughput, memory and API efficiency figures"
	@echo "make faults  the fault matrix: the binary through every fault, with exit codes, rows lost/duplicated, secrets"
	@echo "make install PREFIX=/usr/local [DESTDIR=]   release build, Swift runtime inside; make uninstall"
	@echo "make dist    dist/mmetl-<version>-linux-<arch>.tar.gz + .sha256; make dist-check also tests it"

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -j $(JOBS)

release: deps
	$(SWIFT) build -c release -j $(JOBS)

# The release binary that install and dist ship: the Swift runtime, Foundation and Dispatch linked in,
# so a host needs only the Debian runtime libraries of docs/install.md.
release-static: deps
	$(SWIFT) build -c release --static-swift-stdlib --product mmetl -j $(JOBS)

install: release-static
	bash scripts/install.sh install --binary $(RELEASE_BIN) --prefix "$(PREFIX)" --destdir "$(DESTDIR)"

uninstall:
	bash scripts/install.sh uninstall --prefix "$(PREFIX)" --destdir "$(DESTDIR)"

dist: release-static
	bash scripts/dist.sh --binary $(RELEASE_BIN) --out dist

# The archive unpacked outside the checkout: ldd shows no Swift library; migrate, run, status work.
dist-check: dist
	$(SWIFT) build --build-tests -j $(JOBS)
	bash scripts/with-postgres.sh env MMETL_DIST_ARCHIVE="$(CURDIR)/dist/mmetl-$$($(RELEASE_BIN) --version | cut -d' ' -f1)-linux-$$(uname -m).tar.gz" \
		$(SWIFT) test --skip-build --filter InstallTests

# The bench driver's pure parts (Python unittest, no database); every test against a real, throwaway
# PostgreSQL (initdb into a temp dir; removed on exit); the HTML report in headless Chromium on its
# own (it loads a demo-sized warehouse: not beside timing-sensitive suites); the fault matrix; then
# the dbt package (dbt build and its grain tests) against a warehouse the simulator loads.
# The install tests use the debug binary; the release archive's test is `make dist-check` (its
# static release build would about double make test's time: see docs/install.md).
test: deps
	cd scripts/bench && python3 -m unittest discover -q -s tests -t .
	$(SWIFT) build --build-tests -j $(JOBS)
	bash scripts/with-postgres.sh $(SWIFT) test --skip-build
	bash scripts/with-postgres.sh env MMETL_BROWSER_TEST=1 $(SWIFT) test --skip-build --filter ReportBrowserTests
	bash scripts/with-postgres.sh bash scripts/faults.sh
	bash scripts/with-postgres.sh bash scripts/dbt.sh check

# The fault matrix alone (docs/security.md): FAULTS_ONLY=regex runs some.
faults: build
	bash scripts/with-postgres.sh bash scripts/faults.sh

demo: build
	bash scripts/demo.sh

# docs/benchmarks.md: the phases, their figures and the BENCH_* settings.
bench: release
	bash scripts/with-postgres.sh python3 scripts/bench

clean-local:
	bash scripts/pg-local.sh stop || true
	rm -rf .local archive
