"""The dashboards: the officers' portfolio (and its CSV, and the payments behind it), an
agreement's performance against its targets, for staff and for the provider.

Who may see them: the portfolio and its payments are for officers, approvers and
administrators (`monitoring.view_returns`), anyone else signed in gets 403. An agreement's
performance follows the agreement page's rule (`procurement.view_agreement`): a provider
with no part in it gets 404; the staff address is for council staff who read monitoring.
"""

import csv

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.functional import cached_property
from django.views.generic import ListView, TemplateView

from core.mixins import FilterQueryMixin, object_access_check
from monitoring import charts, dashboards
from monitoring import rules as monitoring_rules
from monitoring.forms_dashboards import PortfolioFilterForm
from monitoring.models import ReturnState
from procurement import rules as procurement_rules
from procurement.models import Agreement, AgreementState
from procurement.selectors import agreements as agreement_selectors


class ReadsMonitoringMixin(LoginRequiredMixin):
    """Officers, approvers and administrators; anyone else signed in gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not rules.has_perm("monitoring.view_returns", request.user, None):
            raise PermissionDenied("Only council staff who read monitoring see the portfolio")
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def filter_form(self) -> PortfolioFilterForm:
        return PortfolioFilterForm(self.request.GET)

    @cached_property
    def filters(self) -> dashboards.PortfolioFilters:
        return self.filter_form.filters()


# --- The portfolio --------------------------------------------------------------------------------


class PortfolioView(ReadsMonitoringMixin, TemplateView):
    """Investment by sector and by priority against the plans' budgets, agreements by RAG
    status, returns and payments that need someone; each figure links to its list. With
    `?format=csv`, the same figures as a CSV file."""

    template_name = "monitoring/portfolio.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return portfolio_csv_response(filters=self.filters)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        filters = self.filters
        sectors, priorities = self.filter_form.options_read_once()
        return super().get_context_data(
            form=self.filter_form,
            portfolio=dashboards.portfolio_get(
                filters=filters, sectors=sectors, priorities=priorities
            ),
            filters=filters,
            **kwargs,
        )


class PortfolioCsvView(ReadsMonitoringMixin, TemplateView):
    """/staff/portfolio.csv: the portfolio's table as a spreadsheet, with its filters."""

    def get(self, request, *args, **kwargs):
        return portfolio_csv_response(filters=self.filters)


def portfolio_csv_response(*, filters: dashboards.PortfolioFilters) -> HttpResponse:
    portfolio = dashboards.portfolio_get(filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # The file's name says which years its figures cover, as the page does.
    years = "all-years" if filters.year is None else f"{filters.year}-to-{filters.year + 1}"
    response["Content-Disposition"] = f'attachment; filename="portfolio-{years}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    for row in dashboards.portfolio_csv_rows(portfolio=portfolio):
        writer.writerow([dashboards.csv_safe(cell) for cell in row])
    return response


class PortfolioPaymentsView(ReadsMonitoringMixin, FilterQueryMixin, ListView):
    """The payments behind the portfolio's figures: due by the end of this month, held until
    a return is accepted, or paid; with the portfolio's filters."""

    template_name = "monitoring/portfolio_payments.html"
    context_object_name = "payments"
    paginate_by = 50

    @cached_property
    def show(self) -> str:
        show = self.request.GET.get("show", "due")
        return show if show in dashboards.PAYMENT_SHOW else "due"

    def get_queryset(self):
        return dashboards.payments_list(show=self.show, filters=self.filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters
        context.update(
            form=self.filter_form,
            filters=filters,
            shows_filters=self.shows_filters(filters, listed=bool(context["payments"])),
            show=self.show,
            show_label=dashboards.PAYMENT_SHOW[self.show],
            show_links=[
                (value, label, filters.query(show=value))
                for value, label in dashboards.PAYMENT_SHOW.items()
            ],
            portfolio_query=filters.query(),
        )
        return context

    def shows_filters(self, filters: dashboards.PortfolioFilters, *, listed: bool) -> bool:
        """The filters, over the list or over "none match": not on a portal that has no
        such payment at all (it says what the list is for instead). The list opens on this
        financial year, so an empty year asks, once, whether other years have any."""
        if listed or filters.with_(year=None).is_filtered:
            return True
        if filters.year is None:
            return False
        every_year = dashboards.payments_list(show=self.show, filters=filters.with_(year=None))
        return every_year.exists()


# --- An agreement's performance -------------------------------------------------------------------


class AgreementPerformanceView(LoginRequiredMixin, TemplateView):
    """For each success measure of the agreement: the target and the actual for each period
    and added up, as a chart and as a table (the accessible source).

    `/agreements/<pk>/performance/` has the agreement page's rule: council staff who read
    agreements and, once it is sent, the provider's members; a provider with no part in it
    gets 404. `/staff/agreements/<pk>/performance/` (staff=True) is for council staff who
    read monitoring; a provider gets 404 there too, other staff 403."""

    template_name = "monitoring/performance.html"
    staff = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.agreement = agreement_selectors.agreement_get(pk=kwargs["pk"])
        except Agreement.DoesNotExist as error:
            raise Http404("No such agreement") from error
        # The rules themselves, not user.has_perm: a superuser passes every has_perm.
        if self.staff:
            allowed = monitoring_rules.reads_monitoring.test(request.user)
        else:
            allowed = procurement_rules.view_agreement.test(request.user, self.agreement)
        object_access_check(
            allowed=allowed,
            user=request.user,
            staff_message="You may not see this agreement's performance",
            not_found="No such agreement",
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        agreement = self.agreement
        measures = dashboards.agreement_performance(agreement=agreement)
        return super().get_context_data(
            agreement=agreement,
            is_staff_reader=rules.has_perm("procurement.view_agreement", self.request.user, None),
            in_delivery=agreement.state == AgreementState.ACCEPTED,
            measures=[
                (f"measure-{index}", measure, performance_chart(measure=measure))
                for index, measure in enumerate(measures, start=1)
            ],
            accepted_state=ReturnState.ACCEPTED,
            **kwargs,
        )


def performance_chart(*, measure: dashboards.MeasurePerformance) -> charts.Chart:
    latest = measure.latest
    unit = measure.unit
    if latest is None:
        progress = "No actuals have been reported yet."
    else:
        words = " (not yet accepted)" if latest.provisional else ""
        progress = (
            f"By the end of {latest.label}: {charts.number(latest.cumulative_actual)} {unit} "
            f"against a target to date of {charts.number(latest.cumulative_target)}{words}."
        )
    description = (
        f"{measure.measure}, added up period by period. {progress} Target for the whole "
        f"agreement: {charts.number(measure.total_target)} {unit}."
    )
    return charts.cumulative_chart(
        title=f"{measure.measure}: actual against target, added up",
        description=description,
        unit=unit,
        periods=[
            charts.Period(
                tick=f"{point.monitoring_return.period_end:%b %Y}",
                label=point.label,
                cumulative_target=point.cumulative_target,
                cumulative_actual=point.cumulative_actual,
                provisional=point.provisional,
            )
            for point in measure.points
        ],
    )
