"""Exports as downloads: check permission, write the audit event, then hand back a streaming body.

Each function returns a ``Download`` whose ``body`` is an iterator of bytes, produced while the response
is sent (the route wraps it in ``stream_with_context``), so memory stays flat whatever the number of rows.
Every export by a signed-in person is in the audit log; anonymous downloads of public results are not
personal actions and leave no trace. A closed round never changes, so its anonymous downloads carry a strong
ETag (the browser or a cache asks "still the same?" and gets 304 Not Modified without a rebuild).

CSV files follow the reader's spreadsheet: for the Polish and Ukrainian interface they are separated by
semicolons with decimal commas (what Excel set to those languages opens on a double click); the
comma-separated form stays available on request (``comma=True``), and it is what the API links to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.audit.services import record
from app.auth.models import User
from app.db import Model, db, utcnow
from app.errors import NotFound, PhaseClosed
from app.exports import ballots, permissions, printouts, reports, results
from app.exports.results import WARSAW
from app.exports.writers import COMMA, SEMICOLON, Sheet, stream_csv, stream_xlsx
from app.permissions import require, signed_in
from app.phases.models import Round

# Full Content-Type values (given as such, so the charset is not added a second time).
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
    "pb": "text/plain; charset=utf-8",
}
TABLE_FORMATS = ("csv", "xlsx")
REPORTS = ("proposals", "activities", "rounds", "months")
SEMICOLON_LOCALES = ("pl", "uk")  # languages whose spreadsheets separate CSV fields with ";"


#: Renders a template's HTML from its context (the route's job; the services make the PDF of it).
RenderHtml = Callable[[dict[str, Any]], str]

# Part of every ETag: raise it when the layout of a round's files changes, so caches fetch them again.
LAYOUT_VERSION = "2"


@dataclass
class Download:
    """``body()`` gives the bytes; it runs while the response is sent, so it reads the database afresh.

    ``etag`` is set when the file is the same for everyone for ever (an anonymous download of a closed
    round); ``streamed`` is False for a small file made at once (the PDF), so its errors get a proper page.
    """

    filename: str
    fmt: str
    body: Callable[[], Iterable[bytes]]
    etag: str | None = None
    streamed: bool = True

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]


def csv_delimiter(comma: bool = False) -> str:
    """``;`` for the languages whose spreadsheets expect it, unless the comma-separated form is asked for."""
    return SEMICOLON if not comma and str(get_locale()) in SEMICOLON_LOCALES else COMMA


def _audit(actor: User | None, kind: str, subject: Model | None, fmt: str) -> None:
    """An export by a signed-in person goes in the audit log (the public service commits it)."""
    if signed_in(actor):
        record(actor, f"export.{kind}", subject, format=fmt)


def _tables(sheets: list[Sheet], fmt: str, delimiter: str) -> Iterator[bytes]:
    return stream_csv(sheets, delimiter) if fmt == "csv" else stream_xlsx(sheets)


def _variant(fmt: str, delimiter: str) -> str:
    """The file's form in names and ETags: ``csv`` (semicolons), ``comma.csv``, or the format itself."""
    return "comma." + fmt if fmt == "csv" and delimiter == COMMA else fmt


def closed_round(actor: User | None, round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise NotFound()
    decision = permissions.can_export_round(actor, round_)
    if not decision:
        if not permissions.can_see_round(actor, round_):
            raise NotFound()
        raise PhaseClosed(decision.reason)
    if not round_.result:
        raise NotFound(_l("This round has no stored result."))
    return round_


def _public_etag(actor: User | None, round_: Round, what: str, fmt: str) -> str | None:
    """A strong ETag for an anonymous download of a closed round: the stored hashes of its result and
    ballots, the file and format, the language of the headings, and the few round fields the files show.
    Signed-in people get no ETag: each of their exports is audited, so it must reach the server."""
    if signed_in(actor):
        return None
    parts = (
        LAYOUT_VERSION, what, fmt, str(get_locale()), round_.result_sha256 or "", round_.ballots_sha256 or "",
        round_.title, round_.phase,
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _round_name(round_: Round, what: str, fmt: str) -> str:
    """``mam-round-7-results-2026-12-02.csv``; the comma-separated CSV ends in ``.comma.csv``."""
    day = (round_.closed_at or utcnow()).astimezone(WARSAW).date().isoformat()
    return f"mam-round-{round_.id}-{what}-{day}.{fmt}"


def _fresh(round_id: int) -> Round:
    return db.session.get_one(Round, round_id)


def round_results(actor: User | None, round_id: int, fmt: str, comma: bool = False) -> Download:
    round_ = closed_round(actor, round_id)
    delimiter = csv_delimiter(comma)
    name = _round_name(round_, "results", _variant(fmt, delimiter))
    etag = _public_etag(actor, round_, "results", _variant(fmt, delimiter))
    _audit(actor, "results", round_, fmt)
    if fmt == "json":

        def body() -> Iterable[bytes]:
            document = results.document(_fresh(round_id))
            yield json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()
    else:

        def body() -> Iterable[bytes]:
            return _tables(results.sheets(_fresh(round_id)), fmt, delimiter)

    db.session.commit()
    return Download(name, fmt, body, etag)


def protocol_pdf(actor: User | None, round_id: int, render_html: RenderHtml) -> Download:
    """The paper protocol to sign; ``render_html(context)`` renders the HTML template (the route's job).
    It is small, so it is made at once rather than streamed, and only when the body is asked for (not for
    a 304 answer)."""
    round_ = closed_round(actor, round_id)
    name = _round_name(round_, "protocol", "pdf")
    etag = _public_etag(actor, round_, "protocol", "pdf")
    _audit(actor, "protocol", round_, "pdf")
    from app.pdf import html_to_pdf

    def body() -> Iterable[bytes]:
        return [html_to_pdf(render_html(results.protocol_context(_fresh(round_id))))]

    db.session.commit()
    return Download(name, "pdf", body, etag, streamed=False)


def voting_round(actor: User | None, round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None or not permissions.can_see_round(actor, round_):
        raise NotFound()
    decision = permissions.round_in_voting(round_)
    if not decision:
        raise PhaseClosed(decision.reason)
    return round_


def _printout(actor: User | None, round_: Round, what: str, html: str) -> Download:
    """A printout of a round in voting: it changes with the ballot, so it is made afresh, never cached."""
    _audit(actor, what, round_, "pdf")
    from app.pdf import html_to_pdf

    def body() -> Iterable[bytes]:
        return [html_to_pdf(html)]

    return Download(f"mam-round-{round_.id}-{what}.pdf", "pdf", body, streamed=False)


def ballot_pdf(actor: User | None, round_id: int, render_html: RenderHtml) -> Download:
    """A blank paper ballot (A4) for moderators to print; ``render_html(context)`` is the route's job."""
    require(permissions.can_print_ballot(actor))
    round_ = voting_round(actor, round_id)
    download = _printout(actor, round_, "ballot", render_html(printouts.ballot_context(round_)))
    db.session.commit()
    return download


def poster_pdf(actor: User | None, round_id: int, render_html: RenderHtml) -> Download:
    """The noticeboard poster (A4): what is decided, until when, where to vote on paper, the QR code."""
    round_ = voting_round(actor, round_id)
    download = _printout(actor, round_, "poster", render_html(printouts.poster_context(round_)))
    db.session.commit()
    return download


def round_ballots(actor: User | None, round_id: int, fmt: str, comma: bool = False) -> Download:
    round_ = closed_round(actor, round_id)
    if fmt == "pb" and not ballots.has_pabulib_form(round_):
        raise NotFound(_l("The ballots of this round have no Pabulib form: download them as CSV."))
    delimiter = csv_delimiter(comma)
    name = _round_name(round_, "ballots", _variant(fmt, delimiter))
    etag = _public_etag(actor, round_, "ballots", _variant(fmt, delimiter))
    _audit(actor, "ballots", round_, fmt)

    def body() -> Iterable[bytes]:
        fresh = _fresh(round_id)
        if fmt == "pb":
            return ballots.stream_pabulib(fresh)
        return stream_csv([Sheet("ballots", ballots.csv_rows(fresh))], delimiter)

    db.session.commit()
    return Download(name, fmt, body, etag)


def report(actor: User | None, kind: str, fmt: str, comma: bool = False) -> Download:
    require(permissions.can_export_reports(actor))
    if kind not in REPORTS or fmt not in TABLE_FORMATS:
        raise NotFound()
    _audit(actor, kind, None, fmt)
    db.session.commit()
    delimiter = csv_delimiter(comma)
    day = utcnow().astimezone(WARSAW).date().isoformat()
    name = {"rounds": "participation-by-round", "months": "participation-by-month"}.get(kind, kind)
    return Download(f"mam-{name}-{day}.{_variant(fmt, delimiter)}", fmt,
                    lambda: _tables(reports.sheets(kind), fmt, delimiter))
