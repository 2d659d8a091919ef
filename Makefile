# parindex: `make demo` to try it, `make test` before every commit.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
PIP_COMPILE := ../$(BIN)/pip-compile --quiet --no-header --no-emit-index-url --no-emit-find-links --strip-extras
# Python keeps compiled modules (and pytest its assertion-rewritten tests) in __pycache__, even
# where the environment says PYTHONDONTWRITEBYTECODE: without them each of the suite's processes
# compiles every module again (about 6 s of CPU each, decision 0032).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test checks types lint quick-lint e2e bench loadtest messages check-messages lock clean-venv

# Production packages only (requirements/lock.txt); the test tools come with $(DEV_STAMP).
$(STAMP): requirements/lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "parindex needs Python 3.11 or newer"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements/lock.txt
	$(PIP) --no-deps -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements/dev-lock.txt
	$(PIP) -r requirements/dev-lock.txt
	touch $(DEV_STAMP)

demo: $(STAMP)  ## set up SQLite under var/, load the demo province once, serve on 127.0.0.1:8000
	$(BIN)/parindex demo

test: $(DEV_STAMP)  ## lint, types, migrations check and the whole suite (DATABASE_URL picks the database), timed
	@start=$$(date +%s%N); $(MAKE) --no-print-directory checks; status=$$?; \
	  echo "make test: $$(( ($$(date +%s%N) - start) / 1000000000 )) s wall$$([ $$status = 0 ] || echo ', FAILED')"; \
	  exit $$status

# What `make test` runs; pytest spreads the tests over two processes (pytest-xdist, pyproject).
# mypy and the migrations check run beside pytest, their report printed after its own: mypy
# without its cache (a fresh clone) takes about 12 s of one core, the check about 1 s.
checks: quick-lint
	@side=$$(mktemp); \
	  ( $(BIN)/mypy && DJANGO_SETTINGS_MODULE=config.settings_test \
	    $(BIN)/parindex makemigrations --check --dry-run ) >$$side 2>&1 & pid=$$!; \
	  $(BIN)/pytest; status=$$?; \
	  wait $$pid; side_status=$$?; echo "mypy, makemigrations --check:"; cat $$side; rm -f $$side; \
	  [ $$status = 0 ] && [ $$side_status = 0 ]

types: $(DEV_STAMP)  ## mypy with django-stubs (strict on the engine), configured in pyproject.toml
	$(BIN)/mypy

lint: quick-lint types  ## ruff, the layer contract (an app imports only the apps below it) and mypy

quick-lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

e2e: $(DEV_STAMP)  ## end-to-end browser tests in headless Debian chromium
	$(BIN)/pytest -m e2e -p no:randomly -n 0

bench: $(DEV_STAMP)  ## benchmark figures at national scale, one `bench: name = value unit` per line
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/parindex bench

loadtest: $(DEV_STAMP)  ## 2 gunicorn + 2 RQ workers on DATABASE_URL (PostgreSQL) and Redis, 100 users for 2 min
	$(BIN)/python -m parindex.jobs.loadtest --serve --users 100 --duration 120

messages: $(STAMP)  ## refresh the Vietnamese catalogues after changing user-facing strings
	for app in parindex/*/apps.py; do dir=$$(dirname $$app); mkdir -p $$dir/locale; \
	  (cd $$dir && $(CURDIR)/$(BIN)/parindex makemessages -l vi --no-obsolete --add-location file) || exit 1; done
	cd parindex && $(CURDIR)/$(BIN)/parindex compilemessages

lock: $(STAMP)  ## recompile requirements/lock.txt and dev-lock.txt after editing base.in or dev.in
	$(PIP) pip-tools
	cd requirements && $(PIP_COMPILE) --output-file lock.txt base.in
	cd requirements && $(PIP_COMPILE) --output-file dev-lock.txt dev.in

clean-venv:
	rm -rf $(VENV)
