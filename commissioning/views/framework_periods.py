"""Administrators start a new period of the Commissioning Framework (for example 2026 to
2029) from the one in force, then change its priorities, themes and criteria in the admin.
Commissions opened from then on use them; the old period's published record is kept."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from commissioning.forms.framework_periods import FrameworkPeriodForm
from commissioning.models import Framework
from commissioning.selectors import framework_periods as selectors
from commissioning.selectors.framework import framework_current_get, framework_overview_get
from commissioning.services.framework_periods import framework_period_start
from core.forms import form_errors_add
from core.mixins import ObjectPermissionRequiredMixin


class AdministratorMixin(ObjectPermissionRequiredMixin):
    permission_required = "commissioning.start_framework_period"

    def get_permission_object(self):
        return None


class FrameworkPeriodListView(AdministratorMixin, TemplateView):
    """Every period of the framework, the one in force first."""

    template_name = "commissioning/framework_periods.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            frameworks=selectors.frameworks_list(),
            commission_counts=selectors.framework_priority_counts(),
            **kwargs,
        )


class FrameworkPeriodStartView(AdministratorMixin, FormView):
    form_class = FrameworkPeriodForm
    template_name = "commissioning/framework_period_form.html"

    def get_initial(self):
        current = framework_current_get()
        if current is None:
            return {}
        # The year after the period in force ends, or this year if that has passed.
        start = max(current.period_end + 1, timezone.localdate().year)
        length = current.period_end - current.period_start
        return {"title": current.title, "period_start": start, "period_end": start + length}

    def get_context_data(self, **kwargs):
        return super().get_context_data(current=framework_current_get(), **kwargs)

    def form_valid(self, form):
        try:
            framework = framework_period_start(**form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"The {framework.period} framework is now in force. Change its priorities, "
            "themes and criteria before opening commissions in it.",
        )
        return redirect(reverse("framework_periods"))


class FrameworkPeriodView(TemplateView):
    """Any period of the framework, as it was published: an earlier period's page says it is
    no longer in force and links to the one that is."""

    template_name = "commissioning/framework.html"

    def get_context_data(self, **kwargs):
        try:
            framework = selectors.framework_public_get(slug=self.kwargs["slug"])
        except Framework.DoesNotExist as exc:
            raise Http404("No such framework") from exc
        return super().get_context_data(
            framework=framework,
            overview=framework_overview_get(framework=framework),
            other_periods=selectors.frameworks_earlier(framework=framework),
            **kwargs,
        )
