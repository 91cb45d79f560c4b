"""What can be followed. Each feature registers its kind of subject with a function that, given ids,
returns what may be shown of those that exist and are public: ``{id: (title, path)}``. This package
calls it and never imports the feature."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import current_app, has_request_context
from flask_babel import lazy_gettext as _l

Resolver = Callable[[list[int]], dict[int, tuple[str, str]]]

_resolvers: dict[str, Resolver] = {}

# The kinds a resident can follow, with their names on the "what I follow" page.
FOLLOWABLE = {
    "proposal": _l("Proposal"),
    "activity": _l("Activity"),
    "round": _l("Round"),
}


def register(kind: str, resolver: Resolver) -> None:
    _resolvers[kind] = resolver


def resolve(kind: str, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    resolver = _resolvers.get(kind)
    ids = sorted(set(ids))
    if resolver is None or not ids:
        return {}
    if has_request_context():
        return resolver(ids)
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"] or "http://localhost"):
        return resolver(ids)  # the CLI: the paths are built as for the public address


def describe(kind: str, subject_id: int) -> tuple[str, str] | None:
    """(title, path) of one followable subject, or None when it does not exist or is not public."""
    if kind not in FOLLOWABLE:
        return None
    return resolve(kind, [subject_id]).get(subject_id)
