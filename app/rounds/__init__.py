"""Consultation rounds: their pages, voting, paper ballots and results (routes in ``routes``)."""

from flask import Blueprint

from app.notifications import subjects

bp = Blueprint("rounds", __name__)


def _followable(ids: list[int]) -> dict[int, tuple[str, str]]:
    from app.rounds.follows import followable

    return followable(ids)


subjects.register("round", _followable)
