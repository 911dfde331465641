from .commissions import CommissionForm, DashboardFilterForm, TransitionForm

__all__ = ["CommissionForm", "DashboardFilterForm", "TransitionForm"]
