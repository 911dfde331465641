"""The audit trail in the Django admin: read-only. No one may add, change or delete an event,
and the history tables have no admin at all (the portal's /staff/audit/ reads them)."""

from django.contrib import admin

from core.audit import AuditEvent


class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "user", "kind", "object_type", "object_id", "path", "ip")
    list_filter = ("kind",)
    search_fields = ("object_type", "object_id", "path")
    date_hierarchy = "occurred_at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def admin_register() -> None:
    if not admin.site.is_registered(AuditEvent):
        admin.site.register(AuditEvent, AuditEventAdmin)
