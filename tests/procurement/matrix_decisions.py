"""Permission matrix rows for decisions: each bidder's feedback and the public register.

The feedback is 404 for everyone until the decision is approved, and for a provider with
no part in the bid; officers, approvers and administrators read it; panel members get 403.
The register, its feed and an award's page are public; an award that is not approved or
not successful is not found.
"""

from core.roles import Role
from procurement.models import Outcome
from tests.matrix import ROLES, SIGN_IN, Row, everyone, only
from tests.procurement.factories_decisions import award_make

READERS = ("officer", "approver", "admin")


def _own(user, decision):
    """Make a provider a member of the bid's lead organisation."""
    if user is not None and user.groups.filter(name=Role.PROVIDER.value).exists():
        decision.bid.organisation.memberships.get_or_create(user=user)
    return decision


def feedback(make):
    def build(user):
        return f"/bids/{make(user).bid.pk}/feedback/"

    return build


# Approved, and the provider is a member of the lead organisation.
OWN_APPROVED = {**only("provider", *READERS)}
# Approved, someone else's bid: providers 404, staff who read bids 200, panel 403.
OTHER_APPROVED = {**only(*READERS), "provider": 404}
# Not approved yet: not found for anyone signed in.
NOT_APPROVED = dict.fromkeys(ROLES, 404) | {"public": SIGN_IN}

ROWS = [
    Row(
        "procurement:bid_feedback_own",
        feedback(lambda user: _own(user, award_make())),
        OWN_APPROVED,
    ),
    Row(
        "procurement:bid_feedback_own_unsuccessful",
        feedback(lambda user: _own(user, award_make(outcome=Outcome.UNSUCCESSFUL))),
        OWN_APPROVED,
    ),
    Row(
        "procurement:bid_feedback_other",
        feedback(lambda user: award_make()),
        OTHER_APPROVED,
    ),
    Row(
        "procurement:bid_feedback_not_approved",
        feedback(lambda user: _own(user, award_make(approved=False))),
        NOT_APPROVED,
    ),
    Row("procurement:decision_list", "/decisions/", everyone(200)),
    Row(
        "procurement:decision_list_filtered",
        "/decisions/?q=lunch&sector=vcfs&funding_type=grant&year=2026",
        everyone(200),
    ),
    Row("procurement:decision_feed", "/decisions/feed/", everyone(200)),
    Row(
        "procurement:decision_detail",
        lambda user: f"/decisions/{award_make().pk}/",
        everyone(200),
    ),
    Row(
        "procurement:decision_detail_unsuccessful",
        lambda user: f"/decisions/{award_make(outcome=Outcome.UNSUCCESSFUL).pk}/",
        everyone(404),
    ),
    Row(
        "procurement:decision_detail_not_approved",
        lambda user: f"/decisions/{award_make(approved=False).pk}/",
        everyone(404),
    ),
]
