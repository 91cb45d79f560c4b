"""Hostile input never causes a server error (issue 15, item 5).

Driven by the app itself, so new routes, query arguments and forms are covered without editing this file:
- every ``<id:…>`` route in the url_map, with ids no record can have → 404;
- every query argument the code reads (found in app/ by name), on every GET page whose view reads it;
- every field of every form found by crawling the demo site (as a visitor and as an administrator), each
  field in turn given the hostile values below, then all fields as arrays, as file uploads and as invalid
  UTF-8.
The expectation everywhere: 0 × 5xx, and the values below are refused (never stored).
"""

from __future__ import annotations

import contextvars
import inspect
import io
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import flask
import pytest
import sqlalchemy as sa
from werkzeug.exceptions import HTTPException

from app.demo.seed import DEMO_PASSWORD
from app.models import Ballot, Proposal, Round, User
from app.urls import IdConverter
from tests.factories import PASSWORD
from tests.rounds.factories import ballot_round, make_round


@pytest.fixture(scope="session")
def app(demo_app):
    """These tests read the demo data, seeded once per worker."""
    return demo_app

HOSTILE_IDS = ["0", "-1", "2147483648", "99999999999999999999", "²", "١٢٣"]
HOSTILE = {
    "zero": "0",
    "negative": "-1",
    "beyond PostgreSQL's integer": "2147483648",
    "beyond SQLite's integer": "99999999999999999999",
    "superscript digit": "²",
    "Arabic-Indic digits": "١٢٣",
    "year 1": "0001-01-01",
    "year 1 with a time": "0001-01-01T00:30",
    "CR/LF": "/\r\nSet-Cookie: x=1",
    "NUL byte": "a\x00b",
    "bidi override": "\u202eabc",
    "1 MB": "x" * 2**20,
}
INVALID_UTF8 = b"Ala \xff\xfe kota"

SKIP_PATHS = re.compile(r"^/(static/|logout|language|account/delete)")
LINK = re.compile(r'href="(/[^"#]*)"')
APP_DIR = Path(__file__).resolve().parent.parent / "app"
ARG_NAMES = re.compile(r"""(?:args\.get|_arg)\(\s*["'](\w+)["']""")


def _server_errors(responses) -> list:
    return [(label, status) for label, status in responses if status >= 500]


def _run(client, method: str, url: str, **kwargs):
    return contextvars.Context().run(getattr(client.http, method.lower()), url, **kwargs)


# --- the demo site, crawled ----------------------------------------------------------------------


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields with the values the page shows."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            post = (a.get("method") or "get").lower() == "post"
            self._form = {"action": a.get("action") or "", "fields": []} if post else None
            if post:
                self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "image", "reset"):
                self._form["fields"].append([a["name"], a.get("value") or ""])
        elif tag == "button" and a.get("value") is not None:
            self._form["fields"].append([a["name"], a["value"]])
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
            self._form["fields"].append(self._textarea)
        elif tag == "select":
            self._select = [a["name"], None]
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None and (self._select[1] is None or "selected" in a):
            self._select[1] = a.get("value") or ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _crawl(client, limit: int = 250) -> tuple[dict[str, str], dict[tuple, dict]]:
    """One local page per endpoint reachable from the home page, and one POST form per target endpoint."""
    adapter = client.app.url_map.bind("localhost")
    seen, queue, pages, forms = set(), deque(["/", "/login", "/register", "/reset-password"]), {}, {}
    while queue and len(seen) < limit:
        path = queue.popleft()
        route = urlsplit(path).path
        if path in seen or SKIP_PATHS.search(route):
            continue
        seen.add(path)
        try:
            endpoint, _ = adapter.match(route, method="GET")
        except HTTPException:
            continue
        if endpoint in pages and "?" not in path:
            continue
        pages.setdefault(endpoint, path)
        response = _run(client, "GET", path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        queue.extend(LINK.findall(html.replace("&amp;", "&")))
        parser = _Forms()
        parser.feed(html)
        for form in parser.forms:
            action = urlsplit(form["action"] or path).path
            if SKIP_PATHS.search(action):
                continue
            try:
                target, _ = adapter.match(action, method="POST")
            except HTTPException:
                continue
            forms.setdefault(target, {"action": form["action"] or path, "fields": form["fields"]})
    return pages, forms


@pytest.fixture
def demo(session):
    return session


def _sign_in_admin(client, session):
    admin = session.scalar(sa.select(User).where(User.email == "admin@mam.example"))
    client.login(admin, DEMO_PASSWORD)


# --- ids in paths --------------------------------------------------------------------------------


def test_ids_no_record_can_have_are_not_found_on_every_id_route(app, client, users):
    client.login(users.admin())
    rules = [rule for rule in app.url_map.iter_rules() if "<id:" in rule.rule]
    assert len(rules) > 40
    wrong = []
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for bad in HOSTILE_IDS:
                path = re.sub(r"<id:\w+>", bad, rule.rule)
                path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
                response = _run(client, method, path, data={"csrf_token": client.csrf_token()})
                if response.status_code != 404:
                    wrong.append((method, path, response.status_code))
    assert wrong == []


@pytest.mark.parametrize(("text", "matches"), [
    ("1", True), ("999999999", True), ("1999999999", True), ("2147483647", True), ("2147483648", False),
    ("2200000000", False), ("9999999999", False), ("0", False), ("012", False), ("²", False),
])
def test_the_id_pattern_is_exactly_the_database_range(text, matches):
    assert bool(re.fullmatch(IdConverter.regex, text)) is matches


def test_the_largest_id_reaches_the_page_and_urls_are_built(app, client):
    response = client.get("/proposals/2147483647")  # in range: the view looks it up and finds nothing
    assert response.status_code == 404
    assert "Nie znaleźliśmy tej strony." in response.get_data(as_text=True)
    assert client.get("/api/v1/rounds/2147483648").status_code == 404
    with app.test_request_context():
        assert flask.url_for("proposals.show", proposal_id=12) == "/proposals/12"


def test_the_openapi_document_bounds_every_id_parameter(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    ids = [parameter for path in spec["paths"].values() for operation in path.values()
           for parameter in operation.get("parameters", []) if parameter["name"].endswith("_id")]
    assert ids
    assert all(p["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1} for p in ids)


# --- query arguments -----------------------------------------------------------------------------


def _query_names() -> set[str]:
    names = set()
    for path in APP_DIR.rglob("*.py"):
        names |= set(ARG_NAMES.findall(path.read_text(encoding="utf-8")))
    return names | {"page", "next"}


def _reads(view, name: str) -> bool:
    source = inspect.getsource(inspect.unwrap(view))
    return f'"{name}"' in source or (name == "page" and "page_arg" in source)


@pytest.mark.parametrize("who", ["visitor", "admin"])
def test_hostile_query_arguments_never_cause_a_server_error(who, app, client, demo):
    if who == "admin":
        _sign_in_admin(client, demo)
    pages, _ = _crawl(client)
    names = _query_names()
    assert {"round", "category", "place", "proposal", "round_id", "page", "month", "q"} <= names
    responses = []
    for endpoint, path in sorted(pages.items()):
        base = urlsplit(path).path
        view = app.view_functions[endpoint]
        read = sorted(name for name in names if _reads(view, name))
        everything = [(name, value) for name in names for value in ("2147483648", "²")]
        response = _run(client, "GET", f"{base}?{urlencode(everything)}")
        responses.append((f"{base} all arguments as arrays", response.status_code))
        for name in read:
            for label, value in HOSTILE.items():
                if label == "1 MB":
                    value = value[:2000]  # a URL that long is refused by servers before the app
                response = _run(client, "GET", f"{base}?{urlencode({name: value})}")
                responses.append((f"{base}?{name}= {label}", response.status_code))
            response = _run(client, "GET", f"{base}?{name}=%FF%FE")
            responses.append((f"{base}?{name}= invalid UTF-8", response.status_code))
    assert len(responses) > 100
    assert _server_errors(responses) == []


def test_id_query_arguments_out_of_range_are_refused_with_a_message(client, demo):
    for url in ["/proposals?round=2147483648", "/proposals?category=²", "/activities?place=١٢٣"]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert "musi to być liczba od 1 do 2147483647" in response.get_data(as_text=True)
    response = client.get("/api/v1/proposals?round_id=2147483648")
    assert response.status_code == 422


# --- form fields ---------------------------------------------------------------------------------


def _post(client, action: str, pairs: list[tuple[str, object]]):
    body = urlencode([(name, value) for name, value in pairs], encoding="utf-8")
    return _run(client, "POST", action, data=body, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("who", ["visitor", "admin"])
def test_hostile_form_fields_never_cause_a_server_error(who, client, demo):
    if who == "admin":
        _sign_in_admin(client, demo)
    _, forms = _crawl(client)
    assert len(forms) > (30 if who == "admin" else 2)
    responses = []
    for endpoint, form in sorted(forms.items()):
        token = client.csrf_token()
        fields = [(name, value) for name, value in form["fields"] if name != "csrf_token"]
        base = [("csrf_token", token), *fields]
        for index, (name, _value) in enumerate(fields):
            for label, hostile in HOSTILE.items():
                pairs = [("csrf_token", token), *fields[:index], (name, hostile), *fields[index + 1:]]
                response = _post(client, form["action"], pairs)
                responses.append((f"{endpoint} {name}: {label}", response.status_code))
        if not fields:
            continue
        arrays = base + [(name, hostile) for name, _ in fields for hostile in ("2147483648", "²")]
        responses.append((f"{endpoint} arrays", _post(client, form["action"], arrays).status_code))
        invalid = [("csrf_token", token)] + [(name, INVALID_UTF8) for name, _ in fields]
        responses.append((f"{endpoint} invalid UTF-8", _post(client, form["action"], invalid).status_code))
        files = {"csrf_token": token, **{name: (io.BytesIO(b"12"), "x.txt") for name, _ in fields}}
        response = _run(client, "POST", form["action"], data=files, content_type="multipart/form-data")
        responses.append((f"{endpoint} files", response.status_code))
    assert _server_errors(responses) == []


@pytest.mark.parametrize("path", ["/login", "/register", "/reset-password"])
def test_a_field_sent_as_a_file_is_refused_with_a_message(path, client):
    data = {"csrf_token": client.csrf_token(), "email": (io.BytesIO(b"a@b.example"), "email.txt"),
            "password": "zielona-lampa-nad-rzeka"}
    response = _run(client, "POST", path, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "W tym polu wpisz tekst; nie można tu wysłać pliku." in response.get_data(as_text=True)


# --- what a person sees when a value is refused -----------------------------------------------------


def _count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _proposal_form(**kw) -> dict:
    return {"title": "Warsztaty szachowe", "body": "Co wtorek w świetlicy.", "category_id": "", "cost": "",
            "needs": "", "round_id": "", "action": "submit", **kw}


@pytest.mark.parametrize("cost", ["١٢٣", "²", "１２３"])
def test_a_cost_in_other_digits_is_refused_not_stored(cost, client, users, session):
    before = _count(session, Proposal)
    client.login(users.resident())
    response = client.post("/proposals/new", _proposal_form(cost=cost))
    assert response.status_code == 422
    assert "Wpisz koszt w złotych, np. 1 234,50 albo 1234." in response.get_data(as_text=True)
    assert _count(session, Proposal) == before


@pytest.mark.parametrize("title", ["Warsztaty\u202e", "Warsztaty\uffff", "War\u200bsztaty"])
def test_a_title_with_spoofing_characters_is_refused(title, client, users, session):
    before = _count(session, Proposal)
    client.login(users.resident())
    response = client.post("/proposals/new", _proposal_form(title=title))
    assert response.status_code == 422
    assert "Usuń z tego pola niewidoczne lub specjalne znaki" in response.get_data(as_text=True)
    assert _count(session, Proposal) == before


def test_a_display_name_with_a_bidi_override_is_refused(client, session):
    response = client.post("/register", {"email": "nowa@kozlowka.example", "display_name": "Anna\u202enimda",
                                         "password": "zielona-lampa-nad-rzeka",
                                         "confirm": "zielona-lampa-nad-rzeka", "locale": "pl"})
    assert response.status_code == 422
    assert "Usuń z tego pola niewidoczne lub specjalne znaki" in response.get_data(as_text=True)
    assert session.scalar(sa.select(User).where(User.email == "nowa@kozlowka.example")) is None


def test_points_in_other_digits_are_refused(client, users, session):
    round_, proposals = ballot_round(session, "cumulative")
    before = _count(session, Ballot)
    client.login(users.resident())
    for path, status in ((f"/rounds/{round_.id}/vote/summary", 200), (f"/rounds/{round_.id}/vote", 422)):
        response = client.post(path, {f"points-{proposals[0].id}": "²", f"points-{proposals[1].id}": "١"})
        assert response.status_code == status  # the counter shows the problem; casting refuses
        assert "Punkty muszą być liczbami całkowitymi większymi od zera." in response.get_data(as_text=True)
    assert _count(session, Ballot) == before


def test_year_1_as_a_round_date_is_refused_with_a_message(client, users, session):
    round_ = make_round(session, "draft")
    client.login(users.admin())
    parser = _Forms()
    parser.feed(client.get(f"/rounds/{round_.id}/edit").get_data(as_text=True))
    (form,) = [f for f in parser.forms if f["action"].endswith("/edit") or not f["action"]]
    data = {name: value for name, value in form["fields"]}
    data["voting_starts_at"] = "0001-01-01T00:30"
    response = client.post(f"/rounds/{round_.id}/edit", data)
    assert response.status_code == 422
    assert "Wpisz datę z lat 2000–2100." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Round, round_.id).voting_starts_at is None


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: x=1", "/proposals\x00", "/\nevil", "/a\u202eb"])
def test_next_with_control_characters_goes_to_the_home_page(target, client, users):
    user = users.resident()
    response = client.post("/login", {"email": user.email, "password": PASSWORD, "next": target})
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/"


def test_next_without_control_characters_still_works(client, users):
    user = users.resident()
    response = client.post("/login", {"email": user.email, "password": PASSWORD, "next": "/proposals?q=żółw"})
    assert unquote(response.headers["Location"]) == "/proposals?q=żółw"
