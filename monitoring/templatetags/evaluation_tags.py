"""Evaluation on other apps' pages: the commission page's evaluation and chain of cycles,
and the lessons learned for a commission's priorities on its Understand pages."""

import rules
from django import template

from monitoring import evaluation_rules  # noqa: F401  (registers the rules)
from monitoring import evaluation_selectors as selectors

register = template.Library()


@register.inclusion_tag("monitoring/evaluation_commission_panel.html", takes_context=True)
def commission_evaluation_panel(context, commission):
    user = context["request"].user
    can_read = rules.has_perm("monitoring.view_evaluation", user, commission)
    if not can_read:
        return {"can_read": False}
    return {
        "can_read": True,
        "commission": commission,
        "evaluation": selectors.commission_evaluation_find(commission=commission),
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
