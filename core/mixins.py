from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rules.contrib.views import PermissionRequiredMixin as RulesPermissionRequiredMixin

from core.rules import is_council_staff


class StaffRequiredMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Council staff only: anyone else signed in gets 403, the public the sign-in page."""

    permission_required = "core.view_staff_area"
    raise_exception = False

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return super().handle_no_permission()


class ObjectPermissionRequiredMixin(LoginRequiredMixin, RulesPermissionRequiredMixin):
    """Checks a `rules` permission against the view's object; 403 when refused."""

    raise_exception = True

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(self.request.get_full_path())
        return super().handle_no_permission()


class FilterQueryMixin:
    """A paginated list with filters in its query string: `filter_query` is that query
    string without the page, so includes/pagination.html's links keep the filters."""

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(filter_query=query.urlencode(), **kwargs)


def object_access_check(*, allowed: bool, user, staff_message: str, not_found: str) -> None:
    """Let through someone a record's rule allows. Anyone else gets 404, so a provider never
    learns that a record they have no part in exists; council staff, who know it does, get
    403 with `staff_message`."""
    if allowed:
        return
    if is_council_staff.test(user):
        raise PermissionDenied(staff_message)
    raise Http404(not_found)
