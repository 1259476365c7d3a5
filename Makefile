# Fresh machine: Python 3.11 with pip and venv, make. Everything installs from pyproject.toml.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
JOBS   ?=

.PHONY: all setup build render export test lint lab benchmark clean-outputs

all: build render export  ## set up, then build → render → export on the embedded corpus

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

build: $(STAMP)
	$(PY) -m lib build --raw data/raw --clean data/clean

render: $(STAMP)
	$(PY) -m lib render $(if $(JOBS),--jobs $(JOBS))

export: $(STAMP)
	$(PY) -m lib export

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check --select F,I001 lib tests benchmarks

lab: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,lab]'
	$(PY) -m lib kernel
	$(VENV)/bin/jupyter lab notebooks/

benchmark: $(STAMP)
	$(PY) benchmarks/bench_build.py
	$(PY) benchmarks/bench_file_size.py

clean-outputs:
	rm -rf reports figures/* data/clean/*.parquet data/clean/*.csv data/clean/texts
