from .commissions import (
    Action,
    CycleStagePosition,
    NextStep,
    commission_actions_for,
    commission_cycle_position,
    commission_detail_get,
    commission_next_steps,
    commission_stage_counts,
    commission_steps_and_actions,
    commission_timeline,
    commissions_list,
)
from .framework import (
    FrameworkOverview,
    cycle_stages_list,
    framework_current_get,
    framework_overview_get,
    glossary_terms_list,
)

__all__ = [
    "Action",
    "CycleStagePosition",
    "FrameworkOverview",
    "NextStep",
    "commission_actions_for",
    "commission_cycle_position",
    "commission_detail_get",
    "commission_next_steps",
    "commission_stage_counts",
    "commission_steps_and_actions",
    "commission_timeline",
    "commissions_list",
    "cycle_stages_list",
    "framework_current_get",
    "framework_overview_get",
    "glossary_terms_list",
]
