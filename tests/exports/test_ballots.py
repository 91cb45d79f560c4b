"""Anonymous ballots: what they say (and what they never say), the .pb round trip, flat memory."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from pabutools.election import parse_pabulib as pabutools_parse

from app.exports import ballots
from app.exports.writers import Sheet, stream_csv
from app.phases.models import Round
from app.proposals.models import Proposal
from app.votes.cli import votes_cli
from app.votes.models import Ballot, Participation
from app.votes.tally import parse_pabulib, tally
from tests.exports.factories import COSTS, ONLINE, PAPER, known_round


def _rows(response, delimiter: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.parametrize("secrecy", ["secret", "public"])
def test_ballot_csv_holds_the_choices_and_nothing_personal(client, session, users, secrecy):
    known = known_round(session, users, secrecy=secrecy)
    response = client.get(f"/data/rounds/{known.round.id}/ballots.csv")
    assert response.status_code == 200
    header, *rows = _rows(response)
    ids = [known.pid(k) for k in COSTS]
    assert header == ["ballot", *ids]
    assert [row[0] for row in rows] == [str(n) for n in range(1, 7)]
    got = sorted(
        tuple(k for k, pid in zip(COSTS, ids, strict=True) if row[1 + ids.index(pid)] == "1") for row in rows
    )
    assert got == sorted(ONLINE + PAPER)
    # In the order of the ballots' random keys, never in voting order.
    stored = session.scalars(
        sa.select(Ballot.choices).where(Ballot.round_id == known.round.id).order_by(Ballot.id)
    ).all()
    assert [
        [k for k, pid in zip(COSTS, ids, strict=True) if row[1 + ids.index(pid)] == "1"] for row in rows
    ] == [[k for k, pid in zip(COSTS, ids, strict=True) if pid in choices] for choices in stored]
    _assert_nothing_personal(session, known, response.get_data(as_text=True))


def _assert_nothing_personal(session, known, text: str) -> None:
    people = known.voters
    for person in people:
        assert person.email not in text and person.display_name not in text
    receipts = session.scalars(sa.select(Ballot.receipt_hash).where(Ballot.round_id == known.round.id)).all()
    ballot_keys = session.scalars(sa.select(Ballot.id).where(Ballot.round_id == known.round.id)).all()
    for secret in [r for r in receipts if r] + ballot_keys:
        assert secret not in text
    times = session.scalars(sa.select(Participation.voted_at).where(Participation.round_id == known.round.id))
    for moment in times:
        assert moment.isoformat()[:16] not in text and moment.strftime("%H:%M:%S") not in text
    user_ids = {str(p.id) for p in people}
    fields = {cell for line in text.splitlines() for cell in line.replace(";", ",").split(",")}
    proposal_ids = {str(p.id) for p in known.proposals.values()}
    # Numbers the file holds anyway: small counts, proposal ids, costs and the budget in zł. A user id
    # equal to one of them proves nothing either way (on PostgreSQL ids keep growing through the run, so
    # which ones a test gets depends on the tests before it).
    amounts = {str(cost // 100) for cost in COSTS.values()} | {str(known.round.budget_grosze // 100)}
    assert not (user_ids - proposal_ids - amounts - {str(n) for n in range(0, 10)}) & fields


def test_pabulib_export_round_trip_gives_the_same_winners(client, session, users, tmp_path):
    known = known_round(session, users)
    response = client.get(f"/data/rounds/{known.round.id}/ballots.pb")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.pb"')
    text = response.get_data(as_text=True)
    _assert_nothing_personal(session, known, text)
    path = tmp_path / "round.pb"
    path.write_text(text, encoding="utf-8")

    parsed = parse_pabulib(path)
    assert parsed.meta["vote_type"] == "approval" and parsed.meta["rule"] == "greedy"
    assert parsed.meta["budget"] == "10000" and parsed.meta["num_votes"] == "6"
    assert parsed.meta["min_length"] == "1" and parsed.meta["seed"] == known.round.lot_seed
    assert set(parsed.selected) == {known.pid(k) for k in ("A", "C", "D")}
    assert tuple(tally(parsed.election).winners) == tuple(known.round.result["tally"]["winners"])

    out = CliRunner().invoke(votes_cli, ["tally", str(path)])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["selected"] == known.round.result["tally"]["winners"]
    assert report["matches_official"] is True
    assert report["ties"][0]["projects"] == [known.pid("C"), known.pid("B")]

    instance, profile = pabutools_parse(str(path))
    assert {p.name for p in instance} == {known.pid(k) for k in COSTS}
    assert int(instance.budget_limit) == 10_000
    assert profile.num_ballots() == 6


@pytest.mark.parametrize(
    ("kind", "settings", "ballot_of"),
    [
        (
            "ordinal",
            {"max_choices": 2, "rule": "greedy"},
            lambda ids: ("ordinal", [ids[:2], ids[1:3], ids[2:]]),
        ),
        (
            "cumulative",
            {"points_total": 5, "rule": "equal_shares"},
            lambda ids: ("cumulative", [{ids[0]: 3, ids[1]: 2}, {ids[2]: 5}, {ids[0]: 1, ids[2]: 4}]),
        ),
    ],
)
def test_other_ballot_kinds_round_trip(client, session, users, tmp_path, kind, settings, ballot_of):
    from app.rounds import services as rounds
    from app.votes import counting
    from app.votes import services as votes
    from tests.votes.helpers import make_proposal, make_round

    round_ = make_round(session, ballot_kind=kind, **settings)
    ids = [str(make_proposal(session, round_, cost_grosze=c).id) for c in (300_000, 400_000, 500_000)]
    _, choices = ballot_of(ids)
    for choice in choices:
        votes.cast_ballot(users.resident(), round_, counting.to_engine_ballot(kind, choice))
    rounds.advance_phase(users.moderator(), round_.id, "voting")
    text = client.get(f"/data/rounds/{round_.id}/ballots.pb").get_data(as_text=True)
    path = tmp_path / "round.pb"
    path.write_text(text, encoding="utf-8")
    assert tuple(tally(parse_pabulib(path).election).winners) == tuple(round_.result["tally"]["winners"])
    pabutools_parse(str(path))


def test_yes_no_rounds_have_no_pabulib_file(client, session, users):
    from app.rounds import services as rounds
    from app.votes import services as votes
    from app.votes import tally as engine
    from tests.votes.helpers import make_proposal, make_round

    round_ = make_round(session, ballot_kind="yes_no", rule="ranking", budget_grosze=None)
    pid = str(make_proposal(session, round_).id)
    votes.cast_ballot(users.resident(), round_, engine.YesNoBallot(((pid, "yes"),)))
    rounds.advance_phase(users.moderator(), round_.id, "voting")
    assert client.get(f"/data/rounds/{round_.id}/ballots.pb").status_code == 404
    header, row = _rows(client.get(f"/data/rounds/{round_.id}/ballots.csv"))
    assert header == ["ballot", pid] and row == ["1", "yes"]


class _FakeRound:
    def __init__(self, round_: Round):
        self.__dict__.update({c.key: getattr(round_, c.key) for c in Round.__table__.columns})


def _peak(session, round_id: int, n: int, make_stream) -> int:
    session.execute(sa.delete(Ballot).where(Ballot.round_id == round_id))
    session.execute(
        sa.insert(Ballot),
        [{"id": f"{i:032x}", "round_id": round_id, "choices": ["1", "2"]} for i in range(n)],
    )
    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in make_stream())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > n * 4
    return peak


def test_ballot_exports_keep_memory_flat(session, users):
    known = known_round(session, users)
    round_ = session.get(Round, known.round.id)
    csv_stream = lambda: stream_csv([Sheet("ballots", ballots.csv_rows(round_))])  # noqa: E731
    pb_stream = lambda: ballots.stream_pabulib(round_)  # noqa: E731
    for make_stream in (csv_stream, pb_stream):
        small = _peak(session, round_.id, 2_000, make_stream)
        large = _peak(session, round_.id, 20_000, make_stream)
        # Ten times the ballots, nowhere near ten times the memory.
        assert large < small * 3, (small, large)


def test_exported_round_imported_again_gives_the_same_result(app, client, session, users, tmp_path):
    """Export a closed round as .pb, import the file with `flask votes import-pabulib`: same winners."""
    known = known_round(session, users)
    path = tmp_path / "round.pb"
    path.write_text(client.get(f"/data/rounds/{known.round.id}/ballots.pb").get_data(as_text=True),
                    encoding="utf-8")
    out = app.test_cli_runner().invoke(args=["votes", "import-pabulib", str(path), "--title", "Kopia"])
    assert out.exit_code == 0, out.output
    copy = session.scalar(sa.select(Round).where(Round.title == "Kopia"))
    assert copy.phase == "closed" and copy.result["ballots"] == known.round.result["ballots"]
    assert copy.lot_seed == known.round.lot_seed  # the lot draws the same
    # The import numbers proposals anew; its bodies name the file's project ids (the original ids).
    new_to_original = {
        str(p.id): p.body.removeprefix("Pabulib project ").removesuffix(".")
        for p in session.scalars(sa.select(Proposal).where(Proposal.round_id == copy.id))
    }
    assert [new_to_original[w] for w in copy.result["tally"]["winners"]] == known.round.result["tally"][
        "winners"]
    assert copy.result["tally"]["budget_used"] == known.round.result["tally"]["budget_used"]


def test_ballot_csv_separated_by_commas_for_programs_and_the_api(client, session, users):
    """A Polish reader gets semicolons (their spreadsheet's separator); programs, and the link the API gives,
    get the comma-separated file with the same cells."""
    known = known_round(session, users)
    url = f"/data/rounds/{known.round.id}/ballots.csv"
    spreadsheet = client.get(url)
    comma = client.get(url + "?sep=comma")
    assert spreadsheet.headers["Content-Type"] == comma.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert comma.headers["Content-Disposition"].endswith('.comma.csv"')
    assert _rows(spreadsheet) == _rows(comma, delimiter=",")
    assert _rows(spreadsheet)[0] == ["ballot", *[known.pid(k) for k in COSTS]]
    api = client.get(f"/api/v1/rounds/{known.round.id}/results").get_json(force=True)
    assert api["ballots_url"] == url + "?sep=comma"
