# Two set-up commands: `make demo` and `make test`. Each creates .venv if missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := inventories/studies/demo-office-heating.yaml
OUT    := out

.PHONY: demo test venv bench corpus clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/lca run $(DEMO) --out $(OUT)

test: $(STAMP)
	$(BIN)/ruff check lca tests benchmarks inventories
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

# The shipped claims table audited: out/corpus/corpus.{html,pdf}, claims.csv, the linked studies' reports
corpus: $(STAMP)
	$(BIN)/lca audit inventories/corpus/claims.yaml --out $(OUT)/corpus --format html,pdf,csv

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_run.py

clean:
	rm -rf $(VENV) $(OUT)
