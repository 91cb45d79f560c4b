from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, render_template
from flask_login import current_user, login_required

from app.activities.permissions import can_manage
from app.activities.queries import places
from app.centre.permissions import can_edit_centre
from app.db import db
from app.extensions import limiter
from app.main import bp, mine, now
from app.media.queries import covers
from app.news.queries import latest_news
from app.phases import permissions as round_permissions
from app.proposals import permissions as proposal_permissions
from app.proposals.forms import PLEDGE_LABELS
from app.proposals.lifecycle import STATUS_LABELS


@bp.get("/")
def index():
    """What can be done today first; a fixed number of queries however much there is."""
    votes = now.running_votes(current_user)
    latest_proposals = now.latest_proposals()
    return render_template(
        "main/index.html",
        votes=votes,
        vote_decisions={v.round.id: round_permissions.can_vote(current_user, v.round) for v in votes},
        submission_rounds=now.open_for_proposals(),
        can_propose=proposal_permissions.can_create(current_user),
        activities=now.this_week(),
        roles=now.roles_needing_people(),
        results=now.latest_results(),
        latest_proposals=latest_proposals,
        proposal_covers=covers("proposal", latest_proposals),
        latest_news=latest_news(3),
        status_labels=STATUS_LABELS,
    )


@bp.get("/me")
@login_required
def me():
    """My page: what I proposed, pledged, signed up for, voted in and wrote; each with what to do next."""
    return render_template("main/me.html", page=mine.my_page(current_user), status_labels=STATUS_LABELS,
                           pledge_labels=PLEDGE_LABELS,
                           can_propose=proposal_permissions.can_create(current_user))


@bp.get("/centre")
def centre():
    """About the centre: who runs it, where and when it is open, and its rooms."""
    rooms = db.session.scalars(places(active_only=True)).all()  # one query
    return render_template("main/centre.html", rooms=rooms, room_covers=covers("place", rooms),
                           can_edit=can_edit_centre(current_user), can_manage_places=can_manage(current_user))


@bp.get("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.get("/how-we-vote")
def how_we_vote():
    return render_template("main/how_we_vote.html")


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """503 when the database is unreachable: nothing works without it. An unreachable rate-limit storage
    (Redis) is "degraded" but still 200: the site works, only each process counts limits on its own, and
    taking every server out of the load balancer for it would take the whole site down instead."""
    rate_limits = "ok" if limiter.storage.check() else "degraded"
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return (jsonify(status="unavailable", database="unreachable", rate_limits=rate_limits), 503,
                {"Retry-After": "30"})
    return jsonify(status="ok" if rate_limits == "ok" else "degraded", database="ok", rate_limits=rate_limits)
