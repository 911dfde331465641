"""Being written: every view answers 404 until it is built."""

from django.http import Http404
from django.views import View


class _Unbuilt(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class GapAnalysisView(_Unbuilt):
    pass


class GapCreateView(_Unbuilt):
    pass


class GapUpdateView(_Unbuilt):
    pass
