from .reference import (
    Area,
    CommissioningPrinciple,
    CoreCriterion,
    CorporatePriority,
    CrossCuttingTheme,
    CycleStage,
    CycleStep,
    Framework,
    GlossaryTerm,
    Sector,
)

__all__ = [
    "Area",
    "CommissioningPrinciple",
    "CoreCriterion",
    "CorporatePriority",
    "CrossCuttingTheme",
    "CycleStage",
    "CycleStep",
    "Framework",
    "GlossaryTerm",
    "Sector",
]
