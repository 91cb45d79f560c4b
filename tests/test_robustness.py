"""Hostile query strings never cause a server error: every GET page, with the demo data, as a visitor and as
a moderator, answers garbage page numbers, unknown filters and markup without a 5xx.

A page is sent every garbage value of each query argument it reads (the requests record which ones), and
once all of them at the same time: a value a page never reads cannot change its answer, and sending every
value to every page made this the slowest test of the suite."""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from app.demo.seed import DEMO_PASSWORD
from app.models import User


@pytest.fixture(scope="session")
def app(demo_app):
    """These tests read the demo data, seeded once per worker."""
    return demo_app

LINK = re.compile(r'href="(/[^"#?]*)')
SKIP = re.compile(r"^/(static/|logout|language)")

HUGE = "99999999999999999999"
GARBAGE = [
    "page=abc", "page=-1", "page=0", f"page={HUGE}", "page=1e3", "page=²", "page=١", "round=²",
    "per_page=100000", "per_page=-5", f"per_page={HUGE}",
    "status=<script>alert(1)</script>", "status=x", "sort=x", "sort=<b>", "phase=x", "role=x", "action=x",
    "month=13", "month=2024-13", "month=2024-00", "month=abc", f"month=2024-{HUGE}", "view=month&month=-1-1",
    "view=month&month=1999-12", "when=past&page=-3", "view=x&when=x",
    f"round={HUGE}", "round=-1", "round=idea", f"category={HUGE}", "category=-1", f"place={HUGE}",
    "q=%00%01", "comment=abc", "comment=-1", f"comment={HUGE}", "kind=x", "kind=%00",
    "role=%00", "action=%00x", "status=%00", "sort=%00", "phase=%00", "month=%00", "view=month&place=%00",
    "q=" + "ż" * 500, "q=%25_%5C", "next=//evil.example", "format=x", "year=abc", "id=abc",
    "page=2&status=<script>&sort=x&phase=x&month=x&round=x&category=x&place=x",
]
EVERYTHING = "&".join(GARBAGE)
EVERY_ARGUMENT = object()  # the page read all its arguments at once (kept them for its links, say)


class _Recorded(ImmutableMultiDict):
    """Query arguments that note which of them the page reads."""

    read: set = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key, type=None):
        self.read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def _everything(self, method, *args, **kwargs):
        self.read.add(EVERY_ARGUMENT)
        return getattr(super(), method)(*args, **kwargs)

    def __iter__(self):
        return self._everything("__iter__")

    def __len__(self):
        return self._everything("__len__")

    def keys(self):
        return self._everything("keys")

    def values(self):
        return self._everything("values")

    def items(self, multi=False):
        return self._everything("items", multi)

    def lists(self):
        return self._everything("lists")

    def to_dict(self, flat=True):
        return self._everything("to_dict", flat)

    def copy(self):
        return self._everything("copy")


class _RecordingRequest(Request):
    parameter_storage_class = _Recorded


def _keys(query: str) -> set[str]:
    return {pair.partition("=")[0] for pair in query.split("&")}


def _queries_for(client, path: str) -> Iterator[str]:
    """The garbage queries that reach what ``path`` reads: each value of each argument it reads, found
    again and again until no request reads a new one (``view=month`` makes a page read ``month``)."""
    read: set = _Recorded.read
    read.clear()
    client.get(path)
    queries, sent = [EVERYTHING], set()
    while queries:
        query = queries.pop()
        sent.add(query)
        yield query
        queries = [q for q in GARBAGE if q not in sent and (EVERY_ARGUMENT in read or _keys(q) & read)]


def _crawl(client, limit=300):
    """Every local page reachable from the home page, one per endpoint + arguments."""
    adapter = client.app.url_map.bind("localhost")
    seen, queue, found = set(), deque(["/"]), {}
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        try:
            endpoint, _ = adapter.match(path, method="GET")
        except HTTPException:
            continue
        found.setdefault(endpoint, path)
        response = client.get(path)
        if response.status_code == 200 and response.mimetype == "text/html":
            page = response.get_data(as_text=True)
            queue.extend(html.unescape(link) for link in LINK.findall(page))  # &amp; → &
            # Markup the page meant (a link inside a translated sentence), shown as text instead.
            assert "&lt;a href" not in page, f"escaped markup on {path}"
    return found


def _argless_get_paths(app):
    return {
        rule.endpoint: rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and not SKIP.search(rule.rule)
    }


@pytest.mark.parametrize("email", [None, "moderator@mam.example", "admin@mam.example"])
def test_garbage_query_arguments_never_cause_a_server_error(session, client, app, email, monkeypatch):
    monkeypatch.setattr(app, "request_class", _RecordingRequest)
    if email:
        client.login(session.scalar(sa.select(User).where(User.email == email)), DEMO_PASSWORD)
    paths = _argless_get_paths(app) | _crawl(client)
    assert len(paths) > 30
    failures, sent = [], {}
    for endpoint, path in sorted(paths.items()):
        sent[endpoint] = []
        for query in _queries_for(client, path):
            sent[endpoint].append(query)
            response = client.get(f"{path}?{query}")
            if response.status_code >= 500:
                failures.append((endpoint, f"{path}?{query}", response.status_code))
    assert failures == [], "\n".join(map(str, failures))
    # The lists read their page number, filters and search, so they were sent every garbage value of those.
    for endpoint, argument in (("proposals.index", "page"), ("proposals.index", "status"),
                               ("search.results", "q"), ("activities.index", "month")):
        assert {q for q in GARBAGE if argument in _keys(q)} <= set(sent[endpoint]), (endpoint, argument)
