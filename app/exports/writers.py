"""Streaming writers: CSV row by row, XLSX through openpyxl's write-only mode spooled to a temporary file.

Every text cell passes through ``neutralise`` so a spreadsheet never runs a formula a resident typed
(a title starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading quote).

Rows carry typed values: ``Decimal`` is an amount in zł, ``datetime`` a moment (already in Warsaw time),
``float`` a share such as a turnout. A Polish spreadsheet reads a CSV separated by semicolons with decimal
commas (``4500,00``); the comma-separated form keeps decimal points for programs. In XLSX the same values
become typed cells with Polish number formats.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024
BOM = "\ufeff"
SEMICOLON = ";"
COMMA = ","
MONEY_FORMAT = '#,##0.00 "zł"'  # shown by a Polish Excel as 4 500,00 zł
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
DATE_FORMAT = "dd.mm.yyyy"
SHARE_FORMAT = "0.0"
WIDTH_SAMPLE = 200  # rows read ahead to size the columns (the rest stream through)
MAX_WIDTH = 60


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


def _csv_cell(value, delimiter: str):
    """A typed value as CSV text: decimal commas in the semicolon form, no seconds in times."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        text = str(value)
        return text.replace(".", ",") if delimiter == SEMICOLON else text
    return neutralise(value)


def _csv_line(writer, buffer: io.StringIO, row: list, delimiter: str) -> bytes:
    writer.writerow([_csv_cell(v, delimiter) for v in row])
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def stream_csv(sheets: Iterable[Sheet], delimiter: str = COMMA) -> Iterator[bytes]:
    """The sheets one after another, separated by an empty line (UTF-8 with a BOM, for spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    yield BOM.encode("utf-8")
    for n, sheet in enumerate(sheets):
        if n:
            yield b"\r\n"
        batch = []
        for row in sheet.rows:
            batch.append(_csv_line(writer, buffer, row, delimiter))
            if len(batch) >= 500:
                yield b"".join(batch)
                batch = []
        if batch:
            yield b"".join(batch)


def stream_xlsx(sheets: Iterable[Sheet]) -> Iterator[bytes]:
    """A workbook with one worksheet per sheet, written in openpyxl's write-only mode (rows are spooled
    to disk, not kept in memory), saved to a temporary file and streamed out in chunks.

    Each sheet's header row is bold and frozen, with an autofilter over the table; columns are as wide as
    the header and the first rows' content need (a few hundred rows are read ahead for that, no more)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=_sheet_title(sheet.title))
        rows = iter(sheet.rows)
        ahead = list(itertools.islice(rows, WIDTH_SAMPLE))
        widths: dict[int, int] = {}
        for row in ahead:
            for n, value in enumerate(row, start=1):
                widths[n] = max(widths.get(n, 0), _shown_width(value))
        for n, width in widths.items():
            worksheet.column_dimensions[get_column_letter(n)].width = min(width + 2, MAX_WIDTH)
        if ahead:
            worksheet.freeze_panes = "A2"
        count = 0
        for count, row in enumerate(itertools.chain(ahead, rows), start=1):
            worksheet.append([_xlsx_cell(worksheet, v, header=count == 1) for v in row])
        if count and widths:
            worksheet.auto_filter.ref = f"A1:{get_column_letter(max(widths))}{count}"
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as spooled:
            while chunk := spooled.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def _shown_width(value) -> int:
    """About how many characters a cell needs on screen."""
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}") + 3
    return max((len(line) for line in str(value).splitlines()), default=0) if value is not None else 0


def _xlsx_cell(worksheet, value, header: bool = False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if isinstance(value, bool):
        value = int(value)
    number_format = None
    if isinstance(value, Decimal):
        value, number_format = float(value), MONEY_FORMAT  # two decimals: exact enough for a cell
    elif isinstance(value, datetime):
        value, number_format = value.replace(tzinfo=None, second=0, microsecond=0), DATETIME_FORMAT
    elif isinstance(value, date):
        number_format = DATE_FORMAT
    elif isinstance(value, float):
        number_format = SHARE_FORMAT
    else:
        value = neutralise(value)
    if not header and number_format is None:
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    if header:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    return cell


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"
