"""Published opportunities as an Atom feed, for anyone who wants to hear of new ones."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks

from core.templatetags.portal import money
from procurement.models import Opportunity
from procurement.selectors import opportunities as selectors


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

    def items(self):
        return selectors.opportunities_feed_list()

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
