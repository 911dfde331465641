"""A crawl of every URL pattern the resolver knows (not a hand list), as every kind of
person, with real ids from the demo data, another organisation's ids, missing ids, numbers
too big for the database and garbage in the query string.

Nothing may answer 500, and nothing the permission matrix forbids may answer 200: the
public and providers never open a staff or admin page, and a provider of one organisation
never opens another organisation's bid, return or agreement. The test prints how many
(URL, role) requests it made.
"""

import itertools
import logging
import re
from collections import Counter
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from core.models import User
from core.roles import Role
from demo.people import PROVIDER_ORGANISATION
from monitoring.models import MonitoringReturn
from procurement.models import Agreement, Bid
from providers.models import Membership, Organisation
from tests.factories import UserFactory
from tests.mfa import authenticator_give

pytestmark = pytest.mark.django_db

MISSING = "999999"
TOO_BIG = "9" * 25  # larger than any database integer
GARBAGE_QUERY = urlencode(
    {
        "page": "-1",
        "sort": "'\"><script>",
        "q": "%' OR 1=1 --",
        "show": "\u202e",
        "year": TOO_BIG,
        "sector": "abc",
        "priority": "0",
        "area": "-1",
        "format": "xml",
        "state": "nonsense",
    }
)
# The segment before an id names what it is; where it does not, these do.
SEGMENT_MODELS = {
    "returns": "monitoring.MonitoringReturn",
    "agreements": "procurement.Agreement",
    "bids": "procurement.Bid",
    "opportunities": "procurement.Opportunity",
    "decisions": "procurement.AwardDecision",
    "commissions": "commissioning.Commission",
    "plans": "commissioning.CommissioningPlan",
    "specifications": "commissioning.Specification",
    "options": "commissioning.Option",
    "organisations": "providers.Organisation",
    "notifications": "core.Notification",
    "clarifications": "procurement.Clarification",
    "lessons": "monitoring.Lesson",
}
CHILD_MODELS = {
    ("returns", "attachment_pk"): "monitoring.ReturnAttachment",
    ("bids", "attachment_pk"): "procurement.BidAttachment",
    ("agreements", "instalment_pk"): "procurement.PaymentInstalment",
}
TRANSITION_NAMES = ["submit", "accept", "publish", "withdraw", "no-such-action"]
ROLES = ("public", "provider_a", "provider_b", "panel", "officer", "approver", "admin")
STAFF_ROLES = {"panel", "officer", "approver", "admin"}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "admin/":
                continue  # the admin is crawled through its registry below
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and isinstance(pattern.pattern, RoutePattern):
            yield prefix + str(pattern.pattern), pattern.pattern.converters


def _model_for(segment: str, parameter: str, parent: str | None):
    label = CHILD_MODELS.get((parent, parameter)) if parent else None
    label = label or SEGMENT_MODELS.get(segment)
    if label is None:
        for model in apps.get_models():
            if segment in {
                model._meta.model_name + "s",
                str(model._meta.verbose_name_plural).replace(" ", "-"),
            }:
                return model
        return None
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _values(route: str, converters) -> dict[str, list[str]]:
    """For each parameter of a route: real values from the demo data (a few), a missing
    one and one too big for the database."""
    values: dict[str, list[str]] = {}
    parts = route.split("/")
    first_segment = None
    for index, part in enumerate(parts):
        match = re.fullmatch(r"<(?:(\w+):)?(\w+)>", part)
        if not match:
            continue
        parameter = match.group(2)
        converter = type(converters[parameter]).__name__
        segment = parts[index - 1] if index else ""
        if parameter == "name":
            values[parameter] = TRANSITION_NAMES
            continue
        model = _model_for(segment, parameter, first_segment)
        if first_segment is None:
            first_segment = segment
        if converter == "IntConverter":
            real = []
            if model is not None:
                pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
                real = [str(pk) for pk in (pks[:1] + pks[-1:])]
            if parameter == "number":
                real = ["1", "2"]
            values[parameter] = list(dict.fromkeys(real or ["1", "2"])) + [MISSING, TOO_BIG]
        else:
            real = []
            if model is not None and any(f.name == "slug" for f in model._meta.fields):
                slugs = list(model.objects.order_by("pk").values_list("slug", flat=True))
                real = slugs[:1] + slugs[-1:]
            values[parameter] = list(dict.fromkeys(real)) + ["no-such-thing", "%E2%80%AE"]
    return values


def _urls() -> list[str]:
    urls: list[str] = []
    for route, converters in _routes(get_resolver().url_patterns):
        values = _values(route, converters)
        names = list(values)
        combinations = list(itertools.product(*(values[name] for name in names)))[:8]
        for combination in combinations or [()]:
            url = "/" + route
            for name, value in zip(names, combination, strict=True):
                url = re.sub(rf"<(?:\w+:)?{name}>", value, url)
            urls.append(url)
        if combinations:
            real = "/" + route
            for name in names:
                real = re.sub(rf"<(?:\w+:)?{name}>", values[name][0], real)
            urls.append(f"{real}?{GARBAGE_QUERY}")
        else:
            urls.append(f"/{route}?{GARBAGE_QUERY}")
    return urls


def _admin_urls() -> list[str]:
    urls = ["/admin/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, f"{base}?q=%25&o=99&p=abc", f"{base}add/"]
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        for pk in ([first] if first is not None else []) + [MISSING, "abc"]:
            urls += [f"{base}{pk}/change/", f"{base}{pk}/history/", f"{base}{pk}/delete/"]
    return urls


def _clients() -> dict[str, Client]:
    by_email = {user.email: user for user in User.objects.filter(email__endswith="example.org")}
    signed_in = {
        "provider_a": by_email["provider@example.org"],
        "panel": by_email["panel@example.org"],
        "officer": by_email["officer@example.org"],
        "approver": by_email["approver@example.org"],
        "admin": by_email["admin@example.org"],
    }
    other = (
        Organisation.objects.exclude(name=PROVIDER_ORGANISATION)
        .filter(bids__isnull=False)
        .distinct()
        .order_by("pk")
        .first()
    )
    provider_b = UserFactory(email="provider-b@example.net", roles=[Role.PROVIDER])
    Membership.objects.create(organisation=other, user=provider_b, role=Membership.Role.ADMIN)
    signed_in["provider_b"] = provider_b
    clients = {"public": Client(raise_request_exception=False)}
    for role, user in signed_in.items():
        if role in STAFF_ROLES:
            authenticator_give(user)  # staff have set up two-factor sign-in (core.mfa)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
    return clients


def _organisation_a_paths() -> list[str]:
    """Path prefixes of what belongs to the demo provider's organisation only."""
    organisation = Organisation.objects.get(name=PROVIDER_ORGANISATION)
    bids = Bid.objects.filter(organisation=organisation).values_list("pk", flat=True)
    agreements = Agreement.objects.filter(decision__bid__organisation=organisation)
    returns = MonitoringReturn.objects.filter(agreement__in=agreements).values_list("pk", flat=True)
    return (
        [f"/bids/{pk}/" for pk in bids]
        + [f"/returns/{pk}/" for pk in returns]
        + [f"/agreements/{pk}/" for pk in agreements.values_list("pk", flat=True)]
    )


def _forbidden(role: str, url: str, status: int, organisation_a: list[str]) -> bool:
    if status != 200:
        return False
    path = url.split("?")[0]
    staff_page = path.startswith("/staff/") or (
        path.startswith("/admin/") and not path.startswith("/admin/login")
    )
    if role not in STAFF_ROLES and staff_page:
        return True
    return role in {"provider_b", "public"} and any(path.startswith(p) for p in organisation_a)


def test_every_url_as_every_role_answers_without_a_500_or_a_leak(capsys):
    call_command("seed_demo", verbosity=0)
    clients = _clients()
    organisation_a = _organisation_a_paths()

    admin_urls = _admin_urls()
    urls = _urls()
    # The admin's own pages are crawled as the administrator; everyone else is shown its
    # sign-in page for any of them, so the index and one list of each app stand for the rest.
    others_admin = ["/admin/"] + sorted({"/".join(u.split("/")[:4]) + "/" for u in admin_urls[1:]})
    requests = [(url, role) for url in urls for role in ROLES]
    requests += [(url, "admin") for url in admin_urls]
    requests += [(url, role) for url in others_admin for role in ROLES if role != "admin"]

    tried = Counter()
    statuses = Counter()
    errors: list[str] = []
    leaks: list[str] = []
    logging.disable(logging.WARNING)  # 403s and 404s by the thousand: say only the totals
    try:
        for url, role in requests:
            status = clients[role].get(url).status_code
            tried[role] += 1
            statuses[status] += 1
            if status >= 500:
                errors.append(f"{status} {role} {url}")
            elif _forbidden(role, url, status, organisation_a):
                leaks.append(f"{role} {url}")
    finally:
        logging.disable(logging.NOTSET)

    with capsys.disabled():
        print(
            f"\ncrawl: {len(urls)} URLs from the resolver × {len(ROLES)} roles and "
            f"{len(admin_urls)} admin URLs: {sum(tried.values())} (URL, role) requests "
            f"({dict(tried)}); answers {dict(sorted(statuses.items()))}; "
            f"{len(errors)} errors, {len(leaks)} forbidden pages opened"
        )
    assert not errors, "\n".join(errors[:40])
    assert not leaks, "\n".join(leaks[:40])
