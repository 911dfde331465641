"""Working Together: an organisation's admins say whether lead bidders can find it for
consortium bids, what it offers and where."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView

from providers import selectors, services
from providers.forms_partnering import PartnerProfileForm
from providers.views.mixins import MemberOrganisationMixin


class PartnerProfileView(MemberOrganisationMixin, FormView):
    permission_required = "providers.manage_organisation"
    form_class = PartnerProfileForm
    template_name = "providers/partner_profile.html"

    @cached_property
    def profile(self):
        return selectors.partner_profile_get(organisation=self.organisation)

    def get_initial(self):
        if self.profile is None:
            return {"areas": list(self.organisation.wards_served.all())}
        return {
            "findable": self.profile.findable,
            "offer": self.profile.offer,
            "areas": list(self.profile.areas.all()),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)

    def form_valid(self, form):
        profile = services.partner_profile_set(
            organisation=self.organisation, by=self.request.user, **form.cleaned_data
        )
        messages.success(
            self.request,
            "Lead bidders can now find your organisation for consortium bids"
            if profile.findable
            else "Lead bidders cannot find your organisation for consortium bids",
        )
        return redirect("organisation_detail", pk=self.organisation.pk)
