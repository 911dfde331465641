from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = "Procurement (Do)"

    def ready(self):
        from procurement import rules_act  # noqa: F401  (the Procurement Act pages' rules)
        from procurement.open_data import signals  # noqa: F401  (forget open data on saves)
