from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Accounts and site"

    def ready(self):
        from core import lookups

        lookups.register()

        from core import sessions  # noqa: F401  (signs a deactivated account out everywhere)
