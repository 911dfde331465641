"""Moderation, ranking within the budget and the award recommendation.

Officers and administrators (`procurement.manage_assessment`) see the panel's submitted
scores side by side, moderate each bid, rank the bids and record the recommendation; the
recommendation itself is read by officers, approvers and administrators
(`procurement.view_recommendation`), and approvers act on it from the commission's state
machine. Other council staff and providers get 403, the public the sign-in page. Bids are
sealed until the deadline: before it every page here is 403.

Moderating and recommending are open only while the commission is in assessment; in any
other state the pages are read-only and say why.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, TemplateView

from commissioning.models import CommissionState
from core.forms import form_errors_add
from core.mixins import StaffRequiredMixin
from core.transitions import transition_actions_for
from procurement.forms.moderation import ModerationForm, RecommendationForm
from procurement.models import Bid, Opportunity
from procurement.selectors import assessment as assessment_selectors
from procurement.selectors import moderation as selectors
from procurement.services import moderation as services

S = CommissionState
MODERATION_PER_PAGE = 50
# The ranking page lists this many of the bids not yet moderated (the moderation list has
# them all).
NOT_MODERATED_SHOWN = 20


def read_only_message(commission) -> str:
    """Why moderation and the recommendation cannot be changed in the commission's state."""
    state = commission.state
    if state in (S.DRAFT, S.UNDERSTANDING, S.PLANNING, S.PLAN_APPROVAL, S.APPROVED, S.PROCUREMENT):
        return (
            "The commission has not started assessment yet. Scores can be moderated and awards "
            "recommended once it has."
        )
    if state == S.AWARD_APPROVAL:
        return (
            "The recommendation has been sent to an approver. It cannot be changed unless "
            "they return it."
        )
    if state == S.CANCELLED:
        return "The commission was cancelled. Nothing here can be changed."
    return "The awards have been approved. Nothing here can be changed."


class AssessmentPageMixin(StaffRequiredMixin):
    """Checks the person's role (403) before anything is looked up, so that nobody without
    it learns which records exist; then fetches the opportunity (404 if none) and checks
    that the deadline has passed (403: the bids are sealed)."""

    permission_required = "procurement.manage_assessment"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not self.has_permission():
            return self.handle_no_permission()
        self.load(**kwargs)
        if not self.opportunity.has_closed():
            raise PermissionDenied("Bids are sealed until the deadline")
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        try:
            self.opportunity = selectors.opportunity_for_assessment_get(pk=kwargs["pk"])
        except Opportunity.DoesNotExist as error:
            raise Http404("No such opportunity") from error

    @property
    def commission(self):
        return self.opportunity.specification.commission

    @property
    def editable(self) -> bool:
        return self.commission.state == S.ASSESSMENT

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            opportunity=self.opportunity,
            commission=self.commission,
            editable=self.editable,
            read_only_message="" if self.editable else read_only_message(self.commission),
            **kwargs,
        )


class ModerationView(AssessmentPageMixin, ListView):
    """The bids received, 50 to a page, each summed up in a row: its status, the panel's
    and the moderated weighted totals, how many panel members sent scores and the widest
    divergence; each bid's scores side by side are on its own moderation page. Above
    the list, what is still to do across all of them."""

    template_name = "procurement/moderation/moderation.html"
    context_object_name = "bids"
    paginate_by = MODERATION_PER_PAGE

    def get_queryset(self):
        return selectors.bids_for_moderation(opportunity=self.opportunity)

    @cached_property
    def questions(self):
        return assessment_selectors.opportunity_questions(opportunity=self.opportunity)

    @cached_property
    def progress(self) -> selectors.ModerationProgress:
        return selectors.moderation_progress(opportunity=self.opportunity, questions=self.questions)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = self.progress.received  # counted already: every bid received
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress = self.progress
        context.update(
            moderations=selectors.bid_summaries(
                opportunity=self.opportunity, bids=context["bids"], questions=self.questions
            ),
            received_count=progress.received,
            moderated_count=progress.moderated,
            divergent_count=progress.divergent,
        )
        return context


class ModerateBidView(AssessmentPageMixin, FormView):
    """One bid: each question with every panel member's submitted score and comment, and
    the moderated score and its reasons for all questions at once. Read-only unless the
    commission is in assessment."""

    template_name = "procurement/moderation/moderate_bid.html"
    form_class = ModerationForm

    def load(self, **kwargs) -> None:
        try:
            self.bid = selectors.bid_for_moderation_get(pk=kwargs["pk"])
        except Bid.DoesNotExist as error:
            raise Http404("No such bid") from error
        self.opportunity = self.bid.opportunity

    @cached_property
    def moderation(self):
        return selectors.bid_moderation(bid=self.bid)

    def get_form(self, form_class=None):
        if not self.editable:
            return None
        return super().get_form(form_class)

    @cached_property
    def descriptors(self):
        return assessment_selectors.score_descriptors()

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "moderation": self.moderation,
            "descriptors": self.descriptors,
        }

    def post(self, request, *args, **kwargs):
        if not self.editable:
            messages.error(request, services.assessment_closed_message(self.commission))
            return redirect("procurement:moderate_bid", pk=self.bid.pk)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            bid=self.bid, moderation=self.moderation, descriptors=self.descriptors, **kwargs
        )

    def form_valid(self, form):
        try:
            services.moderation_record(
                bid=self.bid, scores=form.scores(), moderated_by=self.request.user
            )
        except services.AssessmentClosed as error:
            messages.error(self.request, str(error))
            return redirect("procurement:moderate_bid", pk=self.bid.pk)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Moderated scores saved for {self.bid.reference}")
        page = selectors.bid_moderation_page(bid=self.bid, per_page=MODERATION_PER_PAGE)
        return redirect(
            reverse("procurement:moderation", kwargs={"pk": self.opportunity.pk})
            + (f"?page={page}" if page > 1 else "")
            + f"#bid-{self.bid.pk}"
        )


class RankingView(AssessmentPageMixin, FormView):
    """The moderated bids ranked, their amounts adding up against the budget, the set of
    bids the optimiser proposes, and the officer's recommendation for each bid."""

    template_name = "procurement/moderation/ranking.html"
    form_class = RecommendationForm

    @cached_property
    def ranking(self):
        return selectors.opportunity_ranking(
            opportunity=self.opportunity, not_moderated_limit=NOT_MODERATED_SHOWN
        )

    def get_form(self, form_class=None):
        if not self.editable or not self.ranking.ranked:
            return None
        return super().get_form(form_class)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ranking": self.ranking}

    def post(self, request, *args, **kwargs):
        if not self.editable:
            messages.error(request, services.assessment_closed_message(self.commission))
            return redirect("procurement:ranking", pk=self.opportunity.pk)
        if not self.ranking.ranked:
            return redirect("procurement:ranking", pk=self.opportunity.pk)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(ranking=self.ranking, **kwargs)

    def form_valid(self, form):
        try:
            services.recommendation_record(
                opportunity=self.opportunity,
                decisions=form.decisions(),
                recommended_by=self.request.user,
            )
        except services.AssessmentClosed as error:
            messages.error(self.request, str(error))
            return redirect("procurement:ranking", pk=self.opportunity.pk)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Recommendation saved")
        return redirect("procurement:recommendation", pk=self.opportunity.pk)


class RecommendationView(AssessmentPageMixin, TemplateView):
    """The recommendation as the approver reads it: the awards, the bids not recommended
    with the reasons, the total against the budget, and who recommended it. The buttons
    come from the commission's state machine; nobody who recommended any of the awards is
    offered approving or returning them."""

    permission_required = "procurement.view_recommendation"
    template_name = "procurement/moderation/recommendation.html"

    def actions(self):
        commission = self.commission
        if commission.state not in (S.ASSESSMENT, S.AWARD_APPROVAL):
            return []
        # The machine offers approving and returning only to an approver who recommended
        # none of the awards (commissioning/rules.py approve_award).
        return [
            action
            for action in transition_actions_for(instance=commission, user=self.request.user)
            if action.style != "warning"
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            recommendation=selectors.opportunity_recommendation(opportunity=self.opportunity),
            actions=self.actions(),
            can_manage=self.request.user.has_perm("procurement.manage_assessment"),
            **kwargs,
        )
