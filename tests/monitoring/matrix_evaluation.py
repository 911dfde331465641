"""Permission matrix rows for evaluation, the lessons library and the next cycle.

Evaluations and the lessons library are for officers, approvers and administrators (panel
members 403, providers 404 for an agreement's or a commission's evaluation and 403 for the
library); officers alone add lessons and open the next cycle. The end-of-grant report is
the provider's: their members 200, someone else's agreement 404, council staff 403.
"""

from core.roles import Role
from monitoring import evaluation_services as services
from providers.models import Membership
from tests.factories import CommissionFactory
from tests.matrix import SIGN_IN, Row, only
from tests.monitoring.factories import agreement_in_delivery
from tests.monitoring.factories_evaluation import commission_put, evaluation_completed, priority

READERS = ("officer", "approver", "admin")
STAFF = only(*READERS, others=403)
STAFF_NOT_PROVIDER = {**STAFF, "provider": 404}
OFFICER_ONLY = {**only("officer", others=403), "provider": 404}


def _is_provider(user) -> bool:
    return user is not None and user.groups.filter(name=Role.PROVIDER.value).exists()


def agreement(path: str, *, own: bool = False):
    def build(user):
        made = agreement_in_delivery(months=12)
        if own and _is_provider(user):
            Membership.objects.update_or_create(
                organisation=made.organisation,
                user=user,
                defaults={"role": Membership.Role.MEMBER},
            )
        return path.format(pk=made.agreement.pk)

    return build


def commission(path: str, *, state: str = "review", completed: bool = False, lesson: bool = False):
    def build(user):
        made = CommissionFactory()
        made = commission_put(made, "review")
        if completed:
            evaluation_completed(made, user=made.lead_officer)
        elif lesson:
            services.lesson_add(
                user=made.lead_officer, commission=made, text="A lesson", priority=priority()
            )
        made = commission_put(made, state)
        return path.format(pk=made.pk)

    return build


ROWS = [
    Row("monitoring:lessons", "/staff/lessons/", STAFF),
    Row("monitoring:lessons filtered", "/staff/lessons/?priority=1&q=meals&page=1", STAFF),
    Row(
        "monitoring:agreement_evaluation",
        agreement("/staff/agreements/{pk}/evaluation/"),
        STAFF_NOT_PROVIDER,
    ),
    Row(
        "monitoring:agreement_evaluation own agreement",
        agreement("/staff/agreements/{pk}/evaluation/", own=True),
        STAFF_NOT_PROVIDER,
    ),
    Row(
        "monitoring:agreement_evaluation no such agreement",
        "/staff/agreements/999999/evaluation/",
        {
            **dict.fromkeys(("provider", "panel", "officer", "approver", "admin"), 404),
            "public": SIGN_IN,
        },
    ),
    Row(
        "monitoring:agreement_lesson_add",
        agreement("/staff/agreements/{pk}/evaluation/lessons/new/"),
        OFFICER_ONLY,
    ),
    Row(
        "monitoring:end_of_grant_report own",
        agreement("/agreements/{pk}/end-of-grant-report/", own=True),
        only("provider", others=403),
    ),
    Row(
        "monitoring:end_of_grant_report someone else's",
        agreement("/agreements/{pk}/end-of-grant-report/"),
        {**only(others=403), "provider": 404},
    ),
    Row(
        "monitoring:commission_evaluation",
        commission("/staff/commissions/{pk}/evaluation/"),
        STAFF_NOT_PROVIDER,
    ),
    Row(
        "monitoring:commission_evaluation with a lesson to remove",
        commission("/staff/commissions/{pk}/evaluation/", lesson=True),
        STAFF_NOT_PROVIDER,
    ),
    Row(
        "monitoring:commission_evaluation closed",
        commission("/staff/commissions/{pk}/evaluation/", state="closed", completed=True),
        STAFF_NOT_PROVIDER,
    ),
    Row(
        "monitoring:commission_lesson_add",
        commission("/staff/commissions/{pk}/evaluation/lessons/new/"),
        OFFICER_ONLY,
    ),
    Row(
        "monitoring:commission_next_cycle",
        commission("/staff/commissions/{pk}/next-cycle/", state="closed", completed=True),
        OFFICER_ONLY,
    ),
]
