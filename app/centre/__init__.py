"""The centre's own settings (core layer): address, opening hours, contact and the accessibility
statement's fields, one record an administrator edits. Other packages and templates read them with
``settings()``; nothing here imports a layer above the core."""

from flask import Blueprint

from app.centre.settings import Centre, address_text, hours_text, settings

bp = Blueprint("centre", __name__)

__all__ = ["Centre", "address_text", "bp", "hours_text", "settings"]
