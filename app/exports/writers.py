"""Streaming writers: CSV row by row, XLSX through openpyxl's write-only mode spooled to a temporary file.

Every text cell passes through ``neutralise`` so a spreadsheet never runs a formula a resident typed
(a title starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading quote).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024
BOM = "\ufeff"


def neutralise(value):
    """A cell value safe for spreadsheets: text that could start a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def zl(grosze: int | None) -> Decimal | None:
    """Grosze as an exact amount in zł (``123450`` → ``Decimal("1234.50")``)."""
    return None if grosze is None else Decimal(grosze).scaleb(-2)


@dataclass
class Sheet:
    """One table: a title (the XLSX sheet name) and rows, the first being the header.

    ``rows`` may be any iterable, e.g. a generator reading the database in batches.
    """

    title: str
    rows: Iterable[list] = field(default_factory=list)


def _csv_line(writer, buffer: io.StringIO, row: list) -> bytes:
    writer.writerow([neutralise(v) for v in row])
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def stream_csv(sheets: Iterable[Sheet]) -> Iterator[bytes]:
    """The sheets one after another, separated by an empty line (UTF-8 with a BOM, for spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield BOM.encode("utf-8")
    for n, sheet in enumerate(sheets):
        if n:
            yield b"\r\n"
        batch = []
        for row in sheet.rows:
            batch.append(_csv_line(writer, buffer, row))
            if len(batch) >= 500:
                yield b"".join(batch)
                batch = []
        if batch:
            yield b"".join(batch)


def stream_xlsx(sheets: Iterable[Sheet]) -> Iterator[bytes]:
    """A workbook with one worksheet per sheet, written in openpyxl's write-only mode (rows are spooled
    to disk, not kept in memory), saved to a temporary file and streamed out in chunks."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=_sheet_title(sheet.title))
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(v) for v in row])
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as spooled:
            while chunk := spooled.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def _xlsx_cell(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)  # amounts in zł have two decimals: exact enough for a spreadsheet cell
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return neutralise(value)


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"
