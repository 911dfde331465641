from django.urls import path

from providers import views
from providers.views.partnering import PartnerProfileView

urlpatterns = [
    # Provider users: their organisations, members and compliance documents.
    path("organisations/", views.ProviderHomeView.as_view(), name="provider_home"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisations/join/", views.OrganisationJoinView.as_view(), name="organisation_join"),
    path(
        "organisations/switch/", views.OrganisationSwitchView.as_view(), name="organisation_switch"
    ),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
    path(
        "organisations/<int:pk>/members/",
        views.OrganisationMembersView.as_view(),
        name="organisation_members",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="membership_remove",
    ),
    path(
        "organisations/<int:pk>/requests/<int:request_pk>/",
        views.JoinRequestDecideView.as_view(),
        name="join_request_decide",
    ),
    path(
        "organisations/<int:pk>/compliance/",
        views.ComplianceView.as_view(),
        name="organisation_compliance",
    ),
    path(
        "organisations/<int:pk>/compliance/<int:document_pk>/",
        views.ComplianceDocumentDownloadView.as_view(),
        name="compliance_document",
    ),
    path(
        "organisations/<int:pk>/partnering/",
        PartnerProfileView.as_view(),
        name="organisation_partnering",
    ),
    path(
        "invitations/<uuid:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"
    ),
    # Council staff: verifying organisations.
    path(
        "staff/organisations/",
        views.StaffOrganisationListView.as_view(),
        name="staff_organisations",
    ),
    path(
        "staff/organisations/<int:pk>/",
        views.StaffOrganisationDetailView.as_view(),
        name="staff_organisation_detail",
    ),
    path(
        "staff/organisations/<int:pk>/verify/",
        views.OrganisationVerifyView.as_view(),
        name="organisation_verify",
    ),
]
