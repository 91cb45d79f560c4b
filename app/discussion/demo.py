"""Demo discussion: Polish threads (and a comment in Ukrainian) under the first public proposals, with
every state a moderator meets (replies, an edit, a deletion with replies, a hidden comment, open and
resolved reports)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import sqlalchemy as sa

from app.audit.services import record
from app.auth.models import User
from app.db import db, utcnow
from app.discussion.models import Comment, CommentState, Flag, FlagResolution
from app.proposals.models import Proposal, Status
from app.text import COMMENT_TAGS, render_markdown

# The language of each comment that is not written in Polish (keyed as in THREADS).
WRITTEN_IN = {"e": "uk"}

# (key, parent key, author e-mail, text, hours ago)
THREADS = [
    [
        ("a", None, "jadwiga@mam.example",
         "Świetny pomysł! W bloku nr 7 jest sporo osób, które chętnie by przyszły. "
         "Czy zajęcia mogłyby być **przed południem**?", 50),
        ("b", "a", "kasia@mam.example", "Przed południem pracuję, ale mogę pomóc w soboty.", 48),
        ("c", "b", "jadwiga@mam.example", "Soboty też są dobre, dziękuję Kasiu!", 47),
        ("d", None, "zbigniew@mam.example",
         "Mam w piwnicy dwa stoły, mogę je pożyczyć. Trzeba tylko pomóc je wnieść.", 30),
        ("e", None, "oksana@mam.example",
         "Можу допомогти з перекладом для сусідів з України. Mogę też pomóc po polsku :)", 20),
    ],
    [
        ("f", None, "michal@mam.example", "Ten komentarz autor później usunął.", 40),
        ("g", "f", "ewa@mam.example", "Odpowiadam na usunięty komentarz: koszt wydaje mi się rozsądny.", 39),
        ("h", None, "zbigniew@mam.example", "KUPUJCIE TANIE OKNA!!! www.przyklad-reklamy.example", 12),
        ("i", None, "kasia@mam.example",
         "Proponuję zacząć od małej próby:\n\n- jedno spotkanie w miesiącu\n- zapisy w świetlicy\n"
         "- podsumowanie po trzech miesiącach", 6),
    ],
]


def _comment(proposal, author, text, hours, parent=None) -> Comment:
    created = utcnow() - timedelta(hours=hours)
    comment = Comment(proposal_id=proposal.id, author_id=author.id, parent_id=parent.id if parent else None,
                      body=text, body_html=render_markdown(text, tags=COMMENT_TAGS),
                      state=CommentState.VISIBLE, created_at=created)
    db.session.add(comment)
    db.session.flush()
    return comment


def seed(people: dict[str, User]) -> Iterator[str]:
    proposals = list(db.session.scalars(
        sa.select(Proposal)
        .where(Proposal.status != Status.DRAFT, Proposal.hidden_at.is_(None), Proposal.imported.is_(False))
        .order_by(Proposal.id).limit(len(THREADS))
    ))
    if not proposals:
        yield "discussion: no public proposals yet, so no demo comments (seed the proposals first)"
        return
    already = db.session.scalar(
        sa.select(sa.func.count()).where(Comment.proposal_id.in_([p.id for p in proposals]))
    )
    if already:
        yield f"discussion: {already} comments already there"
        return
    moderator = people["moderator@mam.example"]
    created = 0
    for proposal, thread in zip(proposals, THREADS, strict=False):
        made: dict[str, Comment] = {}
        for key, parent, email, text, hours in thread:
            made[key] = _comment(proposal, people[email], text, hours, made[parent] if parent else None)
            made[key].language = WRITTEN_IN.get(key, "pl")
            created += 1
        if "c" in made:  # edited within its 15 minutes
            made["c"].body = made["c"].body + " Zapiszę nas na listę."
            made["c"].body_html = render_markdown(made["c"].body, tags=COMMENT_TAGS)
            made["c"].edited_at = made["c"].created_at + timedelta(minutes=4)
        if "e" in made:  # an open report waiting in the queue
            db.session.add(Flag(comment_id=made["e"].id, reporter_id=people["michal@mam.example"].id,
                                reason="Czy komentarze mogą być po ukraińsku?"))
        if "f" in made:  # deleted by its author, kept as a placeholder because it has a reply
            made["f"].state, made["f"].body, made["f"].body_html = CommentState.DELETED, "", ""
        if "h" in made:  # spam: reported twice and hidden by the moderator
            made["h"].state = CommentState.HIDDEN
            made["h"].hidden_reason = "Reklama niezwiązana z propozycją."
            made["h"].hidden_by_id = moderator.id
            for email in ("ewa@mam.example", "kasia@mam.example"):
                db.session.add(Flag(comment_id=made["h"].id, reporter_id=people[email].id, reason="Spam",
                                    resolved_at=utcnow(), resolved_by_id=moderator.id,
                                    resolution=FlagResolution.HIDDEN))
            db.session.flush()
            record(moderator, "comment.hidden", made["h"], reason=made["h"].hidden_reason, demo=True)
        if "d" in made:  # a report the moderator dismissed
            db.session.add(Flag(comment_id=made["d"].id, reporter_id=people["ewa@mam.example"].id,
                                reason="Reklamuje swoje meble?", resolved_at=utcnow(),
                                resolved_by_id=moderator.id, resolution=FlagResolution.DISMISSED))
        proposal.comment_count = sum(1 for c in made.values() if c.state == CommentState.VISIBLE)
    if len(proposals) > 1:  # an open report about a proposal
        db.session.add(Flag(proposal_id=proposals[-1].id, reporter_id=people["michal@mam.example"].id,
                            reason="To chyba duplikat innej propozycji."))
    db.session.commit()
    yield f"discussion: {created} comments on {len(proposals)} proposals, with open and resolved reports"
