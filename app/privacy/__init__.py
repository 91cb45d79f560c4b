"""Personal data: a resident downloads everything the platform holds about them, or deletes their account."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)
