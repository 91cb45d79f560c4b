"""The app as production builds it (``wsgi:app``), plus the SQL statement count header of
bench/statements.py: what ``bench/http.py`` runs under gunicorn."""

from bench import statements
from wsgi import app

statements.install(app)
