"""Who may do what with monitoring returns, RAG statuses and payments.

The provider organisation's members see and change their own returns, once the agreement
is accepted (before that there is nothing to report on). Commissioning officers review
returns, set the RAG status and record payments; approvers and administrators read.
"""

import rules

from core.rules import is_administrator, is_approver, is_officer
from providers.models import Membership


@rules.predicate
def is_member_of_return_organisation(user, monitoring_return) -> bool:
    if monitoring_return is None or not user.is_authenticated:
        return False
    organisation_id = monitoring_return.agreement.decision.bid.organisation_id
    # Asked more than once a page (may they see it, may they change it): one query a request,
    # remembered on the user object, which is new each request.
    known = user.__dict__.setdefault("_portal_member_of", {})
    if organisation_id not in known:
        known[organisation_id] = Membership.objects.filter(
            organisation_id=organisation_id, user=user
        ).exists()
    return known[organisation_id]


@rules.predicate
def return_agreement_is_accepted(user, monitoring_return) -> bool:
    """The agreement is accepted: delivery, and so monitoring, has started."""
    return monitoring_return is not None and monitoring_return.agreement.state == "accepted"


reads_monitoring = is_officer | is_approver | is_administrator
edit_return = is_member_of_return_organisation & return_agreement_is_accepted
view_return = reads_monitoring | edit_return
review_return = is_officer

rules.add_perm("monitoring.view_returns", reads_monitoring)
rules.add_perm("monitoring.view_return", view_return)
rules.add_perm("monitoring.edit_return", edit_return)
rules.add_perm("monitoring.review_return", review_return)
# On an agreement: its RAG status and its payments made and held.
rules.add_perm("monitoring.set_rag", is_officer)
rules.add_perm("monitoring.manage_payments", is_officer)


def can_edit_return(monitoring_return, user) -> bool:
    """A member of the provider organisation, once the agreement is accepted."""
    return edit_return.test(user, monitoring_return)


def can_review_return(monitoring_return, user) -> bool:
    """A commissioning officer."""
    return review_return.test(user, monitoring_return)
