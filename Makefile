# Two commands for people (see README.md):
#   make serve   set up, generate, and serve the site with live reload at http://127.0.0.1:8000/
#   make test    set up (plus dev tools and a browser), lint, and run every test
# Set-up steps leave stamp files inside .venv/ and node_modules/, remade only when pyproject.toml,
# requirements/constraints.txt or package-lock.json change, so a second run skips the installs.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CONSTRAINTS := requirements/constraints.txt
PYTEST_ARGS ?=

.PHONY: help serve test generate build build-zensical browser lint lock clean

help:
	@echo "make serve   generate and serve the site at http://127.0.0.1:8000/ (live reload)"
	@echo "make test    lint and run every test (needs Chromium; installs Playwright's if absent)"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.stamp-runtime: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.stamp-dev: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	touch $@ $(VENV)/.stamp-runtime

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

generate: $(VENV)/.stamp-runtime node_modules/.stamp
	$(PY) -m generator

serve: generate
	$(VENV)/bin/mkdocs serve -a 127.0.0.1:8000 --livereload

# After the HTML exists: the Content-Security-Policy and the offline service worker
# (generator/postbuild/, builder-neutral: it reads and writes site/ only).
build: generate
	$(VENV)/bin/mkdocs build --strict
	$(PY) -m generator.postbuild site

# The same site with Zensical (Material's successor; a dev dependency), into site/. Never add
# -c: it deletes all of .cache/, the generator's precompile cache included.
build-zensical: generate $(VENV)/.stamp-dev
	$(VENV)/bin/zensical build --strict -f mkdocs.yml

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Chromium for the browser tests: the system's, else Playwright's (tests/chromium.py decides).
browser: $(VENV)/.stamp-dev
	$(PY) tests/chromium.py --ensure

# pytest's session fixtures run the generator and a strict build themselves: first everything
# on the MkDocs build, then the build checks and a subset of the browser checks on the Zensical
# build (tests/conftest.py ZENSICAL_BROWSER_FILES).
test: $(VENV)/.stamp-dev node_modules/.stamp browser lint
	$(PY) -m pytest $(PYTEST_ARGS)
	$(PY) -m pytest --builder zensical $(PYTEST_ARGS)

# Re-lock Python dependencies: resolve pyproject.toml (with dev extras) from PyPI in a clean
# virtualenv and freeze the result. Commit requirements/constraints.txt afterwards.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null .venv-lock/bin/pip install --quiet -e '.[dev]'
	{ echo "# Exact versions for pip install -c $(CONSTRAINTS) -e '.[dev]'."; \
	  echo "# Regenerate with: make lock  (resolves pyproject.toml from PyPI in a clean venv)."; \
	  .venv-lock/bin/pip freeze --exclude-editable; } > $(CONSTRAINTS)
	rm -rf .venv-lock

# Remove build output and every generated file under docs/ (keeps .venv and node_modules).
clean:
	rm -rf site .pytest_cache .ruff_cache .hypothesis
	if [ -x $(PY) ]; then $(PY) -m generator --clean; else $(PYTHON) -m generator --clean; fi
