"""Times of the centre: forms speak Europe/Warsaw, the database keeps UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from flask_babel import format_date, format_time, get_locale
from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput

WARSAW = ZoneInfo("Europe/Warsaw")


def local(moment: datetime) -> datetime:
    return moment.astimezone(WARSAW)


def time_range(starts_at: datetime, ends_at: datetime | None = None, locale=None) -> str:
    """When an activity takes place, in Warsaw time and the current (or given) language: the date once,
    hours as HH:mm, the end's date only when it is another day.

    "sobota, 28 listopada 2026, 18:00–20:00"; "Saturday, November 28, 2026, 18:00–20:00";
    "sobota, 24 października 2026, 22:00 – niedziela, 25 października 2026, 03:00".
    """
    locale = locale or get_locale() or "pl"
    start = local(starts_at)
    text = f"{babel_format_date(start.date(), 'full', locale=locale)}, {start:%H:%M}"
    if ends_at is None:
        return text
    end = local(ends_at)
    if end.date() == start.date():
        return f"{text}–{end:%H:%M}"
    return f"{text} – {babel_format_date(end.date(), 'full', locale=locale)}, {end:%H:%M}"


def to_utc(day: date, at: time, field: str = "starts") -> datetime:
    """The UTC instant of a wall-clock time in Warsaw; a time skipped when the clocks go forward is
    refused, and a repeated one (clocks going back) means its first occurrence."""
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=WARSAW)
    moment = wall.astimezone(UTC)
    if moment.astimezone(WARSAW).replace(tzinfo=None) != wall.replace(tzinfo=None):
        raise InvalidInput(
            _l(
                "%(time)s does not exist on %(day)s in Warsaw: the clocks go forward. Choose another time.",
                time=format_time(at, "short"),
                day=format_date(day, "long"),
            ),
            field=field,
        )
    return moment


def weekly(day: date, starts: time, ends: time, weeks: int) -> list[tuple[datetime, datetime]]:
    """Start and end of each week's occurrence, stepping in LOCAL time: 18:00 stays 18:00 on both sides of
    a daylight-saving change."""
    if ends <= starts:
        raise InvalidInput(_l("The end must be later than the start."), field="ends")
    occurrences = []
    for week in range(weeks):
        current = day + timedelta(weeks=week)
        occurrences.append((to_utc(current, starts, "starts"), to_utc(current, ends, "ends")))
    return occurrences


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The UTC instants at which a Warsaw calendar month begins and ends."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return to_utc(first, time(0)), to_utc(following, time(0))
