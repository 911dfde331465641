"""Spreadsheet files the portal offers for download (CSV), written so that opening them is
safe: a cell that begins with = + - @ (or a tab or carriage return) would be run as a
formula by Excel, LibreOffice or Google Sheets, so it is given a leading apostrophe."""

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value) -> str:
    """The value as a CSV cell a spreadsheet will not run as a formula: "" for None, and
    text starting = + - @ (or a tab or carriage return) prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_bytes(*, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A UTF-8 CSV file (with a byte-order mark, so spreadsheet programs read it as UTF-8)
    of `header` and `rows`, every cell made safe with `cell_safe`."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell_safe(title) for title in header])
    for row in rows:
        writer.writerow([cell_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8")
