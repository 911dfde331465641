"""The golden thread: from a published specification back to the needs that justified it
and forward to what was achieved; from a gap or a piece of evidence, forwards.

The public (and providers and panel members) read the published parts of the thread from a
specification in a published plan; officers, approvers and administrators read all of it,
from any specification, gap or piece of evidence.
"""

from django.http import Http404
from django.views.generic import TemplateView

from commissioning.models import Specification
from commissioning.selectors import thread as selectors
from core.mixins import ObjectPermissionRequiredMixin

WHOLE_THREAD = "commissioning.view_whole_thread"


class SpecificationThreadView(TemplateView):
    """The whole thread through one specification."""

    template_name = "commissioning/thread_specification.html"

    def get_context_data(self, **kwargs):
        whole = self.request.user.has_perm(WHOLE_THREAD)
        try:
            thread = selectors.specification_thread_get(pk=self.kwargs["pk"], public=not whole)
        except Specification.DoesNotExist as exc:
            raise Http404("No such specification") from exc
        return super().get_context_data(
            thread=thread, strand=thread.specifications[0], whole=whole, **kwargs
        )


class StaffThreadMixin(ObjectPermissionRequiredMixin):
    permission_required = WHOLE_THREAD

    def get_permission_object(self):
        # A role decides, not the object: refuse before looking anything up.
        return None


class GapThreadView(StaffThreadMixin, TemplateView):
    """The thread forwards from a gap in a commission's gap analysis."""

    template_name = "commissioning/thread_gap.html"

    def get_context_data(self, **kwargs):
        from engagement.models import Gap

        try:
            found = selectors.gap_thread_get(pk=self.kwargs["pk"])
        except Gap.DoesNotExist as exc:
            raise Http404("No such gap") from exc
        return super().get_context_data(gap=found.gap, threads=[found.thread], whole=True, **kwargs)


class EvidenceThreadView(StaffThreadMixin, TemplateView):
    """The thread forwards from a piece of needs-assessment evidence."""

    template_name = "commissioning/thread_evidence.html"

    def get_context_data(self, **kwargs):
        from engagement.models import EvidenceItem

        try:
            found = selectors.evidence_thread_get(pk=self.kwargs["pk"])
        except EvidenceItem.DoesNotExist as exc:
            raise Http404("No such evidence") from exc
        return super().get_context_data(
            evidence=found.evidence,
            gaps=found.gaps,
            threads=found.threads,
            whole=True,
            **kwargs,
        )
