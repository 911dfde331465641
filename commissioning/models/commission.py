"""The Commission: the spine of the portal, moving Understand → Plan → Do → Review.

Its lifecycle is a django-fsm-2 state machine. Each transition names who may make it
(`permission=`, a rule in `commissioning/rules.py`) and what must be true first
(`conditions=`, pure methods; `@condition` gives each the sentence the officer reads on the
commission's page, ticked or missing). Transitions are logged (who, when, from, to, why) by
django-fsm-log; `commissioning.services.commission_transition` is the one way to run them.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from commissioning import rules as commission_rules
from core.transitions import answered_once, condition, page_loaded


class CommissionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    UNDERSTANDING = "understanding", "Understanding needs"
    PLANNING = "planning", "Planning"
    PLAN_APPROVAL = "plan_approval", "Plan awaiting approval"
    APPROVED = "approved", "Plan approved"
    PROCUREMENT = "procurement", "Procurement"
    ASSESSMENT = "assessment", "Assessment"
    AWARD_APPROVAL = "award_approval", "Awards awaiting approval"
    DELIVERY = "delivery", "Delivery"
    REVIEW = "review", "Review"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class Stage(models.TextChoices):
    """The four stages of the commissioning cycle."""

    UNDERSTAND = "understand", "Understand"
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    REVIEW = "review", "Review"


S = CommissionState
STAGE_OF_STATE: dict[str, str] = {
    S.DRAFT: Stage.UNDERSTAND,
    S.UNDERSTANDING: Stage.UNDERSTAND,
    S.PLANNING: Stage.PLAN,
    S.PLAN_APPROVAL: Stage.PLAN,
    S.APPROVED: Stage.PLAN,
    S.PROCUREMENT: Stage.DO,
    S.ASSESSMENT: Stage.DO,
    S.AWARD_APPROVAL: Stage.DO,
    S.DELIVERY: Stage.DO,
    S.REVIEW: Stage.REVIEW,
    S.CLOSED: Stage.REVIEW,
    S.CANCELLED: "",
}
STATES_OF_STAGE: dict[str, list[str]] = {
    stage: [state for state, of in STAGE_OF_STATE.items() if of == stage] for stage in Stage
}
CANCELLABLE = [
    S.DRAFT,
    S.UNDERSTANDING,
    S.PLANNING,
    S.PLAN_APPROVAL,
    S.APPROVED,
    S.PROCUREMENT,
    S.ASSESSMENT,
    S.AWARD_APPROVAL,
]


def _evaluation_url(commission) -> str:
    return reverse("monitoring:commission_evaluation", kwargs={"pk": commission.pk})


def _evidence_url(commission) -> str:
    return reverse("engagement:evidence_create") + f"?commission={commission.pk}"


def _gaps_url(commission) -> str:
    return reverse("engagement:gap_analysis", kwargs={"pk": commission.pk})


def _options_url(commission) -> str:
    return reverse("options_appraisal", kwargs={"pk": commission.pk})


def _specifications_with_parts(commission):
    """The specifications with their outcomes and measures' targets: those the page loaded,
    or else read afresh."""
    loaded = page_loaded(commission, "specifications")
    if loaded is not None:
        return loaded
    return commission.specifications.with_parts_counted()


def _specification_url(commission) -> str:
    """The first specification still to complete, or where to add one."""
    specifications = _specifications_with_parts(commission)
    incomplete = next((spec for spec in specifications if not spec.is_complete), None)
    if incomplete is not None:
        return incomplete.get_absolute_url()
    return reverse("specification_create", kwargs={"pk": commission.pk})


def _plans_url(commission) -> str:
    return reverse("plan_staff_list")


# The Do stage's conditions are met on procurement's pages, found through its selectors.


def _bidding_url(commission) -> str:
    from procurement.selectors.assessment import commission_bidding_opportunity_url

    return commission_bidding_opportunity_url(commission=commission)


def _panel_url(commission) -> str:
    from procurement.selectors.assessment import commission_assessment_url

    return commission_assessment_url(commission=commission, page="panel")


def _moderation_url(commission) -> str:
    from procurement.selectors.assessment import commission_assessment_url

    return commission_assessment_url(commission=commission, page="moderation")


#: The rule the panel and moderation pages check.
MANAGE_ASSESSMENT = "procurement.manage_assessment"
#: The rule the conflicts assessment page checks.
DECLARE_INTERESTS = "procurement.declare_officer_interests"


@answered_once  # asked by the condition, what it still needs and where: once a page
def _assessment_reviews_missing(commission) -> list:
    """`contracts_not_reviewed` at assessment: from the opportunities the page loaded with
    `reviewed_at_assessment` (`commission_detail_get`) when it did, else asked afresh."""
    from procurement.models import FundingType
    from procurement.models.bidding import PUBLISHED_STATES
    from procurement.selectors.assessment import commission_opportunities
    from procurement.selectors.conflicts_assessment import contracts_not_reviewed

    if page_loaded(commission, "specifications") is not None:
        loaded = commission_opportunities(commission=commission)
        if all(hasattr(opportunity, "reviewed_at_assessment") for opportunity in loaded):
            return [
                opportunity
                for opportunity in loaded
                if opportunity.funding_type == FundingType.CONTRACT
                and opportunity.state in PUBLISHED_STATES
                and not opportunity.reviewed_at_assessment
            ]
    return contracts_not_reviewed(commission=commission, stage="assessment")


def _assessment_review_words(commission) -> list[str]:
    return [
        f"Review the conflicts assessment for {opportunity.reference} ({opportunity.title}) "
        "at the assessment of bids: everyone involved declares their interests again"
        for opportunity in _assessment_reviews_missing(commission)
    ]


def _assessment_review_url(commission) -> str:
    from procurement.selectors.conflicts_assessment import conflicts_assessment_url

    missing = _assessment_reviews_missing(commission)
    return conflicts_assessment_url(opportunity=missing[0] if missing else None)


class CommissionQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("sector", "lead_officer").prefetch_related("priorities")

    def in_stage(self, stage: str):
        return self.filter(state__in=STATES_OF_STAGE[stage])


class Commission(ConcurrentTransitionMixin, models.Model):
    """One piece of council investment moving through the commissioning cycle."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    title = models.CharField(max_length=200)
    sector = models.ForeignKey(
        "commissioning.Sector", on_delete=models.PROTECT, related_name="commissions"
    )
    priorities = models.ManyToManyField(
        "commissioning.CorporatePriority", related_name="commissions"
    )
    themes = models.ManyToManyField(
        "commissioning.CrossCuttingTheme",
        blank=True,
        related_name="commissions",
        verbose_name="cross-cutting themes",
    )
    areas = models.ManyToManyField(
        "commissioning.Area", related_name="commissions", verbose_name="wards and areas"
    )
    indicative_budget = models.DecimalField(max_digits=12, decimal_places=2)
    period_start = models.DateField("start of the period")
    period_end = models.DateField("end of the period")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_commissions"
    )
    summary = models.TextField()
    state = FSMField(choices=CommissionState.choices, default=CommissionState.DRAFT, protected=True)
    plan_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who asked for the plan to be approved: they may not approve it",
    )
    award_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who recommended the awards: they may not approve them",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    previous_cycle = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_cycles",
        help_text="The commission this one recommissions or redesigns, from the cycle before",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommissionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="commission_period_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(indicative_budget__gte=0),
                name="commission_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commission_detail", kwargs={"pk": self.pk})

    @property
    def stage(self) -> str:
        return STAGE_OF_STATE[self.state]

    # --- Conditions: pure, side-effect free; `@condition` says what each guards ----------------

    @condition(
        "At least one piece of needs-assessment evidence is linked to the commission.",
        needed="Add needs-assessment evidence for this commission",
        link=_evidence_url,
    )
    def has_needs_evidence(self) -> bool:
        counted = page_loaded(self, "evidence_count")
        return bool(counted) if counted is not None else self.evidence_items.exists()

    @condition(
        "At least one gap is recorded in the gap analysis.",
        needed="Record at least one gap in the gap analysis",
        link=_gaps_url,
    )
    def has_gap_analysis(self) -> bool:
        counted = page_loaded(self, "gap_count")
        return bool(counted) if counted is not None else self.gaps.exists()

    @condition(
        "One option in the options appraisal is recorded as recommended, with its rationale.",
        needed="Recommend one option in the options appraisal, with its rationale",
        link=_options_url,
    )
    def has_recommended_option(self) -> bool:
        counted = page_loaded(self, "recommended_option_count")
        if counted is not None:
            return bool(counted)
        return self.options.filter(is_recommended=True).exists()

    @condition(
        "At least one service specification is complete: outcomes, success measures with "
        "targets, budget, duration and eligibility.",
        needed="Complete a service specification: its outcomes, success measures with targets, "
        "budget, duration and eligibility",
        link=_specification_url,
    )
    def has_complete_specification(self) -> bool:
        return any(spec.is_complete for spec in _specifications_with_parts(self))

    @condition(
        "The Commissioning Plan that includes its specification is published.",
        needed="Include a specification in a Commissioning Plan, and publish the plan",
        link=_plans_url,
    )
    def has_published_plan(self) -> bool:
        return self.specifications.filter(plans__state="published").exists()

    # The Do stage's conditions read procurement's records through its selectors.

    @condition(
        "At least one opportunity was published for the commission, and every one of them "
        "has passed its deadline.",
        link=_bidding_url,
        link_permission="procurement.manage_opportunities",
    )
    def bidding_has_closed(self) -> bool:
        from procurement.selectors.assessment import commission_bidding_has_closed

        return commission_bidding_has_closed(commission=self)

    @condition(
        "Every bid received is assigned to a panel member, and every panel member has "
        "submitted all their scores for the bids assigned to them.",
        link=_panel_url,
        link_permission=MANAGE_ASSESSMENT,
    )
    def scores_are_complete(self) -> bool:
        from procurement.selectors.assessment import commission_scores_are_complete

        return commission_scores_are_complete(commission=self)

    @condition(
        "Every declared conflict of interest has been dealt with: the bid reassigned to "
        "another panel member, or the reason recorded why no one else is needed.",
        link=_panel_url,
        link_permission=MANAGE_ASSESSMENT,
    )
    def conflicts_are_resolved(self) -> bool:
        from procurement.selectors.assessment import commission_conflicts_are_resolved

        return commission_conflicts_are_resolved(commission=self)

    @condition(
        "Every bid received has a moderated score for every question and a recommendation: "
        "an award with its amount, or the reasons it was not successful; and the awards for "
        "each opportunity fit within its budget.",
        link=_moderation_url,
        link_permission=MANAGE_ASSESSMENT,
    )
    def has_award_recommendation(self) -> bool:
        from procurement.selectors.moderation import commission_has_award_recommendation

        return commission_has_award_recommendation(commission=self)

    @condition(
        "For a contract, the conflicts assessment is reviewed at the assessment of bids: "
        "everyone involved has declared their interests again (Procurement Act 2023, s.83).",
        needed=_assessment_review_words,
        link=_assessment_review_url,
        link_permission=DECLARE_INTERESTS,
    )
    def contracts_conflicts_reviewed(self) -> bool:
        """Every published contract opportunity of the commission has its conflicts
        assessment reviewed at the assessment stage. Grants are outside the Act."""
        return not _assessment_reviews_missing(self)

    # Review reads monitoring's evaluation through its selectors.

    @condition(
        "The commission’s evaluation is complete: impact, lessons learned and a "
        "recommendation for the next cycle.",
        needed="Complete the commission’s evaluation",
        link=_evaluation_url,
        link_permission="monitoring.view_evaluation",
    )
    def has_completed_evaluation(self) -> bool:
        from monitoring.evaluation_selectors import commission_evaluation_is_complete

        return commission_evaluation_is_complete(commission=self)

    # --- Transitions ---------------------------------------------------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.DRAFT,
        target=S.UNDERSTANDING,
        permission=commission_rules.can_lead,
        custom={
            "label": "Start understanding needs",
            "explanation": "Begin engagement, local assessment and mapping of existing provision.",
        },
    )
    def start_understanding(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.UNDERSTANDING,
        target=S.PLANNING,
        permission=commission_rules.can_lead,
        conditions=[has_needs_evidence, has_gap_analysis],
        custom={
            "label": "Move to planning",
            "explanation": "Needs and gaps are understood: appraise options and design services.",
        },
    )
    def start_planning(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.PLANNING,
        target=S.PLAN_APPROVAL,
        permission=commission_rules.can_lead,
        conditions=[has_recommended_option, has_complete_specification],
        custom={
            "label": "Ask for plan approval",
            "explanation": "Send the options appraisal and specifications to an approver.",
        },
    )
    def request_plan_approval(self, by=None, description=None):
        self.plan_requested_by = by

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.PLAN_APPROVAL,
        target=S.APPROVED,
        permission=commission_rules.can_approve_plan,
        custom={
            "label": "Approve the plan",
            "explanation": "An approver who did not ask for approval signs the plan off.",
        },
    )
    def approve_plan(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.PLAN_APPROVAL,
        target=S.PLANNING,
        permission=commission_rules.can_approve_plan,
        custom={
            "label": "Return the plan",
            "reason_required": True,
            "secondary": True,
            "explanation": "The approver sends the plan back with reasons.",
        },
    )
    def return_plan(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.APPROVED,
        target=S.PROCUREMENT,
        permission=commission_rules.can_lead,
        conditions=[has_published_plan],
        custom={
            "label": "Start procurement",
            "explanation": "Publish the opportunity and invite bids.",
        },
    )
    def start_procurement(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.PROCUREMENT,
        target=S.ASSESSMENT,
        permission=commission_rules.can_lead,
        conditions=[bidding_has_closed],
        custom={
            "label": "Start assessment",
            "explanation": "Bidding has closed: the panel assesses the bids.",
        },
    )
    def start_assessment(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.ASSESSMENT,
        target=S.AWARD_APPROVAL,
        permission=commission_rules.can_lead,
        conditions=[
            scores_are_complete,
            conflicts_are_resolved,
            has_award_recommendation,
            contracts_conflicts_reviewed,
        ],
        custom={
            "label": "Recommend awards for approval",
            "explanation": "Send the recommended awards to an approver.",
        },
    )
    def request_award_approval(self, by=None, description=None):
        self.award_requested_by = by

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.AWARD_APPROVAL,
        target=S.DELIVERY,
        permission=commission_rules.can_approve_award,
        custom={
            "label": "Approve the awards",
            "explanation": "An approver who did not recommend the awards approves them; delivery "
            "starts.",
        },
    )
    def approve_awards(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.AWARD_APPROVAL,
        target=S.ASSESSMENT,
        permission=commission_rules.can_approve_award,
        custom={
            "label": "Return the recommendation",
            "reason_required": True,
            "secondary": True,
            "explanation": "The approver sends the award recommendation back with reasons.",
        },
    )
    def return_awards(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.DELIVERY,
        target=S.REVIEW,
        permission=commission_rules.can_lead,
        custom={
            "label": "Start review",
            "explanation": "Delivery has run its course: evaluate impact and lessons learned.",
        },
    )
    def start_review(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=S.REVIEW,
        target=S.CLOSED,
        permission=commission_rules.can_lead,
        conditions=[has_completed_evaluation],
        custom={
            "label": "Close the commission",
            "explanation": "The evaluation is recorded; what was learned informs the next cycle.",
        },
    )
    def close(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=CANCELLABLE,
        target=S.CANCELLED,
        permission=commission_rules.can_cancel,
        custom={
            "label": "Cancel the commission",
            "reason_required": True,
            "destructive": True,
            "explanation": "Stop the commission before any award is made, with reasons.",
        },
    )
    def cancel(self, by=None, description=None):
        pass
