"""CSV downloads: cells a spreadsheet will not run as formulas, and the response that
carries them (UTF-8 with a byte order mark, so spreadsheet programs read it as UTF-8)."""

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """The value as a cell a spreadsheet will not run as a formula: text starting with
    = + - @ (or a tab or carriage return) is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_STARTS:
        return f"'{text}"
    return text


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence], public: bool = True
) -> HttpResponse:
    """A CSV file download named `filename`, every cell neutralised with `csv_safe`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if not public:
        response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return response
