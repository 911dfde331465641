from django.urls import path

from core import account_views, notification_views, sessions, sitemaps, views
from core import personal_data_views as personal_data
from core.views_search import SearchView

urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("signed-in/", views.AfterLoginView.as_view(), name="after_login"),
    path("account/", account_views.AccountView.as_view(), name="account"),
    path("account/data/", personal_data.AccountDataView.as_view(), name="account_data"),
    path("account/close/", personal_data.AccountCloseView.as_view(), name="account_close"),
    path(
        "staff/closure-requests/",
        personal_data.ClosureRequestListView.as_view(),
        name="closure_requests",
    ),
    path(
        "staff/closure-requests/<int:pk>/anonymise/",
        personal_data.ClosureRequestAnonymiseView.as_view(),
        name="closure_request_anonymise",
    ),
    path("session/", sessions.SessionStatusView.as_view(), name="session_status"),
    path("session/extend/", sessions.SessionExtendView.as_view(), name="session_extend"),
    path(
        "notifications/",
        notification_views.NotificationListView.as_view(),
        name="notifications",
    ),
    path(
        "notifications/<int:pk>/",
        notification_views.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path(
        "accessibility/",
        views.StaticPageView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path(
        "privacy/",
        personal_data.PrivacyView.as_view(),
        name="privacy",
    ),
    path(
        "cookies/",
        views.StaticPageView.as_view(template_name="pages/cookies.html"),
        name="cookies",
    ),
    path("search/", SearchView.as_view(), name="search"),
]

# The audit trail, for administrators (core/audit.py).
from core.audit_views import AuditTrailView  # noqa: E402

urlpatterns += [path("staff/audit/", AuditTrailView.as_view(), name="audit_trail")]
