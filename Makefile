# One entry point for humans and CI: `make run` starts the app, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(STAMP_TEST): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/twconv-gui

lint: $(STAMP_TEST)
	$(BIN)/ruff check twconv_gui tests bench
	$(BIN)/ruff format --check twconv_gui tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

format: $(STAMP_TEST)
	$(BIN)/ruff check --fix twconv_gui tests bench
	$(BIN)/ruff format twconv_gui tests bench

bench: $(STAMP_TEST)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	# Byte-compiled as an installed package is (an editable install may never write .pyc).
	$(BIN)/python -m compileall -q twconv_gui
	$(BIN)/python bench/prepare.py
	$(BIN)/python bench/upload.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/gui_responsiveness.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/gui_responsiveness.py --csv --rows 1000000
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/gui_responsiveness.py --line-items --rows 999999

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
