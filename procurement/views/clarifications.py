"""Being written: every view answers 404 until it is built."""

from django.http import Http404
from django.views import View


class _Unbuilt(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ClarificationAskView(_Unbuilt):
    pass


class StaffClarificationListView(_Unbuilt):
    pass


class ClarificationAnswerView(_Unbuilt):
    pass
