"""Template helpers for monitoring: the officer's comment field for a part of a return, and
the monitoring panel on an agreement's page (its returns, RAG status and held payments)."""

from django import template

from monitoring import rules as monitoring_rules
from monitoring import selectors

register = template.Library()


@register.filter
def comment_field(form, section: str):
    """The bound comment field for `section` of a return, or None when the form has none."""
    name = f"comment_{section}"
    fields = getattr(form, "fields", None)
    return form[name] if fields is not None and name in fields else None


@register.inclusion_tag("monitoring/agreement_panel.html", takes_context=True)
def agreement_monitoring_panel(context, agreement):
    """Monitoring on an agreement's page: the next returns (overdue marked), the RAG status
    for council staff, and a line for each payment held until a return is accepted."""
    user = context["request"].user
    staff = monitoring_rules.reads_monitoring.test(user)
    returns = list(selectors.agreement_returns(agreement=agreement))
    return {
        "agreement": agreement,
        "is_staff_reader": staff,
        "in_delivery": agreement.state == "accepted",
        "returns": returns,
        "overdue": [r for r in returns if r.is_overdue_now],
        "rag": selectors.agreement_rag_current(agreement=agreement) if staff else None,
        "held": selectors.agreement_held_messages(agreement=agreement),
    }
