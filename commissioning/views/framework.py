"""Public pages: the portal's home, the framework and its glossary."""

from django.views.generic import TemplateView

from commissioning import selectors
from commissioning.selectors.framework_periods import frameworks_earlier
from commissioning.selectors.home import home_page


class HomeView(TemplateView):
    """What the portal is; what is open now, what the council has decided and what it plans,
    each with its latest items; the commissioning cycle, and where each audience starts."""

    template_name = "commissioning/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        framework = selectors.framework_current_get()
        context["framework"] = framework
        context["stages"] = (
            list(selectors.cycle_stages_list(framework=framework)) if framework else []
        )
        context["latest"] = home_page()
        return context


class FrameworkView(TemplateView):
    template_name = "commissioning/framework.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        framework = selectors.framework_current_get()
        context["framework"] = framework
        context["overview"] = (
            selectors.framework_overview_get(framework=framework) if framework else None
        )
        context["other_periods"] = frameworks_earlier(framework=framework)
        return context


class GlossaryView(TemplateView):
    template_name = "commissioning/glossary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        framework = selectors.framework_current_get()
        context["framework"] = framework
        context["terms"] = (
            list(selectors.glossary_terms_list(framework=framework)) if framework else []
        )
        return context
