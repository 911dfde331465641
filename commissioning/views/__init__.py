from .commissions import (
    CommissionCreateView,
    CommissionDetailView,
    CommissionTransitionView,
    CommissionUpdateView,
    StaffDashboardView,
)
from .framework import FrameworkView, GlossaryView, HomeView

__all__ = [
    "CommissionCreateView",
    "CommissionDetailView",
    "CommissionTransitionView",
    "CommissionUpdateView",
    "FrameworkView",
    "GlossaryView",
    "HomeView",
    "StaffDashboardView",
]
