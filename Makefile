# The two commands of the README's quick start: `make serve` and `make test`.
# Each bootstraps .venv from pyproject.toml on first use (and again when it changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DEMO := build/demo-repo

.PHONY: serve test lint bench build clean demo

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# The demo's history: demo/story.yaml replayed into a git repository with real dates
# and authors; the site reads its log and shows okrs/ as it is (edits reload the page).
$(DEMO)/.git/okrkit-replayed: $(STAMP) demo/story.yaml demo/replay.py demo/okrkit.yaml demo/mkdocs.yml $(wildcard okrs/*.yaml okrs/*/*.yaml)
	$(BIN)/python demo/replay.py $(DEMO)
	@touch $@

demo: $(DEMO)/.git/okrkit-replayed

serve: $(STAMP) demo
	$(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/ruff check plugins tests bench demo
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/okr validate
	$(BIN)/okr lint

bench: $(STAMP)
	$(BIN)/python bench/run.py

build: $(STAMP) demo
	$(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) site build dist .pytest_cache .ruff_cache .mypy_cache
