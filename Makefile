# Pro4 HMI — the two quick-start commands are `make demo` and `make test`.
# Each sets up what it needs first (OS packages when root, the virtualenv), then runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test bench lint setup-demo setup-test clean

demo: setup-demo
	$(BIN)/hmi demo

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

bench: setup-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

lint: setup-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# OS packages first (a bare Debian may even lack python3-venv), then the virtualenv.
setup-demo:
	@bash scripts/setup-os.sh demo
	@$(MAKE) --no-print-directory $(STAMP)

setup-test:
	@bash scripts/setup-os.sh test
	@$(MAKE) --no-print-directory $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
