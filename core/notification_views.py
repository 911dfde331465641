"""A person's notifications: the list, and opening one (marked read, then on to its page).
Only the person it is for can open it: anyone else gets "Page not found"."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import ListView

from core.models import Notification
from core.notifications import (
    notification_destination,
    notification_get,
    notification_mark_read,
    notifications_for_user,
)


class NotificationListView(LoginRequiredMixin, ListView):
    """The signed-in person's notifications, newest first, those not yet opened marked."""

    template_name = "core/notifications.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return notifications_for_user(user=self.request.user)


class NotificationOpenView(LoginRequiredMixin, View):
    """Open a notification: it is marked read and the person goes on to the page it is
    about."""

    def get(self, request, pk: int):
        try:
            notification = notification_get(user=request.user, pk=pk)
        except Notification.DoesNotExist as error:
            raise Http404("No such notification") from error
        notification_mark_read(notification=notification)
        return redirect(notification_destination(notification=notification))
