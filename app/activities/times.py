"""Times of the centre: forms speak Europe/Warsaw, the database keeps UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_time
from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput

WARSAW = ZoneInfo("Europe/Warsaw")


def local(moment: datetime) -> datetime:
    return moment.astimezone(WARSAW)


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
                day=format_date(day, "medium"),
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
