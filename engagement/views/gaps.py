"""Council staff: a commission's gap analysis, and recording the gaps in it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from commissioning.models import Commission
from core.forms import form_errors_add
from engagement.forms.gaps import GapForm
from engagement.models import Gap
from engagement.selectors.gaps import commission_for_gaps_get, gap_analysis_get, gap_get
from engagement.services.gaps import gap_record, gap_update
from engagement.views.evidence import ManagesRecordsMixin, ViewsRecordsMixin


class GapAnalysisView(ViewsRecordsMixin, TemplateView):
    """The priorities × areas grid of need and provision, and the gaps recorded."""

    template_name = "engagement/gap_analysis.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            commission = commission_for_gaps_get(pk=self.kwargs["pk"])
        except Commission.DoesNotExist as error:
            raise Http404 from error
        context["commission"] = commission
        context["analysis"] = gap_analysis_get(commission=commission)
        return context


class _GapFormView(ManagesRecordsMixin, FormView):
    template_name = "engagement/gap_form.html"
    form_class = GapForm

    @property
    def commission(self) -> Commission:
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "commission": self.commission}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["commission"] = self.commission
        return context

    def save(self, form) -> Gap:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            gap = self.save(form)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Gap saved: {gap.priority.name}")
        return redirect("engagement:gap_analysis", pk=self.commission.pk)


class GapCreateView(_GapFormView):
    @cached_property
    def commission(self) -> Commission:
        try:
            return commission_for_gaps_get(pk=self.kwargs["pk"])
        except Commission.DoesNotExist as error:
            raise Http404 from error

    def save(self, form) -> Gap:
        return gap_record(
            commission=self.commission, recorded_by=self.request.user, **form.cleaned_data
        )


class GapUpdateView(_GapFormView):
    @cached_property
    def gap(self) -> Gap:
        try:
            return gap_get(pk=self.kwargs["pk"])
        except Gap.DoesNotExist as error:
            raise Http404 from error

    @cached_property
    def commission(self) -> Commission:
        return self.gap.commission

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.gap}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["gap"] = self.gap
        return context

    def save(self, form) -> Gap:
        return gap_update(recorded_gap=self.gap, **form.cleaned_data)
