from django.urls import path

from monitoring import views, views_dashboards, views_late_payments

app_name = "monitoring"

urlpatterns = [
    # Providers: their organisations' returns; everyone who may see a return reads it.
    path("returns/", views.MyReturnsView.as_view(), name="my_returns"),
    path("returns/<int:pk>/", views.ReturnDetailView.as_view(), name="return_detail"),
    path("returns/<int:pk>/edit/", views.ReturnEditView.as_view(), name="return_edit"),
    path("returns/<int:pk>/evidence/", views.ReturnEvidenceView.as_view(), name="return_evidence"),
    path(
        "returns/<int:pk>/evidence/<int:attachment_pk>/",
        views.ReturnEvidenceDownloadView.as_view(),
        name="return_evidence_file",
    ),
    path(
        "returns/<int:pk>/versions/<int:number>/",
        views.ReturnVersionView.as_view(),
        name="return_version",
    ),
    # Submitting (the provider), accepting and asking for changes (an officer).
    path(
        "returns/<int:pk>/actions/<slug:name>/",
        views.ReturnTransitionView.as_view(),
        name="return_transition",
    ),
    # Council staff: returns to review or overdue; an agreement's RAG status and payments.
    path("staff/returns/", views.StaffReturnListView.as_view(), name="staff_returns"),
    path(
        "staff/agreements/<int:pk>/monitoring/",
        views.AgreementMonitoringView.as_view(),
        name="agreement_monitoring",
    ),
    path("staff/agreements/<int:pk>/rag/", views.RagSetView.as_view(), name="rag_set"),
    path(
        "staff/agreements/<int:pk>/payments/<int:instalment_pk>/paid/",
        views.PaymentPaidView.as_view(),
        name="payment_paid",
    ),
    path(
        "staff/agreements/<int:pk>/payments/<int:instalment_pk>/hold/",
        views.PaymentHoldView.as_view(),
        name="payment_hold",
    ),
]

# The dashboards: the officers' portfolio (with its CSV and the payments behind it) and an
# agreement's performance against its targets, for staff and for the provider.
urlpatterns += [
    path("staff/portfolio/", views_dashboards.PortfolioView.as_view(), name="portfolio"),
    path("staff/portfolio.csv", views_dashboards.PortfolioCsvView.as_view(), name="portfolio_csv"),
    path(
        "staff/portfolio/payments/",
        views_dashboards.PortfolioPaymentsView.as_view(),
        name="portfolio_payments",
    ),
    path(
        "staff/agreements/<int:pk>/performance/",
        views_dashboards.AgreementPerformanceView.as_view(staff=True),
        name="agreement_performance_staff",
    ),
    path(
        "agreements/<int:pk>/performance/",
        views_dashboards.AgreementPerformanceView.as_view(),
        name="agreement_performance",
    ),
]

# Evaluation, the lessons library and the next cycle (monitoring/evaluation_urls.py).
from monitoring.evaluation_urls import urlpatterns as evaluation_urlpatterns  # noqa: E402

urlpatterns += evaluation_urlpatterns

# Social Return on Investment for council staff: an agreement's, and a commission's.
from monitoring import views_sroi  # noqa: E402

urlpatterns += [
    path(
        "staff/agreements/<int:pk>/sroi/",
        views_sroi.AgreementSroiView.as_view(),
        name="agreement_sroi",
    ),
    path(
        "staff/commissions/<int:pk>/sroi/",
        views_sroi.CommissionSroiView.as_view(),
        name="commission_sroi",
    ),
]

# The officers' report of payments made after their 30-day terms.
urlpatterns += [
    path(
        "staff/payments/late/", views_late_payments.LatePaymentsView.as_view(), name="late_payments"
    ),
    path(
        "staff/payments/late.csv",
        views_late_payments.LatePaymentsCsvView.as_view(),
        name="late_payments_csv",
    ),
]
