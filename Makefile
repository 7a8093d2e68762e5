# Two commands do all the set-up on a fresh machine with Python >= 3.10:
#   make demo   - create .venv, install coopgraph, answer a real question
#   make test   - create .venv, install coopgraph with its test extra, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@echo "== Which offices have Chinese zones opened abroad, where and when?"
	$(BIN)/coopgraph query offices-abroad
	@echo "== The timeline of the Dresden office, with the sources behind each date"
	$(BIN)/coopgraph query timeline -p about=cgr:dresden-jinan-office

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --sizes 10k

clean:
	rm -rf $(VENV) build dist *.egg-info
