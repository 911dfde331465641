"""Being written: every view answers 404 until it is built."""

from django.http import Http404
from django.views import View


class _Unbuilt(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class EventListView(_Unbuilt):
    pass


class EventDetailView(_Unbuilt):
    pass


class EventBookView(_Unbuilt):
    pass


class MyBookingsView(_Unbuilt):
    pass


class BookingCancelView(_Unbuilt):
    pass


class StaffEventListView(_Unbuilt):
    pass


class EventCreateView(_Unbuilt):
    pass


class EventUpdateView(_Unbuilt):
    pass


class EventAttendanceView(_Unbuilt):
    pass
