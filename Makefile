# Two commands do everything: `make run` (the eight notebooks, offline) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Tests and CI read the data set from the shared folder beside the project when it is there;
# otherwise the notebooks download it from the tutorial's address (or set BANK_CLEAN_CSV).
SHARED_CSV := $(wildcard ../shared/data/bank_clean.csv)
ifneq ($(SHARED_CSV),)
export BANK_CLEAN_CSV ?= $(abspath $(SHARED_CSV))
endif

.PHONY: install run test lint record bench stop clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	$(BIN)/python -c "import matplotlib.pyplot"  # build the font cache now, not in a notebook
	touch $(STAMP)

run: install
	$(BIN)/python -m helpers.pipeline run --params params/local.yaml

test: install
	$(BIN)/python -m pytest
	$(BIN)/ruff check .

lint: install
	$(BIN)/ruff check .

record: install
	$(BIN)/python -m helpers.pipeline record

bench: install
	$(BIN)/python benchmarks/offline_backend.py

stop:
	$(BIN)/python -m helpers.local stop

clean: stop
	rm -rf .local-aws runs
