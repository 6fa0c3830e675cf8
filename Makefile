# Two commands from a fresh machine: `make web` (or `make demo` in the terminal) runs the main job
# on the example casebook, `make test` runs the tests. Each sets up its own virtual environment first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CASEBOOK ?= cases
OUT ?= out

.PHONY: web demo test lint check messages bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

web: $(VENV)/.installed
	$(BIN)/burgerbaan web $(CASEBOOK)

demo: $(VENV)/.installed
	$(BIN)/burgerbaan check $(CASEBOOK)
	$(BIN)/burgerbaan match $(CASEBOOK) --round

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check toolkit tests benchmarks tools
	$(BIN)/ruff format --check toolkit tests benchmarks tools
	$(BIN)/mypy toolkit

check: test lint

# Refresh the message catalogues after changing translatable text.
messages: $(VENV)/.installed
	$(BIN)/python tools/messages.py update

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_matching.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis
