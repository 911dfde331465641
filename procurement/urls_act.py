"""The Procurement Act 2023 pages, in the procurement namespace (procurement/urls.py adds
them)."""

from django.urls import path

from procurement.views import act, workload

urlpatterns = [
    path(
        "staff/opportunities/<int:pk>/conflicts/",
        act.ConflictsAssessmentView.as_view(),
        name="conflicts_assessment",
    ),
    path(
        "staff/opportunities/<int:pk>/notices/",
        act.NoticesView.as_view(),
        name="procurement_notices",
    ),
    path(
        "staff/opportunities/<int:pk>/panel/workload/",
        workload.PanelWorkloadView.as_view(),
        name="panel_workload",
    ),
]
