"""Reads for open data: the awards on the public register, and the invitations to tender
for contracts, each as a record every published file is written from.

The awards are exactly those of the register of decisions (`/decisions/`): approved,
successful awards, read through `decisions_public_list`, so the files and the register
agree row for row. A recommendation not yet approved, a bid that was not successful, a
draft plan and a draft opportunity are never read here.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Sum

from commissioning.models import CommissioningPlan
from commissioning.models.plan import PlanState
from core.emails import absolute_url
from procurement.models import AgreementState, AwardDecision, FundingType, Opportunity
from procurement.selectors.decisions import COMMISSION, decisions_public_list, register_entry
from providers.models import LegalForm, Organisation

# The Local Government Transparency Code 2015 asks for contracts and invitations to tender
# worth more than this.
CONTRACT_THRESHOLD = Decimal("5000")
# A contract is reviewed this many months before it ends: time to decide whether to
# commission again (the Review stage of the cycle).
REVIEW_MONTHS_BEFORE_END = 3

# Legal forms that are voluntary, community or social enterprise organisations.
VCSE_FORMS = {
    LegalForm.REGISTERED_CHARITY,
    LegalForm.CIO,
    LegalForm.CLG,
    LegalForm.CIC,
    LegalForm.CBS,
    LegalForm.UNINCORPORATED,
    LegalForm.FAITH_GROUP,
}


@dataclass(frozen=True)
class Programme:
    """The commission an award was made under, and the published plan it is in ("" when
    it is in none)."""

    code: str
    title: str
    url: str


@dataclass(frozen=True)
class Place:
    """A ward or area the award's commission serves."""

    name: str
    geo_code: str
    geo_code_type: str


@dataclass(frozen=True)
class AwardRecord:
    """One approved, successful award as the open data publishes it: what the files say,
    and the recipient, without the decision's graph of rows (bid, opportunity,
    specification, commission, plans), so thousands of them fit in a worker's memory."""

    organisation: Organisation
    #: The agreement while it is accepted (in delivery), for the outcomes achieved.
    agreement_in_delivery_id: int | None
    reference: str
    title: str
    description: str
    funding_type: str
    amount_awarded: Decimal
    amount_applied_for: Decimal | None
    award_date: dt.date
    starts_on: dt.date
    ends_on: dt.date
    programme: Programme
    places: list[Place]
    from_open_call: bool
    modified: dt.datetime
    url: str

    @property
    def grant_id(self) -> str:
        """ "360G-lancastercc-BID-OPP-2026-001-007": the publisher's prefix and the bid."""
        return f"{settings.THREESIXTY_GIVING_PREFIX}-{self.reference}"

    @property
    def is_grant(self) -> bool:
        return self.funding_type == FundingType.GRANT

    @property
    def duration_months(self) -> Decimal:
        return months_between(self.starts_on, self.ends_on)

    @property
    def review_on(self) -> dt.date:
        return months_before(self.ends_on, REVIEW_MONTHS_BEFORE_END)


@dataclass(frozen=True)
class TenderRecord:
    """An invitation to tender: a published opportunity for a contract."""

    opportunity: Opportunity
    starts_on: dt.date
    ends_on: dt.date
    modified: dt.datetime


# --- Dates -------------------------------------------------------------------------------------


def months_between(starts_on: dt.date, ends_on: dt.date) -> Decimal:
    """How many months from the start to the end date inclusive: 36 for 1 January 2027 to
    31 December 2029; to one decimal place when it is not a whole number of months."""
    after = ends_on + dt.timedelta(days=1)
    months = (after.year - starts_on.year) * 12 + after.month - starts_on.month
    if after.day == starts_on.day:
        return Decimal(months)
    days = (after - starts_on).days
    return (Decimal(days) / Decimal("30.4375")).quantize(Decimal("0.1"))


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day if it has no such day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- Organisations -----------------------------------------------------------------------------


def registration_number(organisation: Organisation) -> str:
    """The charity number and the company number, whichever it has: "1164883",
    "01234567", or "1164883; 01234567"."""
    numbers = [organisation.charity_number.strip(), organisation.company_number.strip()]
    return "; ".join(number for number in numbers if number)


def is_vcse(organisation: Organisation) -> bool | None:
    """Whether it is a voluntary, community or social enterprise organisation (None when
    its legal form does not say)."""
    return True if organisation.legal_form in VCSE_FORMS else None


def is_sme(organisation: Organisation) -> bool | None:
    """Whether it is a small or medium-sized enterprise: yes when its income is under £1
    million (far below the SME limit); None when its income is not known or is higher
    (the number of staff would decide, which the portal does not hold)."""
    if organisation.income_band and organisation.income_band != "over_1m":
        return True
    return None


# --- Awards ------------------------------------------------------------------------------------


def _public_plans() -> Prefetch:
    return Prefetch(
        "bid__opportunity__specification__plans",
        queryset=CommissioningPlan.objects.filter(state=PlanState.PUBLISHED).order_by(
            "-version", "-pk"
        ),
        to_attr="published_plans",
    )


def _programme(decision: AwardDecision) -> Programme:
    """The commission the award was made under; its address is the published Commissioning
    Plan the specification is in (never a draft)."""
    specification = decision.bid.opportunity.specification
    commission = specification.commission
    plans = specification.published_plans
    url = absolute_url(plans[0].get_absolute_url()) if plans else ""
    return Programme(code=commission.reference, title=commission.title, url=url)


def _places(decision: AwardDecision) -> list[Place]:
    """The wards and areas the commission serves, or the whole district when it names
    none. A ward's ONS code is an electoral ward code (WD)."""
    commission = decision.bid.opportunity.specification.commission
    places = [
        Place(
            name=area.name,
            geo_code=area.gss_code,
            geo_code_type="WD" if area.gss_code and area.kind == area.Kind.WARD else "",
        )
        for area in commission.areas.all()
    ]
    return places or [
        Place(
            name=settings.COUNCIL["district"],
            geo_code=settings.COUNCIL["gss_code"],
            geo_code_type="NMD" if settings.COUNCIL["gss_code"] else "",
        )
    ]


def _modified(decision: AwardDecision, agreement) -> dt.datetime:
    """When anything the files say about the award last changed: its approval, its
    agreement (sent, accepted, varied) or the recipient's details."""
    moments = [decision.approved_at, decision.bid.organisation.updated_at]
    if agreement is not None:
        moments.append(agreement.updated_at)
    return max(moment for moment in moments if moment is not None)


def award_record(*, decision: AwardDecision) -> AwardRecord:
    """The award as published. The amount is the agreement's (after any variation
    approved), or the decision's while there is no agreement."""
    entry = register_entry(decision=decision)
    agreement = getattr(decision, "agreement", None)
    bid = decision.bid
    opportunity = bid.opportunity
    in_delivery = agreement is not None and agreement.state == AgreementState.ACCEPTED
    return AwardRecord(
        organisation=bid.organisation,
        agreement_in_delivery_id=agreement.pk if in_delivery else None,
        reference=bid.reference,
        title=(bid.title.strip() or opportunity.title)[:140],
        description=entry.purpose,
        funding_type=opportunity.funding_type,
        amount_awarded=agreement.amount if agreement is not None else decision.amount,
        amount_applied_for=bid.amount_requested,
        award_date=decision.decided_on,
        starts_on=entry.starts_on,
        ends_on=entry.ends_on,
        programme=_programme(decision),
        places=_places(decision),
        from_open_call=opportunity.published_at is not None,
        modified=_modified(decision, agreement),
        url=absolute_url(decision.get_absolute_url()),
    )


def open_data_awards() -> list[AwardRecord]:
    """Every award on the register, oldest decision first, in a fixed number of queries per
    thousand: read a thousand decisions at a time, each kept only as its record."""
    decisions = (
        decisions_public_list()
        .select_related(f"{COMMISSION}", "bid__opportunity__specification")
        .prefetch_related(_public_plans())
        .order_by("decided_on", "approved_at", "bid__reference")
    )
    organisations = {}  # one instance per recipient, however many awards it has
    records = []
    for decision in decisions.iterator(chunk_size=1000):
        organisation = decision.bid.organisation
        decision.bid.organisation = organisations.setdefault(organisation.pk, organisation)
        records.append(award_record(decision=decision))
    return records


# --- Invitations to tender ---------------------------------------------------------------------


def open_data_tenders() -> list[TenderRecord]:
    """Every published opportunity for a contract worth more than £5,000, oldest first."""
    opportunities = (
        Opportunity.objects.published()
        .filter(funding_type=FundingType.CONTRACT, budget__gt=CONTRACT_THRESHOLD)
        .select_related("specification__commission")
        .order_by("published_at", "reference")
    )
    return [
        TenderRecord(
            opportunity=opportunity,
            starts_on=opportunity.specification.commission.period_start,
            ends_on=opportunity.specification.commission.period_end,
            modified=opportunity.published_at or opportunity.updated_at,
        )
        for opportunity in opportunities
    ]


# --- Outcomes achieved ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRecord:
    """What one award has achieved so far against one of its success measures."""

    award: AwardRecord
    measure: str
    unit: str
    #: The agreed target for the whole agreement (every year's added up).
    target: Decimal
    #: Added up from the accepted monitoring returns only.
    achieved: Decimal
    returns_accepted: int
    #: The end of the latest period an accepted return covers.
    reported_to: dt.date | None
    modified: dt.datetime


def open_data_outcomes(*, awards: list[AwardRecord]) -> list[OutcomeRecord]:
    """For each award whose agreement is in delivery, per success measure: the target for
    the whole agreement and what its accepted monitoring returns add up to (a return not yet
    accepted counts for nothing). Three queries however many awards and returns."""
    from monitoring.models import MonitoringReturn, ReturnActual, ReturnState
    from procurement.models import AgreementTarget

    by_agreement = {
        award.agreement_in_delivery_id: award
        for award in awards
        if award.agreement_in_delivery_id is not None
    }
    if not by_agreement:
        return []
    targets = (
        AgreementTarget.objects.filter(agreement_id__in=by_agreement)
        .values("agreement_id", "measure", "unit")
        .annotate(total=Sum("target"))
        .order_by("agreement_id", "measure", "unit")
    )
    achieved = {
        (row["target__agreement_id"], row["target__measure"], row["target__unit"]): row["total"]
        for row in ReturnActual.objects.filter(
            target__agreement_id__in=by_agreement,
            monitoring_return__state=ReturnState.ACCEPTED,
        )
        .values("target__agreement_id", "target__measure", "target__unit")
        .annotate(total=Sum("value"))
        .order_by()
    }
    reported = {
        row["agreement_id"]: row
        for row in MonitoringReturn.objects.filter(
            agreement_id__in=by_agreement, state=ReturnState.ACCEPTED
        )
        .values("agreement_id")
        .annotate(number=Count("pk"), to=Max("period_end"), at=Max("accepted_at"))
        .order_by()
    }
    outcomes = []
    for row in targets:
        award = by_agreement[row["agreement_id"]]
        returns = reported.get(row["agreement_id"], {})
        outcomes.append(
            OutcomeRecord(
                award=award,
                measure=row["measure"],
                unit=row["unit"],
                target=row["total"],
                achieved=achieved.get((row["agreement_id"], row["measure"], row["unit"]))
                or Decimal(0),
                returns_accepted=returns.get("number", 0),
                reported_to=returns.get("to"),
                modified=max(filter(None, [award.modified, returns.get("at")])),
            )
        )
    return outcomes
