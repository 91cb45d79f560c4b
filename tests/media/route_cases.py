"""What the shared route × role table (tests/test_permissions.py) and the confirmation tests need for the
pictures routes: a proposal of another resident with two pictures (rows only; their files are not needed)."""

from __future__ import annotations

from app.media.models import Image
from tests.proposals.factories import make_proposal

TABLES = {"images": Image.__table__}
ONLY_AUTHOR = "Tylko autor i moderatorzy mogą zmieniać zdjęcia tej propozycji."
ONLY_MODERATORS = "Tylko moderatorzy mogą ukrywać zdjęcia."
NO_PICTURE = "Wybierz zdjęcie do wysłania."
NOT_HIDDEN = "To zdjęcie nie jest ukryte."


def _name(n: int) -> str:
    return f"{n:064x}.jpg"


def make_picture(session, proposal, uploader, *, cover: bool, position: int, hidden: bool = False) -> Image:
    from app.db import utcnow

    image = Image(subject_kind="proposal", subject_id=proposal.id, uploaded_by_id=uploader.id,
                  alt="Podwórko przy bloku 5", is_cover=cover, position=position,
                  card_name=_name(position * 2), card_width=480, card_height=360,
                  page_name=_name(position * 2 + 1), page_width=1200, page_height=900,
                  hidden_at=utcnow() if hidden else None, hidden_reason="Widać twarze" if hidden else None)
    session.add(image)
    session.commit()
    return image


def proposal_with_pictures(session, users, actor):
    author = users.resident()
    proposal = make_proposal(session, author, title="Ławki na podwórku")
    cover = make_picture(session, proposal, author, cover=True, position=1)
    other = make_picture(session, proposal, author, cover=False, position=2)
    return {"kind": "proposal", "subject_id": proposal.id, "image_id": other.id, "cover_id": cover.id}


def hidden_picture(session, users, actor):
    author = users.resident()
    proposal = make_proposal(session, author)
    image = make_picture(session, proposal, author, cover=True, position=1, hidden=True)
    return {"image_id": image.id}


def _image(state, image_id):
    [row] = [row for row in state["images"] if row.id == image_id]
    return row


def described(ctx, before, after):
    assert _image(after, ctx.values["image_id"]).alt == "Ławka pod kasztanowcem"


def made_cover(ctx, before, after):
    assert _image(after, ctx.values["image_id"]).is_cover
    assert not _image(after, ctx.values["cover_id"]).is_cover


def removed(ctx, before, after):
    assert [row.id for row in after["images"]] == [ctx.values["cover_id"]]
    assert after["audit_events"][-1].action == "image.removed"


def hidden(ctx, before, after):
    row = _image(after, ctx.values["image_id"])
    assert row.hidden_at is not None and row.hidden_reason == "Widać numer rejestracyjny"
    assert row.hidden_by_id == ctx.actor.id
    assert after["audit_events"][-1].action == "image.hidden"


def restored(ctx, before, after):
    assert _image(after, ctx.values["image_id"]).hidden_at is None
    assert after["audit_events"][-1].action == "image.restored"
