"""sitemap.xml and robots.txt: what search engines may index (only what is published) and
what they may not (staff pages, the admin, accounts, bids and everything signed in)."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from commissioning.models import CommissioningPlan, Framework
from procurement.models import AwardDecision, Opportunity


class FrameworkSitemap(Sitemap):
    """The Commissioning Framework and its glossary, once a framework is current, and the
    pages of its other periods, which stay published."""

    changefreq = "yearly"
    priority = 0.8

    def items(self) -> list[tuple[str, str]]:
        frameworks = list(Framework.objects.only("slug", "is_current").order_by("-period_start"))
        items = (
            [("framework", ""), ("glossary", "")]
            if any(framework.is_current for framework in frameworks)
            else []
        )
        return items + [
            ("framework_period", framework.slug)
            for framework in frameworks
            if not framework.is_current
        ]

    def location(self, item: tuple[str, str]) -> str:
        name, slug = item
        return reverse(name, kwargs={"slug": slug}) if slug else reverse(name)


class PlanSitemap(Sitemap):
    """Published plans and the versions they superseded (which stay readable); never a
    draft or a plan waiting for approval or publication."""

    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return (
            CommissioningPlan.objects.public()
            .only("pk", "slug", "published_at")
            .order_by("-published_at", "pk")
        )

    def lastmod(self, plan: CommissioningPlan):
        return plan.published_at


class OpportunitySitemap(Sitemap):
    """Published opportunities, open or closed; never a draft."""

    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return (
            Opportunity.objects.published()
            .only("pk", "slug", "published_at", "updated_at")
            .order_by("-published_at", "pk")
        )

    def lastmod(self, opportunity: Opportunity):
        return max(filter(None, [opportunity.published_at, opportunity.updated_at]))


class DecisionSitemap(Sitemap):
    """Approved, successful awards: the register; never a recommendation or a refusal."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return (
            AwardDecision.objects.published_awards()
            .only("pk", "approved_at")
            .order_by("-approved_at", "pk")
        )

    def lastmod(self, decision: AwardDecision):
        return decision.approved_at


class StaticPageSitemap(Sitemap):
    """The home page, the public lists and the site's own pages."""

    changefreq = "daily"
    priority = 0.5

    def items(self):
        return [
            "home",
            "plan_public_list",
            "procurement:opportunity_list",
            "procurement:decision_list",
            "procurement:open_data",
            "engagement:event_list",
            "accessibility",
            "privacy",
            "cookies",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": StaticPageSitemap,
    "framework": FrameworkSitemap,
    "plans": PlanSitemap,
    "opportunities": OpportunitySitemap,
    "decisions": DecisionSitemap,
}


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every published page, for search engines."""
    return sitemap_view(request, sitemaps=SITEMAPS)


# Signed-in and staff areas: nothing there is public, and nothing there should be indexed.
DISALLOWED = (
    "/staff/",
    "/admin/",
    "/accounts/",
    "/bids/",
    "/partnerships/",
    "/assessment/",
    "/agreements/",
    "/notifications/",
    "/signed-in/",
    "/organisations/",
    "/invitations/",
    "/returns/",
    "/engagement/bookings/",
    "/engagement/feedback/",
    "/engagement/events/*/book/",
    "/opportunities/*/ask/",
    "/opportunities/*/bid/",
    "/search/",
    "/healthz",
)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """What crawlers may fetch: the public pages; not the staff, admin, account or
    provider areas. Names the sitemap by its full address on the site's own domain (the
    domain the sitemap's addresses use)."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /", ""]
    domain = get_current_site(request).domain
    lines.append(f"Sitemap: {request.scheme}://{domain}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
