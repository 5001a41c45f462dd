# Leiyang poverty-alleviation notebooks. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN    ?= default
JOBS   ?=

.DEFAULT_GOAL := help
.PHONY: help venv report test lint reference verify lab bench clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The environment is rebuilt when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP) ## Create or refresh the local virtual environment (.venv)

report: $(STAMP) ## Main job: execute every notebook in order, write figures, tables and the HTML report to outputs/
	$(BIN)/leiyang-poverty run $(if $(JOBS),--jobs $(JOBS))

test: $(STAMP) ## Lint (ruff) and run the whole test suite, nbval over the notebooks included
	$(BIN)/ruff check src tests
	$(BIN)/pytest

reference: $(STAMP) ## Re-execute the notebooks in place (stored outputs nbval checks), then the default run
	$(BIN)/leiyang-poverty reference
	$(BIN)/leiyang-poverty run --force

verify: $(STAMP) ## Rerun everything in a scratch folder and compare with the committed references
	$(BIN)/leiyang-poverty verify

bench: $(STAMP) ## Time cold/no-op/incremental runs, tests, a naive papermill loop and the floor; write bench/RESULTS.md
	$(BIN)/python bench/run.py

lint: $(STAMP) ## Lint src/ and tests/ with ruff
	$(BIN)/ruff check src tests

lab: $(STAMP) ## Open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

clean: ## Remove the virtual environment and caches (outputs/ is kept)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis src/*.egg-info
