from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from providers.models import Organisation


class ProviderHomeView(LoginRequiredMixin, ListView):
    """The signed-in person's organisations and their verification status."""

    template_name = "providers/home.html"
    context_object_name = "organisations"

    def get_queryset(self):
        return Organisation.objects.for_user(self.request.user).select_related("sector")
