"""Demo proposals for the Na Kozłówce estate: categories, a round open for proposals (its deadline three
weeks after the seed), an earlier round, and proposals with revisions, timelines and pledges. Winning ideas
stay "selected": the activities demo schedules them, which moves them to "scheduled" and "implemented".
Idempotent (keyed on names and titles). ``people`` are the demo accounts of app/demo/seed.py, keyed by
e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.db import db, utcnow
from app.phases.models import Phase, Round
from app.proposals.models import Category, Pledge, Proposal, ProposalEvent, ProposalRevision, Status
from app.text import fold, render_markdown

CATEGORIES = [
    ("Kultura", "Culture"), ("Sport i rekreacja", "Sport and recreation"),
    ("Dzieci i młodzież", "Children and youth"), ("Seniorzy", "Seniors"), ("Ekologia", "Ecology"),
    ("Sąsiedzka pomoc", "Neighbourly help"), ("Edukacja", "Education"),
]
OPEN_ROUND = "Runda wiosenna 2026"
PAST_ROUND = "Runda jesienna 2025"

UKRAINIAN_PROPOSAL = "Розмовний клуб польської мови для сусідів"

# title, author, category, round ("open", "past" or None), status path, cost (zł), needs, body, pledges
PROPOSALS = [
    ("Ogród społeczny za blokiem nr 7", "jadwiga@mam.example", "Ekologia", "open",
     [Status.SUBMITTED], 4_500, "Ziemia, nasiona, 3 skrzynie, narzędzia; 6–8 osób do pomocy w kwietniu",
     "Na trawniku za blokiem nr 7 przy ul. Kozłówka stoi pusty, nasłoneczniony kawałek ziemi. "
     "Proponuję **ogród społeczny**: kilka podniesionych grządek, ziół i kwiatów dla owadów.\n\n"
     "- grządki dla każdego, kto chce coś posadzić,\n- wspólne podlewanie według grafiku,\n"
     "- skrzynka z narzędziami w świetlicy MAM.\n\nMieszkańcy bloku nr 5 już się zgłosili do pomocy.",
     [("zbigniew@mam.example", "volunteer", ""), ("kasia@mam.example", "resources", "Konewki i łopaty"),
      ("jadwiga@mam.example", "coordinate", "")]),
    ("Kawiarenka naprawcza raz w miesiącu", "zbigniew@mam.example", "Sąsiedzka pomoc", "past",
     [Status.SUBMITTED, Status.ACCEPTED, Status.SELECTED], 2_000,
     "Sala na parterze w soboty, stoły, lutownica, przedłużacze",
     "Zamiast wyrzucać toster czy lampkę — naprawmy je razem. **Repair café** w pierwszą sobotę "
     "miesiąca: sąsiedzi, którzy umieją naprawiać, pomagają innym i uczą, jak to robić.\n\n"
     "Przynosisz zepsutą rzecz, wychodzisz z działającą (albo przynajmniej wiesz, co się stało).",
     [("oksana@mam.example", "volunteer", ""), ("rada@mam.example", "resources", "Zestaw śrubokrętów")]),
    ("Szachy dla seniorów we wtorki", "kasia@mam.example", "Seniorzy", "open", [],
     800, "Trzy komplety szachów, stoliki, herbata",
     "Klub szachowy dla seniorów w świetlicy: wtorki 10:00–12:00. Na początek trzy komplety i "
     "herbata. Może z czasem turniej z młodzieżą z pobliskiej szkoły?", []),
    ("Pomoc w lekcjach dla dzieci z osiedla", "oksana@mam.example", "Edukacja", "past",
     [Status.SUBMITTED, Status.ACCEPTED, Status.SELECTED],
     1_200, "Sala w poniedziałki i środy 16–18, wolontariusze (studenci, emeryci nauczyciele)",
     "Dwa popołudnia w tygodniu, kiedy dzieci z osiedla mogą przyjść z zadaniami domowymi. "
     "Pomagają wolontariusze: studenci i emerytowani nauczyciele z naszych bloków.",
     [("jadwiga@mam.example", "volunteer", ""), ("ngo@mam.example", "coordinate", "")]),
    ("Stacja naprawy rowerów przy wejściu", "kasia@mam.example", "Sport i rekreacja", "past",
     [Status.SUBMITTED, Status.ACCEPTED, Status.SELECTED], 3_800,
     "Miejsce przy wejściu do centrum, zgoda spółdzielni",
     "Stojak z pompką i kluczami na stalowych linkach, dostępny całą dobę. Każdy może dopompować "
     "koło albo dokręcić siodełko bez jeżdżenia do serwisu.",
     [("zbigniew@mam.example", "resources", "Klucze i łatki do dętek")]),
    ("Letnie kino plenerowe na boisku", "zbigniew@mam.example", "Kultura", "past",
     [Status.SUBMITTED, Status.ACCEPTED, Status.SELECTED], 6_500, "Ekran, projektor, nagłośnienie, leżaki",
     "Cztery czwartkowe seanse w lipcu i sierpniu na boisku przy szkole. Filmy wybieramy głosowaniem.",
     [("kasia@mam.example", "volunteer", "")]),
    ("Warsztaty robotyki dla nastolatków", "jadwiga@mam.example", "Dzieci i młodzież", "past",
     [Status.SUBMITTED, Status.ACCEPTED, Status.NOT_SELECTED], 9_000, "Zestawy do robotyki, laptopy",
     "Cykl 10 spotkań z budowania i programowania prostych robotów dla młodzieży 12–16 lat.", []),
    ("Zajęcia jogi na trawie", "oksana@mam.example", "Sport i rekreacja", "past",
     [Status.SUBMITTED, Status.ACCEPTED], 1_500, "Maty, instruktor raz w tygodniu",
     "Poranna joga w parku obok osiedla, w soboty od maja do września.", []),
    ("Parking dla kamperów na trawniku", "zbigniew@mam.example", None, "past",
     [Status.SUBMITTED, Status.REJECTED], 40_000, "",
     "Utwardzić trawnik przy bloku nr 3 i zrobić miejsca dla kamperów.", []),
    ("Wymiana książek na klatkach schodowych", "kasia@mam.example", "Kultura", None,
     [Status.SUBMITTED, Status.WITHDRAWN], None, "Półki na klatkach",
     "Małe półki z książkami do wymiany na każdej klatce.", []),
    ("Grupa sąsiedzkich zakupów dla osób starszych", "jadwiga@mam.example", "Sąsiedzka pomoc", None,
     [Status.SUBMITTED], None, "Lista chętnych, telefon dyżurny",
     "Sąsiedzi robią zakupy osobom starszym i chorym z naszych bloków. Zaczynamy od listy chętnych "
     "w świetlicy i grupy na telefonie.",
     [("oksana@mam.example", "volunteer", ""), ("rada@mam.example", "volunteer", "")]),
    # Oksana uses the platform in Ukrainian and writes in it: pages mark her text with lang="uk".
    (UKRAINIAN_PROPOSAL, "oksana@mam.example", "Edukacja", "open",
     [Status.SUBMITTED], 600, "Кімната в четвер увечері, чай, дошка для записів",
     "Щочетверга о 18:00 — **розмовний клуб польської мови** для сусідів з України та всіх, хто "
     "вивчає польську. Поляки з наших будинків допомагають говорити, ми разом п'ємо чай і знайомимося."
     "\n\n- рівень не має значення,\n- діти можуть прийти з батьками,\n- перша зустріч — у квітні.",
     [("jadwiga@mam.example", "volunteer", ""), ("kasia@mam.example", "volunteer", "")]),
]
# The language each demo proposal is written in, where it is not Polish.
WRITTEN_IN = {UKRAINIAN_PROPOSAL: "uk"}

ANSWERS = {
    Status.REJECTED: "Trawnik należy do spółdzielni i nie może zostać utwardzony; to też nie jest "
                     "zadanie centrum aktywności.",
    Status.ACCEPTED: "Dopuszczona do głosowania. Koszt sprawdzony z oferentem.",
}


def _category(name: str, name_en: str, position: int) -> Category:
    category = db.session.scalar(sa.select(Category).where(Category.name == name))
    if category is None:
        category = Category(name=name, name_en=name_en, position=position, active=True)
        db.session.add(category)
    return category


def _round(title: str, phase: str, description: str, **dates) -> Round:
    round_ = db.session.scalar(sa.select(Round).where(Round.title == title))
    if round_ is None:
        round_ = Round(title=title, phase=phase, description=description,
                       description_html=render_markdown(description), budget_grosze=2_000_000, **dates)
        db.session.add(round_)
    return round_


def seed(people: dict[str, User]) -> Iterator[str]:
    categories = {name: _category(name, en, n) for n, (name, en) in enumerate(CATEGORIES, start=1)}
    rounds = {
        "open": _round(OPEN_ROUND, Phase.SUBMISSION,
                       "Zgłaszajcie pomysły na wiosnę i lato: budżet 20 000 zł.",
                       submission_starts_at=utcnow() - timedelta(days=14),
                       review_starts_at=utcnow() + timedelta(days=21)),
        "past": _round(PAST_ROUND, Phase.CLOSED, "Pomysły na jesień i zimę 2025."),
    }
    db.session.flush()
    moderator = people.get("moderator@mam.example")
    created = 0
    for n, (title, email, category, round_key, path, cost, needs, body, pledges) in enumerate(PROPOSALS):
        author = people.get(email)
        if author is None or db.session.scalar(sa.select(Proposal.id).where(Proposal.title == title)):
            continue
        start = utcnow() - timedelta(days=60 - 4 * n)
        proposal = Proposal(
            title=title, body=body, body_html=render_markdown(body), needs=needs,
            cost_grosze=cost * 100 if cost is not None else None, author_id=author.id,
            category_id=categories[category].id if category else None,
            round_id=rounds[round_key].id if round_key else None, status=Status.DRAFT,
            search_text=fold(f"{title}\n{body}\n{needs}"), created_at=start, updated_at=start,
            language=WRITTEN_IN.get(title, "pl"),
        )
        db.session.add(proposal)
        db.session.flush()
        db.session.add(ProposalEvent(proposal_id=proposal.id, actor_id=author.id, kind="created",
                                     created_at=start))
        when, old = start, Status.DRAFT
        for new in path:
            when += timedelta(days=2)
            by_author = new in (Status.SUBMITTED, Status.WITHDRAWN)
            by_vote = new in (Status.SELECTED, Status.NOT_SELECTED)  # the vote decided: nobody is credited
            note = ANSWERS.get(new) if not by_author else None
            actor = None if by_vote else author if by_author else moderator
            db.session.add(ProposalEvent(
                proposal_id=proposal.id, actor_id=actor.id if actor else None,
                kind="status", from_status=old, to_status=new, note=note, created_at=when))
            if new == Status.SUBMITTED:
                proposal.submitted_at = when
            if note:
                proposal.moderator_answer = note
            old = new
        proposal.status = old
        if n == 0:  # the community garden was improved after comments: two earlier versions
            for number, (old_title, old_body) in enumerate(
                [("Ogród za blokiem", "Zróbmy ogród za blokiem nr 7."),
                 ("Ogród społeczny za blokiem", "Zróbmy ogród społeczny za blokiem nr 7: grządki i zioła.")],
                start=1,
            ):
                db.session.add(ProposalRevision(
                    proposal_id=proposal.id, number=number, title=old_title, body=old_body, needs="",
                    cost_grosze=300_000, category_id=proposal.category_id, editor_id=author.id,
                    created_at=start + timedelta(days=2 + number)))
                db.session.add(ProposalEvent(
                    proposal_id=proposal.id, actor_id=author.id, kind="edited", note=str(number + 1),
                    created_at=start + timedelta(days=2 + number)))
        for helper_email, kind, note in pledges:
            helper = people.get(helper_email)
            if helper is not None:
                db.session.add(Pledge(proposal_id=proposal.id, user_id=helper.id, kind=kind, note=note,
                                      created_at=when + timedelta(hours=5)))
                proposal.pledge_count += 1
        created += 1
    db.session.commit()
    statuses = sorted({row[4][-1] if row[4] else Status.DRAFT for row in PROPOSALS})
    yield f"proposals: {created} created, {len(PROPOSALS) - created} already there"
    yield f"  categories: {len(CATEGORIES)}; rounds: {OPEN_ROUND} (submission), {PAST_ROUND} (closed)"
    yield f"  statuses: {', '.join(statuses)}"
