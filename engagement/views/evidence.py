"""Being written: every view answers 404 until it is built."""

from django.http import Http404
from django.views import View


class _Unbuilt(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class EvidenceListView(_Unbuilt):
    pass


class EvidenceCreateView(_Unbuilt):
    pass


class EvidenceDetailView(_Unbuilt):
    pass


class EvidenceUpdateView(_Unbuilt):
    pass


class EvidenceFileView(_Unbuilt):
    pass
