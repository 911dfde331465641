from django.urls import path

from core import account_views, notification_views, sessions, sitemaps, views
from core.views_search import SearchView

urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("signed-in/", views.AfterLoginView.as_view(), name="after_login"),
    path("account/", account_views.AccountView.as_view(), name="account"),
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
        views.StaticPageView.as_view(template_name="pages/privacy.html"),
        name="privacy",
    ),
    path(
        "cookies/",
        views.StaticPageView.as_view(template_name="pages/cookies.html"),
        name="cookies",
    ),
    path("search/", SearchView.as_view(), name="search"),
]
