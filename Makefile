# devhealth: `make demo` runs the main job on the embedded engines; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean chromium

install: $(STAMP)

$(STAMP): pyproject.toml setup.py constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/devhealth run

test: install chromium
	$(BIN)/pytest

# the report's browser test (tests/e2e/test_run.py) opens the report in Debian's headless chromium
chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

# every source table, so dbt-bouncer sees the freshness each one declares (a table is checked only
# where var('freshness_sources') lists it; see dbt_project.yml)
ALL_SOURCE_TABLES = $(shell grep -ohE "'[a-z_]+\.[a-z_]+' in var" models/staging/*/_*sources.yml | cut -d"'" -f2 | sort -u | paste -sd, -)

lint: install
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint models macros
	cd . && $(BIN)/dbt parse --quiet --vars "{freshness_sources: [$(ALL_SOURCE_TABLES)]}" && $(BIN)/dbt-bouncer --config-file dbt-bouncer.yml

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .devhealth target logs
