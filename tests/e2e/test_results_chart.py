"""The results chart on a 320 px phone: its labels and numbers are page text (at least 16 px, like every
text), not SVG text that shrinks with the picture; the bars stay in proportion; nothing reaches past the
screen's edge. Every closed round of the demo (each ballot kind the demo closes), with JavaScript on."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import db
from app.demo.seed import seed
from app.rounds.models import Round
from tests.e2e.conftest import serve
from tests.e2e.test_round_form import NARROW, TOO_WIDE_IN_MAIN

SIZES = """() => [...document.querySelectorAll('.score-chart li')].map(li => ({
  label: parseFloat(getComputedStyle(li.querySelector('.chart-label')).fontSize),
  value: parseFloat(getComputedStyle(li.querySelector('.chart-value')).fontSize),
  bar: li.querySelector('.chart-bar').getBoundingClientRect().width,
  filled: [...li.querySelectorAll('.chart-bar rect')].reduce(
    (sum, r) => sum + r.getBoundingClientRect().width, 0),
  svgText: li.querySelectorAll('text').length,
}))"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    def prepare(app):
        with app.test_request_context():
            list(seed())

    yield from serve(tmp_path_factory, "chart", prepare)


def test_chart_labels_keep_their_size_on_a_320_px_screen(new_context, demo_server):
    with demo_server.app.app_context():
        closed = db.session.execute(
            sa.select(Round.id, Round.ballot_kind)
            .where(Round.phase == "closed", Round.result.is_not(None)).order_by(Round.id)).all()
        db.session.remove()
    assert closed
    _, page, log = new_context(js=True, viewport=NARROW)
    problems = []
    for round_id, kind in closed:
        page.goto(f"{demo_server.url}/rounds/{round_id}/results")
        rows = page.evaluate(SIZES)
        assert rows, f"round {round_id} ({kind}) has no chart rows"
        for row in rows:
            if min(row["label"], row["value"]) < 16 or row["svgText"]:
                problems.append(f"round {round_id} ({kind}): {row}")
            if row["bar"] < 200 or row["filled"] > row["bar"] + 0.5:
                problems.append(f"round {round_id} ({kind}): bar {row}")
        too_wide = page.evaluate(TOO_WIDE_IN_MAIN)
        if too_wide:
            problems.append(f"round {round_id} ({kind}) wider than 320 px: {too_wide}")
    assert not problems, "\n".join(problems)
    assert not log.csp_violations() and not log.uncaught(), log.errors
