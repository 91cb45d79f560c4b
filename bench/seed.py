"""The estate-sized data set of ``bench/http.py``, importable so that a test keeps it working.

Bulk inserts (SQLAlchemy Core ``insert`` with many rows) that respect what the services guarantee:
proposals carry their own ``pledge_count``/``comment_count`` and ``search_text``, comments thread under
comments of the same proposal, every ballot has its participation, and the closed round is closed by
the app's own ``advance_phase`` (tally, snapshot, SHA-256s, outcomes).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

PASSWORD = "bench-password-1234"  # noqa: S105 (every seeded account's)


@dataclass(frozen=True)
class Sizes:
    residents: int = 5_000
    proposals: int = 10_000
    comments: int = 100_000
    hot: tuple[int, ...] = (100, 1_000, 3_000)
    quiet: int = 5  # a proposal with this many comments, the yardstick of the hot ones
    pledges: int = 10_000
    activities: int = 500
    signups_per_activity: int = 10
    news: int = 100
    closed_ballots: int = 100_000
    voting_proposals: int = 150  # each round's list: Kraków's district lists are that long


FULL = Sizes()
SMALL = Sizes(residents=1_000, proposals=2_000, comments=10_000, pledges=2_000, activities=100, news=30,
              closed_ballots=10_000)
TINY = Sizes(residents=12, proposals=30, comments=60, hot=(3, 5, 8), quiet=2, pledges=20, activities=6,
             signups_per_activity=3, news=3, closed_ballots=20, voting_proposals=4)


@dataclass
class Seeded:
    """Ids the benchmark requests."""

    hot: dict[int, int] = field(default_factory=dict)  # comment count -> proposal id
    quiet: int = 0
    voting_round: int = 0
    voting_choices: list[str] = field(default_factory=list)
    closed_round: int = 0
    activity: int = 0
    news: int = 0
    moderator: int = 0
    resident_ids: list[int] = field(default_factory=list)
    resident_email: str = ""


def _next_id(model) -> int:
    from app.db import db

    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _insert(model, rows: list[dict], chunk: int = 5_000) -> None:
    from app.db import db

    for start in range(0, len(rows), chunk):  # Core executemany: psycopg pipelines it
        db.session.execute(model.__table__.insert(), rows[start:start + chunk])


def _reset_sequences(models) -> None:
    """PostgreSQL: the id sequences continue after the explicit ids (SQLite does it by itself)."""
    from app.db import db

    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (our table names)
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        ))


def seed(sizes: Sizes = FULL, rng_seed: int = 13) -> Seeded:
    """Fill the current app's database (in an app context); commits. Returns the ids to request."""
    from app.activities.models import Activity, Place, Signup, VolunteerRole
    from app.auth.models import User
    from app.auth.passwords import hash_password
    from app.db import db, utcnow
    from app.discussion.models import Comment
    from app.news.models import NewsPost
    from app.phases.models import Round
    from app.proposals.models import Category, Pledge, Proposal, Status
    from app.rounds.services import advance_phase
    from app.text import fold
    from app.votes.models import Ballot, Participation

    rng = random.Random(rng_seed)
    now = utcnow()
    out = Seeded()
    password_hash = hash_password(PASSWORD)

    # People: a moderator and verified residents with confirmed addresses.
    first_user = _next_id(User)
    users = [dict(id=first_user, email=f"moderator{first_user}@bench.example", display_name="Moderacja",
                  password_hash=password_hash, role="moderator", locale="pl", created_at=now,
                  email_verified_at=now, resident_verified_at=now, session_version=1)]
    for n in range(sizes.residents):
        uid = first_user + 1 + n
        users.append(dict(id=uid, email=f"resident{uid}@bench.example", display_name=f"Mieszkanka {uid}",
                          password_hash=password_hash, role="resident", locale="pl",
                          created_at=now - timedelta(days=400), email_verified_at=now,
                          resident_verified_at=now, resident_verified_by_id=first_user,
                          resident_verification_method="in_person", session_version=1))
    _insert(User, users)
    moderator = out.moderator = first_user
    residents = [u["id"] for u in users[1:]]
    out.resident_ids = residents
    out.resident_email = users[1]["email"]

    first_category = _next_id(Category)
    categories = [dict(id=first_category + n, name=f"Kategoria {first_category + n}", position=n, active=True)
                  for n in range(6)]
    _insert(Category, categories)

    # Rounds: one closed after voting (100,000 ballots), one voting now.
    first_round = _next_id(Round)
    base_round = dict(description="Runda do testów wydajności.", description_html="<p>Runda do testów.</p>",
                      created_at=now - timedelta(days=200), created_by_id=moderator, ballot_kind="approval",
                      rule="greedy", budget_grosze=100_000_00, min_choices=1, max_choices=5,
                      tie_break=["lower_cost", "more_voters", "lot"], secrecy="secret",
                      eligibility="verified_residents")
    _insert(Round, [
        dict(base_round, id=first_round, title="Runda zamknięta", phase="voting", lot_seed="0" * 32),
        dict(base_round, id=first_round + 1, title="Runda z głosowaniem", phase="voting", lot_seed="1" * 32,
             created_at=now - timedelta(days=20)),
    ])
    out.closed_round, out.voting_round = first_round, first_round + 1

    # Proposals: the first ones on the two ballots, the rest in the idea box, newest last.
    first_proposal = _next_id(Proposal)
    proposal_ids = [first_proposal + n for n in range(sizes.proposals)]
    on_closed = proposal_ids[:sizes.voting_proposals]
    on_voting = proposal_ids[sizes.voting_proposals:2 * sizes.voting_proposals]
    out.voting_choices = [str(pid) for pid in on_voting]
    comment_counts = dict.fromkeys(proposal_ids, 0)
    pledge_counts = dict.fromkeys(proposal_ids, 0)

    # Comments: the hot proposals and the quiet one get exact counts, the rest spread round-robin.
    pool = proposal_ids[2 * sizes.voting_proposals:]
    hot_ids = pool[-len(sizes.hot) - 1:-1]
    out.quiet = pool[-1]
    out.hot = dict(zip(sizes.hot, hot_ids, strict=True))
    targets = [(pid, count) for count, pid in out.hot.items()] + [(out.quiet, sizes.quiet)]
    others = pool[:-len(sizes.hot) - 1]
    rest = max(0, sizes.comments - sum(sizes.hot) - sizes.quiet)
    per_other = {}
    for n in range(rest):
        pid = others[n % len(others)]
        per_other[pid] = per_other.get(pid, 0) + 1
    targets += list(per_other.items())
    first_comment = _next_id(Comment)
    comments, next_comment = [], first_comment
    for pid, count in targets:
        ids_here = []
        for n in range(count):
            parent = rng.choice(ids_here) if ids_here and n % 3 else None
            body = f"Komentarz {next_comment}: zgadzam się, ale **warto** dodać ławki i kosze."
            comments.append(dict(id=next_comment, proposal_id=pid, author_id=rng.choice(residents),
                                 parent_id=parent, body=body, body_html=f"<p>{body}</p>", state="visible",
                                 created_at=now - timedelta(days=30, minutes=-n)))
            ids_here.append(next_comment)
            next_comment += 1
        comment_counts[pid] = count

    # Pledges: unique (proposal, user, kind).
    pledges, seen = [], set()
    first_pledge = _next_id(Pledge)
    kinds = ("volunteer", "coordinate", "resources")
    while len(pledges) < sizes.pledges:
        key = (rng.choice(proposal_ids), rng.choice(residents), rng.choice(kinds))
        if key in seen:
            continue
        seen.add(key)
        pledges.append(dict(id=first_pledge + len(pledges), proposal_id=key[0], user_id=key[1], kind=key[2],
                            note="", created_at=now - timedelta(days=10)))
        pledge_counts[key[0]] += 1

    proposals = []
    for n, pid in enumerate(proposal_ids):
        title = f"Propozycja {pid}: {rng.choice(('ławki', 'ogród', 'kino', 'szachy', 'rowery'))} na osiedlu"
        body = f"Opis propozycji {pid}. Potrzebujemy pomocy sąsiadów i **trochę** materiałów."
        status, round_id = Status.SUBMITTED, None
        if pid in on_closed:
            status, round_id = Status.ACCEPTED, out.closed_round
        elif pid in on_voting:
            status, round_id = Status.ACCEPTED, out.voting_round
        created = now - timedelta(days=300) + timedelta(minutes=n)
        proposals.append(dict(
            id=pid, round_id=round_id, author_id=residents[n % len(residents)],
            category_id=categories[n % len(categories)]["id"], title=title, body=body,
            body_html=f"<p>{body}</p>",
            needs="Ławki, farba", cost_grosze=rng.randrange(1_000_00, 20_000_00, 100), status=status,
            search_text=fold(f"{title}\n{body}\nŁawki, farba"), pledge_count=pledge_counts[pid],
            comment_count=comment_counts[pid], created_at=created, submitted_at=created, updated_at=created))
    _insert(Proposal, proposals)
    _insert(Comment, comments)
    _insert(Pledge, pledges)

    # Activities with a volunteer role and sign-ups, half past and half to come.
    place_id = _next_id(Place)
    _insert(Place, [dict(id=place_id, name=f"Sala {place_id}", description="", capacity=40, position=0,
                         active=True)])
    first_activity, first_role, first_signup = _next_id(Activity), _next_id(VolunteerRole), _next_id(Signup)
    activities, roles, signups = [], [], []
    for n in range(sizes.activities):
        aid = first_activity + n
        starts = now + timedelta(days=n - sizes.activities // 2, hours=2)
        activities.append(dict(
            id=aid, title=f"Zajęcia {aid}", description="Spotkanie sąsiedzkie.",
            description_html="<p>Spotkanie sąsiedzkie.</p>", starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place_id=place_id, capacity=30, open_to_all=True, coordinator_id=moderator,
            status="held" if starts < now else "planned", sequence=0, created_by_id=moderator,
            created_at=now - timedelta(days=400), updated_at=now - timedelta(days=400)))
        roles.append(dict(id=first_role + n, activity_id=aid, name="Pomoc przy stołach", slots=3))
        for k in range(sizes.signups_per_activity):
            signups.append(dict(id=first_signup + len(signups), activity_id=aid,
                                user_id=residents[(n * 7 + k) % len(residents)],
                                role_id=first_role + n if k == 0 else None, status="registered",
                                created_at=now - timedelta(days=5)))
    _insert(Activity, activities)
    _insert(VolunteerRole, roles)
    _insert(Signup, signups)
    out.activity = first_activity + sizes.activities // 2 + 1

    first_news = _next_id(NewsPost)
    _insert(NewsPost, [dict(id=first_news + n, title=f"Aktualność {first_news + n}", body="Co słychać w MAM.",
                            body_html="<p>Co słychać w MAM.</p>", author_id=moderator,
                            published_at=now - timedelta(days=sizes.news - n),
                            updated_at=now - timedelta(days=sizes.news - n))
                       for n in range(sizes.news)])
    out.news = first_news + sizes.news - 1

    # The closed round's ballots: the residents online, everyone else on paper (accounts since deleted).
    participations, ballots = [], []
    first_participation = _next_id(Participation)
    choice_ids = [str(pid) for pid in on_closed]
    for n in range(sizes.closed_ballots):
        online = n < len(residents)
        participations.append(dict(id=first_participation + n, round_id=out.closed_round,
                                   user_id=residents[n] if online else None,
                                   channel="online" if online else "paper",
                                   voted_at=now - timedelta(days=100)))
        ballots.append(dict(id=f"{rng.getrandbits(128):032x}", round_id=out.closed_round, user_id=None,
                            choices=rng.sample(choice_ids, rng.randint(1, min(5, len(choice_ids)))),
                            receipt_hash=None))
    _insert(Participation, participations)
    _insert(Ballot, ballots)
    _reset_sequences([User, Category, Round, Proposal, Comment, Pledge, Place, Activity, VolunteerRole,
                      Signup, NewsPost, Participation])
    db.session.commit()
    advance_phase(None, out.closed_round, "voting")
    return out
