"""Council staff: the map of existing service provision."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView

from engagement.forms.provision import ProvisionFilterForm, ProvisionForm
from engagement.models import ServiceProvision
from engagement.selectors.provision import provision_list, provision_total_value
from engagement.services.provision import provision_create, provision_update
from engagement.views.evidence import ManagesRecordsMixin, ViewsRecordsMixin


class ProvisionListView(ViewsRecordsMixin, ListView):
    """Every existing service matching the filters, with the total annual value shown."""

    template_name = "engagement/provision_list.html"
    context_object_name = "services"

    def get_queryset(self):
        self.filter_form = ProvisionFilterForm(self.request.GET or None)
        return provision_list(**self.filter_form.filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.filter_form
        context["filtered"] = bool(self.filter_form.filters)
        context["total_value"] = provision_total_value(self.object_list)
        return context


class ProvisionCreateView(ManagesRecordsMixin, FormView):
    template_name = "engagement/provision_form.html"
    form_class = ProvisionForm

    def form_valid(self, form):
        service = provision_create(recorded_by=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"Service added: {service.service}")
        return redirect("engagement:provision_list")


class ProvisionUpdateView(ManagesRecordsMixin, FormView):
    template_name = "engagement/provision_form.html"
    form_class = ProvisionForm

    @cached_property
    def object(self) -> ServiceProvision:
        return get_object_or_404(ServiceProvision, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        service = provision_update(provision=self.object, **form.cleaned_data)
        messages.success(self.request, f"Service updated: {service.service}")
        return redirect("engagement:provision_list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["service"] = self.object
        return context
