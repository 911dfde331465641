from django.views.generic import TemplateView

from core.mixins import StaffRequiredMixin


class HomeView(TemplateView):
    template_name = "commissioning/home.html"


class FrameworkView(TemplateView):
    template_name = "commissioning/framework.html"


class GlossaryView(TemplateView):
    template_name = "commissioning/glossary.html"


class StaffHomeView(StaffRequiredMixin, TemplateView):
    template_name = "commissioning/staff_home.html"
