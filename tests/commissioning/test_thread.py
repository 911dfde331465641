"""The golden thread: from a published specification back to the evidence and gaps that
justified it and forward to the awards, agreements and outcomes; from a gap or a piece of
evidence forwards. The public reads only what is published; officers read all of it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagement.models import Gap
from monitoring.models import ReturnActual, ReturnState
from procurement.models import AwardDecision, Bid, Outcome
from tests.engagement.factories_understand import EvidenceItemFactory
from tests.factories import OptionFactory, OrganisationFactory, PlanFactory
from tests.monitoring.factories import return_put
from tests.monitoring.factories_portfolio import agreement_under, funded_commission, priority

pytestmark = pytest.mark.django_db

EVIDENCE = "Loneliness among older people in Skerton, 2025 survey"
GAP = "No warm, welcoming place open on weekdays in Skerton"
OPTION = "Grants to community hubs already open in the ward"
DRAFT_PLAN = "Draft plan for the next three years"
UNAPPROVED = "Unapproved Recommendation Trust"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    return response.content.decode()


def _accepted_return(agreement, value: str, spend: str = "2000"):
    first = agreement.monitoring_returns.order_by("period_start").first()
    return_put(first, ReturnState.ACCEPTED, spend_in_period=Decimal(spend))
    for target in agreement.targets.filter(year=1):  # the first return reports on year 1
        ReturnActual.objects.create(monitoring_return=first, target=target, value=Decimal(value))
    return first


def _unapproved_award(funded, amount: str = "9000") -> AwardDecision:
    bid = Bid(
        opportunity=funded.opportunity,
        organisation=OrganisationFactory(name=UNAPPROVED),
        reference="BID-THREAD-UNAPPROVED",
        title="A recommendation not yet approved",
        amount_requested=Decimal(amount),
    )
    bid.__dict__["state"] = "submitted"
    bid.submitted_at = timezone.now()
    bid.save()
    return AwardDecision.objects.create(bid=bid, outcome=Outcome.SUCCESSFUL, amount=Decimal(amount))


@pytest.fixture
def thread():
    return thread_made()


def thread_made() -> dict:
    """A commission with evidence, a gap, a recommended option, a specification in a
    published plan (and in a draft one), an approved award whose agreement has an accepted
    return, and a recommendation not yet approved."""
    funded = funded_commission(sector_name="VCFS", priorities=[priority("health-and-well-being")])
    commission = funded.commission
    evidence = EvidenceItemFactory(title=EVIDENCE, commissions=[commission])
    gap = Gap.objects.create(
        commission=commission,
        priority=priority("health-and-well-being"),
        need="Older people living alone",
        current_provision="One lunch club, once a week",
        gap=GAP,
        opportunity="Hubs in existing community buildings",
        severity=Gap.Severity.HIGH,
    )
    gap.evidence.add(evidence)
    OptionFactory(commission=commission, title=OPTION, is_recommended=True)
    PlanFactory(
        state="draft",
        title=DRAFT_PLAN,
        sector=commission.sector,
        specifications=[funded.specification],
    )
    agreement = agreement_under(funded, amount="12500")
    _accepted_return(agreement, "7", spend="2500")
    unapproved = _unapproved_award(funded)
    return {
        "funded": funded,
        "evidence": evidence,
        "gap": gap,
        "agreement": agreement,
        "unapproved": unapproved,
        "url": reverse("thread_specification", kwargs={"pk": funded.specification.pk}),
    }


def test_public_thread_shows_only_what_is_published(client, thread):
    response = client.get(thread["url"])
    assert response.status_code == 200
    page = response.content.decode()
    published = thread["funded"].specification.plans.get(state="published")
    assert published.title in page
    assert thread["agreement"].organisation.name in page
    assert "£12,500" in page
    assert "1 agreement in delivery" in page
    assert "£2,500 spent of £12,500 awarded" in page
    assert f"{published.get_absolute_url()}#achieved" in page
    # Nothing unpublished: no draft plan, no unapproved award, none of the officers' records.
    for hidden in (DRAFT_PLAN, UNAPPROVED, "£9,000", EVIDENCE, GAP, OPTION):
        assert hidden not in page
    assert thread["agreement"].reference not in page
    assert reverse("plan_staff_detail", kwargs={"pk": published.pk}) not in page


def test_provider_and_panel_member_read_the_public_thread(
    client, thread, provider_user, panel_member
):
    for user in (provider_user, panel_member):
        client.force_login(user)
        page = _page(client, thread["url"])
        assert UNAPPROVED not in page and EVIDENCE not in page and DRAFT_PLAN not in page


def test_officer_reads_the_whole_thread(client, officer, thread):
    client.force_login(officer)
    page = _page(client, thread["url"])
    for shown in (EVIDENCE, GAP, OPTION, DRAFT_PLAN, UNAPPROVED, "awaiting approval"):
        assert shown in page
    assert thread["agreement"].reference in page
    assert reverse("engagement:evidence_detail", kwargs={"pk": thread["evidence"].pk}) in page
    assert reverse("monitoring:agreement_monitoring", kwargs={"pk": thread["agreement"].pk}) in page


def test_outcomes_are_summed_from_accepted_returns_only(client, thread):
    agreement = thread["agreement"]
    second = agreement.monitoring_returns.order_by("period_start")[1]
    return_put(second, ReturnState.SUBMITTED, spend_in_period=Decimal("900"))
    for target in agreement.targets.all():
        ReturnActual.objects.create(monitoring_return=second, target=target, value=Decimal(1000))
    page = _page(client, thread["url"])
    assert "1,000" not in page  # a submitted return is not yet counted
    assert "£2,500 spent" in page


def test_a_specification_in_no_published_plan_is_not_found_by_the_public(client, officer):
    plan = PlanFactory(state="draft")
    specification = plan.specifications.first() or _spec_for(plan)
    url = reverse("thread_specification", kwargs={"pk": specification.pk})
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200


def _spec_for(plan):
    from tests.factories import SpecificationFactory

    specification = SpecificationFactory()
    plan.specifications.add(specification)
    return specification


def test_unknown_ids_are_not_found(client, officer):
    for url in ("/thread/specifications/999999/",):
        assert client.get(url).status_code == 404
    client.force_login(officer)
    for url in (
        "/thread/specifications/999999/",
        "/staff/thread/gaps/999999/",
        "/staff/thread/evidence/999999/",
    ):
        assert client.get(url).status_code == 404


def test_forwards_from_a_gap_and_from_evidence(client, officer, thread):
    client.force_login(officer)
    gap_url = reverse("thread_gap", kwargs={"pk": thread["gap"].pk})
    page = _page(client, gap_url)
    assert GAP in page
    assert thread["url"] in page  # on to the specification's own thread
    assert thread["agreement"].reference in page
    evidence_url = reverse("thread_evidence", kwargs={"pk": thread["evidence"].pk})
    assert evidence_url in page  # and back to the evidence behind the gap
    page = _page(client, evidence_url)
    assert gap_url in page
    assert thread["url"] in page
    assert "£12,500" in page


def test_the_specification_gap_and_evidence_pages_link_to_the_thread(client, officer, thread):
    client.force_login(officer)
    spec = thread["funded"].specification
    page = _page(client, reverse("specification_detail", kwargs={"pk": spec.pk}))
    assert thread["url"] in page
    gaps = reverse("engagement:gap_analysis", kwargs={"pk": spec.commission_id})
    assert reverse("thread_gap", kwargs={"pk": thread["gap"].pk}) in _page(client, gaps)
    evidence = reverse("engagement:evidence_detail", kwargs={"pk": thread["evidence"].pk})
    assert reverse("thread_evidence", kwargs={"pk": thread["evidence"].pk}) in _page(
        client, evidence
    )


# --- On the demo data -------------------------------------------------------------------------


def test_follow_the_thread_both_ways_on_the_demo(client):
    from commissioning.models import Specification
    from core.models import User
    from core.roles import Role
    from demo.seed import demo_seed
    from engagement.models import EvidenceItem
    from tests.mfa import authenticator_give

    demo_seed()
    officer = User.objects.filter(groups__name=Role.OFFICER.value).first()
    authenticator_give(officer)  # staff sign in with two factors (core.mfa)
    specification = (
        Specification.objects.filter(plans__state="published", commission__gaps__isnull=False)
        .filter(commission__evidence_items__isnull=False)
        .distinct()
        .first()
    )
    assert specification is not None, "the demo has a published specification with its needs"
    url = reverse("thread_specification", kwargs={"pk": specification.pk})

    # The public reads it, without the officers' records.
    public = _page(client, url)
    gap = specification.commission.gaps.first()
    assert gap.gap[:40] not in public

    # Backwards, as an officer: the specification's thread names its gaps and evidence ...
    client.force_login(officer)
    page = _page(client, url)
    evidence = EvidenceItem.objects.filter(commissions=specification.commission).first()
    evidence_url = reverse("engagement:evidence_detail", kwargs={"pk": evidence.pk})
    assert evidence_url in page
    assert f"#gap-{gap.pk}" in page
    for plan in specification.plans.filter(state="published"):
        assert plan.get_absolute_url() in page

    # ... and forwards from the gap and from the evidence it leads back to the specification.
    page = _page(client, reverse("thread_gap", kwargs={"pk": gap.pk}))
    assert url in page
    page = _page(client, reverse("thread_evidence", kwargs={"pk": evidence.pk}))
    assert url in page


# --- Queries ---------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _agreements(funded, count: int, start: int = 0):
    for number in range(start, count):
        agreement = agreement_under(funded, amount=str(1000 + number))
        _accepted_return(agreement, "5")


@pytest.mark.parametrize("who", ["public", "officer"])
def test_thread_queries_stay_flat_from_5_to_50_agreements(client, officer, thread, who):
    if who == "officer":
        client.force_login(officer)
    funded = thread["funded"]
    urls = [thread["url"]]
    if who == "officer":
        urls += [
            reverse("thread_gap", kwargs={"pk": thread["gap"].pk}),
            reverse("thread_evidence", kwargs={"pk": thread["evidence"].pk}),
        ]
    _agreements(funded, 4)
    for url in urls:
        client.get(url)  # warm the session and the caches
    with_5 = [_queries(client, url) for url in urls]
    _agreements(funded, 49, start=4)
    with_50 = [_queries(client, url) for url in urls]
    assert with_5 == with_50


# --- Social Return on Investment ---------------------------------------------------------------


def test_the_saved_sroi_of_a_completed_evaluation_is_on_the_thread(client, officer, thread):
    """The figure the evaluation saved (with its assumptions), not one worked out again; the
    public reads it once the commission is closed."""
    from monitoring.models_evaluation import AgreementEvaluation, CommissionEvaluation

    commission = thread["funded"].commission
    CommissionEvaluation.objects.create(
        commission=commission, sroi_ratio=Decimal("3.42"), completed_at=timezone.now()
    )
    AgreementEvaluation.objects.create(
        agreement=thread["agreement"], sroi_ratio=Decimal("2.85"), completed_at=timezone.now()
    )
    client.force_login(officer)
    page = _page(client, thread["url"])
    assert "£3.42 of social, economic and environmental value for every £1 invested" in page
    assert "SROI £2.85 : £1" in page
    client.logout()
    assert "£3.42" not in _page(client, thread["url"])  # still in delivery
    commission.__dict__["state"] = "closed"
    commission.save()
    page = _page(client, thread["url"])
    assert "£3.42 of social, economic and environmental value" in page
    assert "£2.85" not in page  # one agreement's figure is for officers


def test_an_unfinished_evaluation_shows_no_sroi(client, officer, thread):
    from monitoring.models_evaluation import CommissionEvaluation

    CommissionEvaluation.objects.create(
        commission=thread["funded"].commission, sroi_ratio=Decimal("3.42")
    )
    client.force_login(officer)
    assert "£3.42" not in _page(client, thread["url"])
