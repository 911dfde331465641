from django.urls import path

from commissioning import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("framework/", views.FrameworkView.as_view(), name="framework"),
    path("framework/glossary/", views.GlossaryView.as_view(), name="glossary"),
    path("staff/", views.StaffDashboardView.as_view(), name="staff_home"),
    path("staff/commissions/new/", views.CommissionCreateView.as_view(), name="commission_create"),
    path(
        "staff/commissions/<int:pk>/",
        views.CommissionDetailView.as_view(),
        name="commission_detail",
    ),
    path(
        "staff/commissions/<int:pk>/edit/",
        views.CommissionUpdateView.as_view(),
        name="commission_update",
    ),
    path(
        "staff/commissions/<int:pk>/actions/<slug:name>/",
        views.CommissionTransitionView.as_view(),
        name="commission_transition",
    ),
]
