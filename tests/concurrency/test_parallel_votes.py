"""50 simultaneous requests by the same voter leave exactly one ballot (SQLite and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from app.auth.models import User
from app.db import db, utcnow
from app.votes.models import Ballot, Participation
from tests.factories import PASSWORD, password_hash
from tests.live_server import LiveServer, scratch_database
from tests.votes.helpers import make_proposal, make_round

PARALLEL = 50


def _voter_and_round(app, **round_settings):
    with app.app_context():
        voter = User(email="rownolegle@kozlowka.example", display_name="Równoległa", role="resident",
                     locale="pl", password_hash=password_hash(), email_verified_at=utcnow(),
                     resident_verified_at=utcnow())
        db.session.add(voter)
        db.session.commit()
        round_ = make_round(db.session, ballot_kind="choose-1", **round_settings)
        proposal = make_proposal(db.session, round_)
        return round_.id, str(proposal.id)


def _fire(server, round_id, proposal_id):
    cookie, token = server.login("rownolegle@kozlowka.example", PASSWORD)
    form = {"csrf_token": token, "choice": proposal_id, "action": "cast", "confirm": "yes"}

    def post(_):
        return server.request("POST", f"/rounds/{round_id}/vote", cookie, form)[0]

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return list(pool.map(post, range(PARALLEL)))


def _stored(app, round_id):
    with app.app_context():
        ballots = db.session.scalar(sa.select(sa.func.count()).where(Ballot.round_id == round_id))
        participations = db.session.scalar(
            sa.select(sa.func.count()).where(Participation.round_id == round_id))
        return ballots, participations


def test_fifty_parallel_secret_votes_make_one_ballot(tmp_path):
    with scratch_database(tmp_path) as url, LiveServer(url) as server:
        round_id, proposal_id = _voter_and_round(server.app, secrecy="secret")
        statuses = _fire(server, round_id, proposal_id)
        assert _stored(server.app, round_id) == (1, 1)
        assert statuses.count(200) == 1, statuses  # the one that got the receipt page
        assert set(statuses) <= {200, 409}, statuses  # the rest: "you have already voted"


def test_fifty_parallel_public_votes_make_one_ballot(tmp_path):
    with scratch_database(tmp_path) as url, LiveServer(url) as server:
        round_id, proposal_id = _voter_and_round(server.app, secrecy="public")
        statuses = _fire(server, round_id, proposal_id)
        assert _stored(server.app, round_id) == (1, 1)
        assert set(statuses) == {303}, statuses  # a public vote may be cast again (it replaces)
