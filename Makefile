# Leiyang poverty-alleviation notebooks. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements/lock.txt
LABLOCK := requirements/lock-lab.txt
UPGRADE ?=
RUN    ?= default
JOBS   ?=

.DEFAULT_GOAL := help
.PHONY: help venv report test lint reference verify lab lock bench clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The environment is installed from the lock (exact versions, with hashes) and rebuilt
# when pyproject.toml or the lock is newer than the stamp. The lock is for Python 3.11;
# another Python gets the newest versions pyproject.toml allows, with a warning.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@if $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	  echo "installing the locked versions of $(LOCK)"; \
	  $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK) && \
	  $(BIN)/python -m pip install --quiet --no-deps -e . && \
	  $(BIN)/python -m pip check; \
	else \
	  echo "warning: $(LOCK) is for Python 3.11, not $$($(BIN)/python -V);" \
	       "installing the newest versions pyproject.toml allows"; \
	  $(BIN)/python -m pip install --quiet -e '.[test]'; \
	fi
	touch $(STAMP)

venv: $(STAMP) ## Create or refresh the local virtual environment (.venv)

report: $(STAMP) ## Main job: execute every notebook in order, write figures, tables and the HTML report to outputs/
	$(BIN)/leiyang-poverty run $(if $(JOBS),--jobs $(JOBS))

test: $(STAMP) ## Lint (ruff) and run the whole test suite, stored notebook outputs checked
	$(BIN)/ruff check src tests
	$(BIN)/pytest

reference: $(STAMP) ## Re-execute the notebooks in place (the stored outputs the tests check), then the default run
	$(BIN)/leiyang-poverty reference
	$(BIN)/leiyang-poverty run --force

verify: $(STAMP) ## Rerun everything in a scratch folder and compare with the committed references
	$(BIN)/leiyang-poverty verify

bench: $(STAMP) ## Time cold/no-op/incremental runs, tests, a naive papermill loop and the floor; write bench/RESULTS.md
	$(BIN)/python bench/run.py

lint: $(STAMP) ## Lint src/ and tests/ with ruff
	$(BIN)/ruff check src tests

# JupyterLab is not needed by the batch or the tests: `make lab` adds it (the `lab` extra,
# locked in requirements/lock-lab.txt) and opens at the project root on notebooks/.
# --allow-root only when running as root (containers, CI).
lab: $(STAMP) ## Open JupyterLab at the project root, on notebooks/ (installs JupyterLab on first use)
	@$(BIN)/python -c 'import jupyterlab' 2>/dev/null || \
	  if $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	    $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LABLOCK); \
	  else $(BIN)/python -m pip install --quiet -e '.[lab]'; fi
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

LOCKTOOLS := $(VENV)/lock-tools
UVFLAGS := --universal --python-version 3.11 --generate-hashes --no-header --quiet \
	$(if $(UPGRADE),--upgrade)
lock: ## Re-resolve requirements/lock*.txt from pyproject.toml (UPGRADE=1: newest versions)
	$(PYTHON) -m venv $(LOCKTOOLS)
	$(LOCKTOOLS)/bin/python -m pip install --quiet 'uv>=0.5'
	sed -n '/^#/p;/^[^#]/q' $(LOCK) > $(LOCK).new
	$(LOCKTOOLS)/bin/uv pip compile pyproject.toml --extra test $(UVFLAGS) -o $(LOCK)
	cat $(LOCK) >> $(LOCK).new && mv $(LOCK).new $(LOCK)
	sed -n '/^#/p;/^[^#]/q' $(LABLOCK) > $(LABLOCK).new 2>/dev/null || true
	$(LOCKTOOLS)/bin/uv pip compile pyproject.toml --extra test --extra lab -c $(LOCK) \
	  $(UVFLAGS) -o $(LABLOCK)
	cat $(LABLOCK) >> $(LABLOCK).new && mv $(LABLOCK).new $(LABLOCK)

clean: ## Remove the virtual environment and caches (outputs/ is kept)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis src/*.egg-info
