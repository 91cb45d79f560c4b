"""Helpers for the request URL: safe redirects; text, whole-number and page-number query arguments."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request, url_for

from app.forms import FORBIDDEN_CHARACTERS


def safe_next(default_endpoint: str = "main.index") -> str:
    """The local ``next`` address from the form or query, or the default page (no open redirects)."""
    target = request.form.get("next") or request.args.get("next") or ""
    parts = urlsplit(target)
    local = target.startswith("/") and not target.startswith("//") and "\\" not in target
    if local and not parts.scheme and not parts.netloc:
        return target
    return url_for(default_endpoint)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails and the CLI, built from BASE_URL (never from the Host header)."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for(endpoint, _external=True, **values)


MAX_PAGE = 100_000  # beyond any real list; keeps OFFSET within the database's integer range


def text_arg(name: str, limit: int = 100) -> str:
    """A text query argument such as a search, cut to ``limit`` characters and without the control
    characters forms refuse (PostgreSQL rejects a NUL byte in a query parameter: a 500)."""
    return FORBIDDEN_CHARACTERS.sub("", request.args.get(name, "")[:limit])


def int_arg(name: str) -> int | None:
    """A whole-number query argument such as an id filter, or None when absent or not a sane number."""
    value = request.args.get(name, "")
    # ASCII digits only: "²".isdigit() is True but int("²") raises, and int("١") reads Arabic-Indic digits.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def page_arg() -> int:
    """The ``page`` query argument for ``db.paginate``: 1 unless it is a sane positive number.

    Flask-SQLAlchemy would parse any integer, and a huge one overflows the database's OFFSET (a 500).
    """
    page = int_arg("page")
    return page if page and page <= MAX_PAGE else 1

