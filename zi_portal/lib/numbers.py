"""Indonesian number display: half-up rounding as Excel does, decimal comma."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

_FORMAT_CONTEXT = Context(prec=80, rounding=ROUND_HALF_UP, traps=[InvalidOperation])


def format_id(value: Decimal | int, places: int = 2) -> str:
    """Render half-up, decimal comma, dot thousands: 1.335 -> "1,34", 1234.5 -> "1.234,50"."""
    if isinstance(value, (float, bool)):
        raise TypeError("format_id takes Decimal or int, not float")
    if places < 0:
        raise ValueError("places must be >= 0")
    number = Decimal(value)
    with localcontext(_FORMAT_CONTEXT):
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if places else f"{sign}{grouped}"


def format_persen(value: Decimal | int, places: int = 2) -> str:
    """Render a percentage (already × 100) like :func:`format_id` plus "%": "91,67%"."""
    return f"{format_id(value, places)}%"
