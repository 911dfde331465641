"""Formatting the GOV.UK way: "£12,500", "26 November 2026", "5pm"."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def money(value) -> str:
    """Pounds as GOV.UK writes them: £12,500, or £12,500.50 when there are pence."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{int(amount):,}"
    return f"{sign}£{amount:,.2f}"


# The months as GOV.UK writes them, whatever the process's locale (strftime's %B reads it, and
# costs a few times more on pages that show hundreds of dates).
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def govuk_date(value) -> str:
    """26 November 2026."""
    if not value:
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def govuk_time(value) -> str:
    """5pm, 5:30pm, midday, midnight."""
    if not value:
        return ""
    value = _local(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def govuk_datetime(value) -> str:
    """5pm on 26 November 2026."""
    if not value:
        return ""
    return f"{govuk_time(value)} on {govuk_date(value)}"


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template: {{ counts|get_item:stage.value }}."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""


@register.filter
def followable_url(item, user) -> str:
    """A checklist item's link (core.transitions.ChecklistItem), only when `user` may open
    the page: {% with url=item|followable_url:user %}. The rule is the one the page checks."""
    return item.url_for(user) if hasattr(user, "has_perm") else ""


@register.filter
def startswith(text, prefix) -> bool:
    """{% if request.path|startswith:url %}: for marking the section a page is in."""
    return str(text).startswith(str(prefix)) if prefix else False


@register.simple_tag
def pagination_items(page_obj) -> list[int | None]:
    """The page numbers GOV.UK pagination shows for a long list: the first and last pages,
    the current one and its neighbours, None where a run of pages is left out (drawn as an
    ellipsis), so the links stay few however many pages there are."""
    last, current = page_obj.paginator.num_pages, page_obj.number
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items: list[int | None] = []
    for number in shown:
        if items and number - items[-1] > 1:
            items.append(None)
        items.append(number)
    return items


@register.filter
def listed(values) -> list:
    """The values as a list, read once: a model form field's choices are otherwise counted
    by one query and then read by another when a template loops over them (`iter` first,
    so that not even `list` asks for their length)."""
    return list(iter(values))
