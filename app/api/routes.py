"""Read-only JSON: rounds, proposals, results, activities and news, paginated, with ETag and
Last-Modified so clients and caches can ask "has it changed?" and get 304 Not Modified."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Response, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as BaseResponse

from app.api import bp, queries, serializers
from app.api.openapi import document
from app.errors import InvalidInput, NotFound, PhaseClosed
from app.numbers import ID_MAX, ID_MIN, parse_whole
from app.phases.permissions import can_see_results
from app.proposals.models import Proposal, Status
from app.urls import MAX_PAGE

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def _json(data: dict, last_modified=None) -> BaseResponse:
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


def _page(query: sa.Select, serialize: Callable[[Any], dict], endpoint: str, updated: str | None = None,
          stamped: type | None = None, **filters: Any) -> BaseResponse:
    """A page of ``query`` as JSON, with links to the others (see ``queries.page``)."""
    number = _int_arg("page", 1, 1, MAX_PAGE)
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    found = queries.page(query, number, per_page, updated=updated, stamped=stamped,
                         cache_key=(endpoint, tuple(sorted(filters.items()))))
    pages = max(1, math.ceil(found.total / per_page))
    args = {k: v for k, v in filters.items() if v not in (None, "")}

    def link(n: int) -> str:
        return url_for(endpoint, page=n, per_page=per_page, **args)

    data = {
        "items": [serialize(item) for item in found.items],
        "page": number,
        "per_page": per_page,
        "total": found.total,
        "pages": pages,
        "links": {
            "self": link(number),
            "first": link(1),
            "last": link(pages),
            "next": link(number + 1) if number < pages else None,
            "prev": link(number - 1) if number > 1 else None,
        },
    }
    return _json(data, found.last_modified)


@bp.get("/openapi.json")
def openapi():
    return _json(document())


@bp.get("/rounds")
def rounds():
    return _page(queries.rounds(), serializers.round_, "api.rounds")


@bp.get("/rounds/<id:round_id>")
def round_detail(round_id: int):
    found = queries.round_(round_id)
    if found is None:
        raise NotFound()
    return _json(serializers.round_(found))


@bp.get("/rounds/<id:round_id>/results")
def round_results(round_id: int):
    found = queries.round_(round_id)
    if found is None:
        raise NotFound()
    decision = can_see_results(None, found)
    if not decision or not found.result:
        raise PhaseClosed(decision.reason if not decision else None)
    return _json(serializers.results(found), found.closed_at)


@bp.get("/proposals")
def proposals():
    round_id = _int_arg("round_id", 0, ID_MIN, ID_MAX) or None
    status = request.args.get("status", "")
    public_statuses = [s.value for s in Status if s != Status.DRAFT]
    if status and status not in public_statuses:
        raise InvalidInput(_l("status must be one of: %(values)s.", values=", ".join(public_statuses)))
    return _page(
        queries.proposals(round_id, status),
        serializers.proposal,
        "api.proposals",
        stamped=Proposal,
        round_id=round_id,
        status=status,
    )


@bp.get("/proposals/<id:proposal_id>")
def proposal_detail(proposal_id: int):
    found = queries.proposal(proposal_id)
    if found is None:
        raise NotFound()
    return _json(serializers.proposal(found), found.updated_at)


@bp.get("/activities")
def activities():
    return _page(queries.activities(), serializers.activity, "api.activities", updated="updated_at")


@bp.get("/news")
def news():
    return _page(queries.news(), serializers.news, "api.news", updated="updated_at")
