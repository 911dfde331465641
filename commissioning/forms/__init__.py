from .commissions import CommissionForm, CommissionTransitionForm, DashboardFilterForm

__all__ = ["CommissionForm", "CommissionTransitionForm", "DashboardFilterForm"]
