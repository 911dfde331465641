"""Staff pages for commissions: dashboard, commission page, lifecycle actions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, TemplateView

from commissioning import selectors, services
from commissioning.forms import CommissionForm, CommissionTransitionForm, DashboardFilterForm
from commissioning.models import Commission, Stage
from core.mixins import FilterQueryMixin, ObjectPermissionRequiredMixin, StaffRequiredMixin
from core.reauthentication import ReauthenticateBeforeMixin
from core.transition_views import TransitionConfirmView


class StaffDashboardView(StaffRequiredMixin, FilterQueryMixin, ListView):
    """Commissions by stage, with filters and counts, 25 to a page. Unfiltered, the
    officer's own commissions come first, with a link to only theirs."""

    template_name = "commissioning/staff_dashboard.html"
    context_object_name = "commissions"
    paginate_by = 25

    @cached_property
    def form(self) -> DashboardFilterForm:
        return DashboardFilterForm(self.request.GET or None)

    @cached_property
    def filters(self) -> dict:
        cleaned = self.form.cleaned_data if self.form.is_valid() else {}
        return {name: value for name, value in cleaned.items() if value}

    @cached_property
    def all_counts(self) -> dict[str, int]:
        return selectors.commission_stage_counts(
            queryset=Commission.objects.all(), led_by=self.request.user
        )

    def get_queryset(self):
        return selectors.commissions_list(
            stage=self.filters.get("stage") or "",
            sector=self.filters.get("sector"),
            priority=self.filters.get("priority"),
            lead_officer=self.filters.get("lead_officer"),
            first_led_by=None if self.filters else self.request.user,
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if not self.filters:
            paginator.count = self.all_counts["total"]  # counted already: every commission
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            form=self.form,
            filtered=bool(self.filters),
            all_counts=self.all_counts,
            own_count=self.all_counts["led"],
            stages=Stage,
            **kwargs,
        )
        total = context["paginator"].count
        caption = f"{total} commission{pluralize(total)}"
        if self.filters:
            caption = f"{caption} matching your filters"
        elif self.all_counts["led"]:
            caption = f"{caption}, yours first"
        context["list_caption"] = caption
        context["list_empty"] = (
            "No commissions match these filters."
            if self.filters
            else "There are no commissions yet."
        )
        return context


class CommissionCreateView(ObjectPermissionRequiredMixin, FormView):
    permission_required = "commissioning.add_commission"
    form_class = CommissionForm
    template_name = "commissioning/commission_form.html"

    def get_initial(self):
        return {"lead_officer": self.request.user.pk}

    def form_valid(self, form):
        commission = services.commission_create(created_by=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"Commission {commission.reference} created")
        return redirect(commission)


class CommissionMixin:
    """Fetches the commission named in the URL (404 if there is none) for the rules."""

    def get_object(self):
        if not hasattr(self, "_commission"):
            try:
                self._commission = selectors.commission_detail_get(pk=self.kwargs["pk"])
            except Commission.DoesNotExist as exc:
                raise Http404("No such commission") from exc
        return self._commission

    def get_permission_object(self):
        return self.get_object()


class CommissionDetailView(CommissionMixin, ObjectPermissionRequiredMixin, TemplateView):
    """The commission page: the cycle, what is done and missing, actions, timeline."""

    permission_required = "commissioning.view_commission"
    template_name = "commissioning/commission_detail.html"

    def get_context_data(self, **kwargs):
        from procurement.selectors.commission_purchases import commission_purchases

        commission = self.get_object()
        bought = commission.stage in ("do", "review")
        next_steps, actions = selectors.commission_steps_and_actions(
            commission=commission, user=self.request.user
        )
        return super().get_context_data(
            commission=commission,
            purchases=commission_purchases(commission=commission) if bought else None,
            cycle=selectors.commission_cycle_position(commission=commission),
            labels=selectors.commission_labels(commission=commission),
            next_steps=next_steps,
            actions=actions,
            timeline=selectors.commission_timeline(commission=commission),
            can_edit=self.request.user.has_perm("commissioning.change_commission", commission),
            **kwargs,
        )


class CommissionUpdateView(CommissionMixin, ObjectPermissionRequiredMixin, FormView):
    permission_required = "commissioning.change_commission"
    form_class = CommissionForm
    template_name = "commissioning/commission_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def form_valid(self, form):
        commission = services.commission_update(commission=self.get_object(), **form.cleaned_data)
        messages.success(self.request, "Commission updated")
        return redirect(commission)


class CommissionTransitionView(
    CommissionMixin, LoginRequiredMixin, ReauthenticateBeforeMixin, TransitionConfirmView
):
    """Confirm and run one lifecycle action. Offered only when the state machine allows it;
    a crafted request for anything else gets 403 or a clear message, and nothing changes."""

    form_class = CommissionTransitionForm
    template_name = "commissioning/commission_action.html"
    record_name = "commission"
    context_object_name = "commission"
    changed_message = services.CommissionChanged.message
    changed_checked_first = True
    shown_errors = (services.CommissionChanged,)
    reauthenticate_for = frozenset({"approve_awards"})

    def unavailable_message(self) -> str:
        return (
            "That cannot be done while the commission is at "
            f"“{self.get_object().get_state_display()}”. Nothing has been changed."
        )

    def not_allowed_message(self) -> str:
        return self.unavailable_message()

    def transition_make(self, *, name, user, reason, seen_state):
        return services.commission_transition(
            commission=self.get_object(),
            name=name,
            user=user,
            reason=reason,
            seen_state=seen_state,
        )

    def success_message(self, commission) -> str:
        return f"{commission.reference} is now at: {commission.get_state_display()}"
