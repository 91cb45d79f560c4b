"""Helpers for safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request, url_for


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
