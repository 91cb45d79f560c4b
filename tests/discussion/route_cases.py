"""What the shared route × role table (tests/test_permissions.py) needs for the discussion routes."""

from __future__ import annotations

from app.discussion.models import Comment, CommentState, Flag
from tests.discussion.factories import make_comment, make_flag, make_proposal

TABLES = {"comments": Comment.__table__, "flags": Flag.__table__}

ONLY_MODERATORS = "Tylko moderatorzy mogą moderować dyskusję."
OWN_EDIT = "Możesz edytować tylko własne komentarze."
OWN_DELETE = "Możesz usuwać tylko własne komentarze."
EMPTY_COMMENT = "Najpierw napisz komentarz."
NO_REASON = "Podaj powód."
NOT_HIDDEN = "Ten komentarz nie jest ukryty."


def public_proposal(session, users, actor):
    proposal = make_proposal(session, users.resident())
    make_comment(session, proposal, users.resident())
    return {"proposal_id": proposal.id}


def draft_proposal(session, users, actor):
    return {"proposal_id": make_proposal(session, users.resident(), status="draft").id}


def others_comment(session, users, actor):
    proposal = make_proposal(session, users.resident())
    return {"comment_id": make_comment(session, proposal, users.resident()).id}


def flagged(session, users, actor):
    proposal = make_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident())
    make_flag(session, users.resident(), comment=comment, reason="Obraża sąsiadów")
    make_flag(session, users.resident(), proposal=proposal, reason="Reklama")
    return {"comment_id": comment.id, "proposal_id": proposal.id}


def hidden_content(session, users, actor):
    proposal = make_proposal(session, users.resident(), hidden=True)
    comment = make_comment(session, proposal, users.resident(), state=CommentState.HIDDEN, count=False)
    return {"comment_id": comment.id, "proposal_id": proposal.id}


def _new(before, after, table):
    ids = {row.id for row in before[table]}
    return [row for row in after[table] if row.id not in ids]


def comment_posted(ctx, before, after):
    [comment] = _new(before, after, "comments")
    assert comment.author_id == ctx.actor.id and comment.proposal_id == ctx.values["proposal_id"]
    assert "<strong>głos</strong>" in comment.body_html
    [proposal] = [row for row in after["proposals"] if row.id == ctx.values["proposal_id"]]
    assert proposal.comment_count == 2


def flag_added(ctx, before, after):
    [flag] = _new(before, after, "flags")
    assert flag.reporter_id == ctx.actor.id and flag.reason == "Nie na temat"
    assert (flag.comment_id, flag.proposal_id) in (
        (ctx.values.get("comment_id"), None), (None, ctx.values.get("proposal_id")))


def comment_hidden(ctx, before, after):
    [comment] = [row for row in after["comments"] if row.id == ctx.values["comment_id"]]
    assert comment.state == "hidden" and comment.hidden_by_id == ctx.actor.id
    assert after["audit_events"][-1].action == "comment.hidden"
    assert [f.resolution for f in after["flags"] if f.comment_id == comment.id] == ["hidden"]


def comment_flags_dismissed(ctx, before, after):
    assert after["audit_events"][-1].action == "comment.flags_dismissed"
    assert [f.resolution for f in after["flags"] if f.comment_id == ctx.values["comment_id"]] == ["dismissed"]
    assert [f.resolved_at for f in after["flags"] if f.proposal_id] == [None]


def proposal_hidden(ctx, before, after):
    [proposal] = [row for row in after["proposals"] if row.id == ctx.values["proposal_id"]]
    assert proposal.hidden_at is not None and proposal.hidden_by_id == ctx.actor.id
    assert after["audit_events"][-1].action == "proposal.hidden"


def comment_restored(ctx, before, after):
    [comment] = [row for row in after["comments"] if row.id == ctx.values["comment_id"]]
    assert comment.state == "visible" and comment.hidden_reason is None
    assert after["audit_events"][-1].action == "comment.restored"


def proposal_restored(ctx, before, after):
    [proposal] = [row for row in after["proposals"] if row.id == ctx.values["proposal_id"]]
    assert proposal.hidden_at is None and proposal.hidden_reason is None
    assert after["audit_events"][-1].action == "proposal.restored"
