"""The Plan stage: options appraisal, service specifications and the Commissioning Plan."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from commissioning import rules as commission_rules
from core.selectors import count_of
from core.transitions import condition, page_loaded

# --- Options appraisal ------------------------------------------------------------------------


class Option(models.Model):
    """A feasible way to deliver the outcomes a commission needs, appraised against the
    core criteria (Value for Money, Added value, Sustainability, Deliverability, …)."""

    commission = models.ForeignKey(
        "commissioning.Commission", on_delete=models.CASCADE, related_name="options"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    estimated_cost = models.DecimalField(max_digits=12, decimal_places=2)
    expected_outcomes = models.TextField()
    risks = models.TextField()
    is_recommended = models.BooleanField(default=False)
    recommendation_rationale = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission"],
                condition=Q(is_recommended=True),
                name="one_recommended_option_per_commission",
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__gte=0), name="option_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OptionScore(models.Model):
    """An option's score (0 to 5) against one core criterion, with the reason."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "commissioning.CoreCriterion", on_delete=models.PROTECT, related_name="option_scores"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["option", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=5), name="option_score_0_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.criterion} {self.score}"


# --- Service design ---------------------------------------------------------------------------


class SuccessMeasure(models.Model):
    """A reusable success measure: a specific, quantifiable output such as
    "training sessions provided" or "hectares of public open land improved"."""

    name = models.CharField(max_length=200, unique=True)
    unit = models.CharField(max_length=60, help_text="What is counted, for example sessions")
    description = models.TextField(blank=True)
    priority = models.ForeignKey(
        "commissioning.CorporatePriority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="success_measures",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SpecificationQuerySet(models.QuerySet):
    def with_parts_counted(self):
        """Each with how many outcomes and success measures it has, and how many of those
        measures have no target yet: what `is_complete` asks, without reading the parts."""
        outcomes = SpecificationOutcome.objects.filter(specification=OuterRef("pk"))
        measures = SpecificationMeasure.objects.filter(specification=OuterRef("pk"))
        targets = MeasureTarget.objects.filter(specification_measure=OuterRef("pk"))
        return self.annotate(
            outcomes_counted=count_of(outcomes, per="specification"),
            measures_counted=count_of(measures, per="specification"),
            measures_untargeted=count_of(measures.filter(~Exists(targets)), per="specification"),
        )


class Specification(models.Model):
    """A service specification: what the council wants commissioned, designed with
    sector partners. It belongs to a commission."""

    commission = models.ForeignKey(
        "commissioning.Commission", on_delete=models.CASCADE, related_name="specifications"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField("service description")
    budget = models.DecimalField(max_digits=12, decimal_places=2)
    duration_months = models.PositiveSmallIntegerField(
        "duration in months", validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    eligibility = models.TextField(help_text="Who may bid and what they must have in place")
    sector_partners = models.TextField(
        "sector partners involved in design",
        blank=True,
        help_text="Organisations and groups who helped design the service",
    )
    partner_organisations = models.ManyToManyField(
        "providers.Organisation", blank=True, related_name="designed_specifications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SpecificationQuerySet.as_manager()

    class Meta:
        ordering = ["commission", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="specification_budget_ok")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("specification_detail", kwargs={"pk": self.pk})

    def missing_for_completion(self) -> list[str]:
        """What the specification still needs before it can go into a plan: from its parts
        counted with it (`SpecificationQuerySet.with_parts_counted`) when a list read them
        so, otherwise from its (prefetched) outcomes, measures and targets."""
        missing = []
        if not self.summary.strip():
            missing.append("A description of the service")
        if not self.eligibility.strip():
            missing.append("Who is eligible to bid")
        if not self.budget:
            missing.append("A budget")
        if "outcomes_counted" in vars(self):
            has_outcomes = bool(self.outcomes_counted)
            has_measures = bool(self.measures_counted)
            untargeted = bool(self.measures_untargeted)
        else:
            measures = self.measures.all()
            has_outcomes = bool(self.outcomes.all())
            has_measures = bool(measures)
            untargeted = any(not measure.targets.all() for measure in measures)
        if not has_outcomes:
            missing.append("At least one outcome")
        if not has_measures:
            missing.append("At least one success measure")
        elif untargeted:
            missing.append("A target for every success measure")
        return missing

    @property
    def is_complete(self) -> bool:
        return not self.missing_for_completion()


class SpecificationOutcome(models.Model):
    """An outcome the service is to achieve: an end result over time."""

    specification = models.ForeignKey(
        Specification, on_delete=models.CASCADE, related_name="outcomes"
    )
    description = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class SpecificationMeasure(models.Model):
    """A success measure chosen for a specification, towards one of its outcomes."""

    specification = models.ForeignKey(
        Specification, on_delete=models.CASCADE, related_name="measures"
    )
    measure = models.ForeignKey(SuccessMeasure, on_delete=models.PROTECT, related_name="+")
    outcome = models.ForeignKey(
        SpecificationOutcome,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["specification", "measure"], name="measure_once_per_specification"
            )
        ]

    def __str__(self) -> str:
        return str(self.measure)


class MeasureTarget(models.Model):
    """The target for a success measure in one year of the service (year 1, 2, …)."""

    specification_measure = models.ForeignKey(
        SpecificationMeasure, on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    target = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["specification_measure", "year"], name="one_target_per_year"
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Year {self.year}: {self.target}"


class Lot(models.Model):
    """A part of a specification that can be bid for on its own."""

    specification = models.ForeignKey(Specification, on_delete=models.CASCADE, related_name="lots")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    budget = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(budget__gte=0), name="lot_budget_ok")]

    def __str__(self) -> str:
        return self.name


class ServiceCriterion(models.Model):
    """A service-specific criterion with its weight: quality standards or particular
    requirements relevant to this service."""

    specification = models.ForeignKey(
        Specification, on_delete=models.CASCADE, related_name="service_criteria"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "service-specific criteria"

    def __str__(self) -> str:
        return self.name


# --- The Commissioning Plan -------------------------------------------------------------------


class PlanState(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


def _plan_field_url(field: str):
    """Where a draft's section (or its specifications) is changed: the draft's form, at the
    field."""

    def url(plan) -> str:
        return reverse("plan_update", kwargs={"pk": plan.pk}) + f"#id_{field}"

    return url


def _plan_specifications(plan) -> list:
    """The plan's specifications in its order, each with its commission and its parts
    counted: those the page loaded with the plan (`plan_staff_get`), or else read afresh."""
    loaded = page_loaded(plan, "specifications")
    if loaded is not None:
        return loaded
    return list(
        Specification.objects.filter(plans=plan)
        .select_related("commission")
        .with_parts_counted()
        .order_by("commission__reference", "title", "pk")
    )


def _incomplete_specification_url(plan) -> str:
    """The first specification of the plan still to complete, where it is completed."""
    specifications = _plan_specifications(plan)
    incomplete = next((spec for spec in specifications if not spec.is_complete), None)
    return incomplete.get_absolute_url() if incomplete is not None else ""


#: The draft's form, which only the plan's authors may open.
AUTHOR_PLAN = "commissioning.author_plan"


def _specifications_incomplete(plan) -> str:
    """Each incomplete specification with what it still needs, on one line."""
    return "; ".join(
        f"{specification.title}: {', '.join(missing).lower()}"
        for specification in _plan_specifications(plan)
        if (missing := specification.missing_for_completion())
    )


def _specifications_of_other_sectors(plan) -> str:
    others = plan.specifications.exclude(commission__sector_id=plan.sector_id)
    titles = ", ".join(others.order_by("title").values_list("title", flat=True))
    return f"For another sector: {titles}"


class PlanQuerySet(models.QuerySet):
    def public(self):
        return self.filter(state__in=[PlanState.PUBLISHED, PlanState.SUPERSEDED])


class CommissioningPlan(FSMModelMixin, models.Model):
    """The Commissioning Plan for one sector and period: purpose, levels of investment,
    expected outcomes, and procurement, contractual and performance-management arrangements,
    with the specifications of its commissions. A published version never changes."""

    sector = models.ForeignKey(
        "commissioning.Sector", on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    series = models.SlugField(
        max_length=200, help_text="Every version of the same plan shares this"
    )
    version = models.PositiveSmallIntegerField(default=1)
    period_start = models.DateField()
    period_end = models.DateField()
    purpose = models.TextField()
    investment_levels = models.TextField("levels of investment")
    expected_outcomes = models.TextField()
    procurement_arrangements = models.TextField()
    contractual_arrangements = models.TextField()
    performance_management = models.TextField("performance-management arrangements")
    specifications = models.ManyToManyField(Specification, blank=True, related_name="plans")
    state = FSMField(choices=PlanState.choices, default=PlanState.DRAFT, protected=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_plans"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    previous_version = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    pdf = models.FileField(upload_to="plans/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["sector__order", "-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="one_plan_per_version"),
            models.UniqueConstraint(
                fields=["series"],
                condition=Q(state="published"),
                name="one_published_version_per_plan",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="plan_period_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("plan_public_detail", kwargs={"slug": self.slug})

    @property
    def is_editable(self) -> bool:
        return self.state == PlanState.DRAFT

    # --- Conditions: pure; `@condition` gives each the words the officer reads --------------

    @condition(
        "Purpose",
        needed="Write the purpose",
        link=_plan_field_url("purpose"),
        link_permission=AUTHOR_PLAN,
    )
    def has_purpose(self) -> bool:
        return bool(self.purpose.strip())

    @condition(
        "Levels of investment",
        needed="Write the levels of investment",
        link=_plan_field_url("investment_levels"),
        link_permission=AUTHOR_PLAN,
    )
    def has_investment_levels(self) -> bool:
        return bool(self.investment_levels.strip())

    @condition(
        "Expected outcomes",
        needed="Write the expected outcomes",
        link=_plan_field_url("expected_outcomes"),
        link_permission=AUTHOR_PLAN,
    )
    def has_expected_outcomes(self) -> bool:
        return bool(self.expected_outcomes.strip())

    @condition(
        "Procurement arrangements",
        needed="Write the procurement arrangements",
        link=_plan_field_url("procurement_arrangements"),
        link_permission=AUTHOR_PLAN,
    )
    def has_procurement_arrangements(self) -> bool:
        return bool(self.procurement_arrangements.strip())

    @condition(
        "Contractual arrangements",
        needed="Write the contractual arrangements",
        link=_plan_field_url("contractual_arrangements"),
        link_permission=AUTHOR_PLAN,
    )
    def has_contractual_arrangements(self) -> bool:
        return bool(self.contractual_arrangements.strip())

    @condition(
        "Performance management arrangements",
        needed="Write the performance management arrangements",
        link=_plan_field_url("performance_management"),
        link_permission=AUTHOR_PLAN,
    )
    def has_performance_management(self) -> bool:
        return bool(self.performance_management.strip())

    @condition(
        "At least one service specification",
        needed="Add at least one service specification",
        link=_plan_field_url("specifications_1"),
        link_permission=AUTHOR_PLAN,
    )
    def has_specifications(self) -> bool:
        return self.specifications.exists()

    @condition(
        "Every specification is complete",
        needed=_specifications_incomplete,
        link=_incomplete_specification_url,
        link_permission="commissioning.view_commission",
    )
    def specifications_complete(self) -> bool:
        return all(specification.is_complete for specification in _plan_specifications(self))

    @condition(
        lambda plan: f"Every specification is for a {plan.sector.name} commission",
        needed=_specifications_of_other_sectors,
        link=_plan_field_url("specifications_1"),
        link_permission=AUTHOR_PLAN,
    )
    def specifications_in_sector(self) -> bool:
        """A plan is for one sector: its specifications are its commissions'."""
        loaded = page_loaded(self, "specifications")
        if loaded is not None:
            return all(spec.commission.sector_id == self.sector_id for spec in loaded)
        return not self.specifications.exclude(commission__sector_id=self.sector_id).exists()

    # --- Transitions ---------------------------------------------------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=PlanState.DRAFT,
        target=PlanState.AWAITING_APPROVAL,
        permission=commission_rules.can_author_plan,
        conditions=[
            has_purpose,
            has_investment_levels,
            has_expected_outcomes,
            has_procurement_arrangements,
            has_contractual_arrangements,
            has_performance_management,
            has_specifications,
            specifications_complete,
            specifications_in_sector,
        ],
        custom={
            "label": "Send for approval",
            "explanation": "Send the plan to an approver.",
        },
    )
    def submit(self, by=None, description=None):
        self.submitted_by = by

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=PlanState.AWAITING_APPROVAL,
        target=PlanState.APPROVED,
        permission=commission_rules.can_approve_commissioning_plan,
        custom={
            "label": "Approve the plan",
            "explanation": "An approver who did not write or submit the plan approves it.",
        },
    )
    def approve(self, by=None, description=None):
        self.approved_by = by

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=PlanState.AWAITING_APPROVAL,
        target=PlanState.DRAFT,
        permission=commission_rules.can_approve_commissioning_plan,
        custom={
            "label": "Return to draft",
            "reason_required": True,
            "secondary": True,
            "explanation": "The approver sends the plan back with reasons.",
        },
    )
    def return_to_draft(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=PlanState.APPROVED,
        target=PlanState.PUBLISHED,
        permission=commission_rules.can_author_plan,
        custom={
            "label": "Publish the plan",
            "explanation": "Publish the approved plan for everyone; an earlier published version "
            "is superseded.",
        },
    )
    def publish(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=PlanState.PUBLISHED,
        target=PlanState.SUPERSEDED,
        custom={
            "label": "Supersede",
            "internal": True,
            "explanation": "A newer version has been published; this one stays readable.",
        },
    )
    def supersede(self, by=None, description=None):
        pass
