"""The results protocol ("Protokół z głosowania") as a PDF, from an HTML template, with WeasyPrint."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy; imported only when a protocol is asked for

    return HTML(string=html).write_pdf()
