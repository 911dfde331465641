"""Permission matrix rows for Working Together: an organisation's admins say whether lead
bidders can find it (403 for a plain member, 404 for everyone else); the partner finder on
a bid's partners step is the lead's."""

from providers.models import Membership
from tests.matrix import Row
from tests.procurement import matrix_bids
from tests.providers.matrix_organisations import _organisation, members_only


def partnering(user) -> str:
    return f"/organisations/{_organisation(user).pk}/partnering/"


def partnering_as_member(user) -> str:
    return f"/organisations/{_organisation(user, Membership.Role.MEMBER).pk}/partnering/"


def finder(user) -> str:
    return matrix_bids.url(matrix_bids.BID + "partners/?offer=befriending", matrix_bids.own_draft)(
        user
    )


ROWS = [
    Row("providers:organisation_partnering", partnering, members_only()),
    Row("providers:organisation_partnering_member", partnering_as_member, members_only(403)),
    Row("procurement:bid_partner_finder", finder, matrix_bids.OWN),
]
