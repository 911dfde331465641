from django.urls import path

from commissioning import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("framework/", views.FrameworkView.as_view(), name="framework"),
    path("framework/glossary/", views.GlossaryView.as_view(), name="glossary"),
    path("staff/", views.StaffHomeView.as_view(), name="staff_home"),
]
