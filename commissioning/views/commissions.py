"""Staff pages for commissions: dashboard, commission page, lifecycle actions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView
from django_fsm import TransitionNotAllowed

from commissioning import selectors, services
from commissioning.forms import CommissionForm, DashboardFilterForm, TransitionForm
from commissioning.models import Commission, CommissionState, Stage
from core.mixins import ObjectPermissionRequiredMixin, StaffRequiredMixin


class StaffDashboardView(StaffRequiredMixin, TemplateView):
    """Commissions by stage, with filters and counts."""

    template_name = "commissioning/staff_dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DashboardFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        commissions = selectors.commissions_list(
            stage=filters.get("stage") or "",
            sector=filters.get("sector"),
            priority=filters.get("priority"),
            lead_officer=filters.get("lead_officer"),
        )
        context.update(
            form=form,
            commissions=commissions,
            counts=selectors.commission_stage_counts(queryset=commissions),
            all_counts=selectors.commission_stage_counts(queryset=Commission.objects.all()),
            stages=Stage,
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
        commission = self.get_object()
        return super().get_context_data(
            commission=commission,
            cycle=selectors.commission_cycle_position(commission=commission),
            next_steps=selectors.commission_next_steps(commission=commission),
            actions=selectors.commission_actions_for(commission=commission, user=self.request.user),
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


class CommissionTransitionView(CommissionMixin, LoginRequiredMixin, FormView):
    """Confirm and run one lifecycle action. Offered only when the state machine allows it;
    a crafted request for anything else gets 403 or a clear message, and nothing changes."""

    form_class = TransitionForm
    template_name = "commissioning/commission_action.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        commission = self.get_object()
        seen_state = request.POST.get("seen_state")
        if request.method == "POST" and seen_state and seen_state != commission.state:
            messages.error(request, services.CommissionChanged.message)
            return redirect(commission)
        try:
            self.spec = selectors.commission_transition_spec(
                commission=commission, name=kwargs["name"]
            )
        except TransitionNotAllowed as exc:
            raise Http404("No such action") from exc
        if self.spec is None:
            messages.error(request, _cannot_now_message(commission))
            return redirect(commission)
        if not self.spec.has_perm(commission, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "reason_required": self.spec.custom.get("reason_required", False),
            "submit_label": self.spec.custom.get("label", "Confirm"),
            "warning": self.spec.custom.get("warning", False),
        }

    def get_initial(self):
        return {"seen_state": self.get_object().state}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            commission=self.get_object(),
            spec=self.spec,
            explanation=(self.spec.method.__doc__ or "").strip(),
            target_label=CommissionState(self.spec.target).label,
            **kwargs,
        )

    def form_valid(self, form):
        commission = self.get_object()
        try:
            services.commission_transition(
                commission=commission,
                name=self.kwargs["name"],
                user=self.request.user,
                reason=form.cleaned_data["reason"],
                seen_state=form.cleaned_data["seen_state"],
            )
        except services.CommissionChanged as exc:
            messages.error(self.request, str(exc))
        except TransitionNotAllowed:
            messages.error(self.request, _cannot_now_message(commission))
        else:
            messages.success(
                self.request, f"{commission.reference} is now at: {commission.get_state_display()}"
            )
        return redirect(commission)


def _cannot_now_message(commission: Commission) -> str:
    return (
        f"That cannot be done while the commission is at “{commission.get_state_display()}”. "
        "Nothing has been changed."
    )
