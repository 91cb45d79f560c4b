"""Links to a proposal's page, wherever the proposals package puts it."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from werkzeug.routing import BuildError

# The proposal page is the proposals package's; until it exists, the discussion page stands in.
PROPOSAL_PAGE_ENDPOINTS = ("proposals.show", "proposals.detail", "proposals.view")


def _proposal_id(proposal) -> int:
    return proposal if isinstance(proposal, int) else proposal.id


def proposal_endpoint() -> tuple[str, str]:
    """The endpoint of the proposal page and the name of its id argument."""
    for endpoint in PROPOSAL_PAGE_ENDPOINTS:
        if endpoint in current_app.view_functions:
            for rule in current_app.url_map.iter_rules(endpoint):
                for argument in ("proposal_id", "id"):
                    if argument in rule.arguments:
                        return endpoint, argument
    return "discussion.thread", "proposal_id"


def proposal_url(proposal, anchor: str | None = None, external: bool = False, **query) -> str:
    endpoint, argument = proposal_endpoint()
    values: dict[str, Any] = {argument: _proposal_id(proposal), **query}
    if anchor:
        values["_anchor"] = anchor
    if external:
        from app.urls import external_url

        return external_url(endpoint, **values)
    try:
        return url_for(endpoint, **values)
    except BuildError:  # a proposal page whose address needs more than the id (a slug…)
        return url_for("discussion.thread", proposal_id=values.pop(argument), _anchor=anchor, **query)


def comment_url(comment, external: bool = False, proposal_id: int | None = None) -> str:
    """A comment's permalink: the proposal page shows the part of the thread that holds it
    (``?comment=``), scrolled to it. ``comment`` is a Comment, or its id with ``proposal_id``."""
    comment_id = comment if isinstance(comment, int) else comment.id
    return proposal_url(proposal_id or comment.proposal_id, anchor=f"comment-{comment_id}", external=external,
                        comment=comment_id)
