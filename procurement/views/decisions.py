"""Decisions: each bidder's feedback once the council has approved the awards, and the
public register of awards with its Atom feed.

The feedback page is for the members of the bid's lead organisation and of its consortium
partners, and for council staff who read bids (officers, approvers, administrators). It
is 404 for everyone until the decision is approved, and for a provider with no part in the
bid; other council staff get 403. The register lists approved, successful awards only.
"""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.views import View
from django.views.generic import ListView, TemplateView

from core.csv_export import csv_response
from core.mixins import FilterQueryMixin, object_access_check
from core.templatetags.portal import govuk_date, money
from procurement import rules as procurement_rules
from procurement.forms.decisions import FILTERS, DecisionFilterForm
from procurement.models import AwardDecision, Bid
from procurement.selectors import bids as bid_selectors
from procurement.selectors import decisions as selectors


class BidFeedbackView(LoginRequiredMixin, TemplateView):
    """The council's decision on a bid and the feedback on it: the outcome, the amount and
    conditions or the reasons, and each question's moderated score and reasons."""

    template_name = "procurement/decisions/bid_feedback.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.bid = bid_selectors.bid_get(pk=kwargs["pk"])
        except Bid.DoesNotExist as error:
            raise Http404("No such bid") from error
        self.decision = selectors.decision_approved_for_bid(bid=self.bid)
        if self.decision is None:
            raise Http404("The council has not decided on this bid yet")
        object_access_check(
            allowed=request.user.has_perm("procurement.view_bid_feedback", self.bid),
            user=request.user,
            staff_message="Only staff who read bids may read the feedback",
            not_found="No such bid",
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        feedback = selectors.decision_feedback(decision=self.decision)
        return super().get_context_data(
            bid=self.bid,
            decision=self.decision,
            feedback=feedback,
            total_words=selectors.score_total_words(feedback.total),
            can_act=procurement_rules.act_for_bid.test(self.request.user, self.bid),
            is_partner=procurement_rules.is_member_of_partner.test(self.request.user, self.bid),
            **kwargs,
        )


# --- The public register -----------------------------------------------------------------------


class DecisionListView(FilterQueryMixin, ListView):
    """The register of awards, for everyone: searchable and filterable, with the total
    awarded by the awards listed."""

    template_name = "procurement/decisions/decision_list.html"
    context_object_name = "decisions"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = DecisionFilterForm(self.request.GET)
        self.filters = self.filter_form.filters
        return selectors.decisions_public_matching(**self.filters)

    def get_paginator(self, queryset, per_page, **kwargs):
        """The count is read with the total, in one query."""
        self.summary = selectors.decisions_summary(decisions=self.object_list)
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = self.summary.count
        return paginator

    def paginate_queryset(self, queryset, page_size):
        """Sort and take the page's ids in the database, then fetch only those rows with
        everything they show."""
        paginator, page, ids, is_paginated = super().paginate_queryset(
            queryset.values_list("pk", flat=True), page_size
        )
        return paginator, page, selectors.decisions_with_details(ids=list(ids)), is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.filter_form,
            entries=[
                selectors.register_entry(decision=decision) for decision in context["decisions"]
            ],
            total=self.summary.total,
            filtered=any(self.request.GET.get(name, "").strip() for name in FILTERS),
            csv_url=_with_query(
                reverse("procurement:decision_csv"), context.get("filter_query", "")
            ),
        )
        return context


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


class DecisionCsvView(View):
    """The register's awards that match the search and filters in the query string (all
    of them, not one page) as a CSV file: the same rows as /decisions/ shows."""

    def get(self, request):
        filters = DecisionFilterForm(request.GET).filters
        decisions = selectors.decisions_public_list(**filters)
        stamp = timezone.localdate().isoformat()
        return csv_response(
            filename=f"award-decisions-{stamp}.csv",
            header=selectors.CSV_HEADER,
            rows=selectors.decisions_csv_rows(
                decisions=decisions, base_url=f"{request.scheme}://{request.get_host()}"
            ),
        )


class DecisionDetailView(TemplateView):
    """One award on the register."""

    template_name = "procurement/decisions/decision_detail.html"

    def get_context_data(self, **kwargs):
        try:
            decision = selectors.decision_public_get(pk=self.kwargs["pk"])
        except AwardDecision.DoesNotExist as error:
            raise Http404("No such award") from error
        return super().get_context_data(
            entry=selectors.register_entry(decision=decision),
            decision=decision,
            last_updated=selectors.decision_last_updated(decision=decision),
            **kwargs,
        )


class DecisionFeed(Feed):
    """The latest awards as an Atom feed, newest approval first."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return f"Award decisions – {settings.COUNCIL['name']}"

    def subtitle(self) -> str:
        return (
            f"Grants and contracts awarded by {settings.COUNCIL['name']} to voluntary, "
            "community, faith and arts organisations"
        )

    def link(self) -> str:
        return reverse("procurement:decision_list")

    def author_name(self) -> str:
        return settings.COUNCIL["name"]

    def items(self):
        return [
            selectors.register_entry(decision=decision)
            for decision in selectors.decisions_feed_list()
        ]

    def item_title(self, item: selectors.RegisterEntry) -> str:
        return item.title

    def item_description(self, item: selectors.RegisterEntry) -> str:
        organisation = item.organisation
        text = (
            f"{organisation.name} ({organisation.org_id}) was awarded "
            f"{money(item.decision.amount)} on {govuk_date(item.decision.decided_on)}.\n\n"
            f"{item.funding_type} from the {item.commission.title} programme, "
            f"{govuk_date(item.starts_on)} to {govuk_date(item.ends_on)}."
        )
        return linebreaks(text, autoescape=True)

    def item_link(self, item: selectors.RegisterEntry) -> str:
        return item.decision.get_absolute_url()

    def item_pubdate(self, item: selectors.RegisterEntry):
        return item.decision.approved_at

    def item_updateddate(self, item: selectors.RegisterEntry):
        return item.decision.approved_at

    def item_categories(self, item: selectors.RegisterEntry):
        return [item.commission.sector.name] + [p.name for p in item.commission.priorities.all()]
