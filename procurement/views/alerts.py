"""Opportunity alerts: a person chooses the sectors, Corporate Priorities and areas they
want to hear of, is emailed once about each new opportunity that matches, and can follow
the same filter as an Atom feed."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView

from procurement.forms.alerts import OpportunityAlertForm
from procurement.selectors.alerts import opportunity_alert_get
from procurement.services import alerts as services


def alert_feed_url(alert) -> str:
    """The opportunities feed filtered as the alert is."""
    query = [("sector", sector.slug) for sector in alert.sectors.all()]
    query += [("priority", priority.slug) for priority in alert.priorities.all()]
    query += [("area", area.slug) for area in alert.areas.all()]
    url = reverse("procurement:opportunity_feed")
    return f"{url}?{urlencode(query)}" if query else url


class OpportunityAlertView(LoginRequiredMixin, FormView):
    """Set up, change or stop the person's alert of new opportunities."""

    form_class = OpportunityAlertForm
    template_name = "procurement/opportunity_alert.html"

    @cached_property
    def alert(self):
        return opportunity_alert_get(user=self.request.user)

    def get_initial(self):
        if self.alert is None:
            return {}
        return {
            "sectors": list(self.alert.sectors.all()),
            "priorities": list(self.alert.priorities.all()),
            "areas": list(self.alert.areas.all()),
        }

    def post(self, request, *args, **kwargs):
        if "stop" in request.POST:
            services.opportunity_alert_stop(user=request.user)
            messages.success(request, "Your alert has been stopped")
            return redirect("procurement:opportunity_alert")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            alert=self.alert,
            feed_url=alert_feed_url(self.alert) if self.alert else "",
            **kwargs,
        )

    def form_valid(self, form):
        services.opportunity_alert_set(user=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            f"Your alert is saved. We will email {self.request.user.email} when a matching "
            "opportunity is published.",
        )
        return redirect("procurement:opportunity_alert")
