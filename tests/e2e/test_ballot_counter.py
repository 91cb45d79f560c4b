"""The live ballot counter in a browser: it shows the problem of a ballot the browser's own validation
would have held back, and a refusal banner goes once the counter finds the ballot valid (issue 14 §4)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import login


def cumulative_round(live) -> tuple[int, list[int]]:
    """A round in voting: 10 points, at most 3 on one proposal; three proposals."""
    from app.db import db
    from app.phases.models import Phase
    from tests.rounds.factories import make_proposal, make_round

    with live.app.app_context():
        round_ = make_round(db.session, Phase.VOTING, "cumulative", points_total=10, points_per_proposal=3)
        ids = [make_proposal(db.session, round_, cost_grosze=100_000).id for _ in range(3)]
        round_id = round_.id
        db.session.remove()
    return round_id, ids


def test_the_counter_shows_points_over_the_limit_and_clears_a_refusal(new_context, live_server):
    live = live_server
    round_id, ids = cumulative_round(live)
    _, page, log = new_context(js=True)
    login(page, live, live.make_user("resident"))
    page.goto(f"/rounds/{round_id}/vote")
    counter = page.locator("#ballot-summary")

    # 5 points on one proposal: above the per-proposal maximum of 3 that the field declares.
    with page.expect_response(lambda r: r.url.endswith(f"/rounds/{round_id}/vote/summary")):
        page.fill(f"#points-{ids[0]}", "5")
        page.locator(f"#points-{ids[0]}").dispatch_event("change")
    given = live.tn("pl", "%(num)d point given", "%(num)d points given", 5) % {"num": 5}
    expect(counter).to_contain_text(given)
    expect(counter.locator("#ballot-problem")).to_contain_text(live.t("pl", "Not ready yet:"))

    # Cast it anyway: refused, with the red banner.
    page.once("dialog", lambda dialog: dialog.accept())  # "Cast your vote? … cannot be changed"
    page.get_by_role("button", name=live.t("pl", "Cast my vote")).click()
    banner = page.locator("#ballot-refusal .error-summary")
    expect(banner).to_be_visible()

    # Correct it: the counter says the ballot is valid, and the banner is gone.
    with page.expect_response(lambda r: r.url.endswith(f"/rounds/{round_id}/vote/summary")):
        page.fill(f"#points-{ids[0]}", "3")
        page.locator(f"#points-{ids[0]}").dispatch_event("change")
    expect(counter).to_contain_text(live.t("pl", "This ballot is valid. Cast it when you are ready."))
    expect(banner).to_have_count(0)
    assert not log.csp_violations() and not log.uncaught()
