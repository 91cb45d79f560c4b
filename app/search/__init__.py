"""Search everything (``/search``): proposals, activities, news and rounds, grouped by kind.

Each searchable record has one entry in ``search_entries``: its words folded to lower-case ASCII
(``app.text.fold``), kept up to date by a flush listener (``index.py``). A query's words are cut to their
Polish stems (``stemming.py``) and matched as word prefixes: PostgreSQL's full-text search ('simple'
configuration, GIN index), and on SQLite a LIKE on word starts. See ``queries.py``.
"""

from flask import Blueprint

bp = Blueprint("search", __name__)
