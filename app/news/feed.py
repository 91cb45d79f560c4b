"""The Atom 1.0 feed of news posts (RFC 4287), built with ElementTree so everything is escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from app.db import utcnow
from app.news.models import NewsPost
from app.urls import external_url

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
SITE_NAME = "MAM Na Kozłówce"


def rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = text
    return element


def atom_feed(posts: list[NewsPost], title: str, subtitle: str, language: str) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: language})
    _add(feed, "id", external_url("news.index"))
    _add(feed, "title", title)
    _add(feed, "subtitle", subtitle)
    updated = max((post.updated_at for post in posts), default=None) or utcnow()
    _add(feed, "updated", rfc3339(updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=external_url("news.feed"))
    _add(feed, "link", rel="alternate", type="text/html", href=external_url("news.index"))
    author = _add(feed, "author")
    _add(author, "name", SITE_NAME)
    for post in posts:
        url = external_url("news.show", post_id=post.id)
        # A post written in another language than the feed's says so, for readers and screen readers.
        entry = _add(feed, "entry", **({XML_LANG: post.language} if post.language != language else {}))
        _add(entry, "id", url)
        _add(entry, "title", post.title)
        _add(entry, "published", rfc3339(post.published_at))
        _add(entry, "updated", rfc3339(post.updated_at))
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        if post.author is not None:
            _add(_add(entry, "author"), "name", post.author.display_name)
        _add(entry, "content", post.body_html, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
