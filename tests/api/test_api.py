"""The open-data API: the OpenAPI document is valid and every documented endpoint answers as documented."""

from __future__ import annotations

from datetime import timedelta

import jsonschema
import pytest
import sqlalchemy as sa
from openapi_spec_validator import validate

from app.activities.models import Activity, Place
from app.api.openapi import document
from app.db import utcnow
from app.news.models import NewsPost
from app.proposals.models import Status
from tests.exports.factories import known_round
from tests.votes.helpers import make_proposal, make_round

SPEC = document()


def _schema(path: str, status: str = "200") -> dict:
    schema = SPEC["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]
    return {**schema, "components": SPEC["components"]}


def check(response, path: str, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    jsonschema.validate(
        body,
        _schema(path, str(status)),
        cls=jsonschema.Draft202012Validator,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    return body


def test_the_document_is_valid_openapi_31(client):
    validate(SPEC)
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200 and served.get_json() == SPEC
    assert SPEC["openapi"] == "3.1.0"


@pytest.fixture
def data(session, users):
    known = known_round(session, users, secrecy="public")
    voting = make_round(session, phase="voting")
    draft_round = make_round(session, phase="draft")
    author = users.resident()
    draft = make_proposal(session, None, author=author, status=Status.DRAFT, title="Mój tajny szkic")
    hidden = make_proposal(session, voting, status=Status.ACCEPTED, title="Ukryta propozycja")
    hidden.hidden_at = utcnow()
    hidden.hidden_reason = "Obraźliwa treść"
    place = Place(name="Sala główna")
    session.add(place)
    session.flush()
    activity = Activity(
        title="Sprzątanie skweru",
        starts_at=utcnow() + timedelta(days=3),
        ends_at=utcnow() + timedelta(days=3, hours=2),
        place_id=place.id,
        attendance=None,
    )
    post = NewsPost(
        title="Wyniki głosowania",
        body="**Gratulacje**",
        body_html="<p>x</p>",
        author_id=users.moderator().id,
        round_id=known.round.id,
        activity=activity,
    )
    future = NewsPost(title="Jeszcze nie", body="x", body_html="x", published_at=utcnow() + timedelta(days=1))
    session.add_all([activity, post, future])
    session.commit()
    return {
        "known": known,
        "voting": voting,
        "draft_round": draft_round,
        "draft": draft,
        "hidden": hidden,
        "activity": activity,
        "post": post,
        "future": future,
        "author": author,
    }


def test_rounds_list_and_detail(client, data):
    body = check(client.get("/api/v1/rounds"), "/rounds")
    ids = [r["id"] for r in body["items"]]
    assert data["known"].round.id in ids and data["voting"].id in ids
    assert data["draft_round"].id not in ids
    closed = next(r for r in body["items"] if r["id"] == data["known"].round.id)
    assert closed["ballots_sha256"] == data["known"].round.ballots_sha256
    assert closed["results_url"] == f"/api/v1/rounds/{data['known'].round.id}/results"
    one = check(client.get(f"/api/v1/rounds/{data['voting'].id}"), "/rounds/{round_id}")
    assert one["phase"] == "voting" and one["results_url"] is None
    check(client.get(f"/api/v1/rounds/{data['draft_round'].id}"), "/rounds/{round_id}", 404)


def test_results_are_the_stored_result(client, data):
    known = data["known"]
    body = check(client.get(f"/api/v1/rounds/{known.round.id}/results"), "/rounds/{round_id}/results")
    assert body["winners"] == [known.proposals[k].id for k in ("A", "C", "D")]
    assert body["turnout"] == {"online": 5, "paper": 1} and body["ballots"] == 6
    assert body["budget_used_grosze"] == 900_000
    assert {p["id"]: p["score"] for p in body["proposals"]} == {
        known.proposals[k].id: s for k, s in {"A": 4, "B": 3, "C": 3, "D": 1}.items()
    }
    assert body["ties"][0]["proposals"] == [known.proposals["C"].id, known.proposals["B"].id]
    text = client.get(f"/api/v1/rounds/{known.round.id}/results").get_data(as_text=True)
    for voter in known.voters:  # a public round: still no voter in the open data
        assert voter.email not in text and voter.display_name not in text
    check(client.get(f"/api/v1/rounds/{data['voting'].id}/results"), "/rounds/{round_id}/results", 409)
    check(client.get("/api/v1/rounds/987654/results"), "/rounds/{round_id}/results", 404)


def test_proposals_are_public_ones_only(client, data):
    body = check(client.get("/api/v1/proposals?per_page=100"), "/proposals")
    ids = {p["id"] for p in body["items"]}
    assert {p.id for p in data["known"].proposals.values()} <= ids
    assert data["draft"].id not in ids and data["hidden"].id not in ids
    text = client.get("/api/v1/proposals?per_page=100").get_data(as_text=True)
    assert "Mój tajny szkic" not in text and "Ukryta propozycja" not in text and "@" not in text
    check(client.get(f"/api/v1/proposals/{data['hidden'].id}"), "/proposals/{proposal_id}", 404)
    check(client.get(f"/api/v1/proposals/{data['draft'].id}"), "/proposals/{proposal_id}", 404)
    one = check(
        client.get(f"/api/v1/proposals/{data['known'].proposals['A'].id}"), "/proposals/{proposal_id}"
    )
    assert one["status"] == "selected" and one["cost_grosze"] == 400_000
    filtered = check(
        client.get(f"/api/v1/proposals?round_id={data['known'].round.id}&status=selected"), "/proposals"
    )
    assert {p["id"] for p in filtered["items"]} == {data["known"].proposals[k].id for k in ("A", "C", "D")}


def test_activities_and_news(client, data):
    activities = check(client.get("/api/v1/activities"), "/activities")
    assert [a["title"] for a in activities["items"]] == ["Sprzątanie skweru"]
    assert activities["items"][0]["place"] == "Sala główna"
    news = check(client.get("/api/v1/news"), "/news")
    assert [n["title"] for n in news["items"]] == ["Wyniki głosowania"]  # not the one published tomorrow
    assert news["items"][0]["activity_id"] == data["activity"].id
    assert news["items"][0]["round_id"] == data["known"].round.id and news["items"][0]["proposal_id"] is None


def test_pagination_links_and_limits(client, session, data):
    for _ in range(4):
        make_proposal(session, data["voting"])
    total = check(client.get("/api/v1/proposals"), "/proposals")["total"]
    first = check(client.get("/api/v1/proposals?per_page=2"), "/proposals")
    assert first["pages"] == -(-total // 2) and len(first["items"]) == 2 and first["links"]["prev"] is None
    second = check(client.get(first["links"]["next"]), "/proposals")
    assert second["page"] == 2 and second["links"]["prev"] == first["links"]["self"]
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}
    last = check(client.get(first["links"]["last"]), "/proposals")
    assert last["links"]["next"] is None
    for bad in ("per_page=101", "per_page=0", "page=0", "page=abc", "page=99999999999999999999",
                "page=²", "page=١", "per_page=²"):
        error = check(client.get(f"/api/v1/proposals?{bad}"), "/proposals", 422)
        assert error["message"]


def test_etag_and_last_modified(client, session, data):
    first = client.get("/api/v1/proposals")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and len(etag) == 66
    assert first.headers["Last-Modified"]
    again = client.get("/api/v1/proposals", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    since = client.get("/api/v1/proposals", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    proposal = data["known"].proposals["A"]
    proposal.title = "Nowy tytuł propozycji"
    session.commit()
    changed = client.get("/api/v1/proposals", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    round_id = data["known"].round.id
    results = client.get(f"/api/v1/rounds/{round_id}/results")
    assert (
        client.get(
            f"/api/v1/rounds/{round_id}/results", headers={"If-None-Match": results.headers["ETag"]}
        ).status_code
        == 304
    )


def test_every_documented_path_is_served(app):
    served = {
        rule.rule.replace("/api/v1", "").replace("<id:", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert served == set(SPEC["paths"])


def test_api_writes_nothing(client, session, data):
    from app.audit.models import AuditEvent

    before = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    for path in ("/api/v1/rounds", "/api/v1/proposals", "/api/v1/activities", "/api/v1/news"):
        assert client.get(path).status_code == 200
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before


def test_an_unknown_status_filter_is_refused(client, session, data):
    for bad in ("%00", "draft", "<script>"):
        response = client.get(f"/api/v1/proposals?status={bad}")
        assert response.status_code == 422, bad
        assert "submitted" in response.get_json()["message"]
    assert client.get("/api/v1/proposals?status=accepted").status_code == 200
