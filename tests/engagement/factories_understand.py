"""Factories for the Understand stage's records: evidence, existing provision and gaps."""

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from commissioning.models import Area, CorporatePriority
from engagement.models import EvidenceItem, Gap, Rating, ServiceProvision
from tests.factories import CommissionFactory, UserFactory

# The smallest file a PDF reader opens: one empty page.
SMALL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def priority(slug: str = "health-and-well-being") -> CorporatePriority:
    return CorporatePriority.objects.get(slug=slug)


class AreaFactory(factory.django.DjangoModelFactory):
    """A town or rural area; pass `parent=` and `kind="ward"` for a ward."""

    class Meta:
        model = Area
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-").replace("'", ""))
    kind = Area.Kind.AREA
    parent = None


class WardFactory(AreaFactory):
    name = factory.Sequence(lambda n: f"Ward {n}")
    kind = Area.Kind.WARD
    parent = factory.SubFactory(AreaFactory)


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Census 2021: households in the district, table {n}")
    category = EvidenceItem.Category.DEMOGRAPHY
    source = "Office for National Statistics (ONS)"
    dated = datetime.date(2023, 1, 19)
    summary = "How many people live alone, by age and ward."
    recorded_by = factory.SubFactory(UserFactory)

    class Params:
        with_file = factory.Trait(
            file=factory.LazyFunction(lambda: ContentFile(SMALL_PDF, name="evidence.pdf"))
        )

    @factory.post_generation
    def priorities(self, create, extracted, **kwargs):
        if create and extracted:
            self.priorities.set(extracted)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def commissions(self, create, extracted, **kwargs):
        if create and extracted:
            self.commissions.set(extracted)


class ServiceProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvision
        skip_postgeneration_save = True

    service = factory.Sequence(lambda n: f"Community lunch club {n}")
    provider_name = "NHS Lancashire and South Cumbria social prescribing"
    priority = factory.LazyFunction(priority)
    funding_source = "Lancashire County Council"
    annual_value = Decimal("10000")
    quality = Rating.GOOD
    impact = Rating.ADEQUATE
    status = ServiceProvision.Status.ACTIVE
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class GapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gap
        skip_postgeneration_save = True

    commission = factory.SubFactory(CommissionFactory, state="understanding")
    priority = factory.LazyFunction(priority)
    area = None
    need = "Older people in Morecambe are lonely."
    current_provision = "Two lunch clubs, one at risk."
    gap = "Nothing on weekday evenings or weekends."
    opportunity = "A befriending network with the community food network."
    severity = Gap.Severity.HIGH
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def evidence(self, create, extracted, **kwargs):
        if create and extracted:
            self.evidence.set(extracted)
