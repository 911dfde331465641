"""People's accounts in the Django admin: administrators give staff their roles (groups) and
deactivate accounts. Saving a change asks the administrator to confirm who they are first
(core.reauthentication); a deactivated account is signed out everywhere (core.sessions)."""

from django.contrib import admin
from django.utils.decorators import method_decorator

from core.models import User
from core.reauthentication import reauthentication_check


def _reauthenticate_post(view):
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            reauthentication_check(request)
        return view(request, *args, **kwargs)

    return wrapper


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "job_title", "is_active", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    fields = ["email", "full_name", "job_title", "is_active", "is_staff", "groups"]
    filter_horizontal = ["groups"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @method_decorator(_reauthenticate_post)
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)
