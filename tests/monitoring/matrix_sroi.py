"""Permission matrix rows for the SROI pages: an agreement's and a commission's Social
Return on Investment are for council staff who read monitoring (officers, approvers and
administrators). A panel member gets 403; a provider gets 404, even for an agreement of
their own organisation (they never learn the page exists); an id nobody holds is 404.
"""

from core.roles import Role
from providers.models import Membership
from tests.matrix import Row, only
from tests.monitoring.factories import agreement_in_delivery

READERS = ("officer", "approver", "admin")
STAFF = {**only(*READERS, others=403), "provider": 404}
NOBODY = {**STAFF, "officer": 404, "approver": 404, "admin": 404, "panel": 404}


def _is_provider(user) -> bool:
    return user is not None and user.groups.filter(name=Role.PROVIDER.value).exists()


def agreement_sroi(query: str = "", *, own: bool = False):
    def build(user):
        made = agreement_in_delivery(months=12)
        if own and _is_provider(user):
            Membership.objects.update_or_create(
                organisation=made.organisation,
                user=user,
                defaults={"role": Membership.Role.MEMBER},
            )
        return f"/staff/agreements/{made.agreement.pk}/sroi/{query}"

    return build


def commission_sroi(query: str = ""):
    def build(user):
        made = agreement_in_delivery(months=12)
        commission = made.agreement.decision.bid.opportunity.specification.commission
        return f"/staff/commissions/{commission.pk}/sroi/{query}"

    return build


ROWS = [
    Row("monitoring:agreement_sroi", agreement_sroi(), STAFF),
    Row("monitoring:agreement_sroi the provider's own", agreement_sroi(own=True), STAFF),
    Row(
        "monitoring:agreement_sroi with a changed assumption",
        agreement_sroi("?discount_rate=5"),
        STAFF,
    ),
    Row(
        "monitoring:agreement_sroi with a wrong assumption",
        agreement_sroi("?discount_rate=lots&measure-999999-value=x"),
        STAFF,
    ),
    Row("monitoring:agreement_sroi no such agreement", "/staff/agreements/999999/sroi/", NOBODY),
    Row("monitoring:commission_sroi", commission_sroi(), STAFF),
    Row(
        "monitoring:commission_sroi with a changed assumption",
        commission_sroi("?discount_rate=0"),
        STAFF,
    ),
    Row("monitoring:commission_sroi no such commission", "/staff/commissions/999999/sroi/", NOBODY),
]
