# CleanStation: the commands a developer and CI use. `make help` lists them.
SWIFT ?= swift
CATALOG ?= ../shared/catalog
FORMATTED = Sources Tests Benchmarks Package.swift
# The database-heavy suites that run a second time through PgBouncer.
PGBOUNCER_SUITES = JourneyTests|OrdersTests|ClaimTests|OperationsTests|AuditTests|AssemblyTests

.PHONY: help provision run build test suites quick e2e screenshots integration robustness scale checks iac-check lint format bench clean bom

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

provision: ## Install the Debian packages the build and tests need (libharu, libqrencode, libpng, poppler)
	scripts/provision.sh

run: provision ## Serve the web application and the API on the embedded SQLite database with demo data (prints the URL and log-ins)
	$(SWIFT) build --product cleanstation
	.build/debug/cleanstation demo
	LOG_FORMAT=$${LOG_FORMAT:-$$([ -t 1 ] && echo text || echo json)} .build/debug/cleanstation serve

bom: ## Print the BOM of the example sink (built-in catalogue)
	$(SWIFT) run cleanstation bom --config examples/t2-b2-pegboard.json

build: provision ## Debug build of everything
	$(SWIFT) build --build-tests

test: provision lint ## Every check: all suites on SQLite and a throw-away PostgreSQL 15 with S3 (moto) and SMTP (aiosmtpd), then the browser, integration, robustness and config checks
	scripts/timed.sh build $(MAKE) build
	scripts/timed.sh suites $(MAKE) suites
	scripts/test-tools.sh
	scripts/lanes.sh "e2e=scripts/timed.sh e2e $(MAKE) e2e" \
		"rehearsals=scripts/timed.sh integration $(MAKE) integration && scripts/timed.sh robustness $(MAKE) robustness"
	scripts/timed.sh checks $(MAKE) checks

suites: provision ## Every Swift suite on SQLite and a throw-away PostgreSQL 15, with S3 (moto) and SMTP (aiosmtpd)
	CLEANSTATION_TEST_REQUIRE_POSTGRES=1 scripts/failures-last.sh scripts/with-postgres.sh scripts/with-s3.sh scripts/with-smtp.sh $(SWIFT) test

quick: ## Core and server tests on SQLite only, no services started (the inner loop; `make test` is the gate)
	$(SWIFT) test --skip 'cleanstationTests'

e2e: ## Browser tests: headless Chromium (Debian) against a real server on a throw-away PostgreSQL, through selenium
	e2e/run.sh

screenshots: ## PNGs of every main page per role at 1440x900 and 1024x768 into screenshots/ (not committed)
	$(SWIFT) build --product cleanstation
	e2e/run.sh screenshots

integration: ## Real-process rehearsals: PgBouncer, the streaming replica, blue-green and rolling restarts, three instances behind nginx, tracing, the DR drill
	CLEANSTATION_TEST_REQUIRE_POSTGRES=1 scripts/timed.sh pgbouncer-suites scripts/with-postgres.sh scripts/with-pgbouncer.sh \
		$(SWIFT) test --skip-build --filter '$(PGBOUNCER_SUITES)'
	scripts/timed.sh replica scripts/rehearse-replica.sh
	scripts/timed.sh bluegreen scripts/rehearse-bluegreen.sh
	scripts/timed.sh multi-instance scripts/rehearse-multi-instance.sh 500 60 20
	scripts/timed.sh tracing scripts/rehearse-tracing.sh
	scripts/timed.sh dr-drill scripts/dr-drill.sh

robustness: ## kill -9 under writes, PostgreSQL restarted under load, body/slow-client/sign-in limits, schemathesis fuzzing
	scripts/timed.sh robustness-faults scripts/robustness.sh
	scripts/timed.sh fuzz scripts/fuzz-api.sh

scale: ## Release build at scale: 100,000 orders, 200 virtual users, EXPLAIN of the hot queries (figures for BENCHMARKS.md)
	$(SWIFT) build -c release --product cleanstation
	$(SWIFT) build -c release --product HelloVapor
	scripts/bench-at-scale.sh

checks: build ## Offline checks of the files that describe the API and the deployment: OpenAPI, nginx, Prometheus, Alertmanager, Terraform
	scripts/check-openapi.sh
	scripts/check-deploy.sh
	$(MAKE) iac-check

iac-check: ## The Terraform under deploy/terraform: every file parses, checkov passes, the invariants hold
	scripts/iac-check.sh

lint: ## swift-format, strict; no Swift file over 400 lines without its reason at the top
	$(SWIFT) format lint --strict --recursive $(FORMATTED)
	scripts/check-file-length.sh

format: ## Rewrite the sources in the project's format
	$(SWIFT) format --in-place --recursive $(FORMATTED)

bench: ## Release-build benchmarks (figures go to BENCHMARKS.md)
	$(SWIFT) build -c release --product BOMBenchmark
	.build/release/BOMBenchmark $(CATALOG) 20000

clean: ## Remove build products
	rm -rf .build
