"""The Procurement Act 2023's records, two-stage opportunities, eligibility, alerts and
partner profiles in the admin, and in the audit trail: each has an admin page that loads
for an administrator, read-only where the record is evidence; each change is kept in its
history; an expression of interest stays sealed in both until its deadline."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement.models import (
    ConflictsAssessment,
    EligibilityCheck,
    EligibilityRequirement,
    ExpressionOfInterest,
    NoticeKind,
    OpportunityAlert,
    OpportunityAlertSent,
    ProcurementNotice,
    ShortlistDeclaration,
)
from procurement.models.conflicts_assessment import OfficerDeclaration
from providers.models import PartnerProfile
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_agreements import conflicts_reviewed
from tests.procurement.factories_expressions import ExpressionFactory, two_stage_opportunity
from tests.procurement.factories_opportunities import ClosedOpportunityFactory
from tests.procurement.test_expressions import after_eoi_deadline, declare

pytestmark = pytest.mark.django_db

AUDIT = "/staff/audit/"


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def records(administrator, clock):
    """One of each: a closed contract opportunity with its notice, declarations and
    conflicts assessment, eligibility and a check; an alert and whom it told; a partner
    profile; and a two-stage opportunity past its expressions' deadline, whose expression
    the administrator has declared no conflict with."""
    opportunity = ClosedOpportunityFactory(funding_type="contract")
    organisation = OrganisationFactory(name="Lune Valley Community Transport")
    made = {
        ProcurementNotice: ProcurementNotice.objects.create(
            opportunity=opportunity,
            kind=NoticeKind.TENDER,
            identifier="TN-2026-0007",
            published_on=timezone.localdate() - dt.timedelta(days=60),
            recorded_by=administrator,
        ),
        OfficerDeclaration: OfficerDeclaration.objects.create(
            opportunity=opportunity, user=administrator, stage="publication", has_conflict=False
        ),
        ConflictsAssessment: conflicts_reviewed(opportunity, stage="assessment"),
        EligibilityRequirement: EligibilityRequirement.objects.create(
            opportunity=opportunity, registered_number_required=True
        ),
        EligibilityCheck: EligibilityCheck.objects.create(
            opportunity=opportunity,
            organisation=organisation,
            answers={"registered_number": True},
            passed=True,
            checked_at=timezone.now(),
        ),
        OpportunityAlert: OpportunityAlert.objects.create(user=UserFactory()),
        OpportunityAlertSent: OpportunityAlertSent.objects.create(
            opportunity=opportunity, user=UserFactory()
        ),
        PartnerProfile: PartnerProfile.objects.create(
            organisation=organisation, offer="Accessible minibuses and trained drivers"
        ),
    }
    made[ConflictsAssessment].people.set([administrator])
    two_stage = two_stage_opportunity()
    expression = ExpressionFactory(opportunity=two_stage, state="submitted")
    after_eoi_deadline(clock, two_stage)
    declare(two_stage.expression_stage, administrator)
    made[ExpressionOfInterest] = expression
    made[ShortlistDeclaration] = ShortlistDeclaration.objects.get(user=administrator)
    made["expressionstage"] = two_stage.expression_stage
    return made


def admin_url(record, page: str, *args) -> str:
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}", args=args)


READ_ONLY = [
    ProcurementNotice,
    OfficerDeclaration,
    ConflictsAssessment,
    EligibilityRequirement,
    EligibilityCheck,
    OpportunityAlertSent,
    ExpressionOfInterest,
    ShortlistDeclaration,
]


@pytest.mark.parametrize(
    "key", [*READ_ONLY, OpportunityAlert, PartnerProfile, "expressionstage"], ids=str
)
def test_each_admin_page_loads_for_an_administrator(client, administrator, records, key):
    record = records[key]
    client.force_login(administrator)

    listed = client.get(admin_url(record, "changelist"))
    shown = client.get(admin_url(record, "change", record.pk))
    history = client.get(admin_url(record, "history", record.pk))

    assert listed.status_code == 200
    assert f'href="{admin_url(record, "change", record.pk)}"' in listed.content.decode()
    assert shown.status_code == 200
    assert history.status_code == 200


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_the_evidence_cannot_be_added_changed_or_deleted_in_the_admin(
    client, administrator, records, model
):
    record = records[model]
    client.force_login(administrator)

    assert client.get(admin_url(record, "add")).status_code == 403
    assert client.get(admin_url(record, "delete", record.pk)).status_code == 403
    page = client.get(admin_url(record, "change", record.pk)).content.decode()
    assert 'type="submit" value="Save"' not in page


def test_a_partner_profile_is_hidden_by_an_administrator_but_its_words_are_the_organisations(
    client, administrator, records
):
    profile = records[PartnerProfile]
    client.force_login(administrator)

    response = client.post(
        admin_url(profile, "change", profile.pk), {"findable": "", "offer": "Changed words"}
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.findable is False
    assert profile.offer == "Accessible minibuses and trained drivers"
    assert profile.history.count() == 2


def test_the_new_records_keep_their_history(records):
    for key, record in records.items():
        if key in (EligibilityCheck, OpportunityAlert, OpportunityAlertSent):
            continue  # a person's own answers and subscriptions, not the council's records
        assert record.history.count() >= 1, key


def test_an_expression_of_interest_is_sealed_in_the_admin_and_the_trail_until_its_deadline(
    client, administrator
):
    opportunity = two_stage_opportunity()
    expression = ExpressionFactory(
        opportunity=opportunity,
        organisation=OrganisationFactory(name="Quiet Harbour Trust"),
        state="submitted",
    )
    assert expression.history.count() >= 1
    client.force_login(administrator)

    listed = text_of(client.get(admin_url(expression, "changelist")))
    trail = text_of(client.get(f"{AUDIT}?object_type=procurement.expressionofinterest"))

    assert expression.reference not in listed
    assert "Quiet Harbour Trust" not in listed
    assert "0 expressions of interest" in listed
    assert client.get(admin_url(expression, "change", expression.pk)).status_code == 404
    assert client.get(admin_url(expression, "history", expression.pk)).status_code == 404
    assert "Nothing matches your filters" in trail
