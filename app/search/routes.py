"""``/search``: everything that matches, grouped by kind; ``kind=…`` pages through one kind."""

from __future__ import annotations

from flask import render_template, request

from app.activities.labels import STATUS_LABELS as ACTIVITY_STATUS
from app.db import db
from app.proposals.lifecycle import STATUS_LABELS as PROPOSAL_STATUS
from app.rounds.display import PHASE_LABELS
from app.search import bp, queries
from app.search.stemming import query_terms
from app.urls import page_arg, text_arg

PREVIEW = 5
PAGE_SIZE = 20


@bp.get("/search")
def results():
    search = text_arg("q")
    terms = query_terms(search)
    kind = request.args.get("kind", "")
    kind = kind if kind in queries.KIND_ORDER else ""
    groups, page = [], None
    if terms and kind:
        page = db.paginate(queries.search(kind, terms), page=page_arg(), per_page=PAGE_SIZE, error_out=False)
    elif terms:
        for each in queries.KIND_ORDER:
            found = db.paginate(queries.search(each, terms), page=1, per_page=PREVIEW, error_out=False)
            groups.append((each, found))
    return render_template(
        "search/results.html", search=search, searched=bool(terms), kind=kind, groups=groups, page=page,
        proposal_status=PROPOSAL_STATUS, activity_status=ACTIVITY_STATUS, phase_labels=PHASE_LABELS,
    )
