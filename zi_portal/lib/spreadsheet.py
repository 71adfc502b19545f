"""Text from users in spreadsheets (CSV, Excel) never becomes a formula."""

from __future__ import annotations

# What makes Excel, LibreOffice or Sheets read a cell as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def starts_formula(text: str) -> bool:
    return text[:1] in FORMULA_STARTS


def csv_safe(value: object) -> str:
    """A CSV field that opens as the literal text: a leading formula character is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if starts_formula(text) else text
