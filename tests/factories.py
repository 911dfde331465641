"""factory_boy factories shared across the suite."""

import datetime
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils.text import slugify

from commissioning.models import CorporatePriority, Sector
from core.models import User
from core.roles import STAFF_ROLES, Role
from providers.models import Membership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """People in tests have confirmed their email address, as the demo people have."""
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for role in extracted:
            self.groups.add(Group.objects.get(name=Role(role).value))

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        """Staff have set up two-factor sign-in, as the portal makes them (tests/mfa.py):
        `mfa=False` for one who has not yet, `mfa=True` for a provider who has."""
        if not create or extracted is False:
            return
        if extracted or self.is_staff or self.groups.filter(name__in=STAFF_ROLES).exists():
            from tests.mfa import authenticator_give

            authenticator_give(self)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "providers.Organisation"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community Organisation {n}")
    legal_form = "cio"
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
    org_id = factory.LazyAttribute(lambda o: f"GB-CHC-{o.charity_number}")
    sector = factory.LazyFunction(lambda: Sector.objects.get(short_name="VCFS"))
    verification_status = "verified"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        for user in extracted or ():
            Membership.objects.get_or_create(organisation=self, user=user)


class CommissionFactory(factory.django.DjangoModelFactory):
    """A commission in draft, led by a new commissioning officer unless one is given."""

    class Meta:
        model = "commissioning.Commission"
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"COM-2026-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Community wellbeing services {n}")
    sector = factory.LazyFunction(lambda: Sector.objects.get(short_name="VCFS"))
    indicative_budget = Decimal("120000")
    period_start = datetime.date(2027, 4, 1)
    period_end = datetime.date(2030, 3, 31)
    lead_officer = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    summary = "Services that help people in the district stay well and connected."

    @factory.post_generation
    def priorities(self, create, extracted, **kwargs):
        if create:
            self.priorities.set(
                extracted or CorporatePriority.objects.filter(slug="health-and-well-being")
            )

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @classmethod
    def _create(cls, model_class, *args, state=None, **kwargs):
        """`state=` puts the commission straight into a state, as if it had got there."""
        obj = model_class(*args, **kwargs)
        if state is not None:
            obj.__dict__["state"] = state  # bypass protected=True for test set-up
        obj.save()
        return obj


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commissioning.Option"

    commission = factory.SubFactory(CommissionFactory)
    title = factory.Sequence(lambda n: f"Option {n}: grants to local organisations")
    description = "Grants to voluntary organisations already working in the area."
    estimated_cost = Decimal("100000")
    expected_outcomes = "Fewer older people lonely; more people supported at home."
    risks = "Small organisations may not have capacity to scale up."


class SpecificationFactory(factory.django.DjangoModelFactory):
    """A complete specification: an outcome, a success measure with targets for each year."""

    class Meta:
        model = "commissioning.Specification"
        skip_postgeneration_save = True

    commission = factory.SubFactory(CommissionFactory)
    title = factory.Sequence(lambda n: f"Befriending and lunch clubs {n}")
    summary = "Weekly befriending and lunch clubs for people over 65."
    budget = Decimal("60000")
    duration_months = 36
    eligibility = "Voluntary, community and faith organisations working in the district."
    sector_partners = "Morecambe Bay Carers' Forum; Age-friendly Lancaster network"

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from commissioning.models import MeasureTarget, SpecificationMeasure, SuccessMeasure

        outcome = self.outcomes.create(description="Older people are less lonely")
        chosen = SpecificationMeasure.objects.create(
            specification=self,
            measure=SuccessMeasure.objects.get(name="People supported"),
            outcome=outcome,
        )
        for year in (1, 2, 3):
            MeasureTarget.objects.create(
                specification_measure=chosen, year=year, target=Decimal(100 * year)
            )


class PlanFactory(factory.django.DjangoModelFactory):
    """A Commissioning Plan in draft; `state=` puts it straight into a state."""

    class Meta:
        model = "commissioning.CommissioningPlan"
        skip_postgeneration_save = True

    sector = factory.LazyFunction(lambda: Sector.objects.get(short_name="VCFS"))
    title = factory.Sequence(lambda n: f"VCFS Commissioning Plan {n}")
    series = factory.LazyAttribute(lambda o: slugify(o.title))
    slug = factory.LazyAttribute(lambda o: f"{o.series}-v{o.version}")
    version = 1
    period_start = datetime.date(2027, 4, 1)
    period_end = datetime.date(2030, 3, 31)
    purpose = "To invest in services that improve the lives of people in the district."
    investment_levels = "£450,000 over three years."
    expected_outcomes = "People are less lonely; fewer people need crisis food support."
    procurement_arrangements = "Open grant rounds, advertised on the portal."
    contractual_arrangements = "Grant agreements with quarterly payments."
    performance_management = "Quarterly monitoring returns against agreed targets."
    author = factory.SubFactory(UserFactory, roles=[Role.OFFICER])

    @factory.post_generation
    def specifications(self, create, extracted, **kwargs):
        if create and extracted:
            self.specifications.set(extracted)

    @classmethod
    def _create(cls, model_class, *args, state=None, **kwargs):
        obj = model_class(*args, **kwargs)
        if state is not None:
            obj.__dict__["state"] = state  # bypass protected=True for test set-up
        obj.save()
        return obj
