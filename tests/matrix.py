"""The role × URL permission matrix: every view in the portal has a row.

Each app's `tests/<app>/matrix.py` defines `ROWS`; `tests/test_permission_matrix.py`
collects them all. A row's `url` is a string or a callable taking the signed-in user
(None for the public) that may create the objects it needs and returns the URL.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("public", "provider", "panel", "officer", "approver", "admin")
SIGN_IN = "sign-in"  # expected: the public is sent to the sign-in page


@dataclass(frozen=True)
class Row:
    id: str
    url: str | Callable
    expect: dict[str, int | str]
    method: str = "get"
    data: dict = field(default_factory=dict)


def everyone(status: int = 200) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int = 200) -> dict[str, int | str]:
    return {**everyone(status), "public": SIGN_IN}


def staff_only(status: int = 200) -> dict[str, int | str]:
    return {**everyone(status), "public": SIGN_IN, "provider": 403}


def only(*roles: str, status: int = 200, others: int = 403) -> dict[str, int | str]:
    return {
        role: status if role in roles else (SIGN_IN if role == "public" else others)
        for role in ROLES
    }
