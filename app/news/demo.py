"""Demo news posts about the centre, some linking to a round, a proposal or an activity. Idempotent: keyed
on titles."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import sqlalchemy as sa

from app.activities.models import Activity
from app.auth.models import User
from app.db import db, utcnow
from app.news.models import NewsPost
from app.phases.models import Round
from app.proposals.models import Proposal, Status
from app.text import render_markdown

POSTS = [
    ("Ruszyła platforma MAM Na Kozłówce",
     "Od dziś pomysły na działania w centrum możesz zgłaszać **przez internet**. Konto założysz w kilka "
     "minut, a w recepcji dostaniesz kod mieszkańca, który pozwoli Ci głosować.\n\n"
     "Papierowe formularze nadal leżą przy wejściu — wybierz, co Ci wygodniej.", 21, None),
    ("Nowe godziny otwarcia świetlicy",
     "Od poniedziałku świetlica jest czynna:\n\n- pon.–pt. 10:00–20:00\n- sob. 10:00–14:00\n\n"
     "W niedziele i święta centrum jest zamknięte.", 14, None),
    ("Zbieramy pomysły do pierwszej rundy",
     "Do końca miesiąca czekamy na Wasze propozycje. Im więcej sąsiadów zadeklaruje pomoc, tym łatwiej "
     "będzie pomysł zrealizować — zajrzyj do propozycji innych i dopisz się.", 9, "round"),
    ("Sprzątanie podwórka — dziękujemy!",
     "W sobotę 34 osoby posprzątały podwórko między blokami 5 i 7. Dziękujemy szczególnie dzieciom "
     "ze szkoły nr 12 i Panu Zbigniewowi za użyczenie taczek.", 5, None),
    ("Spotkanie o propozycji kawiarenki naprawczej",
     "Zapraszamy na rozmowę o jednej z najczęściej komentowanych propozycji. Czwartek, 18:00, sala na "
     "parterze. Przyjdź, nawet jeśli nie masz jeszcze zdania.", 2, "proposal"),
    ("Wieczór planszówek — zapraszamy całe rodziny",
     "Przynieś swoją ulubioną grę albo wybierz coś z naszej półki. Zapisz się na stronie wydarzenia, "
     "żebyśmy wiedzieli, ile stołów rozstawić — a jeśli chcesz pomóc, jest jeszcze miejsce dla "
     "osoby, która upiecze ciasto.", 1, "activity"),
]
ACTIVITY_TITLE = "Wieczór planszówek"  # app.activities.demo schedules it before the news are seeded


def seed(people: dict[str, User]) -> Iterator[str]:
    existing = set(db.session.scalars(sa.select(NewsPost.title)))
    missing = [post for post in POSTS if post[0] not in existing]
    if not missing:
        yield "news: posts already there"
        return
    moderator = people["moderator@mam.example"]
    round_id = db.session.scalar(sa.select(Round.id).order_by(Round.id).limit(1))
    proposal_id = db.session.scalar(
        sa.select(Proposal.id).where(Proposal.status != Status.DRAFT, Proposal.hidden_at.is_(None))
        .order_by(Proposal.id).limit(1)
    )
    activity_id = db.session.scalar(
        sa.select(Activity.id).where(Activity.title == ACTIVITY_TITLE).order_by(Activity.starts_at).limit(1)
    )
    for title, body, days_ago, link in missing:
        moment = utcnow() - timedelta(days=days_ago)
        db.session.add(NewsPost(
            title=title, body=body, body_html=render_markdown(body), author_id=moderator.id,
            round_id=round_id if link == "round" else None,
            proposal_id=proposal_id if link == "proposal" else None,
            activity_id=activity_id if link == "activity" else None,
            published_at=moment, updated_at=moment,
        ))
    db.session.commit()
    yield f"news: {len(missing)} posts"
