"""Do, part 1: opportunities published from a plan's specification, clarification
questions answered for everyone, and bids — sealed until the deadline.

An opportunity's lifecycle is a django-fsm-2 machine: draft → published → closed.
Publishing is `procurement.services.opportunities.opportunity_publish`; closing records
that bidding is over, made by an officer or by the portal once the deadline has passed. What
bidders and officers may do still follows the clock (`is_open`, `has_closed`): bids are
sealed until `closes_at`, whether or not the opportunity has been closed yet.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.transitions import condition
from procurement import rules as procurement_rules


class FundingType(models.TextChoices):
    GRANT = "grant", "Grant"
    CONTRACT = "contract", "Contract"


class OpportunityState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed to bids"


PUBLISHED_STATES = (OpportunityState.PUBLISHED, OpportunityState.CLOSED)


class OpportunityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state__in=PUBLISHED_STATES)

    def open_now(self):
        now = timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)


# What an officer still has to do before publishing, in their words.


def _commission_state_words(opportunity) -> str:
    return (
        f"The commission is at “{opportunity.commission.get_state_display()}”: an opportunity "
        "can be published only while it is at “Plan approved” or “Procurement”"
    )


def _weights_words(opportunity) -> str:
    from procurement.selectors.opportunities import questions_total_weight, weights_problem

    return weights_problem(total=questions_total_weight(opportunity=opportunity))


def _conflicts_assessment_url(opportunity) -> str:
    return reverse("procurement:conflicts_assessment", kwargs={"pk": opportunity.pk})


def _deadline_words_for_officers(opportunity) -> str:
    from core.templatetags.portal import govuk_datetime

    return (
        f"Bidding closes at {govuk_datetime(opportunity.closes_at)}. You can close it to bids "
        "from then"
    )


class Opportunity(FSMModelMixin, models.Model):
    """A funding opportunity made from a published plan's specification (and lot)."""

    specification = models.ForeignKey(
        "commissioning.Specification", on_delete=models.PROTECT, related_name="opportunities"
    )
    lot = models.ForeignKey(
        "commissioning.Lot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    reference = models.CharField(max_length=20, unique=True)
    summary = models.TextField()
    budget = models.DecimalField(max_digits=12, decimal_places=2)
    funding_type = models.CharField(max_length=10, choices=FundingType.choices)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    eligibility = models.TextField()
    workshops = models.ManyToManyField(
        "engagement.EngagementEvent", blank=True, related_name="opportunities"
    )
    # Not editable: it moves only through the machine (so no form, the admin's included,
    # can try to set it and trip over `protected`).
    state = FSMField(
        choices=OpportunityState.choices,
        default=OpportunityState.DRAFT,
        protected=True,
        editable=False,
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was published: set by publishing"
    )
    divergence_threshold = models.PositiveSmallIntegerField(
        "divergence to highlight",
        default=2,
        validators=[MaxValueValidator(5)],
        help_text="Panel scores for one question this many points apart or more are "
        "highlighted for moderation",
    )
    quality_threshold = models.DecimalField(
        "quality threshold",
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="The lowest moderated weighted score (out of 100) a bid may be funded with",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["closes_at"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="opportunity_closes_after_it_opens",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="opportunity_budget_ok"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procurement:opportunity_detail", kwargs={"slug": self.slug})

    @property
    def commission(self):
        return self.specification.commission

    @property
    def is_published(self) -> bool:
        return self.state in PUBLISHED_STATES

    def is_open(self, *, at=None) -> bool:
        """Published, not closed to bids, and between its opening time and its deadline."""
        at = at or timezone.now()
        return self.state == OpportunityState.PUBLISHED and self.opens_at <= at < self.closes_at

    def has_closed(self, *, at=None) -> bool:
        """The deadline has passed (so it may be closed to bids): bids are unsealed for
        officers."""
        return self.state == OpportunityState.CLOSED or (at or timezone.now()) >= self.closes_at

    # --- Conditions: pure; `@condition` gives each the words the officer reads --------------

    @condition(
        "The specification is in a published Commissioning Plan",
        needed="The specification is not in a published Commissioning Plan",
    )
    def specification_is_published(self) -> bool:
        return self.specification.plans.filter(state="published").exists()

    @condition("The commission’s plan is approved", needed=_commission_state_words)
    def commission_takes_opportunities(self) -> bool:
        """The commission is at "Plan approved" or already in procurement."""
        return self.commission.state in ("approved", "procurement")

    @condition("There is at least one question", needed="Add at least one question")
    def has_questions(self) -> bool:
        return self.questions.exists()

    @condition("The questions’ weights add up to 100", needed=_weights_words)
    def weights_add_up(self) -> bool:
        return self.questions.aggregate(total=models.Sum("weight"))["total"] == 100

    @condition(
        "The closing date is after the opening date",
        needed="The closing date must be after the opening date",
    )
    def closes_after_it_opens(self) -> bool:
        return self.opens_at < self.closes_at

    @condition("The closing date is in the future", needed="The closing date must be in the future")
    def closes_in_the_future(self) -> bool:
        """Later than the moment it is published: `published_at` when the publishing
        service has set it on the draft (the demo publishes in the past), otherwise now."""
        return self.closes_at > (self.published_at or timezone.now())

    @condition(
        "Everyone involved has declared their interests and the conflicts assessment is recorded",
        needed="Record the conflicts assessment: the lead officer and approvers declare their "
        "interests first",
        link=_conflicts_assessment_url,
    )
    def conflicts_assessment_made(self) -> bool:
        """Procurement Act 2023, s.83: the conflicts assessment exists before publication."""
        return self.conflicts_assessments.filter(stage="publication").exists()

    @condition("The deadline has passed", needed=_deadline_words_for_officers)
    def deadline_has_passed(self) -> bool:
        return self.has_closed()

    # --- Transitions ---------------------------------------------------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=OpportunityState.DRAFT,
        target=OpportunityState.PUBLISHED,
        permission=procurement_rules.can_publish_opportunity,
        conditions=[
            specification_is_published,
            commission_takes_opportunities,
            has_questions,
            weights_add_up,
            closes_after_it_opens,
            closes_in_the_future,
            conflicts_assessment_made,
        ],
        custom={
            "label": "Publish the opportunity",
            "explanation": "Show the opportunity to everyone on the funding opportunities "
            "page and in the feed; bidders can bid from its opening date.",
        },
    )
    def publish(self, by=None, description=None):
        self.published_at = self.published_at or timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=OpportunityState.PUBLISHED,
        target=OpportunityState.CLOSED,
        permission=procurement_rules.can_manage_opportunity,
        conditions=[deadline_has_passed],
        custom={
            "label": "Close to bids",
            "secondary": True,
            "explanation": "Record that bidding is over: the deadline has passed, so no more "
            "bids can be submitted and the bids received can be read by the council.",
        },
    )
    def close(self, by=None, description=None):
        pass


class OpportunityDocument(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="opportunities/")
    original_name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A bid question: one per core criterion, plus service-specific ones, each weighted."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="questions")
    criterion = models.ForeignKey(
        "commissioning.CoreCriterion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
    )
    service_criterion = models.ForeignKey(
        "commissioning.ServiceCriterion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
    )
    text = models.TextField("question")
    guidance = models.TextField(blank=True)
    word_limit = models.PositiveIntegerField(default=500)
    weight = models.DecimalField(max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="question_weight_percentage"
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Clarification(models.Model):
    """A bidder's question, asked privately; the answer is published to everyone without
    naming who asked."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="clarifications"
    )
    question = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "providers.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    published_question = models.TextField(
        blank=True, help_text="The question as published, with anything identifying removed"
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return self.question[:80]


# What a bidder still has to do, in their words: read through the bid selectors, which
# import this module, so imported when asked.


def _deadline_words(bid) -> str:
    from procurement.selectors.bids import bid_deadline_message

    if bid.opportunity.has_closed():
        return bid_deadline_message(bid=bid)
    from core.templatetags.portal import govuk_datetime

    return (
        f"This opportunity opens for bids at {govuk_datetime(bid.opportunity.opens_at)}. You "
        "can submit your bid from then"
    )


def _questions_unanswered(bid) -> list[str]:
    from procurement.selectors.bids import bid_answer_rows

    return [
        f"Answer question {row.number}" for row in bid_answer_rows(bid=bid) if not row.text.strip()
    ]


def _bid_edit_url(anchor: str) -> Callable[[Any], str]:
    """Where a bidder fills in part of the bid form: the form, at that field."""

    def url(bid) -> str:
        return reverse("procurement:bid_edit", kwargs={"pk": bid.pk}) + f"#{anchor}"

    return url


def _first_unanswered_url(bid) -> str:
    from procurement.selectors.bids import bid_answer_rows

    edit_url = reverse("procurement:bid_edit", kwargs={"pk": bid.pk})
    row = next((row for row in bid_answer_rows(bid=bid) if not row.text.strip()), None)
    return f"{edit_url}#id_{row.field_name}" if row else edit_url


def _bid_page_url(name: str) -> Callable[[Any], str]:
    def url(bid) -> str:
        return reverse(f"procurement:{name}", kwargs={"pk": bid.pk})

    return url


def _organisation_url(bid) -> str:
    return reverse("organisation_detail", kwargs={"pk": bid.organisation_id})


def _targets_missing(bid) -> list[str]:
    from procurement.selectors.bids import bid_target_measures

    return [
        f"Enter your targets for {measure.name} for every year"
        for measure in bid_target_measures(bid=bid)
        if not measure.is_complete
    ]


def _partners_waiting(bid) -> list[str]:
    from procurement.selectors.bids import bid_partners_waiting

    return [
        f"{partner.organisation.name} has not confirmed it is a partner in this bid"
        for partner in bid_partners_waiting(bid=bid)
    ]


def _eligibility_words(bid) -> list[str]:
    from procurement.selectors.eligibility import eligibility_check_get

    check = eligibility_check_get(opportunity=bid.opportunity, organisation=bid.organisation)
    if check is None or check.passed:
        return [f"Check {bid.organisation.name} can apply: answer the eligibility questions"]
    return [f"{bid.organisation.name} cannot apply: {reason}" for reason in check.reasons]


def _eligibility_url(bid) -> str:
    return (
        reverse("procurement:eligibility_check", kwargs={"slug": bid.opportunity.slug})
        + f"?organisation={bid.organisation_id}"
    )


class BidState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Bid(FSMModelMixin, models.Model):
    """An organisation's bid for an opportunity, alone or as lead of a consortium."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="bids")
    organisation = models.ForeignKey(
        "providers.Organisation", on_delete=models.PROTECT, related_name="bids"
    )
    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField("project title", max_length=200, blank=True)
    amount_requested = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    match_funding = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    match_funding_sources = models.TextField(blank=True)
    other_leverage = models.TextField(
        blank=True, help_text="Volunteer time, premises, in-kind support"
    )
    state = FSMField(choices=BidState.choices, default=BidState.DRAFT, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "organisation"],
                condition=~Q(state="withdrawn"),
                name="one_live_bid_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gte=0),
                name="bid_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:bid_detail", kwargs={"pk": self.pk})

    # --- Conditions: pure; `@condition` gives each the words the bidder reads ---------------

    @condition("The opportunity is open for bids.", needed=_deadline_words)
    def is_before_deadline(self) -> bool:
        return self.opportunity.is_open()

    @condition(
        "The lead organisation has been verified by the council.",
        needed="Your organisation must be verified by the council before you can submit this bid",
        link=_organisation_url,
    )
    def lead_is_verified(self) -> bool:
        return self.organisation.is_verified

    @condition(
        "The project title is given.",
        needed="Enter the project title",
        link=_bid_edit_url("id_title"),
    )
    def has_title(self) -> bool:
        return bool(self.title.strip())

    @condition(
        "The amount requested is given.",
        needed="Enter the amount you are asking for",
        link=_bid_edit_url("id_amount_requested"),
    )
    def has_amount_requested(self) -> bool:
        return self.amount_requested is not None

    @condition(
        "Every question is answered.", needed=_questions_unanswered, link=_first_unanswered_url
    )
    def answers_every_question(self) -> bool:
        """Answers are saved stripped, within their word limits."""
        answered = self.answers.exclude(text="").values("question_id")
        return not self.opportunity.questions.exclude(pk__in=answered).exists()

    @condition(
        "A target is proposed for every success measure of the specification, in every year "
        "the specification sets a target for.",
        needed=_targets_missing,
        link=_bid_page_url("bid_targets"),
    )
    def targets_are_proposed(self) -> bool:
        from commissioning.models import MeasureTarget

        proposed = BidTarget.objects.filter(
            bid=self,
            specification_measure=models.OuterRef("specification_measure"),
            year=models.OuterRef("year"),
        )
        needed = MeasureTarget.objects.filter(
            specification_measure__specification_id=self.opportunity.specification_id
        )
        return not needed.filter(~models.Exists(proposed)).exists()

    @condition(
        "Every consortium partner has confirmed from its own account.",
        needed=_partners_waiting,
        link=_bid_page_url("bid_partners"),
    )
    def partners_have_confirmed(self) -> bool:
        return not self.partners.filter(confirmed_at__isnull=True).exists()

    @condition(
        "The organisation has passed the opportunity’s eligibility check.",
        needed=_eligibility_words,
        link=_eligibility_url,
    )
    def passes_eligibility(self) -> bool:
        """The organisation's latest answers say yes to every eligibility question the
        opportunity asks (none asked: nothing to pass)."""
        from procurement.selectors.eligibility import eligibility_passed

        return eligibility_passed(opportunity=self.opportunity, organisation=self.organisation)

    # --- Transitions ---------------------------------------------------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=BidState.DRAFT,
        target=BidState.SUBMITTED,
        permission=procurement_rules.can_act_for_bid,
        conditions=[
            is_before_deadline,
            lead_is_verified,
            passes_eligibility,
            has_title,
            has_amount_requested,
            answers_every_question,
            targets_are_proposed,
            partners_have_confirmed,
        ],
        custom={
            "label": "Submit the bid",
            "explanation": "Send the bid to the council before the deadline.",
        },
    )
    def submit(self, by=None, description=None):
        self.submitted_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=BidState.SUBMITTED,
        target=BidState.DRAFT,
        permission=procurement_rules.can_act_for_bid,
        conditions=[is_before_deadline],
        custom={
            "label": "Reopen to change the bid",
            "secondary": True,
            "explanation": "Take the bid back to change it; it must be submitted again before the "
            "deadline.",
        },
    )
    def reopen(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[BidState.DRAFT, BidState.SUBMITTED],
        target=BidState.WITHDRAWN,
        permission=procurement_rules.can_act_for_bid,
        conditions=[is_before_deadline],
        custom={
            "label": "Withdraw the bid",
            "destructive": True,
            "explanation": "Withdraw the bid from the opportunity.",
        },
    )
    def withdraw(self, by=None, description=None):
        pass


class BidAnswer(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bid", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.bid} answer to {self.question}"


class BidTarget(models.Model):
    """What the bidder proposes to achieve against one of the specification's success
    measures in one year of the service. The agreement's targets are taken from these."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="targets")
    specification_measure = models.ForeignKey(
        "commissioning.SpecificationMeasure", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    target = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["specification_measure_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "specification_measure", "year"], name="one_bid_target_each"
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="bid_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.bid.reference}: {self.specification_measure}, year {self.year}"


class BudgetLine(models.Model):
    """A line of the bid's budget breakdown."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.item


class ConsortiumPartner(models.Model):
    """A partner organisation in a consortium bid; it confirms from its own account."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "providers.Organisation", on_delete=models.PROTECT, related_name="partnerships"
    )
    role = models.TextField("role in the consortium")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "organisation"], name="partner_once_per_bid")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.bid}"


class BidAttachment(models.Model):
    """A file attached to a bid: served only through a permission-checked view."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="bids/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class BidSubmission(models.Model):
    """Every submitted version of a bid, kept: what was sent, when, by whom."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField()
    receipt = models.CharField(max_length=40, unique=True)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    content = models.JSONField(help_text="A snapshot of the bid as submitted")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "number"], name="one_submission_number")
        ]

    def __str__(self) -> str:
        return self.receipt
