"""Being written: every view answers 404 until it is built."""

from django.http import Http404
from django.views import View


class _Unbuilt(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class OpportunityListView(_Unbuilt):
    pass


class OpportunityDetailView(_Unbuilt):
    pass


class OpportunityDocumentView(_Unbuilt):
    pass


class StaffOpportunityListView(_Unbuilt):
    pass


class OpportunityCreateView(_Unbuilt):
    pass


class StaffOpportunityDetailView(_Unbuilt):
    pass


class OpportunityUpdateView(_Unbuilt):
    pass


class OpportunityQuestionsView(_Unbuilt):
    pass


class OpportunityDocumentsView(_Unbuilt):
    pass


class OpportunityPublishView(_Unbuilt):
    pass


def OpportunityFeed():  # noqa: N802
    return _Unbuilt.as_view()
