"""The demo's winter light festival: assessed, awarded and in delivery, and what each kind
of person sees of it."""

import pytest
from django.apps import apps
from django.urls import reverse

from core.models import User
from demo.seed import demo_seed
from procurement.models import (
    Agreement,
    Assignment,
    AwardDecision,
    ConflictDeclaration,
    Opportunity,
    Outcome,
)

pytestmark = pytest.mark.django_db

FESTIVAL = "Winter light festival on Morecambe promenade"


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"procurement", "commissioning", "providers", "core"}
    }


@pytest.fixture
def festival():
    demo_seed()
    return Opportunity.objects.get(title=FESTIVAL)


def test_the_festival_is_assessed_awarded_and_in_delivery(festival):
    commission = festival.specification.commission
    assert commission.state == "delivery"
    decisions = AwardDecision.objects.filter(bid__opportunity=festival)
    assert decisions.count() == 4 and not decisions.filter(approved_at__isnull=True).exists()
    assert decisions.get(outcome=Outcome.UNSUCCESSFUL).bid.organisation.name == (
        "Morecambe Bay Festival of Light"
    )
    assert set(
        decisions.filter(outcome=Outcome.SUCCESSFUL).values_list(
            "bid__organisation__name", flat=True
        )
    ) == {
        "Storey Creative Studios CIC",
        "Halton Mill Makers",
        "Morecambe Bay Community Food Network",
    }
    assert sum(d.amount for d in decisions.filter(outcome=Outcome.SUCCESSFUL)) <= festival.budget
    # The one conflict was declared, taken off the panel member and dealt with.
    conflict = ConflictDeclaration.objects.get(
        panel_member__opportunity=festival, has_conflict=True
    )
    assert conflict.organisation.name == "Halton Mill Makers"
    assert Assignment.objects.get(conflict=conflict).conflict_resolved_at is not None
    assert not Assignment.objects.filter(
        bid__opportunity=festival, conflict__isnull=True, submitted_at__isnull=True
    ).exists()
    agreements = Agreement.objects.filter(decision__bid__opportunity=festival)
    assert agreements.count() == 3
    assert set(agreements.values_list("state", flat=True)) == {"accepted"}
    varied = agreements.get(decision__bid__organisation__name="Storey Creative Studios CIC")
    assert varied.version == 2
    assert list(varied.versions.values_list("number", flat=True)) == [1, 2]


def test_running_the_demo_again_adds_nothing(festival):
    before = _row_counts()
    demo_seed()
    assert _row_counts() == before


def test_the_demo_provider_reads_feedback_and_the_accepted_agreement(client, festival):
    provider = User.objects.get(email="provider@example.org")
    client.force_login(provider)
    decision = AwardDecision.objects.get(
        bid__opportunity=festival, bid__organisation__memberships__user=provider
    )
    feedback = client.get(reverse("procurement:bid_feedback", kwargs={"pk": decision.bid_id}))
    assert feedback.status_code == 200
    page = feedback.content.decode()
    assert "successful" in page.lower()
    for moderated in decision.bid.moderated_scores.all():
        assert moderated.rationale[:40] in page
    agreement = client.get(decision.agreement.get_absolute_url())
    assert agreement.status_code == 200
    assert "Jo Whitehead" in agreement.content.decode()


def test_the_register_lists_the_three_awards(client, festival):
    page = client.get(reverse("procurement:decision_list")).content.decode()
    for name in (
        "Storey Creative Studios CIC",
        "Halton Mill Makers",
        "Morecambe Bay Community Food Network",
    ):
        assert name in page
    assert "Morecambe Bay Festival of Light" not in page
