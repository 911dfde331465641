"""Sealed bids in the Django admin: before the deadline a superuser learns nothing about a
bid from any admin page or URL (lists, filters, search, ordering, counts, history, change
and delete pages, lookups through other models' admins); after it, the bids received can
be read there as in the portal."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import NestedObjects
from django.db import models
from django.urls import reverse

from core.roles import Role
from procurement import rules as procurement_rules
from procurement.admin import BID_CONTENT_MODELS
from procurement.models import (
    Assignment,
    Bid,
    BidAnswer,
    BidAttachment,
    BidSubmission,
    BidTarget,
    BudgetLine,
    ConsortiumPartner,
    Opportunity,
)
from procurement.selectors.bids import bid_snapshot, bids_readable_by
from providers.models import Organisation
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_assessment import assign, panel_member_add
from tests.procurement.factories_bids import (
    BidFactory,
    ClosedOpportunityFactory,
    OpportunityFactory,
    attachment_add,
    member,
    partner_add,
    submitted_bid,
)

pytestmark = pytest.mark.django_db

TITLE = "Riverside hardship kitchen"
AMOUNT = Decimal("73219.47")
MATCH = Decimal("8117.83")
SOURCES = "Heysham Rotary pledge"
LEVERAGE = "Volunteer drivers from Overton"
ANSWER = "Lanternfish suppers every Thursday at the Quayside hall"
BUDGET_ITEM = "Quayside van hire"
PARTNER_ROLE = "Runs the Silverdale sessions"
FILE_NAME = "riverside-plan.pdf"
DRAFT_TITLE = "Draft orchard scheme"

# What a sealed bid says, as it would be shown on a page.
CONTENT = [
    TITLE,
    "73219.47",
    "73,219",
    "8117.83",
    "8,117",
    SOURCES,
    LEVERAGE,
    "Lanternfish",
    BUDGET_ITEM,
    PARTNER_ROLE,
    FILE_NAME,
    DRAFT_TITLE,
]


@pytest.fixture
def bids():
    """A bid received for an opportunity still open (sealed), with every kind of content;
    a draft for it (sealed for ever from the council); and, for comparison, a bid received
    for an opportunity that closed yesterday (readable)."""
    opportunity = OpportunityFactory()
    sealed = submitted_bid(opportunity=opportunity, title=TITLE)
    sealed.amount_requested = AMOUNT
    sealed.match_funding = MATCH
    sealed.match_funding_sources = SOURCES
    sealed.other_leverage = LEVERAGE
    sealed.save()
    sealed.answers.update(text=ANSWER)
    sealed.budget_lines.update(amount=AMOUNT - 1000)
    BudgetLine.objects.create(bid=sealed, item=BUDGET_ITEM, amount=Decimal("1000"))
    partner_add(sealed, OrganisationFactory(name="Silverdale Village Trust"))
    ConsortiumPartner.objects.filter(bid=sealed).update(role=PARTNER_ROLE)
    attachment_add(sealed, name=FILE_NAME)
    sealed.submissions.update(content=bid_snapshot(bid=sealed))
    draft = BidFactory(opportunity=opportunity, title=DRAFT_TITLE)
    readable = submitted_bid(opportunity=ClosedOpportunityFactory(), title="Open book project")
    return sealed, draft, readable


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def after_deadline(clock, bid: Bid) -> None:
    """Move the clock to a minute after the bid's deadline."""
    clock.move_to(bid.opportunity.closes_at + dt.timedelta(minutes=1))


def page_of(response) -> str:
    return unescape(response.content.decode())


def changelist_url(model: type[models.Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def listed(response, model: type[models.Model]) -> tuple[int, list[int], str]:
    """What a changelist answered: its status, the objects it lists and its count line."""
    html = response.content.decode()
    prefix = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    pks = sorted({int(pk) for pk in re.findall(re.escape(prefix) + r"(\d+)/change/", html)})
    count = re.search(r'<span class="small quiet">([^<]*)</span>', html)
    paginator = re.search(r'<p class="paginator">(.*?)</p>', html, re.S)
    text = " ".join(part.group(1) for part in (count, paginator) if part)
    return response.status_code, pks, " ".join(re.sub(r"<[^>]+>", " ", text).split())


def assert_sealed_absent(response, sealed: Bid, *, allowed: tuple[str, ...] = ()) -> None:
    page = page_of(response)
    if sealed.reference not in allowed:
        assert sealed.reference not in page
    for text in CONTENT:
        if text not in allowed:
            assert text not in page, text


# --- The bids admin: filters on every content field ---------------------------------------


def _shifted(value, up: bool):
    if isinstance(value, Decimal | int):
        return value + 1 if up else value - 1
    return value + "z" if up else value[:-1]


def _values(value, lookup: str) -> tuple[str, str]:
    """A value the sealed bid matches and one it does not, for `lookup`."""
    if lookup == "isnull":
        return "False", "True"
    if lookup == "exact":
        return str(value), str(_shifted(value, up=True))
    if lookup == "gt":
        return str(_shifted(value, up=False)), str(_shifted(value, up=True))
    if lookup == "lt":
        return str(_shifted(value, up=True)), str(_shifted(value, up=False))
    if lookup == "startswith":
        return str(value)[:4], "Zq" + str(value)[:4]
    return str(value)[2:6], "qZxq"  # contains


TEXT_LOOKUPS = ["exact", "gt", "lt", "startswith", "contains", "isnull"]
NUMBER_LOOKUPS = ["exact", "gt", "lt", "isnull"]

# The bid's own content, and its children's, as a URL on the bids admin names them.
CONTENT_PATHS = {
    "title": TEXT_LOOKUPS,
    "amount_requested": NUMBER_LOOKUPS,
    "match_funding": NUMBER_LOOKUPS,
    "match_funding_sources": TEXT_LOOKUPS,
    "other_leverage": TEXT_LOOKUPS,
    "answers__text": TEXT_LOOKUPS,
    "budget_lines__item": TEXT_LOOKUPS,
    "budget_lines__amount": NUMBER_LOOKUPS,
    "targets__target": NUMBER_LOOKUPS,
    "partners__role": TEXT_LOOKUPS,
    "partners__organisation__name": TEXT_LOOKUPS,
    "attachments__original_name": TEXT_LOOKUPS,
    "attachments__size": NUMBER_LOOKUPS,
    "submissions__receipt": TEXT_LOOKUPS,
    "submissions__content": ["isnull"],
}


@pytest.mark.parametrize("path", CONTENT_PATHS)
def test_a_content_filter_answers_the_same_whatever_the_value(client, superuser, bids, path):
    """Every lookup on the field, with a value the sealed bid matches and one it does not:
    the two answers are the same (a refusal), never a 500, and never list the bid."""
    sealed, _, _ = bids
    value = Bid.objects.filter(pk=sealed.pk).values_list(path, flat=True).first()
    url = changelist_url(Bid)
    for lookup in CONTENT_PATHS[path]:
        matching, missing = _values(value, lookup)
        answers = [client.get(url, {f"{path}__{lookup}": given}) for given in (matching, missing)]
        assert listed(answers[0], Bid) == listed(answers[1], Bid), lookup
        assert answers[0].status_code in (302, 400), lookup  # refused, never a 500
        for answer in answers:
            assert sealed.reference not in page_of(answer), lookup


def test_the_admin_filters_only_on_what_is_not_sealed(client, superuser, bids):
    """The bids admin's own filter (state) lists only bids that may be read; other admins
    filter on their own fields as before."""
    sealed, _, readable = bids
    response = client.get(changelist_url(Bid), {"state__exact": "submitted"})
    assert listed(response, Bid)[:2] == (200, [readable.pk])
    response = client.get(changelist_url(Bid), {"opportunity__id__exact": sealed.opportunity_id})
    assert listed(response, Bid)[:2] == (200, [])
    response = client.get(changelist_url(Organisation), {"name__exact": sealed.organisation.name})
    assert listed(response, Organisation)[:2] == (200, [sealed.organisation.pk])
    response = client.get(changelist_url(Opportunity), {"q": sealed.opportunity.reference})
    assert listed(response, Opportunity)[:2] == (200, [sealed.opportunity.pk])


# --- Search, ordering and every admin's list ----------------------------------------------


def test_search_with_a_sealed_bids_words_finds_nothing_of_it(client, superuser, bids):
    sealed, draft, _ = bids
    url = changelist_url(Bid)
    nothing = listed(client.get(url, {"q": "Nothing like any bid"}), Bid)
    words = [
        sealed.reference,
        draft.reference,
        sealed.organisation.name,
        draft.organisation.name,
        "Silverdale Village Trust",
        "Riverside",
        "Lanternfish",
        "Quayside",
        "Heysham",
        "73219.47",
        FILE_NAME,
    ]
    for word in words:
        response = client.get(url, {"q": word})
        assert listed(response, Bid) == nothing, word
        assert_sealed_absent(response, sealed, allowed=(word,))


ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(
    "model", [model for model, _ in ADMINS], ids=[model._meta.label for model, _ in ADMINS]
)
def test_no_admin_list_shows_a_sealed_bid_in_any_order(client, superuser, bids, model):
    """Every registered admin's list, in every column's order both ways and searched for
    the sealed bid's words."""
    sealed, draft, _ = bids
    model_admin = admin.site._registry[model]
    url = changelist_url(model)
    columns = len(model_admin.get_list_display(None))
    orders = [None, *(str(n) for n in range(columns)), *(f"-{n}" for n in range(columns))]
    for order in orders:
        response = client.get(url, {"o": order} if order else {})
        assert response.status_code == 200, order
        assert_sealed_absent(response, sealed)
        assert draft.reference not in page_of(response)
    for word in ("Riverside", "Lanternfish", "Quayside", sealed.reference):
        response = client.get(url, {"q": word})
        assert response.status_code == 200
        assert_sealed_absent(response, sealed, allowed=(word,))


# --- Lookups through other admins ---------------------------------------------------------


def _paths_into_bids(model: type[models.Model]) -> list[tuple[str, type[models.Model]]]:
    """Every lookup path of one or two relations from `model` that lands on bid content."""
    paths = []
    for field in model._meta.get_fields():
        target = field.related_model if field.is_relation else None
        if target is None or not isinstance(target, type):
            continue
        if target in BID_CONTENT_MODELS:
            paths.append((field.name, target))
            continue
        for second in target._meta.get_fields():
            reached = second.related_model if second.is_relation else None
            if reached in BID_CONTENT_MODELS:
                paths.append((f"{field.name}__{second.name}", reached))
    return paths


# The first thing each kind of content says, to filter on through a relation.
CONTENT_FIELD = {
    Bid: ("title", "startswith", TITLE[:4]),
    BidAnswer: ("text", "contains", "Lanternfish"),
    BudgetLine: ("item", "startswith", BUDGET_ITEM[:4]),
    BidTarget: ("target", "gt", "0"),
    ConsortiumPartner: ("role", "contains", "Silverdale"),
    BidAttachment: ("original_name", "startswith", FILE_NAME[:4]),
    BidSubmission: ("receipt", "startswith", "BID-"),
}

RELATED_CASES = [
    (model, path, reached)
    for model, _ in ADMINS
    if model is not Bid
    for path, reached in _paths_into_bids(model)
]


def _sealed_object(reached: type[models.Model], sealed: Bid) -> models.Model | None:
    if reached is Bid:
        return sealed
    if any(field.name == "bid" for field in reached._meta.get_fields()):
        return reached.objects.filter(bid=sealed).first()
    return None


@pytest.mark.parametrize(
    ("model", "path", "reached"),
    RELATED_CASES,
    ids=[f"{model._meta.label}?{path}" for model, path, _ in RELATED_CASES],
)
def test_no_admin_filters_through_a_sealed_bid(client, superuser, bids, model, path, reached):
    sealed, _, _ = bids
    url = changelist_url(model)
    pairs = [(f"{path}__isnull", "False", "True")]
    found = _sealed_object(reached, sealed)
    if found is not None:
        missing = reached.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
        pairs.append((path, str(found.pk), str(missing)))
    if reached in CONTENT_FIELD:
        name, lookup, value = CONTENT_FIELD[reached]
        pairs.append((f"{path}__{name}__{lookup}", value, "Zqx"))
    for key, matching, missing in pairs:
        answers = [client.get(url, {key: given}) for given in (matching, missing)]
        assert listed(answers[0], model) == listed(answers[1], model), key
        assert answers[0].status_code != 500


# --- One bid: change, history and delete pages --------------------------------------------


@pytest.mark.parametrize("view", ["change", "history", "delete"])
@pytest.mark.parametrize("which", ["submitted", "draft"])
def test_a_sealed_bids_pages_answer_as_for_no_bid_at_all(client, superuser, bids, view, which):
    sealed, draft, _ = bids
    bid = sealed if which == "submitted" else draft
    LogEntry.objects.log_actions(
        user_id=superuser.pk,
        queryset=[bid],
        action_flag=CHANGE,
        change_message=f"Changed title to {bid.title}",
    )
    missing = Bid.objects.order_by("-pk").first().pk + 1000
    answer = client.get(reverse(f"admin:procurement_bid_{view}", args=[bid.pk]))
    nobody = client.get(reverse(f"admin:procurement_bid_{view}", args=[missing]))
    assert answer.status_code == nobody.status_code
    assert answer.get("Location") == nobody.get("Location")
    assert_sealed_absent(answer, sealed)
    assert draft.reference not in page_of(answer)


def _deletions_touching(bid: Bid) -> list[models.Model]:
    """Every object in a registered admin whose deletion would reach the bid."""
    found = []
    for model, _ in ADMINS:
        for obj in model._default_manager.all():
            collector = NestedObjects(using="default")
            collector.collect([obj])
            reached = [*collector.protected, *collector.data.get(Bid, ())]
            reached += [o for m, objs in collector.data.items() if m is not Bid for o in objs]
            if any(
                (isinstance(o, Bid) and o.pk == bid.pk) or getattr(o, "bid_id", None) == bid.pk
                for o in reached
            ):
                found.append(obj)
    return found


def test_no_delete_page_names_a_sealed_bid(client, superuser, bids):
    sealed, _, _ = bids
    touching = _deletions_touching(sealed)
    assert sealed.opportunity in touching and sealed.organisation in touching
    for obj in touching:
        opts = obj._meta
        response = client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
        )
        assert response.status_code in (200, 403), obj
        assert_sealed_absent(response, sealed)
        if obj != sealed.organisation:
            assert sealed.organisation.name not in page_of(response), obj
    for model in (Organisation, Opportunity):
        chosen = sealed.organisation if model is Organisation else sealed.opportunity
        response = client.post(
            changelist_url(model),
            {"action": "delete_selected", "_selected_action": [chosen.pk]},
        )
        assert_sealed_absent(response, sealed)
    assert Bid.objects.filter(pk=sealed.pk).exists()


def test_a_published_opportunitys_questions_cannot_be_deleted_in_the_admin(client, superuser, bids):
    """Deleting one that bidders have answered would be refused by naming their bids."""
    sealed, _, _ = bids
    response = client.get(
        reverse("admin:procurement_opportunity_change", args=[sealed.opportunity_id])
    )
    assert response.status_code == 200
    assert 'name="questions-0-DELETE"' not in response.content.decode()
    assert_sealed_absent(response, sealed)


# --- After the deadline -------------------------------------------------------------------


def test_the_bid_appears_in_the_admin_once_its_deadline_passes(client, superuser, bids, clock):
    sealed, draft, readable = bids
    url = changelist_url(Bid)
    assert listed(client.get(url), Bid)[:2] == (200, [readable.pk])
    after_deadline(clock, sealed)
    client.force_login(superuser)  # a session lasts two weeks; the deadline is three away
    assert listed(client.get(url), Bid)[:2] == (200, sorted([sealed.pk, readable.pk]))
    response = client.get(reverse("admin:procurement_bid_change", args=[sealed.pk]))
    assert response.status_code == 200
    page = page_of(response)
    for text in (TITLE, "73219.47", "8117.83", SOURCES, LEVERAGE, ANSWER, BUDGET_ITEM):
        assert text in page, text
    assert PARTNER_ROLE in page and FILE_NAME in page
    history = client.get(reverse("admin:procurement_bid_history", args=[sealed.pk]))
    assert history.status_code == 200
    # A draft was never received: it stays closed to the council.
    assert draft.reference not in page_of(client.get(url))
    gone = client.get(reverse("admin:procurement_bid_change", args=[draft.pk]))
    assert gone.status_code == 404


# --- The admin's list follows the sealing rule --------------------------------------------


def test_the_admins_bids_are_those_the_sealing_rule_lets_each_person_read(bids, clock):
    sealed, draft, readable = bids
    withdrawn = BidFactory(opportunity=readable.opportunity, state="withdrawn")
    late_draft = BidFactory(opportunity=readable.opportunity)
    declared = panel_member_add(readable.opportunity)
    assign(readable, declared)
    undeclared = panel_member_add(readable.opportunity, declared=False)
    assign(readable, undeclared)
    conflicted = panel_member_add(readable.opportunity)
    Assignment.objects.create(
        bid=readable,
        panel_member=conflicted,
        conflict=conflicted.declarations.first(),
    )
    partner = partner_add(sealed, OrganisationFactory())
    people = [
        UserFactory(is_staff=True, is_superuser=True),
        *(UserFactory(roles=[role]) for role in Role if role != Role.PANEL_MEMBER),
        declared.user,
        undeclared.user,
        conflicted.user,
        member(sealed.organisation),
        member(partner.organisation),
        member(draft.organisation),
        member(OrganisationFactory()),
    ]
    everything = [sealed, draft, readable, withdrawn, late_draft]

    def check():
        for person in people:
            expected = {
                bid.pk for bid in everything if procurement_rules.view_bid_content.test(person, bid)
            }
            got = set(bids_readable_by(user=person).values_list("pk", flat=True))
            assert got == expected, person

    check()
    after_deadline(clock, sealed)
    check()
