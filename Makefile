# The commands README.md gives. `make setup` installs everything a fresh Debian machine needs
# (Debian packages for the browser and Virtuoso tests, then the Python packages);
# `make test` is the whole check: ruff, mypy on the core and the views, pytest (unit, app, browser, endpoints).

PYTHON ?= python3
APT_PACKAGES = chromium fonts-noto-core fonts-dejavu-core virtuoso-opensource

.PHONY: setup setup-apt setup-python test lint app bench bundle

setup: setup-apt setup-python

setup-apt:
	@if command -v apt-get >/dev/null; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	else echo "no apt-get: install $(APT_PACKAGES) yourself"; fi

setup-python:
	$(PYTHON) -m pip install -q -e ".[dev]"

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy graph/ views/ app.py

test: lint
	$(PYTHON) -m pytest

app:
	$(PYTHON) -m pip install -q -e . && $(PYTHON) -m graph.cli app

bench:
	$(PYTHON) -m benchmarks.run

# After editing data/, ontology/ or the importer: the pre-checked bundled data a new store loads
# (tests/test_bootstrap.py fails until it is rebuilt).
bundle:
	$(PYTHON) -m graph.ingest.bootstrap
