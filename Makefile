# MAM — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test demo lint translations messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-app

translations: $(VENV)/.installed-app
	$(BIN)/pybabel compile -d app/translations -f --statistics 2>&1 | tail -n 2

# Serve the platform on SQLite (instance/mam.db), migrated and ready, at http://127.0.0.1:5000
run: export MAM_ENV ?= development
run: $(VENV)/.installed-app translations
	$(BIN)/flask db upgrade
	$(BIN)/flask users setup-link
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Realistic Polish demo content (safe to run again)
demo: export MAM_ENV ?= development
demo: $(VENV)/.installed-app translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# The whole suite on SQLite; with TEST_DATABASE_URL=postgresql+psycopg://… on PostgreSQL.
# It runs on every core (pytest-xdist, a test file per worker at a time); JOBS=0 runs it in one process.
JOBS ?= auto
test: $(VENV)/.installed-test translations lint
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile $(PYTEST_ARGS)

# Re-extract translatable strings after changing the text of the UI
messages: $(VENV)/.installed-app
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k pgettext:1c,2 -k lazy_pgettext:1c,2 -k npgettext:1c,2,3 --no-location --sort-output \
		--project MAM --copyright-holder "MAM Na Kozłówce" -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --width 100 --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
