"""The panel's workload (/staff/opportunities/<pk>/panel/workload/): how many bids each
panel member scores, assigning every bid automatically, and a batch action on several bids
at once. The panel page's grid is where the officer adjusts assignments one by one.

`procurement.manage_assessment` (officers and administrators); anyone else signed in gets
403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from core.forms import form_errors_add
from procurement.forms.workload import AutoAssignForm, BatchForm
from procurement.models import Opportunity
from procurement.selectors import assessment as selectors
from procurement.services import workload as services
from procurement.services.assessment import AssessmentError
from procurement.views.assessment import ManagesAssessmentMixin


class PanelWorkloadView(ManagesAssessmentMixin, TemplateView):
    template_name = "procurement/assessment/workload.html"

    @cached_property
    def opportunity(self) -> Opportunity:
        return get_object_or_404(
            Opportunity.objects.select_related("specification__commission"), pk=self.kwargs["pk"]
        )

    @cached_property
    def members(self):
        return list(
            selectors.panel_members(opportunity=self.opportunity).annotate(
                assigned=Count("assignments", filter=Q(assignments__conflict__isnull=True)),
                waiting=Count(
                    "assignments",
                    filter=Q(
                        assignments__conflict__isnull=True,
                        assignments__submitted_at__isnull=True,
                    ),
                ),
            )
        )

    @cached_property
    def bids(self):
        if not self.opportunity.has_closed():
            return []
        return list(
            selectors.bids_for_assessment(opportunity=self.opportunity).annotate(
                assessors=Count("assignments", filter=Q(assignments__conflict__isnull=True))
            )
        )

    def auto_form(self, data=None) -> AutoAssignForm:
        return AutoAssignForm(
            data,
            panel_size=len(self.members),
            initial={"per_bid": min(2, len(self.members)) or 1},
        )

    def batch_form(self, data=None) -> BatchForm:
        return BatchForm(data, bids=self.bids, members=self.members)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("auto_form", self.auto_form())
        kwargs.setdefault("batch_form", self.batch_form())
        return super().get_context_data(
            opportunity=self.opportunity,
            members=self.members,
            bids=self.bids,
            closed=self.opportunity.has_closed(),
            has_errors=bool(kwargs["auto_form"].errors or kwargs["batch_form"].errors),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.opportunity.has_closed() or not self.members:
            messages.error(
                request,
                "Bids can be assigned once the opportunity has closed and the panel has "
                "members. Nothing has been changed.",
            )
            return redirect("procurement:panel_workload", pk=self.opportunity.pk)
        if request.POST.get("action") == "auto":
            return self._auto()
        return self._batch()

    def _auto(self):
        form = self.auto_form(self.request.POST)
        if form.is_valid():
            try:
                added = services.assignments_auto(
                    opportunity=self.opportunity,
                    per_bid=form.cleaned_data["per_bid"],
                    assigned_by=self.request.user,
                )
            except AssessmentError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(
                    self.request, f"{added} assignment{'s' if added != 1 else ''} added"
                )
                return redirect("procurement:panel_workload", pk=self.opportunity.pk)
        return self.render_to_response(self.get_context_data(auto_form=form))

    def _batch(self):
        form = self.batch_form(self.request.POST)
        if form.is_valid():
            try:
                message = self._batch_apply(form)
            except AssessmentError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(self.request, message)
                return redirect("procurement:panel_workload", pk=self.opportunity.pk)
        return self.render_to_response(self.get_context_data(batch_form=form))

    def _batch_apply(self, form: BatchForm) -> str:
        action, bid_ids, by = form.cleaned_data["action"], form.bid_ids(), self.request.user
        if action == "assign":
            to = form.member("to")
            added = services.assignments_batch_assign(
                opportunity=self.opportunity, bid_ids=bid_ids, to=to, assigned_by=by
            )
            return f"{added} bid{'s' if added != 1 else ''} assigned to {to.user.get_full_name()}"
        if action == "move":
            source, to = form.member("source"), form.member("to")
            moved = services.assignments_batch_move(
                opportunity=self.opportunity,
                bid_ids=bid_ids,
                source=source,
                to=to,
                assigned_by=by,
            )
            return (
                f"{moved} bid{'s' if moved != 1 else ''} moved from "
                f"{source.user.get_full_name()} to {to.user.get_full_name()}"
            )
        reminded = services.assignments_batch_remind(opportunity=self.opportunity, bid_ids=bid_ids)
        if not reminded:
            return "No one needed reminding: every score for those bids has been sent"
        return f"{reminded} panel member{'s' if reminded != 1 else ''} reminded"
