"""Downloads: the open-data page, a closed round's results, protocol and ballots, and the reports."""

from __future__ import annotations

from flask import Response, current_app, render_template, request
from flask.globals import request_ctx
from flask_login import current_user, login_required

from app.db import db
from app.exports import bp, permissions, queries, services
from app.exports.ballots import has_pabulib_form
from app.extensions import limiter


def _streamed(download: services.Download):
    """Produce the body under a copy of the request context (like ``stream_with_context``), entered when
    the server starts reading the body and left when it is done, so queries and translations work while
    rows are written after the view has returned."""
    context = request_ctx.copy()

    def body():
        # WSGI servers (and Werkzeug's test client) may take the first chunk somewhere else than the
        # rest; an empty first chunk keeps the context's enter and exit in the same place.
        yield b""
        with context:
            yield from download.body()

    return body()


PUBLIC_CACHE = "public, max-age=300"


def _send(download: services.Download) -> Response:
    if download.etag is not None and request.if_none_match.contains_weak(download.etag):
        response = Response(status=304)  # the client's copy is current: nothing is built
    elif download.streamed:
        response = Response(_streamed(download), content_type=download.content_type)
    else:
        response = Response(b"".join(download.body()), content_type=download.content_type)
    if response.status_code == 200:
        response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    if download.etag is None:
        response.headers["Cache-Control"] = "no-store"
    else:
        # A closed round's files never change; the language of their headings comes from a cookie.
        response.set_etag(download.etag)
        response.headers["Cache-Control"] = PUBLIC_CACHE
        response.vary.add("Cookie")
    return response


def _comma() -> bool:
    """The comma-separated CSV was asked for (``?sep=comma``), not the form for the reader's language."""
    return request.args.get("sep") == "comma"


def _anonymous_pdf_limit() -> str:
    return current_app.config["RATELIMIT_EXPORTS"]


@bp.get("/data")
def index():
    rounds = db.session.scalars(queries.closed_rounds()).all()
    return render_template(
        "exports/index.html",
        rounds=rounds,
        has_pabulib_form=has_pabulib_form,
        can_reports=permissions.can_export_reports(current_user),
    )


@bp.get("/data/rounds/<id:round_id>/results.csv", defaults={"fmt": "csv"})
@bp.get("/data/rounds/<id:round_id>/results.xlsx", defaults={"fmt": "xlsx"})
@bp.get("/data/rounds/<id:round_id>/results.json", defaults={"fmt": "json"})
def round_results(round_id: int, fmt: str):
    return _send(services.round_results(current_user, round_id, fmt, comma=_comma()))


@bp.get("/data/rounds/<id:round_id>/protocol.pdf")
@limiter.limit(
    _anonymous_pdf_limit,
    exempt_when=lambda: current_user.is_authenticated,
    deduct_when=lambda response: response.status_code == 200,  # a PDF was built (not a 304 or an error)
)
def protocol(round_id: int):
    return _send(
        services.protocol_pdf(
            current_user, round_id, lambda context: render_template("exports/protocol.html", **context)
        )
    )


@bp.get("/rounds/<id:round_id>/ballot.pdf")
@login_required
def ballot_form(round_id: int):
    """A blank paper ballot of a round in voting, to print at the centre."""
    return _send(services.ballot_pdf(
        current_user, round_id, lambda context: render_template("exports/ballot.html", **context)))


@bp.get("/rounds/<id:round_id>/poster.pdf")
@limiter.limit(
    _anonymous_pdf_limit,
    exempt_when=lambda: current_user.is_authenticated,
    deduct_when=lambda response: response.status_code == 200,
)
def poster(round_id: int):
    """The noticeboard poster of a round in voting."""
    return _send(services.poster_pdf(
        current_user, round_id, lambda context: render_template("exports/poster.html", **context)))


@bp.get("/data/rounds/<id:round_id>/ballots.csv", defaults={"fmt": "csv"})
@bp.get("/data/rounds/<id:round_id>/ballots.pb", defaults={"fmt": "pb"})
def round_ballots(round_id: int, fmt: str):
    return _send(services.round_ballots(current_user, round_id, fmt, comma=_comma()))


@bp.get("/data/proposals.csv", defaults={"kind": "proposals", "fmt": "csv"})
@bp.get("/data/proposals.xlsx", defaults={"kind": "proposals", "fmt": "xlsx"})
@bp.get("/data/activities.csv", defaults={"kind": "activities", "fmt": "csv"})
@bp.get("/data/activities.xlsx", defaults={"kind": "activities", "fmt": "xlsx"})
@bp.get("/data/statistics/rounds.csv", defaults={"kind": "rounds", "fmt": "csv"})
@bp.get("/data/statistics/rounds.xlsx", defaults={"kind": "rounds", "fmt": "xlsx"})
@bp.get("/data/statistics/months.csv", defaults={"kind": "months", "fmt": "csv"})
@bp.get("/data/statistics/months.xlsx", defaults={"kind": "months", "fmt": "xlsx"})
@login_required
def report(kind: str, fmt: str):
    return _send(services.report(current_user, kind, fmt, comma=_comma()))
