"""Votes: built by its own issue; the blueprint is registered so the package has its place."""

from flask import Blueprint

bp = Blueprint("votes", __name__)
