"""Demo of a two-stage opportunity at shortlisting: money advice for Morecambe and Heysham
(the specification's other lot) asked for expressions of interest first; their deadline
passed two days ago, three were received and the officer is shortlisting them. The full
bid deadline is five weeks away.

Made through the services while the opportunity is a draft (the stages) and when it is
published; the expressions of interest, sent before a deadline now past, are put in their
state directly, as demo/bids.py does for bids sent before theirs.

Idempotent: keyed on the opportunity's title and each organisation's expression.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from commissioning.models import Commission
from core.models import User
from demo.opportunities import _at, _balance_weights, _conflicts_assess
from procurement.models import ExpressionOfInterest, ExpressionState, Opportunity
from procurement.services.expressions import expression_stage_set
from procurement.services.opportunities import opportunity_create, opportunity_publish
from providers.models import Organisation

TITLE = "Money, debt and benefits advice in Morecambe and Heysham"
COMMISSION = "Independent advice and advocacy"
SPECIFICATION = "Money, debt and benefits advice"
LOT = "Morecambe and Heysham"

EXPRESSIONS = [
    (
        "Morecambe Bay Community Food Network",
        "Money advice sessions at our three food banks in Morecambe and Heysham, so that "
        "people who come for food leave with their benefits checked and a plan for their "
        "debts.",
        Decimal("35000"),
        "Citizens Advice North Lancashire (debt casework), Heysham Mossgate Children's Centre",
    ),
    (
        "Skerton Community Centre Association",
        "A weekly drop-in and a phone line for money and benefits advice, with home visits "
        "for people who cannot come in.",
        Decimal("60000"),
        "",
    ),
    (
        "Morecambe Bay Carers' Forum",
        "Benefits advice for unpaid carers in Morecambe and Heysham, at our carers' cafes and "
        "by phone.",
        Decimal("25000"),
        "Lancaster and District Refugee Welcome",
    ),
]


def demo_two_stage_seed(*, officer: User, commissions: dict[str, Commission]) -> Opportunity | None:
    """The two-stage opportunity and its expressions of interest; None when the demo has no
    published plan with the specification."""
    opportunity = Opportunity.objects.filter(title=TITLE).first()
    opens_at = _at(-20, 9)
    if opportunity is None:
        commission = commissions.get(COMMISSION)
        specification = (
            commission.specifications.filter(title=SPECIFICATION).first() if commission else None
        )
        if specification is None or not specification.plans.filter(state="published").exists():
            return None
        lot = specification.lots.filter(name=LOT).first()
        if lot is None:
            return None
        opportunity = opportunity_create(
            specification=specification,
            created_by=officer,
            title=TITLE,
            summary=(
                "Free, independent advice on money, debt and benefits for people in Morecambe "
                "and Heysham.\n\nThis opportunity has two stages: a short expression of "
                "interest first; shortlisted organisations are invited to send a full bid."
            ),
            funding_type="grant",
            opens_at=opens_at,
            closes_at=_at(35, 17),
            eligibility=specification.eligibility,
            lot=lot,
        )
        _balance_weights(opportunity)
        expression_stage_set(opportunity=opportunity, closes_at=_at(-2, 17), user=officer)
    if not opportunity.is_published:
        _conflicts_assess(opportunity=opportunity, officer=officer)
        opportunity_publish(opportunity=opportunity, user=officer, at=opens_at)
    sent_at = timezone.localtime(opportunity.expression_stage.closes_at) - dt.timedelta(days=3)
    for number, (name, summary, estimate, partners) in enumerate(EXPRESSIONS, start=1):
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            continue
        expression, created = ExpressionOfInterest.objects.get_or_create(
            opportunity=opportunity,
            organisation=organisation,
            defaults={
                "reference": f"EOI-{opportunity.reference}-{number:03d}",
                "summary": summary,
                "amount_estimate": estimate,
                "partners": partners,
                "created_by": organisation.memberships.first().user
                if organisation.memberships.exists()
                else None,
            },
        )
        if created:
            ExpressionOfInterest.objects.filter(pk=expression.pk).update(
                state=ExpressionState.SUBMITTED, submitted_at=sent_at
            )
    return opportunity
