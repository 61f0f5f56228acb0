# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# The test suite runs with production settings (DEBUG off) over plain HTTP. Python keeps its
# compiled bytecode in .pycache/ even where PYTHONDONTWRITEBYTECODE is set: the suite starts
# many Python processes (pytest's workers, the servers and commands some tests start), and
# each would otherwise compile Django and the app again.
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret-key-not-for-production-use-0123456789 \
	SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 DB_CONN_MAX_AGE=0 EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
	PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/.pycache
# Processes for the tests that need no browser (pytest-xdist): one per core by default.
WORKERS ?= auto

.PHONY: run test install system-deps system-deps-test messages catalogues static lint check-migrations \
	pytest test-suite test-parallel test-browser bench graph clean

run: system-deps install
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) seed_demo
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl+C to stop), with a worker for heavy files"
	DEBUG=1 $(MANAGE) db_worker & worker=$$!; trap 'kill $$worker' EXIT; \
		DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

test: system-deps-test install
	.ci/with-postgres $(MAKE) --no-print-directory test-suite

# The whole suite, in two pytest runs: every test outside tests/browser/ on $(WORKERS) processes
# (pytest-xdist, a test file at a time per process, each process on its own test database
# test_<name>_gw0, gw1, … copied from one migrated template: tests/conftest.py), then the
# browser tests on one process (one Chromium, one live server).
test-suite: lint check-migrations static test-parallel test-browser

test-parallel: install
	$(TEST_ENV) $(VENV)/bin/pytest -n $(WORKERS) --dist loadfile --ignore=tests/browser $(PYTEST_ARGS)

test-browser: install
	$(TEST_ENV) $(VENV)/bin/pytest tests/browser $(PYTEST_ARGS)

install: $(VENV)/.synced node_modules/.installed messages

system-deps:
	.ci/system-deps run

system-deps-test:
	.ci/system-deps test

$(VENV)/.synced: pyproject.toml uv.lock
	test -x $(PY) || python3 -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv sync --frozen --quiet
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Refresh the Vietnamese catalogues from the source (each app's own, and dankhoeo's with the
# project templates), then translate any new entry by hand: `make catalogues messages`.
# References name files only, so that moving a line does not rewrite a catalogue.
CATALOGUE_APPS := villages criteria assignments reports
MAKEMESSAGES := makemessages -l vi --add-location=file --no-obsolete -v0
catalogues: $(VENV)/.synced
	for app in $(CATALOGUE_APPS); do (cd $$app && DEBUG=1 ../$(PY) ../manage.py $(MAKEMESSAGES)) || exit 1; done
	DEBUG=1 $(MANAGE) $(MAKEMESSAGES) $(foreach app,$(CATALOGUE_APPS) tests bench .venv node_modules staticfiles .pycache,--ignore='$(app)/*')
	for po in */locale/vi/LC_MESSAGES/django.po; do msgfmt --check --statistics -o /dev/null $$po; done

messages: $(VENV)/.synced
	DEBUG=1 $(MANAGE) compilemessages --ignore='.venv/*' --ignore='node_modules/*' -v0

static: install
	$(TEST_ENV) $(MANAGE) collectstatic --noinput -v0

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

check-migrations: install
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run

pytest: install
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

# Render time of the whole-plan yearly review as PDF against WeasyPrint's floor (bench/);
# memory and time of the largest refused and accepted Excel imports (bench/import_bench.py);
# then each page's service time and its throughput under wrk at province and SYN17 scale, against
# Django's floor and /healthz served in the same run (bench/load.py).
bench: install
	.ci/system-deps bench
	$(TEST_ENV) $(PY) bench/report_bench.py
	$(TEST_ENV) $(PY) bench/import_bench.py
	.ci/with-postgres $(PY) bench/load.py

# The imports between the apps, read from the code (ARCHITECTURE.md); `make graph LEVEL=module`
# for modules, `FORMAT=dot` for Graphviz.
graph: $(VENV)/.synced
	DEBUG=1 $(MANAGE) import_graph --level $(or $(LEVEL),app) --format $(or $(FORMAT),text)

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts .pycache
