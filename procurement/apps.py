from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = "Procurement (Do)"

    def ready(self):
        from procurement.open_data import signals  # noqa: F401  (forget open data on saves)
