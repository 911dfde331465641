"""Who may see and change a provider organisation's records.

A person sees an organisation's pages only if they belong to it; council staff see every
organisation on the staff pages and may download its compliance documents.
"""

import rules

from core.rules import is_administrator, is_council_staff, is_officer
from providers.models import ComplianceDocument, Membership, Organisation


def _organisation_of(obj) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


def _membership(user, obj) -> Membership | None:
    """The person's membership of the organisation (or of the record's organisation)."""
    organisation = _organisation_of(obj)
    if organisation is None or organisation.pk is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(organisation_id=organisation.pk, user=user).first()


@rules.predicate
def is_member(user, organisation) -> bool:
    """The person belongs to the organisation (any role)."""
    return _membership(user, organisation) is not None


@rules.predicate
def is_org_admin(user, organisation) -> bool:
    """The person is one of the organisation's admins."""
    membership = _membership(user, organisation)
    return membership is not None and membership.role == Membership.Role.ADMIN


@rules.predicate
def is_uploader(user, document) -> bool:
    return isinstance(document, ComplianceDocument) and document.uploaded_by_id == user.pk


rules.add_perm("providers.view_organisation", is_member | is_council_staff)
rules.add_perm("providers.manage_organisation", is_org_admin)
rules.add_perm("providers.verify_organisation", is_officer | is_administrator)
# A compliance document: any member adds one; its uploader (still a member) or an admin
# removes it.
rules.add_perm("providers.delete_compliance_document", is_org_admin | (is_member & is_uploader))
