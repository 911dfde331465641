from django.urls import path

from procurement import urls_act, urls_expressions, urls_for_providers
from procurement.views import (
    agreements,
    assessment,
    bids,
    clarifications,
    decisions,
    moderation,
    open_data,
    opportunities,
)

app_name = "procurement"

urlpatterns = [
    # Public: opportunities, their documents and answers to clarification questions.
    path("opportunities/", opportunities.OpportunityListView.as_view(), name="opportunity_list"),
    path("opportunities/feed/", opportunities.OpportunityFeed(), name="opportunity_feed"),
    path("opportunities.csv", opportunities.OpportunityCsvView.as_view(), name="opportunity_csv"),
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
    path("bids/<int:pk>/targets/", bids.BidTargetsView.as_view(), name="bid_targets"),
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
        opportunities.OpportunityTransitionView.as_view(),
        {"name": "publish"},
        name="opportunity_publish",
    ),
    path(
        "staff/opportunities/<int:pk>/close/",
        opportunities.OpportunityTransitionView.as_view(),
        {"name": "close"},
        name="opportunity_close",
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
    # Do, part 2. Officers: the panel, conflicts, moderation, ranking and recommendation.
    path(
        "staff/opportunities/<int:pk>/panel/",
        assessment.PanelView.as_view(),
        name="panel",
    ),
    path(
        "staff/assignments/<int:pk>/resolve/",
        assessment.ConflictResolveView.as_view(),
        name="conflict_resolve",
    ),
    path(
        "staff/opportunities/<int:pk>/moderation/",
        moderation.ModerationView.as_view(),
        name="moderation",
    ),
    path(
        "staff/bids/<int:pk>/moderate/", moderation.ModerateBidView.as_view(), name="moderate_bid"
    ),
    path(
        "staff/opportunities/<int:pk>/ranking/",
        moderation.RankingView.as_view(),
        name="ranking",
    ),
    path(
        "staff/opportunities/<int:pk>/recommendation/",
        moderation.RecommendationView.as_view(),
        name="recommendation",
    ),
    # Panel members: declarations of interest and scores.
    path("assessment/", assessment.MyAssessmentsView.as_view(), name="my_assessments"),
    path(
        "assessment/opportunities/<int:pk>/declare/",
        assessment.DeclarationView.as_view(),
        name="declare_interests",
    ),
    path(
        "assessment/assignments/<int:pk>/",
        assessment.ScoreView.as_view(),
        name="assignment_score",
    ),
    path(
        "assessment/assignments/<int:pk>/submit/",
        assessment.ScoreSubmitView.as_view(),
        name="assignment_submit",
    ),
    path(
        "assessment/assignments/<int:pk>/conflict/",
        assessment.AssignmentConflictView.as_view(),
        name="assignment_conflict",
    ),
    # Decisions: each bidder's feedback, and the public register of awards.
    path("bids/<int:pk>/feedback/", decisions.BidFeedbackView.as_view(), name="bid_feedback"),
    path("decisions/", decisions.DecisionListView.as_view(), name="decision_list"),
    path("decisions/feed/", decisions.DecisionFeed(), name="decision_feed"),
    path("decisions.csv", decisions.DecisionCsvView.as_view(), name="decision_csv"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision_detail"),
    # Open data: 360Giving and the Transparency Code registers, for everyone.
    path("open-data/", open_data.OpenDataView.as_view(), name="open_data"),
    path(
        "open-data/360giving.json",
        open_data.OpenDataFileView.as_view(),
        {"name": "360giving.json"},
        name="open_data_360giving_json",
    ),
    path(
        "open-data/360giving.csv",
        open_data.OpenDataFileView.as_view(),
        {"name": "360giving.csv"},
        name="open_data_360giving_csv",
    ),
    path(
        "open-data/360giving.xlsx",
        open_data.OpenDataFileView.as_view(),
        {"name": "360giving.xlsx"},
        name="open_data_360giving_xlsx",
    ),
    path(
        "open-data/grants-register.csv",
        open_data.OpenDataFileView.as_view(),
        {"name": "grants-register.csv"},
        name="open_data_grants_register",
    ),
    path(
        "open-data/contracts-register.csv",
        open_data.OpenDataFileView.as_view(),
        {"name": "contracts-register.csv"},
        name="open_data_contracts_register",
    ),
    path(
        "open-data/outcomes.csv",
        open_data.OpenDataFileView.as_view(),
        {"name": "outcomes.csv"},
        name="open_data_outcomes",
    ),
    # Agreements: providers read and accept them; either side proposes variations.
    path("agreements/", agreements.MyAgreementsView.as_view(), name="my_agreements"),
    path(
        "agreements/<int:pk>/",
        agreements.AgreementDetailView.as_view(),
        name="agreement_detail",
    ),
    path(
        "agreements/<int:pk>/accept/",
        agreements.AgreementAcceptView.as_view(),
        name="agreement_accept",
    ),
    path(
        "agreements/<int:pk>/agreement.pdf",
        agreements.AgreementPdfView.as_view(),
        name="agreement_pdf",
    ),
    path(
        "agreements/<int:pk>/versions/<int:number>/",
        agreements.AgreementVersionView.as_view(),
        name="agreement_version",
    ),
    path(
        "agreements/<int:pk>/variations/new/",
        agreements.VariationProposeView.as_view(),
        name="variation_propose",
    ),
    path(
        "agreements/<int:pk>/variations/<int:number>/",
        agreements.VariationDetailView.as_view(),
        name="variation_detail",
    ),
    path(
        "agreements/<int:pk>/variations/<int:number>/actions/<slug:name>/",
        agreements.VariationTransitionView.as_view(),
        name="variation_transition",
    ),
    path(
        "staff/agreements/",
        agreements.StaffAgreementListView.as_view(),
        name="staff_agreements",
    ),
    path(
        "staff/agreements/<int:pk>/edit/",
        agreements.AgreementEditView.as_view(),
        name="agreement_edit",
    ),
    path(
        "staff/agreements/<int:pk>/payments/",
        agreements.PaymentScheduleView.as_view(),
        name="agreement_payments",
    ),
    path(
        "staff/agreements/<int:pk>/actions/<slug:name>/",
        agreements.AgreementTransitionView.as_view(),
        name="agreement_transition",
    ),
]

# The Procurement Act 2023: conflicts assessment, notices and the panel workload.
urlpatterns += urls_act.urlpatterns

# For providers: the eligibility check, and alerts of new opportunities.
urlpatterns += urls_for_providers.urlpatterns

# Two-stage opportunities: expressions of interest and shortlisting.
urlpatterns += urls_expressions.urlpatterns
