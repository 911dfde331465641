"""Addresses of evaluation, the lessons library and the next cycle (in monitoring's
namespace, added to monitoring/urls.py)."""

from django.urls import path

from monitoring import evaluation_views as views

urlpatterns = [
    path(
        "agreements/<int:pk>/end-of-grant-report/",
        views.EndOfGrantReportView.as_view(),
        name="end_of_grant_report",
    ),
    path(
        "staff/agreements/<int:pk>/evaluation/",
        views.AgreementEvaluationView.as_view(),
        name="agreement_evaluation",
    ),
    path(
        "staff/agreements/<int:pk>/evaluation/lessons/new/",
        views.AgreementLessonAddView.as_view(),
        name="agreement_lesson_add",
    ),
    path(
        "staff/commissions/<int:pk>/evaluation/",
        views.CommissionEvaluationView.as_view(),
        name="commission_evaluation",
    ),
    path(
        "staff/commissions/<int:pk>/evaluation/lessons/new/",
        views.CommissionLessonAddView.as_view(),
        name="commission_lesson_add",
    ),
    path(
        "staff/commissions/<int:pk>/next-cycle/",
        views.NextCycleView.as_view(),
        name="commission_next_cycle",
    ),
    path("staff/lessons/", views.LessonsLibraryView.as_view(), name="lessons"),
]
