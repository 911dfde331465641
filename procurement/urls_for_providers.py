"""What providers ask of the best grant portals: the eligibility check before a bid, and
alerts of new opportunities (by email and as an Atom feed)."""

from django.urls import path

from procurement.views import alerts, eligibility

urlpatterns = [
    path(
        "opportunities/<slug:slug>/eligibility/",
        eligibility.EligibilityCheckView.as_view(),
        name="eligibility_check",
    ),
    path(
        "staff/opportunities/<int:pk>/eligibility/",
        eligibility.EligibilityRequirementView.as_view(),
        name="eligibility_requirement",
    ),
    path("alerts/", alerts.OpportunityAlertView.as_view(), name="opportunity_alert"),
]
