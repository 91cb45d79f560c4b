"""Proposal services: costs, writing and editing (revisions), the transition table, e-mails, pledges,
categories."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.audit.models import AuditEvent
from app.errors import Conflict, InvalidInput, NotAllowed
from app.outbox.models import OutboxMessage
from app.proposals import queries, services
from app.proposals.lifecycle import TRANSITIONS, stage_of
from app.proposals.models import Category, Pledge, Proposal, ProposalEvent, ProposalRevision, Status
from tests.proposals.factories import make_category, make_proposal, make_round


def data(**kw) -> services.ProposalInput:
    values = {"title": "Stacja naprawy rowerów", "body": "Pompka i klucze przy wejściu.", "cost": ""}
    values.update(kw)
    return services.ProposalInput(**values)


@pytest.mark.parametrize(("typed", "grosze"), [
    ("1 234,50", 123_450), ("1234.50", 123_450), ("1234", 123_400), ("1\u00a0234,5", 123_450),
    ("1.234,50", 123_450), ("1,234.50", 123_450), ("800 zł", 80_000), ("0", 0), ("", None), ("  ", None),
])
def test_costs_are_read_as_typed_in_zloty(typed, grosze):
    assert services.parse_cost(typed) == grosze


@pytest.mark.parametrize(("typed", "message"), [
    ("-5", "nie może być ujemny"), ("-1 234,50", "nie może być ujemny"),
    ("1e9", "Wpisz koszt"), ("12,345", None), ("abc", "Wpisz koszt"), ("1,2,3", "Wpisz koszt"),
    ("1000000,01", "najwyżej 1"), ("99999999999999999999", "najwyżej"), ("NaN", "Wpisz koszt"),
])
def test_negative_absurd_or_garbled_costs_are_refused(typed, message, app):
    if message is None:  # "12,345" reads as twelve thousand three hundred and forty-five
        assert services.parse_cost(typed) == 1_234_500
        return
    with app.test_request_context(), pytest.raises(InvalidInput) as error:
        services.parse_cost(typed)
    assert error.value.field == "cost"
    assert message in str(error.value.message)


def test_a_draft_is_private_until_submitted(session, users):
    author = users.resident()
    proposal = services.create_proposal(author, data(title="Żółw w oczku wodnym"))
    assert proposal.status == Status.DRAFT and proposal.submitted_at is None
    assert proposal.search_text.startswith("zolw w oczku wodnym")
    assert session.scalars(queries.public_proposals()).all() == []
    services.submit_proposal(author, proposal)
    assert proposal.status == Status.SUBMITTED and proposal.submitted_at is not None
    assert session.scalars(queries.public_proposals("ZOLW")).all() == [proposal]


def test_hostile_markdown_is_stored_sanitised(session, users):
    body = ("<script>alert(1)</script> <img src=x onerror=alert(1)> [klik](javascript:alert(1)) "
            "[strona](https://example.org) <a href='x' onclick='y'>a</a>")
    proposal = services.create_proposal(users.resident(), data(body=body))
    html = proposal.body_html
    assert "<script" not in html and "<img" not in html and "<a href='x'" not in html
    assert 'href="javascript' not in html and "&lt;script&gt;" in html  # shown as text, inert
    assert 'href="https://example.org"' in html and 'rel="nofollow ugc noopener"' in html
    assert proposal.body == body  # the source as written, for editing


@pytest.mark.parametrize(("field", "value", "message"), [
    ("body", "x" * 20_001, "najwyżej 20000"),
    ("body", "   ", "Opisz swoją propozycję"),
    ("title", "abc", "co najmniej 5"),
    ("title", "t" * 201, "najwyżej 200"),
    ("body", "zero\x00bajt", "niedozwolone znaki"),
    ("needs", "n" * 5001, "najwyżej 5000"),
])
def test_invalid_text_is_refused_and_nothing_is_written(field, value, message, session, users, app):
    author = users.resident()
    with app.test_request_context(), pytest.raises(InvalidInput) as error:
        services.create_proposal(author, data(**{field: value}))
    assert error.value.field == field and message in str(error.value.message)
    assert session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0


def test_only_active_categories_and_open_rounds_can_be_chosen(session, users, app):
    author = users.resident()
    closed = make_category(session, active=False)
    review = make_round(session, "review")
    with app.test_request_context():
        with pytest.raises(InvalidInput) as error:
            services.create_proposal(author, data(category_id=closed.id))
        assert error.value.field == "category_id"
        with pytest.raises(InvalidInput) as error:
            services.create_proposal(author, data(round_id=review.id))
        assert error.value.field == "round_id"
    open_round = make_round(session, "submission")
    proposal = services.create_proposal(author, data(round_id=open_round.id), submit=True)
    assert proposal.round_id == open_round.id and proposal.status == Status.SUBMITTED


def test_edits_after_submission_are_kept_as_revisions(session, users):
    author = users.resident()
    proposal = services.create_proposal(author, data(body="Pierwsza wersja"))
    services.update_proposal(author, proposal, data(body="Szkic poprawiony"))
    assert session.scalar(sa.select(sa.func.count()).select_from(ProposalRevision)) == 0  # drafts: no
    services.submit_proposal(author, proposal)
    services.update_proposal(author, proposal, data(body="Druga wersja", cost="500"))
    assert services.update_proposal(author, proposal, data(body="Druga wersja", cost="500")) is False
    services.update_proposal(author, proposal, data(body="Trzecia wersja", cost="500"))
    revisions = session.scalars(queries.revisions(proposal.id)).all()
    assert [(r.number, r.body, r.cost_grosze) for r in revisions] == [
        (1, "Szkic poprawiony", None), (2, "Druga wersja", 50_000)]
    assert all(r.editor_id == author.id for r in revisions)
    edited = [e.note for e in session.scalars(queries.timeline(proposal.id)) if e.kind == "edited"]
    assert edited == ["2", "3"]


def test_the_transition_table_is_enforced_for_later_statuses(session, users, app):
    moderator = users.moderator()
    author = users.resident()
    for start in Status:
        for new in (Status.SELECTED, Status.NOT_SELECTED, Status.SCHEDULED, Status.IMPLEMENTED):
            proposal = make_proposal(session, author, status=start)
            if new in TRANSITIONS[start]:
                services.set_status(moderator, proposal, new, "Z głosowania")
                assert proposal.status == new
            else:
                with app.test_request_context(), pytest.raises(NotAllowed):
                    services.set_status(moderator, proposal, new)
                session.expire_all()
                assert session.get(Proposal, proposal.id).status == start


def test_the_system_may_move_proposals_along_but_only_when_it_says_so(session, users):
    proposal = make_proposal(session, users.resident(), status=Status.SELECTED)
    with pytest.raises(NotAllowed):
        services.set_status(None, proposal, Status.SCHEDULED)
    services.set_status(None, proposal, Status.SCHEDULED, by_system=True)
    [event] = [e for e in session.scalars(queries.timeline(proposal.id)) if e.kind == "status"]
    assert (event.to_status, event.actor_id) == (Status.SCHEDULED, None)


def test_change_status_leaves_the_transaction_to_the_caller(session, users):
    moderator = users.moderator()
    proposal = make_proposal(session, users.resident(), status=Status.ACCEPTED)
    services.change_status(moderator, proposal, Status.NOT_SELECTED)
    session.rollback()  # the caller's transaction failed: the status change goes with it
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == Status.ACCEPTED


def test_a_lost_race_in_change_status_leaves_the_callers_work_to_the_caller(session, users):
    moderator = users.moderator()
    proposal = make_proposal(session, users.resident(), status=Status.ACCEPTED)
    other = make_proposal(session, users.resident(), title="Przed zmianą")
    other.title = "Zmienione przez wołającego"
    session.flush()  # the caller's own work, in its transaction
    session.execute(sa.update(Proposal.__table__).where(Proposal.id == proposal.id)
                    .values(status=Status.SELECTED))  # another request got there first
    with pytest.raises(Conflict):
        services.change_status(moderator, proposal, Status.NOT_SELECTED)
    # The helper raised and rolled nothing back: the caller decides.
    title = session.scalar(sa.select(Proposal.title).where(Proposal.id == other.id))
    assert title == "Zmienione przez wołającego"


def test_a_parallel_status_change_is_refused_not_doubled(session, users):
    author = users.resident()
    proposal = make_proposal(session, author)
    # Another request got there first; this request's object still says "submitted".
    session.execute(sa.update(Proposal.__table__).where(Proposal.id == proposal.id)
                    .values(status=Status.WITHDRAWN))
    assert proposal.status == Status.SUBMITTED
    with pytest.raises(Conflict):
        services.withdraw_proposal(author, proposal)
    assert session.scalar(sa.select(sa.func.count()).select_from(ProposalEvent).where(
        ProposalEvent.kind == "status")) == 0


def test_rejection_needs_a_public_answer_and_is_mailed_in_the_authors_language(session, users, app):
    author = users.resident(locale="en")
    moderator = users.moderator()
    proposal = make_proposal(session, author, round_=make_round(session, "review"),
                             title="Szachy dla seniorów")
    with app.test_request_context(), pytest.raises(InvalidInput) as error:
        services.review_proposal(moderator, proposal, "reject", "   ")
    assert error.value.field == "answer"
    services.review_proposal(moderator, proposal, "reject", "Sala jest zajęta we wtorki.")
    assert proposal.moderator_answer == "Sala jest zajęta we wtorki."
    [message] = session.scalars(sa.select(OutboxMessage)).all()
    assert message.recipient == author.email
    assert message.subject == "Your proposal “Szachy dla seniorów”: Rejected"
    assert "Sala jest zajęta we wtorki." in message.body and "Hello" in message.body
    assert f"/proposals/{proposal.id}" in message.body


def test_acceptance_may_set_the_final_cost_and_mails_in_polish(session, users):
    author = users.resident(locale="pl")
    proposal = make_proposal(session, author, round_=make_round(session, "review"), cost=None)
    services.review_proposal(users.admin(), proposal, "accept", "", "2 500,00")
    assert proposal.status == Status.ACCEPTED and proposal.cost_grosze == 250_000
    [message] = session.scalars(sa.select(OutboxMessage)).all()
    assert "Przyjęta do głosowania" in message.subject and "Dzień dobry" not in message.subject


def test_stage_follows_the_chain(session, users):
    author = users.resident()
    assert stage_of(make_proposal(session, author)) == "idea"
    assert stage_of(make_proposal(session, author, round_=make_round(session, "submission"))) == "round"
    assert stage_of(make_proposal(session, author, round_=make_round(session, "review"))) == "review"
    voting = make_round(session, "voting")
    assert stage_of(make_proposal(session, author, status=Status.ACCEPTED, round_=voting)) == "voting"
    assert stage_of(make_proposal(session, author, status=Status.SELECTED, round_=voting)) == "results"
    assert stage_of(make_proposal(session, author, status=Status.IMPLEMENTED)) == "activity"


# --- pledges --------------------------------------------------------------------------------------


def test_pledges_are_counted_and_duplicates_refused(session, users, app):
    proposal = make_proposal(session, users.resident())
    helper, other = users.resident(), users.steering()
    services.add_pledge(helper, proposal, "volunteer")
    services.add_pledge(helper, proposal, "resources", "Wiertarka i  drabina")
    services.add_pledge(other, proposal, "coordinate")
    with app.test_request_context(), pytest.raises(Conflict) as error:
        services.add_pledge(helper, proposal, "volunteer")
    assert "już zapisana" in str(error.value.message)
    session.expire_all()
    assert session.get(Proposal, proposal.id).pledge_count == 3
    pledges = session.scalars(queries.pledges_for(proposal.id)).all()
    assert sorted((p.user.id, p.kind, p.note) for p in pledges) == sorted([
        (helper.id, "volunteer", ""), (helper.id, "resources", "Wiertarka i drabina"),
        (other.id, "coordinate", "")])


def test_a_racing_duplicate_pledge_hits_the_unique_constraint(session, users, monkeypatch):
    proposal = make_proposal(session, users.resident())
    helper = users.resident()
    services.add_pledge(helper, proposal, "volunteer")
    real_scalar = session.scalar
    monkeypatch.setattr(session, "scalar", lambda query, *a, **k: None if "pledges" in str(query)
                        else real_scalar(query, *a, **k))  # the check ran before the other insert
    with pytest.raises(Conflict):
        services.add_pledge(helper, proposal, "volunteer")
    monkeypatch.undo()
    session.expire_all()
    assert session.get(Proposal, proposal.id).pledge_count == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Pledge)) == 1


@pytest.mark.parametrize(("kind", "note", "message"), [
    ("resources", "", "Napisz, co możesz zapewnić"), ("lend", "x", "Wybierz, jak"),
    ("volunteer", "n" * 501, "najwyżej 500"),
])
def test_invalid_pledges_are_refused(kind, note, message, session, users, app):
    proposal = make_proposal(session, users.resident())
    with app.test_request_context(), pytest.raises(InvalidInput) as error:
        services.add_pledge(users.resident(), proposal, kind, note)
    assert message in str(error.value.message)
    assert session.scalar(sa.select(sa.func.count()).select_from(Pledge)) == 0


@pytest.mark.parametrize("status", [Status.DRAFT, Status.WITHDRAWN, Status.REJECTED])
def test_no_pledges_on_drafts_withdrawn_or_rejected_proposals(status, session, users):
    proposal = make_proposal(session, users.resident(), status=status)
    with pytest.raises(NotAllowed):
        services.add_pledge(users.resident(), proposal, "volunteer")


def test_no_pledges_from_unverified_accounts(session, users):
    proposal = make_proposal(session, users.resident())
    with pytest.raises(NotAllowed):
        services.add_pledge(users.unverified(), proposal, "volunteer")
    assert proposal.pledge_count == 0


def test_withdrawing_a_pledge(session, users):
    proposal = make_proposal(session, users.resident())
    helper, stranger = users.resident(), users.moderator()
    pledge = services.add_pledge(helper, proposal, "volunteer")
    with pytest.raises(NotAllowed):
        services.withdraw_pledge(stranger, proposal, pledge.id)
    services.withdraw_pledge(helper, proposal, pledge.id)
    with pytest.raises(Conflict):
        services.withdraw_pledge(helper, proposal, pledge.id)
    session.expire_all()
    assert session.get(Proposal, proposal.id).pledge_count == 0


# --- categories -----------------------------------------------------------------------------------


def test_categories_are_managed_by_moderators(session, users, app):
    moderator = users.moderator()
    culture = services.create_category(moderator, "Kultura", "Culture")
    sport = services.create_category(moderator, "Sport i rekreacja")
    with app.test_request_context(), pytest.raises(Conflict):
        services.create_category(moderator, "kultura")
    services.rename_category(moderator, sport, "Sport", "Sport")
    services.move_category(moderator, sport, "up")
    assert [c.name for c in session.scalars(queries.categories())] == ["Sport", "Kultura"]
    services.set_category_active(moderator, culture, False)
    assert [c.name for c in session.scalars(queries.categories(active_only=True))] == ["Sport"]
    for actor in (users.resident(), users.steering(), None):
        with pytest.raises(NotAllowed):
            services.create_category(actor, "Ekologia")
    assert session.scalar(sa.select(sa.func.count()).select_from(Category)) == 2


# --- the audit of the proposals feature ---------------------------------------------------------------


def test_a_category_is_optional_until_there_is_an_active_one(session, users, app):
    author = users.resident()
    assert services.create_proposal(author, data()).category_id is None  # a fresh install
    make_category(session, active=False)
    assert services.create_proposal(author, data()).category_id is None  # only hidden ones
    garden = make_category(session, "Ekologia")
    before = session.scalar(sa.select(sa.func.count()).select_from(Proposal))
    with app.test_request_context(), pytest.raises(InvalidInput) as error:
        services.create_proposal(author, data(), submit=True)
    assert (error.value.field, str(error.value.message)) == ("category_id", "Wybierz kategorię.")
    assert session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == before
    # An edit of a proposal written before there were categories needs one too.
    proposal = session.scalars(sa.select(Proposal)).first()
    with pytest.raises(InvalidInput):
        services.update_proposal(author, proposal, data(body="Nowa treść"))
    services.update_proposal(author, proposal, data(body="Nowa treść", category_id=garden.id))
    assert proposal.category_id == garden.id


def test_the_final_cost_is_a_version_and_a_timeline_entry_of_the_moderator(session, users):
    author, moderator = users.resident(), users.moderator()
    proposal = make_proposal(session, author, round_=make_round(session, "review"), cost=80_000)
    services.review_proposal(moderator, proposal, "accept", "", "12 500")
    session.expire_all()
    [revision] = session.scalars(queries.revisions(proposal.id)).all()
    assert (revision.number, revision.cost_grosze, revision.editor_id) == (1, 80_000, moderator.id)
    assert session.get(Proposal, proposal.id).cost_grosze == 1_250_000
    timeline = [(e.kind, e.note, e.actor_id) for e in session.scalars(queries.timeline(proposal.id))]
    assert timeline[-2:] == [("cost", "1250000", moderator.id), ("status", None, moderator.id)]
    actions = session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["proposal.final_cost", "proposal.accepted"]


def test_accepting_at_the_same_cost_leaves_no_cost_entry(session, users):
    proposal = make_proposal(session, users.resident(), round_=make_round(session, "review"), cost=80_000)
    services.review_proposal(users.moderator(), proposal, "accept", "", "800")
    assert [e.kind for e in session.scalars(queries.timeline(proposal.id))] == ["created", "status"]
    assert session.scalars(queries.revisions(proposal.id)).all() == []


def test_a_refused_final_cost_writes_nothing(session, users):
    """A parallel withdrawal got there first: the cost, its version and its entry go too."""
    author, moderator = users.resident(), users.moderator()
    proposal = make_proposal(session, author, round_=make_round(session, "review"), cost=80_000)
    session.execute(sa.update(Proposal.__table__).where(Proposal.id == proposal.id)
                    .values(status=Status.WITHDRAWN))
    session.commit()
    session.refresh(proposal)
    set_committed_value(proposal, "status", Status.SUBMITTED)  # what this request read before
    with pytest.raises(Conflict):
        services.review_proposal(moderator, proposal, "accept", "", "12 500")
    session.expire_all()
    assert session.get(Proposal, proposal.id).cost_grosze == 80_000
    assert session.scalars(queries.revisions(proposal.id)).all() == []
    assert [e.kind for e in session.scalars(queries.timeline(proposal.id))] == ["created"]
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_the_author_deletes_a_draft_and_nothing_of_it_is_left(client, session, users):
    from app.proposals.models import Proposal, ProposalEvent
    from tests.discussion.factories import make_proposal

    author = users.resident()
    draft = make_proposal(session, author, status="draft", title="Szkic do usunięcia")
    session.add(ProposalEvent(proposal_id=draft.id, actor_id=author.id, kind="status", to_status="draft"))
    session.commit()
    draft_id = draft.id
    client.login(author)
    page = client.get(f"/proposals/{draft_id}").get_data(as_text=True)
    assert "Usuń szkic" in page and 'data-confirm="Usunąć ten szkic? Tego nie można cofnąć."' in page

    response = client.post(f"/proposals/{draft_id}/discard", confirm=True)
    assert response.status_code == 303 and response.headers["Location"] == "/proposals/mine"
    session.expire_all()
    assert session.get(Proposal, draft_id) is None
    assert session.scalar(sa.select(sa.func.count()).select_from(ProposalEvent)
                          .where(ProposalEvent.proposal_id == draft_id)) == 0
    assert "Szkic został usunięty." in client.get("/proposals/mine").get_data(as_text=True)
    assert client.post(f"/proposals/{draft_id}/discard", confirm=True).status_code == 404


def test_a_published_proposal_cannot_be_deleted_only_withdrawn(client, session, users):
    from tests.discussion.factories import make_proposal

    author = users.resident()
    proposal = make_proposal(session, author)
    client.login(author)
    response = client.post(f"/proposals/{proposal.id}/discard", confirm=True)
    assert response.status_code == 403
    assert "Usunąć można tylko szkic" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(type(proposal), proposal.id) is not None
