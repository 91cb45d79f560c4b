"""Read-only JSON: rounds, proposals, results, activities and news, paginated, with ETag and
Last-Modified so clients and caches can ask "has it changed?" and get 304 Not Modified."""

from __future__ import annotations

import hashlib
import json
import math

import sqlalchemy as sa
from flask import Response, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app import counts
from app.activities.models import Activity
from app.api import bp, serializers
from app.api.openapi import document
from app.db import db, utcnow
from app.errors import InvalidInput, NotFound, PhaseClosed
from app.news.models import NewsPost
from app.numbers import ID_MAX, ID_MIN, parse_whole
from app.phases.models import Phase, Round
from app.phases.permissions import can_see_results
from app.proposals.models import Proposal, Status
from app.proposals.queries import is_public
from app.urls import MAX_PAGE

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def _json(data: dict, last_modified=None) -> Response:
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    response = Response(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body).hexdigest())
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = parse_whole(raw)
    if value is None or value < low or value > high:
        raise InvalidInput(_l("%(name)s must be a whole number (%(limit)s).", name=name,
                              limit=f"{low}–{high}"))
    return value


def _page(query: sa.Select, serialize, endpoint: str, updated: str | None = None, stamped=None,
          **filters) -> Response:
    """A page of ``query``. With ``stamped`` (a model whose rows leave the list only by an update, and
    whose ``updated_at`` is indexed), the total is counted once per change of the table, not per request:
    the table's newest ``updated_at`` and id (two index look-ups) say whether the cached count still holds,
    and the newest ``updated_at`` is the Last-Modified."""
    page = _int_arg("page", 1, 1, MAX_PAGE)
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    if stamped is not None:
        stamp = counts.table_stamp(stamped)
        total = counts.cached_count(query, (endpoint, tuple(sorted(filters.items())), stamp))
    else:
        total = counts.count(query)
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    pages = max(1, math.ceil(total / per_page))
    args = {k: v for k, v in filters.items() if v not in (None, "")}

    def link(n: int) -> str:
        return url_for(endpoint, page=n, per_page=per_page, **args)

    data = {
        "items": [serialize(item) for item in items],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "links": {
            "self": link(page),
            "first": link(1),
            "last": link(pages),
            "next": link(page + 1) if page < pages else None,
            "prev": link(page - 1) if page > 1 else None,
        },
    }
    last_modified = None
    if stamped is not None:
        last_modified = stamp[0]
    elif updated is not None:
        rows = query.order_by(None).subquery()
        last_modified = db.session.scalar(sa.select(sa.func.max(rows.c[updated])))
    return _json(data, last_modified)


def _public_rounds() -> sa.Select:
    return sa.select(Round).where(Round.phase != Phase.DRAFT)


@bp.get("/openapi.json")
def openapi():
    return _json(document())


@bp.get("/rounds")
def rounds():
    return _page(_public_rounds().order_by(Round.id.desc()), serializers.round_, "api.rounds")


@bp.get("/rounds/<id:round_id>")
def round_detail(round_id: int):
    found = db.session.scalar(_public_rounds().where(Round.id == round_id))
    if found is None:
        raise NotFound()
    return _json(serializers.round_(found))


@bp.get("/rounds/<id:round_id>/results")
def round_results(round_id: int):
    found = db.session.scalar(_public_rounds().where(Round.id == round_id))
    if found is None:
        raise NotFound()
    decision = can_see_results(None, found)
    if not decision or not found.result:
        raise PhaseClosed(decision.reason if not decision else None)
    return _json(serializers.results(found), found.closed_at)


def _public_proposals() -> sa.Select:
    return sa.select(Proposal).options(joinedload(Proposal.category)).where(is_public())


@bp.get("/proposals")
def proposals():
    round_id = _int_arg("round_id", 0, ID_MIN, ID_MAX) or None
    status = request.args.get("status", "")
    public_statuses = [s.value for s in Status if s != Status.DRAFT]
    if status and status not in public_statuses:
        raise InvalidInput(_l("status must be one of: %(values)s.", values=", ".join(public_statuses)))
    query = _public_proposals()
    if round_id:
        query = query.where(Proposal.round_id == round_id)
    if status:
        query = query.where(Proposal.status == status)
    return _page(
        query.order_by(Proposal.id.desc()),
        serializers.proposal,
        "api.proposals",
        stamped=Proposal,
        round_id=round_id,
        status=status,
    )


@bp.get("/proposals/<id:proposal_id>")
def proposal_detail(proposal_id: int):
    found = db.session.scalar(_public_proposals().where(Proposal.id == proposal_id))
    if found is None:
        raise NotFound()
    return _json(serializers.proposal(found), found.updated_at)


@bp.get("/activities")
def activities():
    query = sa.select(Activity).options(joinedload(Activity.place)).order_by(Activity.starts_at, Activity.id)
    return _page(query, serializers.activity, "api.activities", updated="updated_at")


@bp.get("/news")
def news():
    query = (
        sa.select(NewsPost)
        .where(NewsPost.published_at <= utcnow())
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
    )
    return _page(query, serializers.news, "api.news", updated="updated_at")
