"""Proposals: built by its own issue; the blueprint is registered so the package has its place."""

from flask import Blueprint

from app.notifications import subjects

bp = Blueprint("proposals", __name__)


def _followable(ids: list[int]) -> dict[int, tuple[str, str]]:
    from app.proposals.follows import followable

    return followable(ids)


subjects.register("proposal", _followable)
