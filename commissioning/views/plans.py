"""Being written: every view answers 404 until it is built."""

from django.http import Http404
from django.views import View


class _Unbuilt(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class PublicPlanListView(_Unbuilt):
    pass


class PlanPdfView(_Unbuilt):
    pass


class PublicPlanDetailView(_Unbuilt):
    pass


class StaffPlanListView(_Unbuilt):
    pass


class PlanCreateView(_Unbuilt):
    pass


class StaffPlanDetailView(_Unbuilt):
    pass


class PlanUpdateView(_Unbuilt):
    pass


class PlanNewVersionView(_Unbuilt):
    pass


class PlanTransitionView(_Unbuilt):
    pass
