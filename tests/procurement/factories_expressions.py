"""Two-stage opportunities and expressions of interest for tests."""

from decimal import Decimal

import factory

from procurement.models import ExpressionOfInterest, ExpressionStage
from tests.factories import OrganisationFactory
from tests.procurement.factories_bids import BidFactory, OpportunityFactory, at


def two_stage_opportunity(*, eoi_closes_in: float = 7, **kwargs):
    """A published opportunity, open since last week, whose expressions of interest close
    at 5pm in `eoi_closes_in` days and full bids at 5pm in three weeks (or as given)."""
    opportunity = OpportunityFactory(**kwargs)
    ExpressionStage.objects.create(opportunity=opportunity, closes_at=at(eoi_closes_in, 17))
    opportunity.refresh_from_db()
    return opportunity


class ExpressionFactory(factory.django.DjangoModelFactory):
    """A draft expression of interest by a new verified organisation, filled in; `state=`
    puts it straight into a state."""

    class Meta:
        model = ExpressionOfInterest

    opportunity = factory.LazyFunction(two_stage_opportunity)
    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"EOI-TEST-{n + 1:04d}")
    summary = "Drop-in money advice at the Lanternfish community hub in Morecambe."
    amount_estimate = Decimal("42000")
    partners = "Quayside Credit Union"

    # Straight into a state, as bids are made in tests.
    _create = classmethod(BidFactory._create.__func__)
