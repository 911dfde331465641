"""Two-stage opportunities: officers set the stages and shortlist; providers send an
expression of interest, and read the decision.

Who may see an expression of interest is `procurement.view_expression_content`
(procurement/rules.py): members of the organisation, and — after the expressions'
deadline — officers and administrators who have declared no conflict with it. A provider
with no part in it gets 404; council staff otherwise 403.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from core.forms import form_errors_add
from core.mixins import StaffRequiredMixin, object_access_check
from core.transition_views import TransitionConfirmView
from core.transitions import transition_actions_for
from procurement import rules as procurement_rules
from procurement.forms.assessment import DeclarationForm
from procurement.forms.expressions import (
    ExpressionForm,
    ExpressionStageForm,
    ExpressionStartForm,
    ExpressionTransitionForm,
    ShortlistSendForm,
)
from procurement.models import ExpressionOfInterest, ExpressionStage, Opportunity
from procurement.selectors import bids as bid_selectors
from procurement.selectors import expressions as selectors
from procurement.services import expressions as services
from procurement.views.opportunities import ManageOpportunitiesMixin, StaffOpportunityMixin

SHORTLIST = "procurement.shortlist"

# --- Officers: the stages -------------------------------------------------------------------------


class ExpressionStageView(StaffOpportunityMixin, ManageOpportunitiesMixin, FormView):
    """Whether a draft opportunity asks for expressions of interest first, and until when."""

    form_class = ExpressionStageForm
    template_name = "procurement/expressions/stage_form.html"

    def get(self, request, *args, **kwargs):
        return self._published() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._published() or super().post(request, *args, **kwargs)

    def _published(self):
        if self.opportunity.state != "draft":
            messages.error(self.request, "The stages of a published opportunity cannot be changed")
            return redirect("procurement:staff_opportunity_detail", pk=self.opportunity.pk)
        return None

    def get_form_kwargs(self):
        stage = selectors.expression_stage_for(opportunity=self.opportunity)
        return {**super().get_form_kwargs(), "stage": stage}

    def form_valid(self, form):
        try:
            if form.two_stages:
                services.expression_stage_set(
                    opportunity=self.opportunity,
                    closes_at=form.cleaned_data["eoi_closes_at"],
                    user=self.request.user,
                )
                message = "The opportunity has two stages: expressions of interest first"
            else:
                services.expression_stage_remove(opportunity=self.opportunity)
                message = "The opportunity has one stage: organisations send a full bid"
        except ValidationError as error:
            if hasattr(error, "error_dict") and "eoi_closes_at" in error.error_dict:
                for text in error.error_dict["eoi_closes_at"]:
                    form.add_error("eoi_closes_date", text.message)
            else:
                form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect("procurement:staff_opportunity_detail", pk=self.opportunity.pk)


# --- Officers: shortlisting -----------------------------------------------------------------------


class ShortlistMixin(StaffOpportunityMixin, StaffRequiredMixin):
    """The opportunity's expression of interest stage, for officers and administrators."""

    permission_required = SHORTLIST

    @cached_property
    def stage(self) -> ExpressionStage:
        stage = selectors.expression_stage_for(opportunity=self.opportunity)
        if stage is None:
            raise Http404("This opportunity has one stage")
        return stage

    def get_context_data(self, **kwargs):
        return super().get_context_data(stage=self.stage, **kwargs)


class ShortlistView(ShortlistMixin, TemplateView):
    """Before the deadline: how many expressions of interest were received, nothing more.
    After it: declare interests first, then each expression with its decision."""

    template_name = "procurement/expressions/shortlist.html"

    def get_context_data(self, **kwargs):
        stage, user = self.stage, self.request.user
        declared = stage.has_closed() and selectors.shortlist_has_declared(stage=stage, user=user)
        return super().get_context_data(
            counts=selectors.shortlist_state_counts(stage=stage),
            declared=declared,
            rows=selectors.shortlist_rows(stage=stage, user=user) if declared else [],
            send_problems=selectors.shortlist_send_problems(stage=stage),
            **kwargs,
        )


class ShortlistDeclareView(ShortlistMixin, FormView):
    """Declare, for every organisation that expressed interest, whether the officer has a
    conflict of interest — once, after the deadline, before reading any."""

    form_class = DeclarationForm
    template_name = "procurement/expressions/shortlist_declare.html"

    def get(self, request, *args, **kwargs):
        return self._refused() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refused() or super().post(request, *args, **kwargs)

    def _refused(self):
        if not self.stage.has_closed():
            messages.error(
                self.request,
                "You can declare your interests once the deadline for expressions of interest "
                "has passed",
            )
        elif selectors.shortlist_has_declared(stage=self.stage, user=self.request.user):
            messages.info(self.request, "You have already declared your interests")
        else:
            return None
        return redirect(self.stage)

    @cached_property
    def organisations(self):
        return selectors.shortlist_organisations(stage=self.stage)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisations": self.organisations}

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisations=self.organisations, **kwargs)

    def form_valid(self, form):
        try:
            services.shortlist_declarations_record(
                stage=self.stage, user=self.request.user, declarations=form.declarations()
            )
        except services.ShortlistError as error:
            messages.error(self.request, str(error))
            return redirect(self.stage)
        messages.success(self.request, "Your declarations have been recorded")
        return redirect(self.stage)


class ShortlistSendView(ShortlistMixin, FormView):
    """Send every organisation its decision: the shortlisted are invited to bid, the others
    get the reasons as feedback."""

    form_class = ShortlistSendForm
    template_name = "procurement/expressions/shortlist_send.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            problems=selectors.shortlist_send_problems(stage=self.stage),
            counts=selectors.shortlist_state_counts(stage=self.stage),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.shortlist_decisions_send(stage=self.stage, user=self.request.user)
        except services.ShortlistError as error:
            messages.error(self.request, f"{error} Nothing has been sent.")
            return redirect(self.stage)
        messages.success(self.request, "The decisions have been sent to every organisation")
        return redirect(self.stage)


# --- Providers ------------------------------------------------------------------------------------


class ExpressionStartView(LoginRequiredMixin, FormView):
    """Start an expression of interest for one of the person's organisations; one that has
    started already goes to it."""

    form_class = ExpressionStartForm
    template_name = "procurement/expressions/start.html"

    @cached_property
    def opportunity(self) -> Opportunity:
        opportunity = get_object_or_404(
            Opportunity.objects.published().select_related("expression_stage"),
            slug=self.kwargs["slug"],
        )
        if selectors.expression_stage_for(opportunity=opportunity) is None:
            raise Http404("This opportunity has one stage")
        return opportunity

    @cached_property
    def organisations(self) -> list:
        return list(bid_selectors.organisations_for_user(user=self.request.user))

    @cached_property
    def live(self) -> dict:
        return selectors.expressions_for_organisations(
            opportunity=self.opportunity, organisations=self.organisations
        )

    def get(self, request, *args, **kwargs):
        if len(self.organisations) == 1 and self.organisations[0].pk in self.live:
            return redirect(self.live[self.organisations[0].pk])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.organisations or not self.opportunity.expression_stage.is_open():
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisations": self.organisations}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            opportunity=self.opportunity,
            stage=self.opportunity.expression_stage,
            organisations=self.organisations,
            is_open=self.opportunity.expression_stage.is_open(),
            **kwargs,
        )

    def form_valid(self, form):
        organisation = form.cleaned_data["organisation"]
        try:
            expression, _created = services.expression_start(
                opportunity=self.opportunity, organisation=organisation, user=self.request.user
            )
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect(self.opportunity)
        return redirect("procurement:expression_edit", pk=expression.pk)


class ExpressionMixin(LoginRequiredMixin):
    """The expression of interest named by the URL, for those who may read it: 404 for a
    provider with no part in it, 403 for council staff while it is sealed to them."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.expression = selectors.expression_get(pk=kwargs["pk"])
        except ExpressionOfInterest.DoesNotExist as error:
            raise Http404("No such expression of interest") from error
        # The rule itself, not has_perm: a superuser passes every has_perm.
        object_access_check(
            allowed=procurement_rules.view_expression_content.test(request.user, self.expression),
            user=request.user,
            staff_message="Expressions of interest are sealed until their deadline, and read "
            "only by officers who have declared no conflict",
            not_found="No such expression of interest",
        )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def can_act(self) -> bool:
        return procurement_rules.act_for_expression.test(self.request.user, self.expression)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            expression=self.expression,
            opportunity=self.expression.opportunity,
            stage=self.expression.stage,
            can_act=self.can_act,
            **kwargs,
        )


class ExpressionDetailView(ExpressionMixin, TemplateView):
    """The expression of interest as it stands, its actions, and — once sent — the
    decision with its reasons and the way to the full bid."""

    template_name = "procurement/expressions/detail.html"

    def get_context_data(self, **kwargs):
        expression = self.expression
        return super().get_context_data(
            editable=self.can_act and selectors.expression_is_editable(expression=expression),
            actions=transition_actions_for(instance=expression, user=self.request.user),
            decision_shown=selectors.expression_decision_shown(expression=expression)
            or not self.can_act,
            # The organisation learns its decision when the decisions are sent.
            hide_decision=self.can_act
            and not selectors.expression_decision_shown(expression=expression),
            **kwargs,
        )


class ExpressionEditView(ExpressionMixin, FormView):
    form_class = ExpressionForm
    template_name = "procurement/expressions/form.html"

    def get(self, request, *args, **kwargs):
        return self._guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._guard() or super().post(request, *args, **kwargs)

    def _guard(self):
        if not self.can_act:
            raise PermissionDenied("Only the organisation can change its expression of interest")
        if not selectors.expression_is_editable(expression=self.expression):
            if self.expression.state == "draft":
                message = selectors.expression_closed_message(stage=self.expression.stage)
            else:
                message = selectors.expression_locked_message(expression=self.expression)
            messages.error(self.request, message)
            return redirect(self.expression)
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "expression": self.expression}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.expression_update(
                expression=self.expression,
                summary=data["summary"],
                amount_estimate=data["amount_estimate"],
                partners=data["partners"],
            )
        except services.ExpressionLocked as error:
            messages.error(self.request, str(error))
            return redirect(self.expression)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your expression of interest has been saved")
        return redirect(self.expression)


class ExpressionTransitionView(ExpressionMixin, TransitionConfirmView):
    """Confirm and make one action: send, reopen or withdraw (the organisation); shortlist,
    decline or reconsider (an officer with no conflict, with reasons)."""

    form_class = ExpressionTransitionForm
    template_name = "procurement/expressions/action.html"
    record_name = "expression of interest"
    reason_label = "Reasons for the decision"
    reason_message = "Enter the reasons for the decision"
    changed_message = services.ExpressionChanged.message
    shown_errors = (services.ExpressionChanged,)

    def get_object(self) -> ExpressionOfInterest:
        return self.expression

    def transition_make(self, *, name, user, reason, seen_state):
        return services.expression_transition(
            expression=self.expression, name=name, user=user, reason=reason, seen_state=seen_state
        )

    def success_message(self, result) -> str:
        return {
            "submit": f"Expression of interest {result.reference} sent",
            "reopen": "Your expression of interest is a draft again. Send it again before "
            "the deadline or it will not be considered.",
            "withdraw": f"Expression of interest {result.reference} withdrawn",
            "shortlist": f"{result.organisation.name} shortlisted",
            "decline": f"{result.organisation.name} not shortlisted",
            "reconsider": f"The decision on {result.organisation.name} has been taken back",
        }[self.spec.name]

    def get_success_url(self) -> str:
        spec = getattr(self, "spec", None)
        if spec is not None and spec.name in ("shortlist", "decline"):
            return reverse("procurement:shortlist", kwargs={"pk": self.expression.opportunity_id})
        return self.expression.get_absolute_url()
