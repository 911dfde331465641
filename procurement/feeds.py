"""Published opportunities as an Atom feed, for anyone who wants to hear of new ones:
all of them, or those of some sectors, Corporate Priorities and areas (`?sector=…&priority=…
&area=…`, slugs, each repeatable: the filter of an opportunity alert)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks

from core.templatetags.portal import money
from procurement.forms.alerts import AlertFilterForm
from procurement.models import Opportunity
from procurement.selectors import opportunities as selectors
from procurement.selectors.alerts import opportunities_matching


class OpportunityFeed(Feed):
    """Published opportunities as an Atom feed, newest first."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return f"Funding opportunities – {settings.COUNCIL['name']}"

    def subtitle(self) -> str:
        return (
            f"Grants and contracts for voluntary, community, faith and arts organisations "
            f"from {settings.COUNCIL['name']}"
        )

    def link(self) -> str:
        return reverse("procurement:opportunity_list")

    def author_name(self) -> str:
        return settings.COUNCIL["name"]

    def get_object(self, request, *args, **kwargs) -> dict:
        """The filter in the query string; a slug that names nothing is refused (400)."""
        form = AlertFilterForm(request.GET)
        if not form.is_valid():
            raise BadRequest("The feed's filter names no sector, priority or area")
        return {
            "sectors": list(form.cleaned_data["sector"]),
            "priorities": list(form.cleaned_data["priority"]),
            "areas": list(form.cleaned_data["area"]),
        }

    def items(self, obj: dict):
        if not any(obj.values()):
            return selectors.opportunities_feed_list()
        return selectors.opportunities_feed_list(queryset=opportunities_matching(**obj))

    def item_title(self, item: Opportunity) -> str:
        return item.title

    def item_description(self, item: Opportunity) -> str:
        deadline = selectors.opportunity_deadline_words(opportunity=item)
        terms = f"{item.get_funding_type_display()}, {money(item.budget)}. {deadline}."
        text = f"{item.summary}\n\n{terms}"
        return linebreaks(text, autoescape=True)

    def item_link(self, item: Opportunity) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Opportunity):
        return item.published_at

    def item_updateddate(self, item: Opportunity):
        return item.updated_at

    def item_categories(self, item: Opportunity):
        return [item.specification.commission.sector.name]
