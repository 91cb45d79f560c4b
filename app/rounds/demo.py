"""Demo rounds in every phase, with real counts: a round open for voting with some ballots cast, a
closed round counted by the platform, one waiting in review, a draft, and the real 2024 participatory
budget of Podgórze Duchackie (the district of Na Kozłówce) imported from its Pabulib file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.auth.models import User
from app.db import db, utcnow
from app.i18n import WARSAW
from app.phases.models import BallotKind, Phase, Round, Secrecy
from app.proposals.models import Proposal, Status
from app.rounds.importing import import_pabulib
from app.rounds.services import advance_phase
from app.rounds.settings import RoundSettings
from app.text import fold, render_markdown
from app.votes import services as votes
from app.votes import tally as engine

PODGORZE_FILE = "Poland_Krakow_2024_Podgorze_Duchackie.pb"
PODGORZE_TITLE = "Budżet obywatelski Krakowa 2024 — Podgórze Duchackie (dane rzeczywiste)"

VOTING = ("Głosujemy: lato w MAM 2026", "Wybierzcie do dwóch pomysłów na wakacje w centrum.", [
    ("Kino plenerowe na podwórku", 450_000),
    ("Warsztaty rowerowe dla dzieci", 300_000),
    ("Letnia świetlica z planszówkami", 250_000),
    ("Malowanie muralu przy wejściu", 600_000),
])
CLOSED = ("Mały grant zimowy 2025", "Zimowe pomysły do 10 000 zł, rozstrzygnięte w grudniu.", [
    ("Kiermasz świąteczny sąsiadów", 350_000),
    ("Kurs pierwszej pomocy dla seniorów", 400_000),
    ("Zimowy klub szachowy", 150_000),
    ("Karmniki dla ptaków w ogrodzie", 200_000),
])
REVIEW = ("Konsultacja: godziny otwarcia centrum", "Jakie godziny pasują mieszkańcom? Propozycje w ocenie.", [
    ("Otwarte w niedziele do 18:00", 0),
    ("Poranki dla rodziców z małymi dziećmi", 0),
])
DRAFT: tuple[str, str, list[tuple[str, int]]] = (
    "Jesień 2026 (w przygotowaniu)", "Runda w przygotowaniu: zasady ustala zespół.", []
)
# Votes of the demo residents in the two rounds with ballots (indexes into the proposal lists).
VOTING_BALLOTS = {"jadwiga@mam.example": (0, 2), "zbigniew@mam.example": (0,), "kasia@mam.example": (1, 2)}
CLOSED_BALLOTS = {
    "jadwiga@mam.example": (0, 2), "zbigniew@mam.example": (1, 2), "kasia@mam.example": (0, 2),
    "oksana@mam.example": (2, 3), "rada@mam.example": (0, 1), "ngo@mam.example": (2,),
}


def _round(title: str, description: str, phase: str, author: User, proposals: list[tuple[str, int]],
           status: str = Status.ACCEPTED, **settings: Any) -> Round | None:
    if db.session.scalar(sa.select(Round.id).where(Round.title == title)):
        return None
    round_ = Round(phase=phase, description_html=render_markdown(description))
    RoundSettings(title=title, description=description, **settings).apply_to(round_)
    db.session.add(round_)
    db.session.flush()
    for name, cost in proposals:
        body = f"{name}. Pomysł mieszkańców osiedla Na Kozłówce."
        db.session.add(Proposal(round_id=round_.id, author_id=author.id, title=name, body=body,
                                body_html=render_markdown(body), search_text=fold(f"{name} {body}"),
                                cost_grosze=cost or None, status=status))
    db.session.commit()
    return round_


def _cast(round_: Round, ballots: dict[str, tuple[int, ...]], people: dict[str, User]) -> None:
    ids = [str(p) for p in db.session.scalars(
        sa.select(Proposal.id).where(Proposal.round_id == round_.id).order_by(Proposal.id))]
    for email, picks in ballots.items():
        voter = people.get(email)
        if voter is not None and voter.is_verified_resident:
            votes.cast_ballot(voter, round_, engine.ApprovalBallot(tuple(ids[i] for i in picks)))


def seed(people: dict[str, User]) -> Iterator[str]:
    moderator = people["moderator@mam.example"]
    author = people["jadwiga@mam.example"]
    created: list[str] = []
    title, description, proposals = VOTING
    round_ = _round(title, description, Phase.VOTING, author, proposals, ballot_kind=BallotKind.APPROVAL,
                    min_choices=1, max_choices=2, budget_grosze=1_000_000)
    if round_:
        # A vote closing soon: opened a week before the seed, it closes a week after it, at 20:00.
        round_.voting_starts_at = utcnow() - timedelta(days=7)
        closing_day = utcnow().astimezone(WARSAW).date() + timedelta(days=7)
        round_.voting_ends_at = datetime.combine(closing_day, time(20, 0), tzinfo=WARSAW).astimezone(UTC)
        db.session.commit()
        _cast(round_, VOTING_BALLOTS, people)
        created.append(f"{title} (voting, {len(VOTING_BALLOTS)} ballots)")
    title, description, proposals = CLOSED
    round_ = _round(title, description, Phase.VOTING, author, proposals, ballot_kind=BallotKind.APPROVAL,
                    min_choices=1, max_choices=2, budget_grosze=1_000_000, secrecy=Secrecy.PUBLIC)
    if round_:
        _cast(round_, CLOSED_BALLOTS, people)
        advance_phase(moderator, round_.id, Phase.VOTING)
        created.append(f"{title} (closed and counted)")
    title, description, proposals = REVIEW
    round_ = _round(title, description, Phase.REVIEW, author, proposals, status=Status.SUBMITTED,
                    ballot_kind=BallotKind.YES_NO, rule="ranking", ranking_top_n=1, yes_no_quorum=10)
    if round_:
        # Voting was to start yesterday, but the proposals still wait for review (the moderator's desk).
        round_.voting_starts_at = utcnow() - timedelta(days=1)
        round_.voting_ends_at = utcnow() + timedelta(days=13)
        db.session.commit()
        created.append(f"{title} (review)")
    title, description, proposals = DRAFT
    if _round(title, description, Phase.DRAFT, author, proposals, budget_grosze=2_000_000):
        created.append(f"{title} (draft)")
    yield f"demo rounds: {len(created)} created" + "".join(f"\n  {line}" for line in created)


def seed_imported(people: dict[str, User]) -> Iterator[str]:
    """The real district budget, seeded first so the estate's own proposals are the newest."""
    if db.session.scalar(sa.select(Round.id).where(Round.title == PODGORZE_TITLE)):
        yield "imported round: already there"
        return
    path = Path(__file__).resolve().parents[2] / "tests" / "data" / "pabulib" / PODGORZE_FILE
    if not path.exists():
        yield f"imported round: {PODGORZE_FILE} not found, skipped"
        return
    round_ = import_pabulib(path, PODGORZE_TITLE)
    assert round_.result is not None  # closed and counted
    yield f"imported round: {PODGORZE_TITLE} ({round_.result['ballots']} ballots, closed)"
