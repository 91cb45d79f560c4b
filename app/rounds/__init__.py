"""Consultation rounds: their pages, voting, paper ballots and results (routes in ``routes``)."""

from flask import Blueprint

bp = Blueprint("rounds", __name__)
