# mmetl — the two commands are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
SWIFT ?= swift
# Two cores: one job per core.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: help deps build release test faults demo bench clean-local

help:
	@echo "make demo    install what is missing, build, start a local PostgreSQL and the Graph API simulator,"
	@echo "             run the nightly pipeline and a send log load, print what an analyst would see"
	@echo "make test    install, build, start a throwaway PostgreSQL and run every test"
	@echo "make bench   release build; end-to-end throughput, memory and API efficiency figures"
	@echo "make faults  the fault matrix: the binary through every fault, with exit codes, rows lost/duplicated, secrets"

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -j $(JOBS)

release: deps
	$(SWIFT) build -c release -j $(JOBS)

# Every test against a real, throwaway PostgreSQL (initdb into a temp dir; removed on exit).
test: deps
	$(SWIFT) build --build-tests -j $(JOBS)
	bash scripts/with-postgres.sh $(SWIFT) test --skip-build
	bash scripts/with-postgres.sh bash scripts/faults.sh

# The fault matrix alone (docs/security.md): FAULTS_ONLY=regex runs some.
faults: build
	bash scripts/with-postgres.sh bash scripts/faults.sh

demo: build
	bash scripts/demo.sh

bench: release
	bash scripts/with-postgres.sh bash scripts/bench.sh

clean-local:
	bash scripts/pg-local.sh stop || true
	rm -rf .local archive
