from .commission import STAGE_OF_STATE, Commission, CommissionState, Stage
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
    "STAGE_OF_STATE",
    "Commission",
    "CommissionState",
    "Stage",
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
