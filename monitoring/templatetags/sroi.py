"""Template filters for the SROI pages: pounds always with pence (£36,000.00), so the
working's columns line up and can be checked to the penny; numbers without trailing
zeros (20 %, 12.5, 0.9662)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def pounds(value) -> str:
    """£36,000.00; −£10,800.00 for an amount taken off."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


@register.filter
def plain(value) -> str:
    """A number as typed: 20 not 20.00, 437.5 not 437.50, 100 not 1E+2."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"
