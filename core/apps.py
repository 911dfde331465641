from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Accounts and site"

    def ready(self):
        from core import lookups

        lookups.register()

        from core import sessions  # noqa: F401  (signs a deactivated account out everywhere)
        from core.audit import history_register, signals_connect
        from core.audit_admin import admin_register

        history_register()  # the audit trail: who changed what (django-simple-history)
        signals_connect()  # sign-ins, failures, sign-outs and role changes
        admin_register()  # the audit events in the admin, read-only

        from core.page_cache import changes_watch

        changes_watch()  # kept public pages end when what they show changes, in any process
