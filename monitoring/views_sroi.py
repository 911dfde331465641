"""The SROI pages for council staff who read monitoring (officers, approvers and
administrators): an agreement's or a commission's Social Return on Investment, with the
working line by line, a form (GET) to change any assumption and see the ratio move, and the
ratio when each assumption moves by a quarter, as a chart and a table.

A provider gets 404 (they never learn a record exists); other council staff 403.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from commissioning.models import Commission
from core.mixins import object_access_check
from monitoring import rules as monitoring_rules
from monitoring import sroi
from monitoring.charts_sroi import tornado_chart
from monitoring.forms_sroi import SroiAssumptionsForm
from procurement.models import Agreement
from procurement.selectors import agreements as agreement_selectors


class SroiView(LoginRequiredMixin, TemplateView):
    template_name = "monitoring/sroi.html"
    not_found = "Not found"

    def get_subject(self, pk: int):
        raise NotImplementedError

    def base_result(self) -> sroi.SroiResult:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.subject = self.get_subject(kwargs["pk"])
        object_access_check(
            allowed=monitoring_rules.reads_monitoring.test(request.user),
            user=request.user,
            staff_message="Only council staff who read monitoring see Social Return on Investment",
            not_found=self.not_found,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        base = self.base_result()
        result = base
        form = None
        if base.rows:  # with nothing to value there is nothing to change
            form = SroiAssumptionsForm(self.request.GET, result=base)
            if self.request.GET and form.is_valid():
                result = sroi.calculate(
                    subject=base.subject,
                    investment=base.investment,
                    inputs=base.inputs,
                    unvalued=base.unvalued,
                    assumptions=form.assumptions(),
                )
        rows = sroi.sensitivity(result) if result.total_present_value > 0 else []
        return super().get_context_data(
            result=result,
            base=base,
            changed=result.assumptions != base.assumptions,
            form=form,
            sensitivity=rows,
            chart=tornado_chart(rows=rows, base_ratio=result.ratio) if rows else None,
            page_path=self.request.path,
            **kwargs,
        )


class AgreementSroiView(SroiView):
    """/staff/agreements/<pk>/sroi/: what the agreement's accepted returns are worth."""

    not_found = "No such agreement"

    def get_subject(self, pk: int):
        try:
            return agreement_selectors.agreement_get(pk=pk)
        except Agreement.DoesNotExist as error:
            raise Http404(self.not_found) from error

    def base_result(self) -> sroi.SroiResult:
        return sroi.sroi_for_agreement(self.subject)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agreement=self.subject, commission=None, is_staff_reader=True, **kwargs
        )


class CommissionSroiView(SroiView):
    """/staff/commissions/<pk>/sroi/: its agreements in delivery taken together."""

    not_found = "No such commission"

    def get_subject(self, pk: int):
        try:
            return Commission.objects.get(pk=pk)
        except Commission.DoesNotExist as error:
            raise Http404(self.not_found) from error

    def base_result(self) -> sroi.SroiResult:
        return sroi.sroi_for_commission(self.subject)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=None, commission=self.subject, **kwargs)
