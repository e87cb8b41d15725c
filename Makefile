# CleanStation: the commands a developer and CI use. `make help` lists them.
SWIFT ?= swift
CATALOG ?= ../shared/catalog
FORMATTED = Sources Tests Benchmarks Package.swift
# The database-heavy suites that run a second time through PgBouncer.
PGBOUNCER_SUITES = JourneyTests|OrdersTests|ClaimTests|OperationsTests|AuditTests|AssemblyTests

.PHONY: help run build test integration lint format bench clean bom

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

run: ## Serve the API on the embedded SQLite database with demo data (prints the URL and log-ins)
	$(SWIFT) build --product cleanstation
	.build/debug/cleanstation demo
	.build/debug/cleanstation serve

bom: ## Print the BOM of the example sink (built-in catalogue)
	$(SWIFT) run cleanstation bom --config examples/t2-b2-pegboard.json

build: ## Debug build of everything
	$(SWIFT) build --build-tests

test: lint ## Every check: format lint, all suites on SQLite and a throw-away PostgreSQL 15, PgBouncer, the replica, OpenAPI
	CLEANSTATION_TEST_REQUIRE_POSTGRES=1 scripts/with-postgres.sh $(SWIFT) test
	$(MAKE) integration
	scripts/check-openapi.sh

integration: ## Real-process rehearsals: the database suites through PgBouncer, a streaming read replica
	CLEANSTATION_TEST_REQUIRE_POSTGRES=1 scripts/with-postgres.sh scripts/with-pgbouncer.sh \
		$(SWIFT) test --skip-build --filter '$(PGBOUNCER_SUITES)'
	scripts/rehearse-replica.sh

lint: ## swift-format, strict
	$(SWIFT) format lint --strict --recursive $(FORMATTED)

format: ## Rewrite the sources in the project's format
	$(SWIFT) format --in-place --recursive $(FORMATTED)

bench: ## Release-build benchmarks (figures go to BENCHMARKS.md)
	$(SWIFT) build -c release --product BOMBenchmark
	.build/release/BOMBenchmark $(CATALOG) 20000

clean: ## Remove build products
	rm -rf .build
