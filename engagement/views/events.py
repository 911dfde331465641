"""Engagement events: the public list, booking a place, and the officers' pages."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from core.mixins import ObjectPermissionRequiredMixin
from engagement.forms.events import AttendanceForm, BookingForm, EventForm
from engagement.models import Booking, EngagementEvent
from engagement.selectors import events as selectors
from engagement.services import events as services


class EngagementPermissionMixin(ObjectPermissionRequiredMixin):
    """A `rules` permission about the Understand stage as a whole, not one object."""

    def get_permission_object(self):
        return None


class EventLookupMixin:
    """The event named in the URL, or 404 for anyone who may not see it yet."""

    @cached_property
    def event(self) -> EngagementEvent:
        try:
            event = selectors.event_get(pk=self.kwargs["pk"])
        except EngagementEvent.DoesNotExist as error:
            raise Http404 from error
        if not self.request.user.has_perm("engagement.view_event", event):
            raise Http404
        return event


# --- Everyone --------------------------------------------------------------------------------


class EventListView(TemplateView):
    """Published events: upcoming first, then past events."""

    template_name = "engagement/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = selectors.events_public_list()
        return context


class EventDetailView(EventLookupMixin, TemplateView):
    """Everything about one event, and whether the person can book a place."""

    template_name = "engagement/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event, user = self.event, self.request.user
        booking = selectors.booking_live_get(event=event, user=user)
        is_staff = user.has_perm("engagement.view_records")
        context.update(
            event=event,
            booking=booking,
            booking_problem=selectors.event_booking_problem(
                event=event, user=user, places_booked=event.places_booked
            ),
            has_finished=event.ends_at < timezone.now(),
            show_online_link=bool(
                event.online_url
                and (event.kind == EngagementEvent.Kind.SURVEY or booking or is_staff)
            ),
            can_manage=user.has_perm("engagement.manage"),
        )
        return context


# --- Signed-in people: booking a place -------------------------------------------------------


class EventBookView(EventLookupMixin, ObjectPermissionRequiredMixin, FormView):
    """Book a place. Once booked, the page confirms the booking."""

    permission_required = "engagement.book_event"
    template_name = "engagement/event_book.html"
    form_class = BookingForm

    def get_permission_object(self):
        return self.event

    @cached_property
    def booking(self) -> Booking | None:
        return selectors.booking_live_get(event=self.event, user=self.request.user)

    @cached_property
    def problem(self) -> str | None:
        return selectors.event_booking_problem(
            event=self.event, user=self.request.user, places_booked=self.event.places_booked
        )

    def get(self, request, *args, **kwargs):
        if self.booking is not None:
            return self.render_confirmation()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.problem:
            return self.render_to_response(self.get_context_data(problem=self.problem))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("problem", self.problem)
        kwargs["event"] = self.event
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            services.event_book(
                event=self.event,
                user=self.request.user,
                organisation=form.cleaned_data.get("organisation"),
                access_needs=form.cleaned_data["access_needs"],
            )
        except services.BookingRefused as refused:
            return self.render_to_response(self.get_context_data(problem=refused.message))
        return redirect("engagement:event_book", pk=self.event.pk)

    def render_confirmation(self):
        return TemplateResponse(
            self.request,
            "engagement/booking_confirmed.html",
            {"event": self.event, "booking": self.booking},
        )


class MyBookingsView(LoginRequiredMixin, TemplateView):
    """The signed-in person's bookings, with a link to cancel each live one."""

    template_name = "engagement/my_bookings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bookings"] = list(selectors.bookings_for_user(user=self.request.user))
        context["now"] = timezone.now()
        return context


class BookingCancelView(ObjectPermissionRequiredMixin, TemplateView):
    """Ask "Are you sure?", then cancel the booking, freeing the place."""

    permission_required = "engagement.cancel_booking"
    template_name = "engagement/booking_cancel.html"

    @cached_property
    def booking(self) -> Booking:
        try:
            return selectors.booking_get(pk=self.kwargs["pk"])
        except Booking.DoesNotExist as error:
            raise Http404 from error

    def get_permission_object(self):
        return self.booking

    @property
    def is_own(self) -> bool:
        return self.booking.user_id == self.request.user.pk

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking = self.booking
        context.update(
            booking=booking,
            event=booking.event,
            is_own=self.is_own,
            can_cancel=booking.status == Booking.Status.BOOKED
            and booking.event.starts_at > timezone.now(),
            back_url=self.success_url(),
        )
        return context

    def success_url(self) -> str:
        if self.is_own:
            return reverse("engagement:my_bookings")
        return reverse("engagement:event_attendance", kwargs={"pk": self.booking.event_id})

    def post(self, request, *args, **kwargs):
        booking = self.booking
        try:
            services.booking_cancel(booking=booking)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return HttpResponseRedirect(self.success_url())
        if self.is_own:
            messages.success(request, f"Your place at {booking.event.title} has been cancelled")
        else:
            messages.success(
                request, f"The booking for {booking.user.get_full_name()} has been cancelled"
            )
        return HttpResponseRedirect(self.success_url())


# --- Council staff ---------------------------------------------------------------------------


class StaffEventListView(EngagementPermissionMixin, TemplateView):
    """Every event, published or not, with places booked and attendance."""

    permission_required = "engagement.view_records"
    template_name = "engagement/staff_events.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = selectors.events_staff_list()
        context["now"] = timezone.now()
        context["can_manage"] = self.request.user.has_perm("engagement.manage")
        return context


class EventCreateView(EngagementPermissionMixin, FormView):
    permission_required = "engagement.manage"
    template_name = "engagement/event_form.html"
    form_class = EventForm

    def form_valid(self, form):
        try:
            event = services.event_create(created_by=self.request.user, **form.event_data())
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{event.title} has been created")
        return redirect("engagement:staff_events")


class EventUpdateView(EventLookupMixin, EngagementPermissionMixin, FormView):
    permission_required = "engagement.manage"
    template_name = "engagement/event_form.html"
    form_class = EventForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.event}

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)

    def form_valid(self, form):
        try:
            event = services.event_update(event=self.event, **form.event_data())
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{event.title} has been saved")
        return redirect("engagement:staff_events")


class EventAttendanceView(EventLookupMixin, EngagementPermissionMixin, FormView):
    """The people booked, with their access needs; once the event starts, who came."""

    permission_required = "engagement.manage"
    template_name = "engagement/event_attendance.html"
    form_class = AttendanceForm

    @cached_property
    def bookings(self) -> list[Booking]:
        return list(selectors.event_bookings_list(event=self.event))

    @property
    def has_started(self) -> bool:
        return self.event.starts_at <= timezone.now()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bookings": self.bookings, "event": self.event}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event, bookings=self.bookings, has_started=self.has_started, **kwargs
        )

    def post(self, request, *args, **kwargs):
        if not self.has_started:
            messages.error(request, "You can record attendance once the event has started")
            return redirect("engagement:event_attendance", pk=self.event.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.attendance_record(
                event=self.event,
                attended=form.attendance(),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "Attendance has been saved")
        return redirect("engagement:event_attendance", pk=self.event.pk)
