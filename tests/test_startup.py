"""What a ``flask`` command, a cron job or a worker pays to start: the app imports no heavy library until a
request or command needs it (bench/startup.py measures the time), and ``flask db`` still works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("icalendar", "weasyprint", "openpyxl", "PIL", "segno", "markdown_it", "pygments", "alembic",
         "argon2", "pypdf")


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "MAM_ENV": "development", "FLASK_APP": "wsgi", "MAM_INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path}/startup.db"}


def _run(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_create_app_imports_no_heavy_library(env):
    probe = ("import sys; from app import create_app; create_app(); "
             f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules) or 'none')")
    result = _run(env, sys.executable, "-c", probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "none"


def test_flask_db_is_listed_and_runs_migrations(env):
    flask = str(Path(sys.executable).with_name("flask"))
    listing = _run(env, flask, "--help")
    assert listing.returncode == 0, listing.stderr
    assert "Perform database migrations." in listing.stdout

    upgrade = _run(env, flask, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    current = _run(env, flask, "db", "current")
    assert current.returncode == 0, current.stderr
    assert "(head)" in current.stdout


def test_urls_build_as_before_with_builders_made_on_first_use(app):
    from flask import url_for

    from app.urls import LazyRule

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "proposals.show")
    assert isinstance(rule, LazyRule)
    with app.test_request_context():
        assert url_for("proposals.show", proposal_id=7) == "/proposals/7"
        assert url_for("proposals.show", proposal_id=7, page="2", q="a b") == "/proposals/7?page=2&q=a+b"
        assert url_for("proposals.show", proposal_id=8) == "/proposals/8"
        assert url_for("main.index", _external=True) == "http://localhost/"
        assert url_for("main.index", rule="greedy", self="x") == "/?rule=greedy&self=x"  # any value name
