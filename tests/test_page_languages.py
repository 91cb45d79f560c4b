"""Every page kind, as every role, in Polish, Ukrainian and English: no word a person reads in another UI
language than the page's (above all no English on Polish and Ukrainian pages), unless it is content (what
residents and the demo wrote) or one of a few names everybody uses ("MAM", "PDF").

The words of a language are those of its translations in the catalog; English's are the msgids (the UI's
own English) and a few common ones. A word two languages share ("to", "do", "status" are Polish words as
well) is never suspicious. What a person reads is the text of the page and the attributes read aloud or
shown: title, alt, aria-label, placeholder, the value of buttons and the question of a confirmation
(data-confirm). Text inside ``<code>`` (a command) or inside an element marked with another ``lang`` (a
proposal written in English, the language switch's "English") is that language's on purpose and is
skipped.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

from app.auth.models import User
from app.centre.settings import settings
from app.db import db
from app.demo.seed import DEMO_PASSWORD
from app.phases.models import Round
from app.proposals.models import ProposalRevision


@pytest.fixture(scope="session")
def app(demo_app):
    """These tests read the demo data, seeded once per worker."""
    return demo_app

TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"

# Names and formats that are the same in every language.
ALLOWED = {"mam", "csv", "pdf", "xlsx", "json", "api", "openapi", "atom", "ical", "ics", "pabulib", "pb",
           "sha", "markdown", "htmx", "https", "http", "www", "pln", "url", "id", "wcag", "aa", "ok"}

# Common UI words, in case a hardcoded English string uses a word no msgid has.
COMMON_ENGLISH = """
    the and of for with your you this that these those is are was were be been not or from by at in
    on all new edit delete save cancel back next previous page search sign log menu close open more
    read show hide yes no none error results vote round proposal proposals comment comments news
    activity activities home help settings account admin data export download file date time status
    draft submitted accepted rejected withdrawn selected scheduled implemented held planned
    cancelled online paper secret public approval ranking greedy equal shares ordinal cumulative
    choose monday tuesday wednesday thursday friday saturday sunday jan feb mar apr may jun jul aug
    sep oct nov dec january february march april june july august september october november
    december today tomorrow yesterday am pm minutes hours days ago about contact privacy terms
"""

WORD = re.compile(r"[^\W\d_]+")
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "data-confirm", "aria-description")
SKIP_LINKS = re.compile(r"^/(static/|logout|language)|\.(ics|atom|csv|xlsx|pdf|pb|json)$|/export|/api/")
LINK = re.compile(r'href="(/[^"#]*)"')
PAGES_PER_ROLE = 140


def words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(text)}


COMMON_ENGLISH_WORDS = words(COMMON_ENGLISH)


def catalog_words(language: str) -> tuple[set[str], set[str]]:
    """(words of the msgids, words of this language's msgstrs)."""
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po, locale=language)
    english, own = set(), set()
    for message in catalog:
        if not message.id:
            continue
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            english |= words(re.sub(r"%\(\w+\)[sdf]", " ", text))
        for text in (message.string if isinstance(message.string, tuple) else (message.string,)):
            own |= words(re.sub(r"%\(\w+\)[sdf]", " ", text or ""))
    return english, own


class ReadText(HTMLParser):
    """The text segments a person reads, except inside elements in another language."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
            "wbr"}
    SILENT = {"script", "style", "template", "code"}  # code: a command or a machine code, the same everywhere

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.segments: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang")
        skipped = (self.skipping or tag in self.SILENT
                   or (lang is not None and tag != "html" and lang != self.language))
        if not skipped:
            for name in READ_ATTRIBUTES:
                if attributes.get(name):
                    self.segments.append(attributes[name])
            button = attributes.get("type") in ("submit", "button", "reset")
            if tag == "input" and button and attributes.get("value"):
                self.segments.append(attributes["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.segments.append(data)


def read_text(html: str, language: str) -> list[str]:
    parser = ReadText(language)
    parser.feed(html)
    return [" ".join(segment.split()) for segment in parser.segments]


def content_texts(session) -> tuple[str, set[str]]:
    """Everything the demo and its people wrote (every text column of every table) and the centre's
    details, as one searchable text and as a set of words."""
    texts: list[str] = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
        if not columns:
            continue
        for row in session.execute(sa.select(*columns)):
            for value in row:
                if value:
                    plain = re.sub(r"<[^>]+>", "\n", value)  # rendered HTML → its text pieces
                    texts.extend([value, *(" ".join(piece.split()) for piece in plain.split("\n"))])
    centre = settings()  # the centre's own details (written in Polish, by whoever runs it)
    texts.extend(str(getattr(centre, field.name)) for field in dataclasses.fields(centre))
    blob = "\n".join(texts)
    return blob, words(blob)


def kind(path: str) -> str:
    """Pages of one kind differ only in their numbers and query values: /proposals/7 ≈ /proposals/12."""
    path, _, query = path.partition("?")
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(keys) if keys else "")


def explicit_pages(session) -> list[str]:
    """Pages every role is shown even when a page of the same kind was already seen: a round in each
    phase, its results, and the error pages."""
    pages = ["/", "/proposals", "/rounds", "/activities", "/news", "/how-we-vote", "/accessibility",
             "/data", "/account", "/moderation", "/admin/audit", "/admin/centre", "/residents",
             "/login", "/register", "/reset-password", "/sign-in/code", "/no-such-page",
             "/proposals/999999999"]
    revised = session.scalar(sa.select(ProposalRevision.proposal_id).limit(1))
    pages += [f"/proposals/{revised}/revisions", f"/proposals/{revised}/edit"]
    for round_id, phase in session.execute(sa.select(Round.id, Round.phase).order_by(Round.id)):
        pages.append(f"/rounds/{round_id}")
        if phase in ("closed", "archived"):
            pages.append(f"/rounds/{round_id}/results")
        if phase == "voting":
            pages.append(f"/rounds/{round_id}/vote")
    return pages


def crawl(client, start: list[str]):
    """(path, status, html) of every explicit page and one page of each kind reachable from them."""
    seen_paths, seen_kinds = set(), set()
    queue = deque((path, True) for path in start)
    while queue and len(seen_paths) < PAGES_PER_ROLE:
        path, explicit = queue.popleft()
        if path in seen_paths or SKIP_LINKS.search(path) or (not explicit and kind(path) in seen_kinds):
            continue
        seen_paths.add(path)
        seen_kinds.add(kind(path))
        response = client.get(path)
        if response.mimetype != "text/html" or 300 <= response.status_code < 400:
            continue  # files, and redirects (where they lead is a page of its own)
        html = response.get_data(as_text=True)
        yield path, response.status_code, html
        queue.extend((link.replace("&amp;", "&"), False) for link in LINK.findall(html))


ROLES = ["visitor", "michal@mam.example", "oksana@mam.example", "moderator@mam.example",
         "rada@mam.example", "admin@mam.example"]


@functools.cache
def vocabularies() -> dict[str, frozenset[str]]:
    """The words of each UI language: its msgstrs (the msgids, and a few common words, for English)."""
    english, polish = catalog_words("pl")
    _, ukrainian = catalog_words("uk")
    return {"en": frozenset(english | COMMON_ENGLISH_WORDS), "pl": frozenset(polish),
            "uk": frozenset(ukrainian)}


def foreign_words(language: str) -> set[str]:
    """Words of the other UI languages that this one does not use itself."""
    others = set().union(*(words for code, words in vocabularies().items() if code != language))
    return others - vocabularies()[language] - ALLOWED


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_no_word_of_another_language_on_a_page(session, make_client, language):
    """Above all no English on Polish and Ukrainian pages; and no Polish left on Ukrainian or English
    ones (a string written into a template instead of going through the catalog)."""
    suspicious = foreign_words(language)
    blob, content_words = content_texts(session)
    findings: dict[str, set[str]] = {}
    kinds = set()
    for role in ROLES:
        client = make_client()
        if role == "visitor":
            client.http.set_cookie("lang", language)
        else:
            user = session.scalar(sa.select(User).where(User.email == role))
            user.locale = language
            session.commit()
            client.login(user, DEMO_PASSWORD)
        for path, status, html in crawl(client, explicit_pages(session)):
            assert status < 500, (role, path, status)
            assert f'<html lang="{language}"' in html, (role, path)
            kinds.add(kind(path))
            for segment in read_text(html, language):
                if segment in blob:
                    continue  # a whole piece of content: a title, a name, a paragraph
                found = (words(segment) & suspicious) - content_words
                if found:
                    findings.setdefault(f"{', '.join(sorted(found))}  «{segment[:120]}»", set()).add(
                        kind(path))
    assert len(kinds) > 45, sorted(kinds)
    report = "\n".join(f"{finding}  on {sorted(pages)[:3]}" for finding, pages in sorted(findings.items()))
    assert not findings, f"Words of another language on {language} pages:\n{report}"


def test_the_check_finds_an_english_word_and_skips_content_in_another_language():
    suspicious = foreign_words("pl")
    html = ('<html lang="pl"><body><button title="Delete the comment">Usuń</button>'
            '<h2 lang="en">Board games night</h2><p>Wyniki głosowania</p>'
            '<input type="submit" value="Save"><script>var x = "the";</script></body></html>')
    segments = read_text(html, "pl")
    assert "Board games night" not in segments and 'var x = "the";' not in segments
    found = set().union(*(words(s) & suspicious for s in segments))
    assert found == {"delete", "the", "comment", "save"}
