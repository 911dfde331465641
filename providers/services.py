"""Writes for provider organisations."""

import re

from django.conf import settings

CHARITY_NUMBER = re.compile(r"^\d{6,7}$")
COMPANY_NUMBER = re.compile(r"^(?:\d{1,8}|(?:SC|NI|OC|SO|NC|R0|IP|SP|RS|CE|CS)\d{1,6})$")


def normalise_company_number(number: str) -> str:
    """Companies House numbers are 8 characters: pad the digits with leading zeros."""
    number = number.strip().upper().replace(" ", "")
    if not number:
        return ""
    match = re.match(r"^([A-Z]{2})?(\d+)$", number)
    if not match:
        return number
    prefix, digits = match.group(1) or "", match.group(2)
    return prefix + digits.zfill(8 - len(prefix))


def organisation_derive_org_id(*, charity_number: str, company_number: str, pk: int | None) -> str:
    """The org-id.guide identifier: a charity number first, then a company number,
    otherwise an identifier issued by the portal under the council's 360Giving prefix."""
    if charity_number:
        return f"GB-CHC-{charity_number.strip()}"
    if company_number:
        return f"GB-COH-{normalise_company_number(company_number)}"
    if pk is None:
        raise ValueError("An unregistered organisation needs saving before it gets an id")
    return f"{settings.THREESIXTY_GIVING_PREFIX}-ORG-{pk:05d}"
