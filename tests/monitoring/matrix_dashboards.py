"""Permission matrix rows for the dashboards.

The portfolio, its CSV and the payments behind it are for officers, approvers and
administrators (providers and panel members 403). An agreement's performance page follows
the agreement page: council staff who read agreements, and the provider's members; a
provider of another organisation gets 404 at both of its addresses, and the staff address
is 404 for a provider even on their own agreement. Where a row says "own", the provider
column's person is made a member of the agreement's organisation.
"""

from core.roles import Role
from providers.models import Membership
from tests.matrix import Row, only
from tests.monitoring.factories import agreement_in_delivery

READERS = ("officer", "approver", "admin")
STAFF = only(*READERS, others=403)
OWN = only(*READERS, "provider", others=403)
NOT_THEIRS = {**STAFF, "provider": 404}


def _is_provider(user) -> bool:
    return user is not None and user.groups.filter(name=Role.PROVIDER.value).exists()


def performance(path: str, *, own: bool):
    """An agreement in delivery; a provider asking is a member of its organisation when
    `own`."""

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


ROWS = [
    Row("monitoring:portfolio", "/staff/portfolio/", STAFF),
    Row("monitoring:portfolio filtered", "/staff/portfolio/?sector=1&year=2026", STAFF),
    Row("monitoring:portfolio as csv", "/staff/portfolio/?format=csv", STAFF),
    Row("monitoring:portfolio_csv", "/staff/portfolio.csv", STAFF),
    Row("monitoring:portfolio_payments", "/staff/portfolio/payments/?show=held", STAFF),
    Row("monitoring:late_payments", "/staff/payments/late/", STAFF),
    Row("monitoring:late_payments_csv", "/staff/payments/late.csv", STAFF),
    Row(
        "monitoring:agreement_performance own",
        performance("/agreements/{pk}/performance/", own=True),
        OWN,
    ),
    Row(
        "monitoring:agreement_performance someone else's",
        performance("/agreements/{pk}/performance/", own=False),
        NOT_THEIRS,
    ),
    Row(
        "monitoring:agreement_performance_staff own",
        performance("/staff/agreements/{pk}/performance/", own=True),
        NOT_THEIRS,
    ),
    Row(
        "monitoring:agreement_performance_staff someone else's",
        performance("/staff/agreements/{pk}/performance/", own=False),
        NOT_THEIRS,
    ),
    Row(
        "monitoring:agreement_performance no such agreement",
        "/agreements/999999/performance/",
        {**STAFF, "officer": 404, "approver": 404, "admin": 404, "provider": 404, "panel": 404},
    ),
]
