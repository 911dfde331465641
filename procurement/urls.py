from django.urls import path

from procurement.views import bids, clarifications, opportunities

app_name = "procurement"

urlpatterns = [
    # Public: opportunities, their documents and answers to clarification questions.
    path("opportunities/", opportunities.OpportunityListView.as_view(), name="opportunity_list"),
    path("opportunities/feed/", opportunities.OpportunityFeed(), name="opportunity_feed"),
    path(
        "opportunities/<slug:slug>/",
        opportunities.OpportunityDetailView.as_view(),
        name="opportunity_detail",
    ),
    path(
        "opportunities/<slug:slug>/documents/<int:pk>/",
        opportunities.OpportunityDocumentView.as_view(),
        name="opportunity_document",
    ),
    # Providers: clarification questions and bids.
    path(
        "opportunities/<slug:slug>/ask/",
        clarifications.ClarificationAskView.as_view(),
        name="clarification_ask",
    ),
    path("opportunities/<slug:slug>/bid/", bids.BidStartView.as_view(), name="bid_start"),
    path("bids/", bids.MyBidsView.as_view(), name="my_bids"),
    path("bids/<int:pk>/", bids.BidDetailView.as_view(), name="bid_detail"),
    path("bids/<int:pk>/edit/", bids.BidEditView.as_view(), name="bid_edit"),
    path("bids/<int:pk>/budget/", bids.BidBudgetView.as_view(), name="bid_budget"),
    path("bids/<int:pk>/partners/", bids.BidPartnersView.as_view(), name="bid_partners"),
    path("bids/<int:pk>/attachments/", bids.BidAttachmentsView.as_view(), name="bid_attachments"),
    path(
        "bids/<int:pk>/attachments/<int:attachment_pk>/",
        bids.BidAttachmentDownloadView.as_view(),
        name="bid_attachment",
    ),
    path(
        "bids/<int:pk>/actions/<slug:name>/",
        bids.BidTransitionView.as_view(),
        name="bid_transition",
    ),
    path(
        "bids/<int:pk>/receipts/<int:number>/",
        bids.BidReceiptView.as_view(),
        name="bid_receipt",
    ),
    path("partnerships/", bids.PartnershipListView.as_view(), name="partnership_list"),
    path(
        "partnerships/<int:pk>/confirm/",
        bids.PartnershipConfirmView.as_view(),
        name="partnership_confirm",
    ),
    # Council staff: opportunities, clarifications, sealed bids.
    path(
        "staff/opportunities/",
        opportunities.StaffOpportunityListView.as_view(),
        name="staff_opportunities",
    ),
    path(
        "staff/opportunities/new/",
        opportunities.OpportunityCreateView.as_view(),
        name="opportunity_create",
    ),
    path(
        "staff/opportunities/<int:pk>/",
        opportunities.StaffOpportunityDetailView.as_view(),
        name="staff_opportunity_detail",
    ),
    path(
        "staff/opportunities/<int:pk>/edit/",
        opportunities.OpportunityUpdateView.as_view(),
        name="opportunity_update",
    ),
    path(
        "staff/opportunities/<int:pk>/questions/",
        opportunities.OpportunityQuestionsView.as_view(),
        name="opportunity_questions",
    ),
    path(
        "staff/opportunities/<int:pk>/documents/",
        opportunities.OpportunityDocumentsView.as_view(),
        name="opportunity_documents",
    ),
    path(
        "staff/opportunities/<int:pk>/publish/",
        opportunities.OpportunityPublishView.as_view(),
        name="opportunity_publish",
    ),
    path(
        "staff/opportunities/<int:pk>/clarifications/",
        clarifications.StaffClarificationListView.as_view(),
        name="staff_clarifications",
    ),
    path(
        "staff/clarifications/<int:pk>/answer/",
        clarifications.ClarificationAnswerView.as_view(),
        name="clarification_answer",
    ),
    path(
        "staff/opportunities/<int:pk>/bids/",
        bids.StaffBidListView.as_view(),
        name="staff_bids",
    ),
    path(
        "staff/opportunities/<int:pk>/bids.csv",
        bids.StaffBidExportView.as_view(),
        name="staff_bids_export",
    ),
]
