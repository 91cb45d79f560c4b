"""What the shared route × role table (tests/test_permissions.py) needs for the proposals routes: the
rows a route acts on (``subject`` functions return the URL placeholders) and the checks of the
requests that are carried out (``effect`` functions compare the database before and after)."""

from __future__ import annotations

from app.proposals.models import Category, Pledge, Proposal, Status
from tests.proposals.factories import make_category, make_proposal, make_round

NEW_PROPOSAL = {
    "title": "Kawiarenka naprawcza w soboty", "body": "Naprawiamy **razem** tostery i rowery.",
    "category_id": "", "cost": "1 234,50", "needs": "Sala na parterze", "round_id": "", "action": "submit",
}
ONLY_VERIFIED = "Tylko zweryfikowani mieszkańcy mogą pisać propozycje."
ONLY_AUTHOR = "Tylko autor może zmieniać tę propozycję."
ONLY_REVIEWERS = "Tylko moderatorzy mogą oceniać propozycje."
ONLY_CATEGORY_MANAGERS = "Tylko moderatorzy mogą zarządzać kategoriami."
ONLY_VERIFIED_PLEDGE = "Tylko zweryfikowani mieszkańcy mogą deklarować pomoc."
OWN_PLEDGES = "Możesz wycofać tylko własne deklaracje."
NOT_FOUND = "Nie znaleźliśmy tej strony."


def _rows(state, table, **where):
    return [row for row in state[table] if all(getattr(row, k) == v for k, v in where.items())]


def public_proposal(session, users, actor):
    """A submitted proposal of another resident in a round that is being reviewed."""
    return {"proposal_id": make_proposal(session, users.resident(), round_=make_round(session, "review")).id}


def idea_box_proposal(session, users, actor):
    return {"proposal_id": make_proposal(session, users.resident()).id}


def others_draft(session, users, actor):
    return {"proposal_id": make_proposal(session, users.resident(), status=Status.DRAFT).id}


def others_pledge(session, users, actor):
    helper = users.resident()
    proposal = make_proposal(session, users.resident())
    pledge = Pledge(proposal_id=proposal.id, user_id=helper.id, kind="volunteer")
    session.add(pledge)
    proposal.pledge_count = 1
    session.commit()
    return {"proposal_id": proposal.id, "pledge_id": pledge.id}


def category(session, users, actor):
    make_category(session, name="Pierwsza", position=1)
    return {"category_id": make_category(session, name="Druga", position=2).id}


def proposal_created(ctx, before, after):
    [new] = [row for row in after["proposals"] if row not in before["proposals"]]
    assert new.author_id == ctx.actor.id
    assert new.status == Status.SUBMITTED
    assert new.cost_grosze == 123_450
    assert len(after["proposal_events"]) == len(before["proposal_events"]) + 2  # written, submitted
    assert len(after["outbox_messages"]) == len(before["outbox_messages"]) + 1


def proposal_rejected(ctx, before, after):
    [row] = _rows(after, "proposals", id=ctx.values["proposal_id"])
    assert row.status == Status.REJECTED
    assert row.moderator_answer == "Poza zakresem działań centrum."
    assert after["audit_events"][-1].action == "proposal.rejected"
    assert len(after["outbox_messages"]) == len(before["outbox_messages"]) + 1


def pledge_added(ctx, before, after):
    [row] = _rows(after, "proposals", id=ctx.values["proposal_id"])
    assert row.pledge_count == 1
    [pledge] = _rows(after, "pledges", proposal_id=row.id)
    assert pledge.user_id == ctx.actor.id and pledge.kind == "volunteer"


def category_created(ctx, before, after):
    [new] = [row for row in after["categories"] if row not in before["categories"]]
    assert new.name == "Sąsiedzka pomoc" and new.active
    assert after["audit_events"][-1].action == "category.created"


def category_renamed(ctx, before, after):
    [row] = _rows(after, "categories", id=ctx.values["category_id"])
    assert row.name == "Ekologia i zieleń"
    assert after["audit_events"][-1].action == "category.renamed"


def category_moved_up(ctx, before, after):
    ordered = sorted(after["categories"], key=lambda row: (row.position, row.id))
    assert ordered[0].id == ctx.values["category_id"]
    assert after["audit_events"][-1].action == "category.moved"


def category_deactivated(ctx, before, after):
    [row] = _rows(after, "categories", id=ctx.values["category_id"])
    assert row.active is False
    assert after["audit_events"][-1].action == "category.deactivated"


TABLES = {
    "proposals": Proposal.__table__,
    "proposal_events": Proposal.__table__.metadata.tables["proposal_events"],
    "proposal_revisions": Proposal.__table__.metadata.tables["proposal_revisions"],
    "pledges": Pledge.__table__,
    "categories": Category.__table__,
}
