from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, render_template
from flask_login import current_user

from app.activities.permissions import can_manage
from app.activities.queries import places
from app.centre.permissions import can_edit_centre
from app.db import db
from app.extensions import limiter
from app.main import bp
from app.proposals.lifecycle import STATUS_LABELS
from app.proposals.queries import latest_public


@bp.get("/")
def index():
    latest = db.session.scalars(latest_public(5)).all()  # one query
    return render_template("main/index.html", latest_proposals=latest, status_labels=STATUS_LABELS)


@bp.get("/centre")
def centre():
    """About the centre: who runs it, where and when it is open, and its rooms."""
    rooms = db.session.scalars(places(active_only=True)).all()  # one query
    return render_template("main/centre.html", rooms=rooms,
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
