# Two commands set up a fresh machine: `make run` (the app) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Only a Linux machine without a display runs Qt offscreen by default (macOS and Windows have
# no DISPLAY, yet show windows).
HEADLESS := $(if $(filter Linux,$(shell uname -s 2>/dev/null)),$(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen))
export QT_QPA_PLATFORM ?= $(HEADLESS)

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@if [ "$$QT_QPA_PLATFORM" = offscreen ]; then echo "No display: the app runs offscreen, \
	so no window shows (Ctrl+C stops it). Run it on a desktop session to see it."; fi
	$(BIN)/python -m leadcartel_desktop --demo-if-empty

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: $(STAMP) lint
	bash scripts/system-deps.sh
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -p no:cacheprovider -n 2

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
