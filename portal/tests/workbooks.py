"""Excel workbooks built in tests with openpyxl, as staff would save them."""

import io

from openpyxl import Workbook


def xlsx(*rows, title: str = "Sheet1") -> bytes:
    """A workbook whose first sheet holds `rows` from A1 (None: an empty cell; a string
    beginning with "=": a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
