"""How the time of an activity reads: the date once, hours as HH:mm, Warsaw time on both sides of a
daylight-saving change, in Polish, Ukrainian and (British) English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from app.activities.times import time_range
from app.i18n import babel_locale


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    "locale, starts, ends, expected",
    [
        # Winter (CET, UTC+1).
        ("pl", utc(2026, 11, 28, 17), utc(2026, 11, 28, 19), "sobota, 28 listopada 2026, 18:00–20:00"),
        ("en", utc(2026, 11, 28, 17), utc(2026, 11, 28, 19), "Saturday, 28 November 2026, 18:00–20:00"),
        ("uk", utc(2026, 11, 28, 17), utc(2026, 11, 28, 19),
         "субота, 28 листопада 2026\u202fр., 18:00–20:00"),
        # Summer (CEST, UTC+2): the same wall-clock hours.
        ("pl", utc(2026, 7, 4, 16), utc(2026, 7, 4, 18, 30), "sobota, 4 lipca 2026, 18:00–20:30"),
        ("en", utc(2026, 7, 4, 16), utc(2026, 7, 4, 18, 30), "Saturday, 4 July 2026, 18:00–20:30"),
        # Through the night the clocks go back (25 October 2026, 03:00 CEST → 02:00 CET): 22:00 CEST is
        # 20:00 UTC, 03:00 CET is 02:00 UTC; the end is on another day, so its date is given.
        (
            "pl",
            utc(2026, 10, 24, 20),
            utc(2026, 10, 25, 2),
            "sobota, 24 października 2026, 22:00 – niedziela, 25 października 2026, 03:00",
        ),
        (
            "en",
            utc(2026, 10, 24, 20),
            utc(2026, 10, 25, 2),
            "Saturday, 24 October 2026, 22:00 – Sunday, 25 October 2026, 03:00",
        ),
        # On the day the clocks go forward (29 March 2026, 02:00 CET → 03:00 CEST).
        ("pl", utc(2026, 3, 29, 0), utc(2026, 3, 29, 2), "niedziela, 29 marca 2026, 01:00–04:00"),
        ("en", utc(2026, 3, 29, 0), utc(2026, 3, 29, 2), "Sunday, 29 March 2026, 01:00–04:00"),
        ("uk", utc(2026, 3, 29, 0), utc(2026, 3, 29, 2), "неділя, 29 березня 2026\u202fр., 01:00–04:00"),
        # Just the start.
        ("pl", utc(2026, 11, 28, 17, 5), None, "sobota, 28 listopada 2026, 18:05"),
    ],
)
def test_time_range(app, locale, starts, ends, expected):
    with app.app_context(), force_locale(babel_locale(locale)):
        assert time_range(starts, ends) == expected
    with app.app_context():
        assert time_range(starts, ends, locale=babel_locale(locale)) == expected


def test_time_range_in_templates_and_never_with_seconds(app):
    from flask import render_template_string

    with app.test_request_context("/"), force_locale("pl"):
        text = render_template_string(
            "{{ time_range(a, b) }}", a=utc(2026, 11, 28, 17), b=utc(2026, 11, 28, 19)
        )
    assert text == "sobota, 28 listopada 2026, 18:00–20:00"
