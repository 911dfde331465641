"""The outbox and the emails it sends, for administrators: read-only, so that a failure is
seen (status, attempts, the last error) and can be tried again, never edited."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.text import Truncator

from core import admin_users  # noqa: F401  (people's accounts and roles)
from core.models import ClosureRequest, Email, OutboxTask, PersonalDataEvent
from core.outbox import work_retry

SEALED = "Sealed until the bid's deadline"


class _AttemptedAdmin(admin.ModelAdmin):
    """Read-only, filtered by status; the 'Try again now' action restarts failed rows."""

    list_filter = ["status"]
    actions = ["retry"]
    list_per_page = 50

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        # Only the status filter: no filtering on the recipient, subject or body by URL.
        return lookup in {"status", "status__exact"}

    @admin.action(description="Try again now", permissions=["retry"])
    def retry(self, request, queryset):
        count = work_retry(rows=queryset)
        self.message_user(request, f"{count} will be tried again now", messages.SUCCESS)

    @admin.display(description="last error")
    def error(self, obj) -> str:
        return Truncator(obj.last_error).chars(120)


@admin.register(OutboxTask)
class OutboxTaskAdmin(_AttemptedAdmin):
    list_display = [
        "created_at",
        "task",
        "args",
        "status",
        "attempts",
        "error",
        "next_attempt_at",
        "done_at",
    ]
    search_fields = ["task"]
    fields = [
        "task",
        "args",
        "kwargs",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "done_at",
    ]
    readonly_fields = fields


@admin.register(Email)
class EmailAdmin(_AttemptedAdmin):
    """Bodies are never shown: they hold bid details and sign-in links. An email about a
    bid that is still sealed shows only how its delivery is going: not to whom, what
    about, nor the error (which may name the recipient), and searches leave it out."""

    list_display = [
        "created_at",
        "recipient",
        "subject_shown",
        "status",
        "attempts",
        "error",
        "next_attempt_at",
        "sent_at",
    ]
    sortable_by = ["created_at", "status", "attempts", "next_attempt_at", "sent_at"]
    search_fields = ["to", "subject"]
    fields = [
        "recipient",
        "subject_shown",
        "template_shown",
        "status",
        "attempts",
        "error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        if search_term:
            queryset = queryset.exclude(sealed_until__gt=timezone.now())
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="to")
    def recipient(self, obj: Email) -> str:
        return SEALED if obj.is_sealed() else obj.to

    @admin.display(description="subject")
    def subject_shown(self, obj: Email) -> str:
        return SEALED if obj.is_sealed() else obj.subject

    @admin.display(description="template")
    def template_shown(self, obj: Email) -> str:
        return SEALED if obj.is_sealed() else obj.template

    @admin.display(description="last error")
    def error(self, obj: Email) -> str:
        if obj.is_sealed() and obj.last_error:
            return SEALED
        return super().error(obj)


# --- Personal data (core.retention): read in the admin, changed only through the portal ------


@admin.register(ClosureRequest)
class ClosureRequestAdmin(admin.ModelAdmin):
    """Requests to close accounts: an administrator acts on them at /staff/closure-requests/."""

    list_display = ("pk", "user", "status", "requested_at", "done_at")
    list_filter = ("status",)
    readonly_fields = ("user", "reason", "status", "requested_at", "done_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataEvent)
class PersonalDataEventAdmin(admin.ModelAdmin):
    """That something was done to a person's data, never what was removed: read-only."""

    list_display = ("at", "kind", "subject_id", "actor", "note")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
