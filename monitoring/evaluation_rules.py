"""Who may read and write evaluations, the lessons library and the next cycle.

Council staff who read monitoring (officers, approvers, administrators) read evaluations and
the lessons library; commissioning officers evaluate, record lessons and open the next
cycle. The provider's members send their organisation's end-of-grant report once the
agreement is accepted.
"""

import rules

from core.rules import is_officer
from monitoring.rules import reads_monitoring


@rules.predicate
def is_member_of_agreement_organisation(user, agreement) -> bool:
    if agreement is None or not user.is_authenticated:
        return False
    return agreement.decision.bid.organisation.memberships.filter(user=user).exists()


@rules.predicate
def agreement_is_accepted(user, agreement) -> bool:
    return agreement is not None and agreement.state == "accepted"


send_report = is_member_of_agreement_organisation & agreement_is_accepted

rules.add_perm("monitoring.view_evaluation", reads_monitoring)
rules.add_perm("monitoring.evaluate", is_officer)
rules.add_perm("monitoring.view_lessons", reads_monitoring)
rules.add_perm("monitoring.open_next_cycle", is_officer)
rules.add_perm("monitoring.send_end_of_grant_report", send_report)
