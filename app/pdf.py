"""PDFs from HTML templates with WeasyPrint: the results protocol, printed ballots, posters, sign-in slips."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.errors import DomainError


class PdfUnavailable(DomainError):
    status = 503
    default_message = _l(
        "The PDF protocol cannot be made on this server right now (its PDF libraries are missing). "
        "The same results are available as CSV, XLSX and JSON."
    )


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401  (needs Pango from the system, see docs/deployment.md)
    except (ImportError, OSError):
        return False
    return True


def html_to_pdf(html: str) -> bytes:
    if not pdf_available():
        raise PdfUnavailable()
    from weasyprint import HTML  # heavy; imported only when a protocol is asked for

    return HTML(string=html).write_pdf()
