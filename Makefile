# MAM — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test demo lint translations messages lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs exactly the locked versions, each checked against its hash, then the platform itself.
$(VENV)/.installed-app: requirements/app.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/app.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-app

# English is the source language: its catalog is nearly empty on purpose, so only Polish and Ukrainian are counted.
translations: $(VENV)/.installed-app
	@out="$$($(BIN)/pybabel compile -d app/translations -f --statistics 2>&1)" || { echo "$$out"; exit 1; }; \
		echo "$$out" | grep -E "translated in .*/(pl|uk)/"

# Serve the platform on SQLite (instance/mam.db), migrated and ready, at http://127.0.0.1:5000 (or PORT=5100)
PORT ?= 5000
run: export MAM_ENV ?= development
run: $(VENV)/.installed-app translations
	@$(BIN)/python -c "import socket, sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $(PORT))) == 0)" \
		|| (echo "Port $(PORT) is in use (on macOS, AirPlay takes 5000). Choose another: make run PORT=5100"; exit 1)
	$(BIN)/flask db upgrade
	$(BIN)/flask users setup-link
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Realistic Polish demo content (safe to run again)
demo: export MAM_ENV ?= development
demo: $(VENV)/.installed-app translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed

# Ruff, then the layers of docs/architecture.md (import-linter, configured in pyproject.toml).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The whole suite on SQLite; with TEST_DATABASE_URL=postgresql+psycopg://… on PostgreSQL.
# It runs on every core (pytest-xdist, test by test; a file sharing a fixture stays on one worker); JOBS=0 runs it in one process.
JOBS ?= auto
test: $(VENV)/.installed-test translations lint
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup $(PYTEST_ARGS)

# Re-extract translatable strings after changing the text of the UI
messages: $(VENV)/.installed-app
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k pgettext:1c,2 -k lazy_pgettext:1c,2 -k npgettext:1c,2,3 --no-location --sort-output \
		--project MAM --copyright-holder "MAM Na Kozłówce" -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --width 100 --no-fuzzy-matching

# After changing the dependencies in pyproject.toml: re-resolve the locks (pip-tools), keeping the versions
# already locked where they still fit. `make lock UPGRADE=1` moves every package to its newest fitting version.
LOCK_TOOLS := $(VENV)-lock
lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || ($(PYTHON) -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/pip install --quiet pip-tools==7.6.2)
	for lock in app:"" test:"--extra test" prod:"--extra prod"; do \
		$(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
			--no-emit-find-links $(if $(UPGRADE),--upgrade) $${lock#*:} -o requirements/$${lock%%:*}.lock pyproject.toml; \
	done

clean:
	rm -rf $(VENV) $(LOCK_TOOLS) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
