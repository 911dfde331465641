from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from rules.contrib.views import PermissionRequiredMixin as RulesPermissionRequiredMixin


class StaffRequiredMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Council staff only: anyone else signed in gets 403, the public the sign-in page."""

    permission_required = "core.view_staff_area"
    raise_exception = False

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            from django.core.exceptions import PermissionDenied

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
