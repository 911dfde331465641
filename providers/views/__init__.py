"""Provider organisations' pages: a person's organisations, members and compliance documents,
and the council's verification pages."""

from providers.views.compliance import ComplianceDocumentDownloadView, ComplianceView
from providers.views.members import (
    InvitationAcceptView,
    JoinRequestDecideView,
    MembershipRemoveView,
    OrganisationMembersView,
)
from providers.views.organisations import (
    OrganisationCreateView,
    OrganisationDetailView,
    OrganisationJoinView,
    OrganisationSwitchView,
    OrganisationUpdateView,
    ProviderHomeView,
)
from providers.views.staff import (
    OrganisationVerifyView,
    StaffOrganisationDetailView,
    StaffOrganisationListView,
)

__all__ = [
    "ComplianceDocumentDownloadView",
    "ComplianceView",
    "InvitationAcceptView",
    "JoinRequestDecideView",
    "MembershipRemoveView",
    "OrganisationCreateView",
    "OrganisationDetailView",
    "OrganisationJoinView",
    "OrganisationMembersView",
    "OrganisationSwitchView",
    "OrganisationUpdateView",
    "OrganisationVerifyView",
    "ProviderHomeView",
    "StaffOrganisationDetailView",
    "StaffOrganisationListView",
]
