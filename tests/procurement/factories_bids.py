"""Factories for bids: an open (or closed) opportunity with questions, bids in any state,
answers, budget lines, partners, attachments and submissions."""

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from commissioning.models import CoreCriterion, MeasureTarget
from core.roles import Role
from procurement.models import (
    Bid,
    BidAnswer,
    BidAttachment,
    BidSubmission,
    BidTarget,
    BudgetLine,
    ConsortiumPartner,
    Opportunity,
    Question,
)
from procurement.selectors.bids import bid_snapshot
from tests.factories import OrganisationFactory, SpecificationFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def at(days: float, hour: int = 17) -> dt.datetime:
    """`days` from today at `hour` o'clock, Europe/London."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A published grant opportunity, open now and closing at 5pm in three weeks, budget
    £60,000, with a question for each of the first three core criteria (500 words each)."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    specification = factory.SubFactory(SpecificationFactory)
    title = factory.Sequence(lambda n: f"Community advice services {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    reference = factory.Sequence(lambda n: f"OPP-2026-{n + 101:03d}")
    summary = "Free, independent advice on money, housing and benefits."
    budget = Decimal("60000")
    funding_type = "grant"
    opens_at = factory.LazyFunction(lambda: at(-7, 9))
    closes_at = factory.LazyFunction(lambda: at(21, 17))
    eligibility = "Voluntary, community and faith organisations working in the district."
    published_at = factory.LazyFunction(lambda: at(-7, 9))
    # Published unless `published_at=None`; "closed" only when asked for (`state="closed"`):
    # past its deadline, an opportunity not yet closed by the portal still counts as closed.
    state = factory.LazyAttribute(lambda o: "draft" if o.published_at is None else "published")

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        """`questions=5` for five, `questions=0` for none."""
        if not create:
            return
        count = 3 if extracted is None else extracted
        for order, criterion in enumerate(CoreCriterion.objects.order_by("order")[:count], 1):
            Question.objects.create(
                opportunity=self,
                criterion=criterion,
                text=f"Tell us how your project meets this criterion: {criterion.name}",
                guidance=criterion.description,
                word_limit=500,
                weight=Decimal("20"),
                order=order,
            )


class ClosedOpportunityFactory(OpportunityFactory):
    """Closed yesterday at 5pm."""

    opens_at = factory.LazyFunction(lambda: at(-40, 9))
    closes_at = factory.LazyFunction(lambda: at(-1, 17))
    published_at = factory.LazyFunction(lambda: at(-40, 9))


class BidFactory(factory.django.DjangoModelFactory):
    """A draft bid by a new verified organisation; `state=` puts it straight into a state."""

    class Meta:
        model = Bid
        skip_postgeneration_save = True

    opportunity = factory.SubFactory(OpportunityFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"BID-TEST-{n + 1:04d}")
    title = ""

    @classmethod
    def _create(cls, model_class, *args, state=None, **kwargs):
        obj = model_class(*args, **kwargs)
        if state is not None:
            obj.__dict__["state"] = state  # bypass protected=True for test set-up
        obj.save()
        return obj


def member(organisation, email: str | None = None, **kwargs):
    """A provider user who belongs to the organisation."""
    extra = {"email": email} if email else {}
    user = UserFactory(roles=[Role.PROVIDER], **extra, **kwargs)
    organisation.memberships.get_or_create(user=user)
    return user


def bid_complete(
    bid: Bid, *, amount: str = "45000", words: int = 50, target_share: str = "1"
) -> Bid:
    """Fill in everything a bid needs to be submitted. Its targets are `target_share` of the
    specification's target for each success measure and year (by default all of it)."""
    bid.title = bid.title or "Money advice in Morecambe"
    bid.amount_requested = Decimal(amount)
    bid.match_funding = Decimal("5000")
    bid.match_funding_sources = "National Lottery Community Fund, confirmed"
    bid.save()
    for question in bid.opportunity.questions.all():
        BidAnswer.objects.update_or_create(
            bid=bid,
            question=question,
            defaults={"text": " ".join(["word"] * words)},
        )
    BudgetLine.objects.create(bid=bid, item="Advice worker", amount=Decimal(amount))
    targets_propose(bid, share=target_share)
    return bid


def targets_propose(bid: Bid, *, share: str = "1") -> list[BidTarget]:
    """Propose `share` of the specification's target for every success measure and year."""
    proposed = []
    for council in MeasureTarget.objects.filter(
        specification_measure__specification_id=bid.opportunity.specification_id
    ):
        target, _ = BidTarget.objects.update_or_create(
            bid=bid,
            specification_measure_id=council.specification_measure_id,
            year=council.year,
            defaults={"target": (council.target * Decimal(share)).quantize(Decimal("0.01"))},
        )
        proposed.append(target)
    return proposed


def attachment_add(bid: Bid, name: str = "plan.pdf", content: bytes = PDF_BYTES, **kwargs):
    kwargs.setdefault("size", len(content))
    attachment = BidAttachment(
        bid=bid, original_name=name, content_type="application/pdf", **kwargs
    )
    attachment.file.save("stored.pdf", ContentFile(content), save=False)
    attachment.save()
    return attachment


def partner_add(bid: Bid, organisation=None, *, confirmed: bool = False) -> ConsortiumPartner:
    return ConsortiumPartner.objects.create(
        bid=bid,
        organisation=organisation or OrganisationFactory(),
        role="Runs the Carnforth sessions",
        confirmed_at=timezone.now() if confirmed else None,
    )


def submitted_bid(*, opportunity=None, organisation=None, **kwargs) -> Bid:
    """A complete bid submitted (yesterday when the opportunity has closed) with its
    first submission kept."""
    opportunity = opportunity or OpportunityFactory()
    bid = BidFactory(
        opportunity=opportunity,
        organisation=organisation or OrganisationFactory(),
        state="submitted",
        **kwargs,
    )
    bid_complete(bid)
    bid.submitted_at = min(timezone.now(), opportunity.closes_at - dt.timedelta(hours=3))
    bid.save()
    BidSubmission.objects.create(
        bid=bid,
        number=1,
        receipt=f"{bid.reference}-1-TEST",
        submitted_at=bid.submitted_at,
        content=bid_snapshot(bid=bid),
    )
    return bid
