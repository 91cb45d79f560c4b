"""The moderator's desk (``/desk``): one page with what waits for moderators, counted, with the first few
of each kind and their direct actions. It sits in the outputs layer: it reads every feature below it
and changes things only through their services."""

from flask import Blueprint

bp = Blueprint("desk", __name__)
