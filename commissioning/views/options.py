"""Being written: every view answers 404 until it is built."""

from django.http import Http404
from django.views import View


class _Unbuilt(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class OptionsAppraisalView(_Unbuilt):
    pass


class OptionCreateView(_Unbuilt):
    pass


class OptionUpdateView(_Unbuilt):
    pass


class OptionRecommendView(_Unbuilt):
    pass
