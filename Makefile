# The two commands a newcomer needs: `make demo` and `make test`. Each sets up .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo-output

.PHONY: demo test lint bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# Miro's official client drives the emulator's fidelity tests. It pins urllib3<2, so it lives in its own
	# folder, added to sys.path by those tests only, never in the project's environment.
	$(BIN)/python -m pip install --quiet --upgrade --no-deps --target $(VENV)/miro_api_pkgs 'miro_api==2.2.4'
	# The browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; install it when missing.
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chromium is missing and installing it needs root (sudo apt-get install chromium); browser tests will be skipped."; fi; \
	fi
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/okrboard demo --out $(DEMO_OUT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/generate.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/render_report.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache
