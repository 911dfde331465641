"""Staff pages for the options appraisal: compare options, add and change them, recommend one.

All council staff can read the appraisal; only the commission's lead officer can change it,
and only until the plan goes for approval (draft, understanding needs or planning).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from commissioning.forms.options import OptionForm, OptionRecommendForm
from commissioning.models import Commission, Option
from commissioning.selectors import options as selectors
from commissioning.services import options as services
from commissioning.views.commissions import CommissionMixin
from core.mixins import ObjectPermissionRequiredMixin


def _appraisal_url(commission) -> str:
    return reverse("options_appraisal", kwargs={"pk": commission.pk})


class OptionsCommissionMixin(CommissionMixin):
    """CommissionMixin without the counts and lists the commission page needs."""

    def get_object(self):
        if not hasattr(self, "_commission"):
            try:
                self._commission = selectors.options_commission_get(pk=self.kwargs["pk"])
            except Commission.DoesNotExist as exc:
                raise Http404("No such commission") from exc
        return self._commission


class OptionMixin:
    """Fetches the option named in the URL (404 if there is none); the rules are asked
    about its commission."""

    def get_option(self) -> Option:
        if not hasattr(self, "_option"):
            try:
                self._option = selectors.option_get(pk=self.kwargs["pk"])
            except Option.DoesNotExist as exc:
                raise Http404("No such option") from exc
        return self._option

    def get_object(self):
        return self.get_option().commission

    def get_permission_object(self):
        return self.get_object()


class OptionsOpenMixin:
    """Once the commission is past planning, send the lead officer back to the (read-only)
    appraisal with a clear message, and change nothing. Runs after the permission check."""

    def dispatch(self, request, *args, **kwargs):
        commission = self.get_object()
        if not selectors.options_editable(commission=commission):
            messages.error(request, str(services.OptionsLocked(commission)))
            return redirect(_appraisal_url(commission))
        return super().dispatch(request, *args, **kwargs)

    def locked(self, exc: services.OptionsLocked):
        messages.error(self.request, str(exc))
        return redirect(_appraisal_url(exc.commission))


class OptionsAppraisalView(OptionsCommissionMixin, ObjectPermissionRequiredMixin, TemplateView):
    """The commission's options side by side, scored against the core criteria."""

    permission_required = "commissioning.view_commission"
    template_name = "commissioning/options_appraisal.html"

    def get_context_data(self, **kwargs):
        commission = self.get_object()
        editable = selectors.options_editable(commission=commission)
        return super().get_context_data(
            commission=commission,
            appraisal=selectors.options_appraisal_get(commission=commission),
            editable=editable,
            can_change=editable
            and self.request.user.has_perm("commissioning.lead_commission", commission),
            **kwargs,
        )


class OptionFormMixin(OptionsOpenMixin):
    form_class = OptionForm
    template_name = "commissioning/option_form.html"

    def get_form_kwargs(self):
        criteria = selectors.option_criteria_list(commission=self.get_object())
        return {**super().get_form_kwargs(), "criteria": criteria}

    def get_context_data(self, **kwargs):
        return super().get_context_data(commission=self.get_object(), **kwargs)

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            option = self.save(form)
        except services.OptionsLocked as exc:
            return self.locked(exc)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                field = next((f for f in (name, f"score_{name}") if f in form.fields), None)
                for error in errors:
                    form.add_error(field, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Option “{option.title}” saved")
        return redirect(_appraisal_url(option.commission))


class OptionCreateView(
    OptionsCommissionMixin, ObjectPermissionRequiredMixin, OptionFormMixin, FormView
):
    permission_required = "commissioning.lead_commission"

    def save(self, form):
        return services.option_create(
            commission=self.get_object(),
            created_by=self.request.user,
            scores=form.scores(),
            **form.details(),
        )


class OptionUpdateView(OptionMixin, ObjectPermissionRequiredMixin, OptionFormMixin, FormView):
    permission_required = "commissioning.lead_commission"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_option()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(option=self.get_option(), **kwargs)

    def save(self, form):
        return services.option_update(
            option=self.get_option(), scores=form.scores(), **form.details()
        )


class OptionRecommendView(OptionMixin, ObjectPermissionRequiredMixin, OptionsOpenMixin, FormView):
    """Record this option as the recommended one, with the reasons; any other option
    recommended for the commission stops being recommended."""

    permission_required = "commissioning.lead_commission"
    form_class = OptionRecommendForm
    template_name = "commissioning/option_recommend.html"

    def get_initial(self):
        return {"rationale": self.get_option().recommendation_rationale}

    def get_context_data(self, **kwargs):
        option = self.get_option()
        criteria = selectors.option_criteria_list(commission=option.commission)
        return super().get_context_data(
            commission=option.commission,
            option=option,
            appraisal=selectors.option_appraise(option=option, criteria=criteria),
            replaces=option.commission.options.filter(is_recommended=True)
            .exclude(pk=option.pk)
            .first(),
            **kwargs,
        )

    def form_valid(self, form):
        option = self.get_option()
        try:
            services.option_recommend(option=option, rationale=form.cleaned_data["rationale"])
        except services.OptionsLocked as exc:
            return self.locked(exc)
        messages.success(self.request, f"“{option.title}” is now the recommended option")
        return redirect(_appraisal_url(option.commission))
