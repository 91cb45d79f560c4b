"""The list's pages: the page's ids are found first and then loaded, and the total is counted once per
change of the table. Every sort and filter still pages through the whole list in order, exactly once."""

from __future__ import annotations

import sqlalchemy as sa

from app.proposals.models import Proposal
from tests.proposals.factories import make_category
from tests.proposals.test_routes import _bulk_proposals, titles


def _all_pages(client, query: str, pages: int) -> list[str]:
    seen = []
    for page in range(1, pages + 1):
        seen += titles(client.get(f"/proposals?{query}&page={page}").get_data(as_text=True))
    return seen


def test_pages_of_each_sort_and_filter_cover_the_list_in_order(client, users, session):
    author = users.resident()
    category = make_category(session)
    _bulk_proposals(session, author.id, 60, category_id=category.id)
    session.commit()
    public = sa.select(Proposal).where(Proposal.status != "draft", Proposal.hidden_at.is_(None))
    newest = (Proposal.submitted_at.desc(), Proposal.id.desc())
    expected = {
        "sort=newest": public.order_by(*newest),
        "sort=supported": public.order_by(Proposal.pledge_count.desc(), *newest),
        f"sort=discussed&category={category.id}": public.where(Proposal.category_id == category.id)
        .order_by(Proposal.comment_count.desc(), *newest),
        "q=lawka&status=accepted": public.where(Proposal.status == "accepted").order_by(*newest),
    }
    for query, select in expected.items():
        wanted = [p.title for p in session.scalars(select)]
        assert _all_pages(client, query, -(-len(wanted) // 25)) == wanted, query


def test_the_total_follows_a_change_of_the_list(client, users, session):
    author = users.resident()
    _bulk_proposals(session, author.id, 30)
    session.commit()

    def total() -> str:
        return client.get("/proposals").get_data(as_text=True).replace("\u00a0", " ")

    assert "30 propozycji" in total()
    hidden = session.scalars(sa.select(Proposal).limit(3)).all()
    for proposal in hidden:
        proposal.hidden_at = proposal.created_at
    session.commit()
    assert "27 propozycji" in total()
    assert "27 propozycji" in total()  # counted once, then kept: the same
