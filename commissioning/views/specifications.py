"""Being written: every view answers 404 until it is built."""

from django.http import Http404
from django.views import View


class _Unbuilt(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class SpecificationCreateView(_Unbuilt):
    pass


class SpecificationDetailView(_Unbuilt):
    pass


class SpecificationUpdateView(_Unbuilt):
    pass


class SpecificationOutcomesView(_Unbuilt):
    pass


class SpecificationMeasuresView(_Unbuilt):
    pass


class SpecificationLotsView(_Unbuilt):
    pass


class SpecificationCriteriaView(_Unbuilt):
    pass


class SuccessMeasureListView(_Unbuilt):
    pass


class SuccessMeasureCreateView(_Unbuilt):
    pass
