"""Factories for opportunities and clarification questions: a specification in a published
Commissioning Plan, opportunities open, upcoming, closed or in draft, questions asked."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify

from core.roles import Role
from procurement.models import (
    Bid,
    Clarification,
    ConflictsAssessment,
    ConflictsStage,
    Opportunity,
)
from procurement.services.opportunities import opportunity_questions_create_default
from tests.factories import (
    CommissionFactory,
    OrganisationFactory,
    PlanFactory,
    SpecificationFactory,
    UserFactory,
)


def at(days: float, hour: int = 17) -> dt.datetime:
    """`days` from today (negative: ago) at `hour` o'clock, Europe/London."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def published_specification(*, lead_officer=None, state: str = "approved", **commission_kwargs):
    """A complete specification of a commission at `state`, in a published plan."""
    if lead_officer is not None:
        commission_kwargs["lead_officer"] = lead_officer
    commission = CommissionFactory(state=state, **commission_kwargs)
    specification = SpecificationFactory(commission=commission)
    PlanFactory(state="published", specifications=[specification])
    return specification


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A published grant, opened 5 days ago, closing at 5pm in 30 days, for a specification
    in a published plan, with the default questions (one per core criterion)."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    specification = factory.LazyFunction(lambda: published_specification(state="procurement"))
    title = factory.Sequence(lambda n: f"Advice and support services {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    reference = factory.Sequence(lambda n: f"OPP-2030-{n + 1:03d}")
    summary = "Free, independent advice on money, housing and benefits."
    budget = Decimal("60000")
    funding_type = "grant"
    opens_at = factory.LazyFunction(lambda: at(-5, 9))
    closes_at = factory.LazyFunction(lambda: at(30, 17))
    eligibility = "Voluntary, community and faith organisations working in the district."
    published_at = factory.LazyFunction(lambda: at(-5, 9))
    # Published unless `published_at=None`; "closed" only when asked for (`state="closed"`):
    # past its deadline, an opportunity not yet closed by the portal still counts as closed.
    state = factory.LazyAttribute(lambda o: "draft" if o.published_at is None else "published")

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        """The default questions unless `questions=False`."""
        if create and extracted is not False:
            opportunity_questions_create_default(opportunity=self)

    @factory.post_generation
    def workshops(self, create, extracted, **kwargs):
        if create and extracted:
            self.workshops.set(extracted)

    @factory.post_generation
    def conflicts_assessed(self, create, extracted, **kwargs):
        """The conflicts assessment before publication is recorded (Procurement Act 2023,
        s.83: publishing needs it) unless `conflicts_assessed=False`."""
        if create and extracted is not False:
            ConflictsAssessment.objects.create(
                opportunity=self,
                stage=ConflictsStage.PUBLICATION,
                steps_taken="No conflict of interest was declared.",
            )


class DraftOpportunityFactory(OpportunityFactory):
    """Not published; its commission's plan is approved, so publishing starts procurement."""

    specification = factory.LazyFunction(lambda: published_specification(state="approved"))
    opens_at = factory.LazyFunction(lambda: at(1, 9))
    published_at = None


class UpcomingOpportunityFactory(OpportunityFactory):
    opens_at = factory.LazyFunction(lambda: at(5, 17))
    closes_at = factory.LazyFunction(lambda: at(40, 17))


class ClosedOpportunityFactory(OpportunityFactory):
    opens_at = factory.LazyFunction(lambda: at(-60, 9))
    closes_at = factory.LazyFunction(lambda: at(-3, 17))
    published_at = factory.LazyFunction(lambda: at(-60, 9))


class ClarificationFactory(factory.django.DjangoModelFactory):
    """A question asked by a provider user for their organisation, not yet answered."""

    class Meta:
        model = Clarification

    opportunity = factory.SubFactory(OpportunityFactory)
    question = factory.Sequence(lambda n: f"Can volunteers' time count as match funding? ({n})")
    asked_by = factory.SubFactory(UserFactory, roles=[Role.PROVIDER])
    organisation = factory.LazyAttribute(lambda o: OrganisationFactory(members=[o.asked_by]))


class PublishedClarificationFactory(ClarificationFactory):
    published_question = factory.LazyAttribute(lambda o: o.question)
    answer = "Yes, at the national minimum wage for the hours given."
    answered_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    published_at = factory.LazyFunction(timezone.now)


class StartedBidFactory(factory.django.DjangoModelFactory):
    """An organisation's bid in draft (or `state=`), as far as telling bidders goes."""

    class Meta:
        model = Bid

    opportunity = factory.SubFactory(OpportunityFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"BID-2030-{n + 1:04d}")
    title = "Advice in the community"

    @classmethod
    def _create(cls, model_class, *args, state=None, **kwargs):
        obj = model_class(*args, **kwargs)
        if state is not None:
            obj.__dict__["state"] = state  # bypass protected=True for test set-up
        obj.save()
        return obj
