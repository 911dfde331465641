"""Permission matrix rows for provider organisations.

An organisation's own pages are for its members (404 for everyone else, council staff
included: they use the staff pages); the members page, editing and decisions on requests
are for its admins (403 for a plain member). Council staff see every organisation on the
staff pages and download compliance documents; officers and administrators verify.
"""

from core.roles import Role
from providers.models import Membership
from tests.factories import OrganisationFactory, UserFactory
from tests.matrix import SIGN_IN, Row, everyone, only, signed_in, staff_only
from tests.providers.factories_organisations import (
    ComplianceDocumentFactory,
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
)


def members_only(status: int = 200) -> dict:
    """The matrix's provider belongs to the organisation; no one else does."""
    return {**everyone(404), "public": SIGN_IN, "provider": status}


def _organisation(user, role: str = Membership.Role.ADMIN):
    """An organisation with an admin of its own; the matrix's provider joins it in `role`."""
    organisation = OrganisationFactory()
    MembershipFactory(
        organisation=organisation,
        user=UserFactory(roles=[Role.PROVIDER]),
        role=Membership.Role.ADMIN,
    )
    if user is not None and user.groups.filter(name=Role.PROVIDER.value).exists():
        MembershipFactory(organisation=organisation, user=user, role=role)
    return organisation


def organisation_detail(user) -> str:
    return f"/organisations/{_organisation(user, Membership.Role.MEMBER).pk}/"


def other_organisation_detail(user) -> str:
    return f"/organisations/{_organisation(None).pk}/"


def organisation_update(user) -> str:
    return f"/organisations/{_organisation(user).pk}/edit/"


def organisation_update_as_member(user) -> str:
    return f"/organisations/{_organisation(user, Membership.Role.MEMBER).pk}/edit/"


def organisation_members(user) -> str:
    return f"/organisations/{_organisation(user).pk}/members/"


def membership_remove(user) -> str:
    organisation = _organisation(user)
    membership = MembershipFactory(organisation=organisation)
    return f"/organisations/{organisation.pk}/members/{membership.pk}/remove/"


def join_request_decide(user) -> str:
    organisation = _organisation(user)
    join_request = JoinRequestFactory(organisation=organisation)
    return f"/organisations/{organisation.pk}/requests/{join_request.pk}/"


def organisation_compliance(user) -> str:
    return f"/organisations/{_organisation(user, Membership.Role.MEMBER).pk}/compliance/"


def compliance_document(user) -> str:
    organisation = _organisation(user, Membership.Role.MEMBER)
    document = ComplianceDocumentFactory(organisation=organisation)
    return f"/organisations/{organisation.pk}/compliance/{document.pk}/"


def other_compliance_document(user) -> str:
    organisation = _organisation(None)
    document = ComplianceDocumentFactory(organisation=organisation)
    return f"/organisations/{organisation.pk}/compliance/{document.pk}/"


def compliance_document_delete(user) -> str:
    return compliance_document(user) + "?delete"


def compliance_document_delete_as_admin(user) -> str:
    organisation = _organisation(user, Membership.Role.ADMIN)
    document = ComplianceDocumentFactory(organisation=organisation)
    return f"/organisations/{organisation.pk}/compliance/{document.pk}/?delete"


def invitation_accept(user) -> str:
    invitation = InvitationFactory(organisation=_organisation(None))
    return f"/invitations/{invitation.token}/"


def staff_organisation_detail(user) -> str:
    return f"/staff/organisations/{_organisation(None).pk}/"


def organisation_verify(user) -> str:
    return f"/staff/organisations/{_organisation(None).pk}/verify/"


ROWS = [
    Row("providers:organisation_create", "/organisations/new/", signed_in(200)),
    Row("providers:organisation_join", "/organisations/join/", signed_in(200)),
    Row("providers:organisation_join_search", "/organisations/join/?q=Community", signed_in(200)),
    Row("providers:organisation_switch", "/organisations/switch/", signed_in(302), method="post"),
    Row("providers:organisation_detail", organisation_detail, members_only()),
    Row("providers:organisation_detail_other", other_organisation_detail, members_only(404)),
    Row("providers:organisation_update", organisation_update, members_only()),
    Row("providers:organisation_update_member", organisation_update_as_member, members_only(403)),
    Row("providers:organisation_members", organisation_members, members_only()),
    Row("providers:membership_remove", membership_remove, members_only()),
    Row("providers:join_request_decide", join_request_decide, members_only()),
    Row("providers:organisation_compliance", organisation_compliance, members_only()),
    Row("providers:compliance_document", compliance_document, signed_in(200)),
    Row(
        "providers:compliance_document_other",
        other_compliance_document,
        {**signed_in(200), "provider": 404},
    ),
    Row(
        "providers:compliance_document_delete",
        compliance_document_delete,
        {**staff_only(403), "provider": 403},
    ),
    Row(
        "providers:compliance_document_delete_admin",
        compliance_document_delete_as_admin,
        {**staff_only(403), "provider": 200},
    ),
    Row("providers:invitation_accept", invitation_accept, everyone(200)),
    Row("providers:staff_organisations", "/staff/organisations/", staff_only(200)),
    Row("providers:staff_organisation_detail", staff_organisation_detail, staff_only(200)),
    Row("providers:organisation_verify", organisation_verify, only("officer", "admin")),
    Row(
        "providers:organisation_verify_post",
        organisation_verify,
        only("officer", "admin"),
        method="post",
    ),
]
