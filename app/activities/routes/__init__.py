"""Activity pages, one module per part: ``calendar`` (the list and month views, an activity, my
activities), ``feeds`` (iCalendar), ``scheduling``, ``reports`` (held or cancelled), ``signups`` (and
the lists for the door) and ``rooms`` (places and room requests). Importing this package attaches
every view to the blueprint."""

from app.activities import bp
from app.activities.routes import calendar, feeds, reports, rooms, scheduling, signups  # noqa: F401

__all__ = ["bp"]
