"""Markup a keyboard or a screen reader depends on, read from the rendered pages: every sideways-scrolling
table is a focusable, named region; date and time inputs carry no maxlength (HTML forbids it there)."""

from __future__ import annotations

import re

from tests.activities.factories import make_activity
from tests.exports.factories import known_round
from tests.proposals.factories import make_category


def signed_in(make_client, user):
    client = make_client()
    client.login(user)
    return client


SCROLLER = re.compile(r'<div class="table-scroll"([^>]*)>')
DATE_INPUT = re.compile(r'<input(?=[^>]*\btype="(?:date|time|datetime-local|month|week)")[^>]*>')


def test_every_table_scroller_can_be_reached_and_is_named(make_client, session, users):
    admin = signed_in(make_client, users.admin())
    moderator = signed_in(make_client, users.moderator())
    make_category(session, name="Zieleń")
    make_activity(session)
    known = known_round(session, users)
    pages = {
        "/admin/audit": (admin, "Dziennik zdarzeń"),
        "/residents": (moderator, "Mieszkańcy"),
        "/categories": (moderator, "Kategorie"),
        "/activities?view=month": (moderator, None),
        f"/rounds/{known.round.id}/results": (moderator, "Każda propozycja: wynik, rozstrzygnięcie i powód"),
    }
    for path, (client, name) in pages.items():
        page = client.get(path).text
        [attributes] = SCROLLER.findall(page) or [None]
        assert attributes is not None, path
        assert ' tabindex="0"' in attributes and ' role="region"' in attributes, path
        label = re.search(r' aria-label="([^"]+)"', attributes)
        assert label and (name is None or label.group(1) == name), (path, attributes)


def test_date_and_time_inputs_carry_no_maxlength(make_client, session, users):
    moderator = signed_in(make_client, users.moderator())
    admin = signed_in(make_client, users.admin())
    pages = [
        (moderator, "/rounds/new?ballot_kind=approval&rule=greedy"),
        (moderator, "/activities/new"),
        (admin, "/admin/centre"),
    ]
    seen = 0
    for client, path in pages:
        page = client.get(path).text
        inputs = DATE_INPUT.findall(page)
        assert inputs, path
        for tag in inputs:
            assert "maxlength" not in tag and "minlength" not in tag, (path, tag)
        seen += len(inputs)
    assert seen >= 5
