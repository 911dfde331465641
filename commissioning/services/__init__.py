from .commissions import (
    CommissionChanged,
    commission_create,
    commission_transition,
    commission_update,
)

__all__ = [
    "CommissionChanged",
    "commission_create",
    "commission_transition",
    "commission_update",
]
