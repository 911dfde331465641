"""Evaluation on other apps' pages: the commission page's evaluation and chain of cycles,
and the lessons learned for a commission's priorities on its Understand pages."""

import rules
from django import template

from monitoring import evaluation_rules  # noqa: F401  (registers the rules)
from monitoring import evaluation_selectors as selectors
from monitoring.evaluation_services import COMMISSION_EVALUATION_STATES

register = template.Library()


@register.inclusion_tag("monitoring/evaluation_commission_panel.html", takes_context=True)
def commission_evaluation_panel(context, commission):
    user = context["request"].user
    can_read = rules.has_perm("monitoring.view_evaluation", user, commission)
    if not can_read:
        return {"can_read": False}
    evaluation = selectors.commission_evaluation_find(commission=commission)
    is_open = commission.state in COMMISSION_EVALUATION_STATES
    return {
        "can_read": True,
        "commission": commission,
        "evaluation": evaluation,
        # "Evaluate" is offered only when the commission is in a state evaluated in (delivery
        # or review) and the person may evaluate; otherwise an evaluation is only read.
        "can_evaluate": (
            is_open
            and not (evaluation and evaluation.is_complete)
            and rules.has_perm("monitoring.evaluate", user, commission)
        ),
        "is_open": is_open,
        "carried": selectors.commission_carried_from(commission=commission),
        "chain": selectors.commission_cycle_chain(commission=commission),
    }


@register.inclusion_tag("monitoring/lessons_panel.html", takes_context=True)
def commission_lessons_panel(context, commission):
    user = context["request"].user
    if not rules.has_perm("monitoring.view_lessons", user, None):
        return {"can_read": False}
    previous = commission.previous_cycle
    return {
        "can_read": True,
        "commission": commission,
        "lessons": selectors.lessons_for_commission(commission=commission),
        "previous": previous,
        "priority": commission.priorities.order_by("order").first(),
    }
